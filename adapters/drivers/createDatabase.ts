import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, MysqlDialect, sql, type Dialect, type LogEvent } from 'kysely';
import { createPool } from 'mysql2';
import { SqliteStoreDialect } from './migrationLocks';
import { MssqlDriverDialect } from './mssqlDialect';
import { parseDatabaseUrl, type DatabaseLocation, type Engine } from './databaseUrl';
import { guardPool, type PoolUsage } from './guardedMysqlPool';

/** Pool limits shared by every engine; SQLite ignores the network ones. */
export interface PoolOptions {
  /** Most connections one source may hold open. */
  maxConnections: number;
  /** Requests allowed to wait for a free connection before new ones are refused (mysql2 queues without bound by default). */
  queueLimit: number;
  /** How long to wait for a TCP connection or login before the source counts as unavailable. */
  connectTimeoutMs: number;
  /** How long a caller waits for a free connection (mysql2 has no such bound of its own). */
  acquireTimeoutMs: number;
  /** How long one statement may run before the driver abandons it (mysql2 then destroys the connection). */
  statementTimeoutMs: number;
}

export const DEFAULT_POOL_OPTIONS: PoolOptions = {
  maxConnections: 10,
  queueLimit: 100,
  connectTimeoutMs: 2_000,
  acquireTimeoutMs: 2_000,
  statementTimeoutMs: 3_000,
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
  /** Connections in use and callers waiting; null for SQLite, which has no pool. */
  poolUsage(): PoolUsage | null;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  pool?: Partial<PoolOptions>;
  /** SQL Server only: send strings as VARCHAR (legacy non-Unicode columns) instead of NVARCHAR. */
  mssqlVarcharStrings?: boolean;
}

function createDialect(
  location: DatabaseLocation,
  pool: PoolOptions,
  options: DatabaseOptions,
): { dialect: Dialect; poolUsage: () => PoolUsage | null } {
  switch (location.engine) {
    case 'sqlite': {
      if (location.file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(location.file)), { recursive: true });
      const database = new SqliteDatabase(location.file);
      database.pragma('journal_mode = WAL');
      database.pragma('busy_timeout = 5000');
      return { dialect: new SqliteStoreDialect({ database }, location.file), poolUsage: () => null };
    }
    case 'mysql': {
      const guarded = guardPool(
        createPool({
          uri: location.url,
          connectionLimit: pool.maxConnections,
          // The guard bounds the queue itself (with a code); mysql2's own limit is a backstop one above it.
          queueLimit: pool.queueLimit + 1,
          connectTimeout: pool.connectTimeoutMs,
          // Legacy columns hold dates as text and as DATETIME; adapters parse one string form for both.
          dateStrings: true,
          charset: 'utf8mb4',
          timezone: 'Z',
        }),
        pool,
      );
      return { dialect: new MysqlDialect({ pool: guarded }), poolUsage: guarded.usage };
    }
    case 'mssql': {
      const dialect = new MssqlDriverDialect({
        config: {
          server: location.server,
          port: location.port,
          database: location.database,
          user: location.user,
          password: location.password,
          connectionTimeout: pool.connectTimeoutMs,
          requestTimeout: pool.statementTimeoutMs,
          pool: { max: pool.maxConnections, min: 0, idleTimeoutMillis: 30_000, acquireTimeoutMillis: pool.acquireTimeoutMs },
          options: { encrypt: location.encrypt, trustServerCertificate: location.trustServerCertificate },
        },
        varcharStrings: options.mssqlVarcharStrings ?? false,
      });
      return { dialect, poolUsage: () => null };
    }
  }
}

/** Opens a database from a connection URL (`sqlite:`, `mysql://`, `mssql://`). The engine is configuration. */
export function createDatabase<DB>(url: string, options: DatabaseOptions = {}): Database<DB> {
  const location = parseDatabaseUrl(url);
  const pool = { ...DEFAULT_POOL_OPTIONS, ...options.pool };
  const stats: StatementStats = { statements: 0 };
  const { dialect, poolUsage } = createDialect(location, pool, options);
  const db = new Kysely<DB>({
    dialect,
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
    poolUsage,
    async ping() {
      await sql`select 1 as ok`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
