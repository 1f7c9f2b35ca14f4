import SqliteDatabase from 'better-sqlite3';

/** How often a waiting process tries again for a lock another process holds. */
const RETRY_MS = 50;

/**
 * A lock across processes for one SQLite database file, for the steps that must not run twice at
 * once when several gateways share one store file (migrations, the first policy and match).
 *
 * SQLite has no named locks, and the store's own connection cannot hold a write transaction while
 * the same process keeps writing through it, so the lock is a second, empty SQLite file beside the
 * store (`<store>.lock`) held in an EXCLUSIVE transaction. The operating system drops the file lock
 * when the holder exits, so a crashed process never leaves a stale lock. Waiting is by polling
 * (never the synchronous busy handler), so a waiting process's event loop keeps running.
 */
export async function acquireSqliteFileLock(storeFile: string, timeoutMs: number): Promise<() => void> {
  const lock = new SqliteDatabase(`${storeFile}.lock`, { timeout: 0 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      lock.exec('BEGIN EXCLUSIVE');
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) {
        lock.close();
        if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new Error(`could not take the lock on ${storeFile} within ${timeoutMs} ms`);
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    lock.exec('COMMIT');
    lock.close();
  };
}

/** True for a SQLite location that is a file other processes could open (not `:memory:`). */
export const isSharedSqliteFile = (file: string): boolean => file !== ':memory:' && !file.startsWith('file::memory:');
