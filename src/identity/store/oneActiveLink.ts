/**
 * The database, not the code, keeps a record in at most one person: a unique key over the record's
 * active link. `identity_link` keeps earlier placements too (inactive rows, any number per record),
 * so the key covers active rows only:
 * - SQLite and SQL Server: a partial (filtered) unique index `where active = 1`;
 * - MySQL/MariaDB, which have no partial indexes: a stored generated column that is 1 for the
 *   active row and NULL otherwise, in a unique index (NULLs never collide in a MySQL unique index).
 * Two writers placing one record at once then cannot both commit: the second gets a duplicate-key
 * error (see writeConflicts.ts) instead of silently making a second person.
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from '../../../adapters/drivers/databaseUrl';

export const ONE_ACTIVE_LINK_INDEX = 'identity_link_one_active';
const ACTIVE_MARK_COLUMN = 'active_mark';

export async function indexExists(engine: Engine, db: Kysely<unknown>, table: string, index: string): Promise<boolean> {
  if (engine === 'sqlite') {
    const { rows } = await sql`select name from sqlite_master where type = 'index' and name = ${index}`.execute(db);
    return rows.length > 0;
  }
  if (engine === 'mysql') {
    const { rows } = await sql`select index_name from information_schema.statistics where table_schema = database() and table_name = ${table} and index_name = ${index}`.execute(db);
    return rows.length > 0;
  }
  const { rows } = await sql`select name from sys.indexes where object_id = object_id(${table}) and name = ${index}`.execute(db);
  return rows.length > 0;
}

async function columnExists(db: Kysely<unknown>, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return tables.some((t) => t.name.toLowerCase() === table && t.columns.some((c) => c.name.toLowerCase() === column));
}

/**
 * Adds the unique key to `identity_link` when it is missing (new stores and stores made before it).
 * Fails, changing nothing, on a store that already holds a record actively linked twice.
 */
export async function ensureOneActiveLinkPerRecord(engine: Engine, db: Kysely<unknown>): Promise<void> {
  if (await indexExists(engine, db, 'identity_link', ONE_ACTIVE_LINK_INDEX)) return;
  if (engine === 'mysql') {
    if (!(await columnExists(db, 'identity_link', ACTIVE_MARK_COLUMN))) {
      await sql`alter table identity_link add column active_mark smallint generated always as (case when active = 1 then 1 end) stored`.execute(db);
    }
    await db.schema.createIndex(ONE_ACTIVE_LINK_INDEX).unique().on('identity_link').columns(['source_system', 'source_id', ACTIVE_MARK_COLUMN]).execute();
    return;
  }
  await db.schema
    .createIndex(ONE_ACTIVE_LINK_INDEX)
    .unique()
    .on('identity_link')
    .columns(['source_system', 'source_id'])
    .where(sql.ref('active'), '=', sql.lit(1))
    .execute();
}
