import {
  CompiledQuery,
  MssqlIntrospector,
  MssqlQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import * as mssql from 'mssql';
import { PinnedLockMssqlAdapter } from './migrationLocks';

/**
 * A Kysely dialect that runs Kysely's T-SQL on the `mssql` package (Kysely's own MSSQL dialect talks
 * to tedious directly). Going through `mssql` gives its pool, and lets parameters be sent with
 * declared types: an untyped string goes as NVARCHAR and defeats indexes on legacy VARCHAR columns.
 */
export interface MssqlDriverDialectConfig {
  config: mssql.config;
  /** Send strings as VARCHAR instead of NVARCHAR (for non-Unicode legacy schemas). */
  varcharStrings: boolean;
}

/** The declared SQL Server type for one parameter value. Exported so tests can check the mapping. */
export function mssqlTypeFor(value: unknown, varcharStrings: boolean): mssql.ISqlType | (() => mssql.ISqlType) {
  if (value === null || value === undefined) return varcharStrings ? mssql.VarChar : mssql.NVarChar;
  if (typeof value === 'string') {
    const length = Math.max(value.length, 1);
    // A fixed "max" for long values keeps plan reuse; short strings get a sized type.
    return varcharStrings
      ? mssql.VarChar(length > 8000 ? mssql.MAX : 8000)
      : mssql.NVarChar(length > 4000 ? mssql.MAX : 4000);
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) <= 2_147_483_647 ? mssql.Int : mssql.Float;
  }
  if (typeof value === 'bigint') return mssql.BigInt;
  if (typeof value === 'boolean') return mssql.Bit;
  if (value instanceof Date) return mssql.DateTime2;
  if (Buffer.isBuffer(value)) return mssql.VarBinary(mssql.MAX);
  throw new TypeError(`unsupported SQL Server parameter type: ${typeof value}`);
}

class MssqlConnection implements DatabaseConnection {
  private transaction: mssql.Transaction | undefined;

  constructor(
    private readonly pool: mssql.ConnectionPool,
    private readonly varcharStrings: boolean,
  ) {}

  async beginTransaction(): Promise<void> {
    this.transaction = new mssql.Transaction(this.pool);
    await this.transaction.begin();
  }

  async commitTransaction(): Promise<void> {
    await this.transaction?.commit();
    this.transaction = undefined;
  }

  async rollbackTransaction(): Promise<void> {
    await this.transaction?.rollback();
    this.transaction = undefined;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const request = this.transaction ? new mssql.Request(this.transaction) : this.pool.request();
    // Kysely's T-SQL compiler numbers parameters @1, @2, ...
    compiledQuery.parameters.forEach((value, index) => {
      request.input(String(index + 1), mssqlTypeFor(value, this.varcharStrings), value);
    });
    const result = await request.query<R>(compiledQuery.sql);
    const affected = result.rowsAffected.reduce((sum, n) => sum + n, 0);
    return { rows: result.recordset ?? [], numAffectedRows: BigInt(affected) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by the mssql driver dialect');
  }
}

class MssqlDriver implements Driver {
  private pool: mssql.ConnectionPool | undefined;

  constructor(private readonly settings: MssqlDriverDialectConfig) {}

  async init(): Promise<void> {
    this.pool = new mssql.ConnectionPool(this.settings.config);
    await this.pool.connect();
  }

  /** The open pool (the migration lock pins one of its connections). */
  connectionPool(): mssql.ConnectionPool {
    if (!this.pool) throw new Error('mssql pool used before init');
    return this.pool;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.pool) throw new Error('mssql pool used before init');
    return new MssqlConnection(this.pool, this.settings.varcharStrings);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as MssqlConnection).beginTransaction();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as MssqlConnection).commitTransaction();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as MssqlConnection).rollbackTransaction();
  }

  async releaseConnection(): Promise<void> {
    // The mssql pool hands a connection to each request and takes it back itself.
  }

  async destroy(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

export class MssqlDriverDialect implements Dialect {
  private driver: MssqlDriver | undefined;

  constructor(private readonly settings: MssqlDriverDialectConfig) {}

  createDriver(): Driver {
    this.driver = new MssqlDriver(this.settings);
    return this.driver;
  }

  createQueryCompiler(): QueryCompiler {
    return new MssqlQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PinnedLockMssqlAdapter(async () => {
      if (!this.driver) throw new Error('mssql dialect adapter used before its driver');
      const transaction = new mssql.Transaction(this.driver.connectionPool());
      await transaction.begin();
      return {
        query: (text) => new mssql.Request(transaction).query(text),
        commit: () => transaction.commit(),
        rollback: () => transaction.rollback(),
      };
    });
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new MssqlIntrospector(db);
  }
}
