import { Migrator, type MigrationResult } from 'kysely';
import type { Database } from '../../adapters/drivers/createDatabase';
import { gatewayStoreMigrations } from './migrations';

/** A migration that failed: the store is left as the migrations before it made it. */
export class StoreMigrationFailed extends Error {
  constructor(
    readonly migration: string | undefined,
    cause: unknown,
  ) {
    super(`gateway store migration ${migration ?? '(before any migration ran)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreMigrationFailed';
  }
}

/**
 * Brings the store up to the latest migration with Kysely's Migrator. Replicas starting together
 * take turns: the Migrator holds a lock across processes while it reads what ran and runs the rest
 * (GET_LOCK on MariaDB/MySQL; on SQL Server an sp_getapplock owned by a transaction on one pinned
 * connection; on SQLite a lock file beside the store, see adapters/drivers/migrationLocks.ts). The
 * second replica then finds every migration recorded and runs none.
 */
export async function migrateGatewayStore<DB>(database: Pick<Database<DB>, 'engine' | 'db'>): Promise<MigrationResult[]> {
  const migrator = new Migrator({ db: database.db, provider: gatewayStoreMigrations(database.engine) });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) throw new StoreMigrationFailed(results.find((result) => result.status === 'Error')?.migrationName, error);
  return results;
}
