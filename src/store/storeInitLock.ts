import { sql } from 'kysely';
import type { Database } from '../../adapters/drivers/createDatabase';
import { acquireSqliteFileLock, isSharedSqliteFile } from '../../adapters/drivers/sqliteFileLock';

/** The name of the server-side lock replicas take while they install the first policy and run the first match. */
const LOCK_NAME = 'youth_gateway_store_init';
const LOCK_TIMEOUT_SECONDS = 300;

/**
 * Runs `work` while holding a lock on the gateway store that every replica takes at start, so two
 * gateways starting together do not both install the first policy or both run the first full
 * match. (Tables are not created here: that is the migrations' job, under the Migrator's own lock.)
 *
 * - MariaDB/MySQL: `GET_LOCK` on one pinned connection while `work` uses the others.
 * - SQL Server: `sp_getapplock` owned by a transaction that holds one pooled connection while
 *   `work` uses the others; COMMIT releases it, and so does the connection dropping. (A session-owned
 *   lock would not do: the `mssql` pool may run the release on another session than the lock.)
 * - SQLite: a lock file beside the store, so several processes on one store file take turns too.
 */
export async function withStoreInitLock<DB, T>(database: Pick<Database<DB>, 'engine' | 'db' | 'location'>, work: () => Promise<T>): Promise<T> {
  const { location, db } = database;
  switch (location.engine) {
    case 'sqlite': {
      if (!isSharedSqliteFile(location.file)) return work();
      const release = await acquireSqliteFileLock(location.file, LOCK_TIMEOUT_SECONDS * 1000);
      try {
        return await work();
      } finally {
        release();
      }
    }
    case 'mysql':
      return db.connection().execute(async (connection) => {
        // One second per try: each wait stays inside the pool's statement timeout (3 s by default).
        const deadline = Date.now() + LOCK_TIMEOUT_SECONDS * 1000;
        for (;;) {
          const { rows } = await sql<{ got: number | null }>`select get_lock(${LOCK_NAME}, 1) as got`.execute(connection);
          if (Number(rows[0]?.got) === 1) break;
          if (Date.now() > deadline) throw new Error(`could not take the store initialisation lock within ${LOCK_TIMEOUT_SECONDS} s`);
        }
        try {
          return await work();
        } finally {
          await sql`select release_lock(${LOCK_NAME})`.execute(connection);
        }
      });
    case 'mssql':
      return db.transaction().execute(async (trx) => {
        // One second per try, as on MySQL; a lock request that times out leaves the transaction usable.
        const deadline = Date.now() + LOCK_TIMEOUT_SECONDS * 1000;
        for (;;) {
          const { rows } = await sql<{ got: number }>`declare @got int; exec @got = sp_getapplock @Resource = ${LOCK_NAME}, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 1000; select @got as got`.execute(trx);
          if (Number(rows[0]?.got) >= 0) break;
          if (Date.now() > deadline) throw new Error(`could not take the store initialisation lock within ${LOCK_TIMEOUT_SECONDS} s`);
        }
        return work();
      });
  }
}
