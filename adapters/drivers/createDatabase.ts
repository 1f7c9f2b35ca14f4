import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect, sql, type Dialect, type LogEvent } from 'kysely';
import { createPool } from 'mysql2';
import { MssqlDriverDialect } from './mssqlDialect';
import { parseDatabaseUrl, type DatabaseLocation, type Engine } from './databaseUrl';

/** Pool limits shared by every engine; SQLite ignores the network ones. */
export interface PoolOptions {
  /** Most connections one source may hold open. */
  maxConnections: number;
  /** Requests allowed to wait for a free connection before new ones are refused (mysql2 queues without bound by default). */
  queueLimit: number;
  /** How long to wait for a TCP connection or login before the source counts as unavailable. */
  connectTimeoutMs: number;
  /** How long one statement may run (SQL Server enforces it server-side; elsewhere the source guard does). */
  statementTimeoutMs: number;
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  maxConnections: 10,
  queueLimit: 100,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
};

/** Counts statements sent, so tests and benchmarks can prove batching instead of assuming it. */
export interface StatementStats {
  statements: number;
}

/** One open database: a Kysely instance over the engine the URL named, plus its lifecycle. */
export interface Database<DB> {
  readonly engine: Engine;
  readonly location: DatabaseLocation;
  readonly db: Kysely<DB>;
  readonly stats: StatementStats;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  pool?: Partial<PoolOptions>;
  /** SQL Server only: send strings as VARCHAR (legacy non-Unicode columns) instead of NVARCHAR. */
  mssqlVarcharStrings?: boolean;
}

function createDialect(location: DatabaseLocation, pool: PoolOptions, options: DatabaseOptions): Dialect {
  switch (location.engine) {
    case 'sqlite': {
      if (location.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(location.file)), { recursive: true });
      const database = new SqliteDatabase(location.file);
      database.pragma('journal_mode = WAL');
      database.pragma('busy_timeout = 5000');
      return new SqliteDialect({ database });
    }
    case 'mysql':
      return new MysqlDialect({
        pool: createPool({
          uri: location.url,
          connectionLimit: pool.maxConnections,
          queueLimit: pool.queueLimit,
          connectTimeout: pool.connectTimeoutMs,
          // Legacy columns hold dates as text and as DATETIME; adapters parse one string form for both.
          dateStrings: true,
          charset: 'utf8mb4',
          timezone: 'Z',
        }),
      });
    case 'mssql':
      return new MssqlDriverDialect({
        config: {
          server: location.server,
          port: location.port,
          database: location.database,
          user: location.user,
          password: location.password,
          connectionTimeout: pool.connectTimeoutMs,
          requestTimeout: pool.statementTimeoutMs,
          pool: { max: pool.maxConnections, min: 0, idleTimeoutMillis: 30_000 },
          options: { encrypt: location.encrypt, trustServerCertificate: location.trustServerCertificate },
        },
        varcharStrings: options.mssqlVarcharStrings ?? false,
      });
  }
}

/** Opens a database from a connection URL (`sqlite:`, `mysql://`, `mssql://`). The engine is configuration. */
export function createDatabase<DB>(url: string, options: DatabaseOptions = {}): Database<DB> {
  const location = parseDatabaseUrl(url);
  const pool = { ...DEFAULT_POOL_OPTIONS, ...options.pool };
  const stats: StatementStats = { statements: 0 };
  const db = new Kysely<DB>({
    dialect: createDialect(location, pool, options),
    log: (event: LogEvent) => {
      stats.statements += 1;
      void event;
    },
  });
  return {
    engine: location.engine,
    location,
    db,
    stats,
    async ping() {
      await sql`select 1 as ok`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
