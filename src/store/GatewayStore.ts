import { createDatabase, type Database, type PoolOptions } from '../../adapters/drivers/createDatabase';
import { MIGRATION_LOCK_TIMEOUT_MS } from '../../adapters/drivers/migrationLocks';
import { isSharedSqliteFile } from '../../adapters/drivers/sqliteFileLock';
import { ensureAppendOnly } from './appendOnlyTable';
import { migrateGatewayStore } from './migrateGatewayStore';
import { withStoreInitLock } from './storeInitLock';

/** The gateway's own metadata table; identity links, policy versions, break-glass, audit and referrals add theirs. */
export interface GatewayTables {
  gateway_meta: { meta_key: string; meta_value: string; updated_at: string };
}

/** The gateway store: its own database (SQLite by default, MariaDB or SQL Server by URL). */
export interface GatewayStore {
  readonly database: Database<GatewayTables>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The tables whose rows can never be changed or deleted (audit, referral history, policy, break-glass and worker allocation records). */
export const APPEND_ONLY_TABLES = [
  'audit_event',
  'audit_event_person',
  'referral_step',
  'referral_allocation',
  'referral_person',
  'panel_allocation',
  'policy_version',
  'policy_decision',
  'break_glass_grant',
  'break_glass_review',
  'break_glass_closure',
  'worker_allocation',
  'worker_allocation_end',
] as const;

/**
 * Opens the store and brings its schema to the latest migration (src/store/migrations). Then puts
 * back any append-only trigger someone dropped: the trigger statements are idempotent and cheap,
 * and a missing one would let history be rewritten silently until the next audit verification.
 */
export async function openGatewayStore(url: string, pool?: Partial<PoolOptions>): Promise<GatewayStore> {
  const database = createDatabase<GatewayTables>(url, { pool });
  try {
    // Waiting for another replica's migration, or a slow DDL statement, is not a stuck request:
    // migrations run on a connection of their own without the gateway's short statement timeout.
    const separate = database.location.engine !== 'sqlite' || isSharedSqliteFile(database.location.file);
    const migrating = separate
      ? createDatabase<GatewayTables>(url, { pool: { ...pool, maxConnections: 2, statementTimeoutMs: MIGRATION_LOCK_TIMEOUT_MS + 30_000 } })
      : database;
    try {
      await migrateGatewayStore(migrating);
      await withStoreInitLock(migrating, async () => {
        for (const table of APPEND_ONLY_TABLES) await ensureAppendOnly(migrating, table);
      });
    } finally {
      if (migrating !== database) await migrating.close();
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, ping: () => database.ping(), close: () => database.close() };
}
