import { sql, type Kysely } from 'kysely';
import type { Engine } from '../../adapters/drivers/databaseUrl';

/** The name of the server-side lock replicas take while they create tables and run the first match. */
const LOCK_NAME = 'youth_gateway_store_init';
const LOCK_TIMEOUT_SECONDS = 300;

/**
 * Runs `work` while holding a lock on the gateway store that every replica takes at start, so two
 * gateways starting together on an empty store do not both create the same table ("Table ...
 * already exists") or both run the first full match. MySQL/MariaDB `GET_LOCK` and SQL Server
 * `sp_getapplock` (session locks, held by one pooled connection while `work` uses the others);
 * SQLite is one process's store and needs none. This is not a migration system: it only orders
 * the idempotent "create if missing" steps the gateway already runs at every start.
 */
export async function withStoreInitLock<DB, T>(database: { engine: Engine; db: Kysely<DB> }, work: () => Promise<T>): Promise<T> {
  if (database.engine === 'sqlite') return work();
  return database.db.connection().execute(async (connection) => {
    if (database.engine === 'mysql') {
      const { rows } = await sql<{ got: number | null }>`select get_lock(${LOCK_NAME}, ${LOCK_TIMEOUT_SECONDS}) as got`.execute(connection);
      if (Number(rows[0]?.got) !== 1) throw new Error(`could not take the store initialisation lock within ${LOCK_TIMEOUT_SECONDS} s`);
      try {
        return await work();
      } finally {
        await sql`select release_lock(${LOCK_NAME})`.execute(connection);
      }
    }
    const { rows } = await sql<{ got: number }>`declare @got int; exec @got = sp_getapplock @Resource = ${LOCK_NAME}, @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = ${LOCK_TIMEOUT_SECONDS * 1000}; select @got as got`.execute(connection);
    if (Number(rows[0]?.got) < 0) throw new Error(`could not take the store initialisation lock within ${LOCK_TIMEOUT_SECONDS} s`);
    try {
      return await work();
    } finally {
      await sql`exec sp_releaseapplock @Resource = ${LOCK_NAME}, @LockOwner = 'Session'`.execute(connection);
    }
  });
}
