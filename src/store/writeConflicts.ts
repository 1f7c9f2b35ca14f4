/**
 * Telling a lost race from a fault. Two writers placing one record at once (two requests in one
 * process, two replicas on one store) meet in the database: the unique key that allows one active
 * link per record, a deadlock, or SQLite's single writer. The loser's transaction rolled back and
 * changed nothing, so a match run may simply run again on the state the winner left, and a
 * person's decision may be refused with "look again" rather than an INTERNAL_SERVER_ERROR.
 */

/** Thrown inside a transaction that found the store changed under it (an update hit fewer rows than it read). */
export class WriteConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteConflict';
  }
}

/** Driver error codes meaning "another writer got there first; nothing of this transaction was kept". */
const SQLITE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);
const MYSQL_ERRNOS = new Set([1062 /* duplicate key */, 1213 /* deadlock */, 1205 /* lock wait timeout */]);
const MSSQL_NUMBERS = new Set([2601 /* duplicate key in unique index */, 2627 /* unique constraint */, 1205 /* deadlock victim */]);

/** True for a write that lost a race with another writer (on SQLite, MySQL/MariaDB or SQL Server). */
export function isWriteConflict(error: unknown): boolean {
  if (error instanceof WriteConflict) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno, number } = error as { code?: unknown; errno?: unknown; number?: unknown };
  if (typeof code === 'string' && SQLITE_CODES.has(code)) return true;
  if (typeof errno === 'number' && MYSQL_ERRNOS.has(errno)) return true;
  return typeof number === 'number' && MSSQL_NUMBERS.has(number);
}

/**
 * Runs `attempt` (one whole transaction) again after a lost race, with a short random pause so
 * racers spread out, up to `attempts` times; any other error, or the last conflict, is thrown.
 */
export async function retryOnWriteConflict<T>(attempt: () => Promise<T>, attempts = 8): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isWriteConflict(error) || tried >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * tried));
    }
  }
}
