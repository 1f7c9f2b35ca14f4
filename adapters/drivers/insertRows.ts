import type { Kysely } from 'kysely';

/** SQL Server accepts at most 2,100 parameters per request; staying under it works on every engine. */
export const MAX_PARAMETERS_PER_STATEMENT = 2_000;

/** SQL Server accepts at most 1,000 rows in one INSERT ... VALUES. */
const MAX_ROWS_PER_INSERT = 1_000;

/** Splits keys into chunks small enough for one `IN (...)` list on any engine. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Inserts rows in multi-row statements that respect the parameter limit. */
export async function insertRows(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table of any database; rows are typed by the caller
  db: Kysely<any>,
  table: string,
  rows: ReadonlyArray<object>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).length;
  const perStatement = Math.min(MAX_ROWS_PER_INSERT, Math.max(1, Math.floor(MAX_PARAMETERS_PER_STATEMENT / columns)));
  for (const part of chunk(rows, perStatement)) {
    await db.insertInto(table).values(part).execute();
  }
}

/** True when the table exists; used to seed a database only when it is absent. */
export async function tableExists<DB>(db: Kysely<DB>, table: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name.toLowerCase() === table.toLowerCase());
}
