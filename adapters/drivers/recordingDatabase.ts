/**
 * Compiles and records statements without a server, for checking the SQL each engine is sent.
 *
 * A recording database is a `Database<DB>` look-alike: its Kysely instance runs the engine's own query
 * compiler (Kysely's `MssqlQueryCompiler` by default, the one the production `MssqlDriverDialect` uses; or
 * the MySQL or SQLite compiler) over a driver that connects to nothing. Each statement executed is
 * compiled exactly as production would compile it, appended to `statements` as `{ sql, parameters }`,
 * counted in `stats`, and answered with the rows `rows` gives for it (none unless configured).
 * Transactions begin and end without a statement being recorded.
 */
import {
  Kysely,
  MssqlIntrospector,
  MssqlQueryCompiler,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import type { Database, StatementStats } from './createDatabase';
import { PinnedLockMssqlAdapter } from './migrationLocks';
import type { DatabaseLocation, Engine } from './databaseUrl';

/** One statement as the engine would have been sent it: the compiled SQL and its parameter values. */
export interface RecordedStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

export interface RecordingOptions {
  /** Whose SQL to compile; SQL Server unless said. */
  engine?: Engine;
  /** The database name the location reports (nothing is connected to); `recording` unless said. */
  database?: string;
  /** The rows answering each statement; none unless given. */
  rows?: (statement: RecordedStatement) => readonly object[];
  /** How many rows an INSERT/UPDATE/DELETE reports changed; none unless given (so a guarded update looks lost). */
  affectedRows?: (statement: RecordedStatement) => number;
}

/** A `Database<DB>` that only compiles and records: every statement it was sent, in order, is in `statements`. */
export interface RecordingDatabase<DB> extends Database<DB> {
  readonly statements: RecordedStatement[];
}

type RowsFor = NonNullable<RecordingOptions['rows']>;
type AffectedFor = NonNullable<RecordingOptions['affectedRows']>;

/**
 * Every statement any recording database compiled for SQL Server in this process (a test file),
 * so a check after the tests can parse each with a T-SQL grammar (test/support/tsqlGrammarCheck.ts).
 */
export const recordedMssqlStatements: RecordedStatement[] = [];

const noRows: RowsFor = () => [];
const noneAffected: AffectedFor = () => 0;

class RecordingConnection implements DatabaseConnection {
  constructor(
    private readonly statements: RecordedStatement[],
    private readonly stats: StatementStats,
    private readonly rows: RowsFor,
    private readonly affected: AffectedFor,
    private readonly everyMssqlStatement: RecordedStatement[] | null,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement: RecordedStatement = { sql: compiled.sql, parameters: [...compiled.parameters] };
    this.statements.push(statement);
    this.everyMssqlStatement?.push(statement);
    this.stats.statements += 1;
    const changed = this.affected(statement);
    return { rows: [...this.rows(statement)] as R[], ...(changed > 0 ? { numAffectedRows: BigInt(changed) } : {}) };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the recording driver does not stream');
  }
}

class RecordingDriver implements Driver {
  constructor(private readonly connection: RecordingConnection) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/** Each engine's compiler, adapter and introspector: the classes its production dialect uses. */
const ENGINE_PARTS: Record<
  Engine,
  {
    compiler: () => QueryCompiler;
    adapter: (record: (statement: RecordedStatement) => void) => DialectAdapter;
    introspector: (db: Kysely<unknown>) => DatabaseIntrospector;
  }
> = {
  mssql: {
    compiler: () => new MssqlQueryCompiler(),
    // The migration lock's own transaction is recorded like any statement.
    adapter: (record) =>
      new PinnedLockMssqlAdapter(async () => ({
        query: async (sql) => record({ sql, parameters: [] }),
        commit: async () => {},
        rollback: async () => {},
      })),
    introspector: (db) => new MssqlIntrospector(db),
  },
  mysql: { compiler: () => new MysqlQueryCompiler(), adapter: () => new MysqlAdapter(), introspector: (db) => new MysqlIntrospector(db) },
  sqlite: { compiler: () => new SqliteQueryCompiler(), adapter: () => new SqliteAdapter(), introspector: (db) => new SqliteIntrospector(db) },
};

/**
 * The dialect behind a recording database: `engine`'s compiler and adapter over a driver that appends
 * each compiled statement to `statements` (and counts it in `stats`) instead of sending it.
 */
export function recordingDialect(
  statements: RecordedStatement[],
  options: RecordingOptions = {},
  stats: StatementStats = { statements: 0 },
): Dialect {
  const engine = options.engine ?? 'mssql';
  const parts = ENGINE_PARTS[engine];
  const connection = new RecordingConnection(statements, stats, options.rows ?? noRows, options.affectedRows ?? noneAffected, engine === 'mssql' ? recordedMssqlStatements : null);
  return {
    createDriver: () => new RecordingDriver(connection),
    createQueryCompiler: parts.compiler,
    createAdapter: () =>
      parts.adapter((statement) => {
        statements.push(statement);
        if (engine === 'mssql') recordedMssqlStatements.push(statement);
        stats.statements += 1;
      }),
    createIntrospector: parts.introspector,
  };
}

function recordingLocation(engine: Engine, database: string): DatabaseLocation {
  switch (engine) {
    case 'sqlite':
      return { engine, file: database };
    case 'mysql':
      return { engine, url: `mysql://recording.invalid/${encodeURIComponent(database)}`, database };
    case 'mssql':
      return { engine, server: 'recording.invalid', port: 1433, database, user: '', password: '', encrypt: true, trustServerCertificate: false };
  }
}

/** Opens a recording database: SQL Server's compiler unless `options.engine` names another, and no rows unless `options.rows` gives some. */
export function createRecordingDatabase<DB>(options: RecordingOptions = {}): RecordingDatabase<DB> {
  const engine = options.engine ?? 'mssql';
  const statements: RecordedStatement[] = [];
  const stats: StatementStats = { statements: 0 };
  const db = new Kysely<DB>({ dialect: recordingDialect(statements, options, stats) });
  return {
    engine,
    location: recordingLocation(engine, options.database ?? 'recording'),
    db,
    stats,
    statements,
    poolUsage: () => null,
    async ping() {},
    async close() {
      await db.destroy();
    },
  };
}
