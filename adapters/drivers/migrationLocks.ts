import { MssqlAdapter, SqliteAdapter, SqliteDialect, type DialectAdapter, type Kysely, type MigrationLockOptions, type SqliteDialectConfig } from 'kysely';
import { acquireSqliteFileLock, isSharedSqliteFile } from './sqliteFileLock';

/** How long a replica waits for another to finish migrating before it gives up and fails to start. */
export const MIGRATION_LOCK_TIMEOUT_MS = 300_000;

/**
 * Kysely's SQLite adapter takes no migration lock ("SQLite only has one connection"), which holds
 * within one process but not for two gateways on one store file: both read "nothing migrated" and
 * both create the same tables. This one holds a file lock beside the store for the whole run.
 */
class FileLockingSqliteAdapter extends SqliteAdapter {
  private release: (() => void) | undefined;

  constructor(private readonly file: string) {
    super();
  }

  override async acquireMigrationLock(_db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    if (isSharedSqliteFile(this.file)) this.release = await acquireSqliteFileLock(this.file, MIGRATION_LOCK_TIMEOUT_MS);
  }

  override async releaseMigrationLock(_db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    this.release?.();
    this.release = undefined;
  }
}

/** Kysely's SQLite dialect whose migrations lock the store file against other processes. */
export class SqliteStoreDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly file: string,
  ) {
    super(config);
  }

  override createAdapter(): DialectAdapter {
    return new FileLockingSqliteAdapter(this.file);
  }
}

/** The T-SQL that takes the migration lock: owned by a transaction, so COMMIT (or a dropped connection) releases it. */
export const MSSQL_MIGRATION_LOCK_SQL =
  `declare @result int; ` +
  `exec @result = sp_getapplock @Resource = N'kysely_migration', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = ${MIGRATION_LOCK_TIMEOUT_MS}; ` +
  `if @result < 0 throw 51002, N'could not take the migration lock', 1;`;

/** A transaction on one pinned SQL Server connection, holding nothing but the migration lock. */
export interface LockTransaction {
  query(sql: string): Promise<unknown>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * Kysely's SQL Server adapter takes a session-owned `sp_getapplock` on the connection the Migrator
 * runs on and releases it there. That assumes one Kysely connection is one server session; through
 * the `mssql` package's pool (MssqlDriverDialect) each statement may run on another pooled session,
 * so the release could miss the session holding the lock and leave it held. This adapter takes the
 * lock in a transaction of its own, on one pinned pooled connection, and commits it to release.
 */
export class PinnedLockMssqlAdapter extends MssqlAdapter {
  private held: LockTransaction | undefined;

  constructor(private readonly beginLockTransaction: () => Promise<LockTransaction>) {
    super();
  }

  override async acquireMigrationLock(_db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    const transaction = await this.beginLockTransaction();
    try {
      await transaction.query(MSSQL_MIGRATION_LOCK_SQL);
    } catch (error) {
      await transaction.rollback().catch(() => undefined);
      throw error;
    }
    this.held = transaction;
  }

  override async releaseMigrationLock(_db: Kysely<unknown>, _options: MigrationLockOptions): Promise<void> {
    const transaction = this.held;
    this.held = undefined;
    await transaction?.commit();
  }
}
