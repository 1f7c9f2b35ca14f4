import { sql, type Kysely } from 'kysely';
import { WriteRejected, type SourceSystem } from '../types';

/**
 * What every adapter's writes share: legacy tables with integer keys and no identity column (each
 * system's own screens took the next number), one transaction per write, and a retry when two
 * writers took the same number at once.
 */

/** The next integer key of `table`: one above the highest taken. Run inside the write's transaction. */
export async function nextIntegerId(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any legacy table; the caller names a real one
  trx: Kysely<any>,
  table: string,
  column: string,
): Promise<number> {
  const row = await trx
    .selectFrom(table)
    .select(sql<number | string | null>`max(${sql.ref(column)})`.as('highest'))
    .executeTakeFirst();
  return Number(row?.highest ?? 0) + 1;
}

/** A duplicate key on insert, on any engine: SQLite, MySQL/MariaDB (1062) or SQL Server (2627, 2601). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown; number?: unknown; originalError?: { info?: { number?: unknown } } } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && (e.code.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY') || e.code.startsWith('SQLITE_CONSTRAINT_UNIQUE'))) return true;
  if (e.code === 'ER_DUP_ENTRY' || e.errno === 1062) return true;
  const number = e.number ?? e.originalError?.info?.number;
  return number === 2627 || number === 2601;
}

const ATTEMPTS = 5;

/**
 * Runs a write that takes new integer keys, again when a concurrent writer took the same key first
 * (the whole transaction rolled back, so nothing is half written). Any other failure is thrown as is.
 */
export async function withFreshKeys<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= ATTEMPTS || !isUniqueViolation(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 20 * attempt)));
    }
  }
}

/** An ISO instant as the `YYYY-MM-DD HH:MM:SS` text legacy DATETIME columns take on every engine (UTC). */
export function legacyDateTime(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * `code` as its code table stores it, or WriteRejected naming the input `field` and the codes allowed.
 * Code tables are small (a few dozen rows), so they are read whole inside the write's transaction.
 */
export function requireCode(source: SourceSystem, codes: readonly string[], code: string, field: string): string {
  const known = codes.map((c) => c.trim());
  const wanted = code.trim().toUpperCase();
  if (!known.includes(wanted)) {
    throw new WriteRejected(source, field, `${field} "${code.slice(0, 20)}" is not a ${source} code; use one of ${[...known].sort().join(', ')}`, 'UNKNOWN_CODE');
  }
  return wanted;
}
