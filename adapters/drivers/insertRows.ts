import { MssqlAdapter, MysqlAdapter, sql, type Kysely } from 'kysely';

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

/**
 * True when the table exists in the connection's own schema (the current database on MySQL, the
 * login's default schema on SQL Server): a table of that name in another schema does not count.
 * One catalogue row is looked up by name; Kysely's introspection would read every table and column.
 */
export async function tableExists<DB>(db: Kysely<DB>, table: string): Promise<boolean> {
  const adapter = db.getExecutor().adapter;
  const query =
    adapter instanceof MssqlAdapter
      ? sql<{ found: number }>`select 1 as found from sys.tables where name = ${table} and schema_id = schema_id()`
      : adapter instanceof MysqlAdapter
        ? sql<{ found: number }>`select 1 as found from information_schema.tables where table_schema = database() and lower(table_name) = lower(${table})`
        : sql<{ found: number }>`select 1 as found from sqlite_master where type = 'table' and lower(name) = lower(${table})`;
  const { rows } = await query.execute(db);
  return rows.length > 0;
}
