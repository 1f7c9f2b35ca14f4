import type { Kysely } from 'kysely';
import { columnTypes } from '../drivers/columnTypes';
import type { Engine } from '../drivers/databaseUrl';
import type { DmsTables } from './tables';

/** The tables in creation order (code tables first, so a reader sees the lookups before their users). */
export const DMS_TABLES = ['dm_doc_type', 'dm_user', 'dm_document'] as const satisfies ReadonlyArray<keyof DmsTables>;

/**
 * The DMS metadata schema, written once and compiled for SQLite, MySQL or SQL Server. Like the
 * production database it declares no foreign keys: `subject_ref` points into other systems, and
 * authors' accounts are deleted when they leave.
 */
export function dmsSchemaStatements(db: Kysely<DmsTables>, engine: Engine) {
  const t = columnTypes(engine);
  const schema = db.schema;
  return [
    schema
      .createTable('dm_doc_type')
      .addColumn('doc_type_cd', t.text(8), (c) => c.primaryKey())
      .addColumn('doc_type_desc', t.text(100), (c) => c.notNull())
      .addColumn('doc_group_cd', t.text(8), (c) => c.notNull()),
    schema
      .createTable('dm_user')
      .addColumn('user_login', t.text(40), (c) => c.primaryKey())
      .addColumn('display_name', t.text(100), (c) => c.notNull()),
    schema
      .createTable('dm_document')
      .addColumn('doc_id', t.int, (c) => c.primaryKey())
      .addColumn('doc_title', t.text(200), (c) => c.notNull())
      .addColumn('doc_type_cd', t.text(8), (c) => c.notNull())
      .addColumn('subject_system', t.char(2), (c) => c.notNull())
      .addColumn('subject_ref', t.text(40), (c) => c.notNull())
      .addColumn('security_class', t.text(20))
      .addColumn('created_ts', t.datetime, (c) => c.notNull())
      .addColumn('modified_ts', t.datetime, (c) => c.notNull())
      .addColumn('author_login', t.text(40))
      .addColumn('mime_type', t.text(100), (c) => c.notNull())
      .addColumn('byte_size', t.int, (c) => c.notNull())
      .addColumn('storage_path', t.text(255), (c) => c.notNull())
      .addColumn('purged', t.char(1), (c) => c.notNull().defaultTo('0')),
    // Every read by subject filters on both columns; the system code first keeps the index selective per system.
    schema.createIndex('ix_dm_document_subject').on('dm_document').columns(['subject_system', 'subject_ref']),
  ];
}
