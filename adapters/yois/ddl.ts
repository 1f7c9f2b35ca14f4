import { sql, type Expression, type Kysely } from 'kysely';
import { columnTypes } from '../drivers/columnTypes';
import type { Engine } from '../drivers/databaseUrl';
import type { YoisTables } from './tables';

/** The tables in creation (and insert) order: code tables first, then people, then what hangs off them. */
export const YOIS_TABLES = [
  'LU_ETHNICITY',
  'LU_OFFENCE',
  'LU_OUTCOME_TYPE',
  'LU_REQUIREMENT',
  'YP_PERSON',
  'YP_OFFENCE',
  'YP_OUTCOME',
  'YP_ORDER',
  'YP_ORDER_REQUIREMENT',
  'YP_APPOINTMENT',
  'YP_BREACH_WARNING',
  'YP_ORDER_NOTE',
  'YP_CASE_ALLOCATION',
] as const satisfies ReadonlyArray<keyof YoisTables>;

/**
 * YOIS text columns are non-Unicode VARCHAR on SQL Server (unlike the shared `columnTypes.text`, which
 * is NVARCHAR): the legacy schema predates Unicode support, so it holds Windows-1252 letters only.
 * The seed writes only what such a column can hold (see `legacyUpperCase`), so the same rows load on
 * every engine; SQLite and MySQL (utf8mb4) store the same text as usual.
 */
const varchar = (length: number): Expression<unknown> => sql.raw(`varchar(${length})`);

/**
 * The YOIS legacy schema, written once and compiled for SQLite, MySQL or SQL Server. It mirrors the
 * production database: no foreign keys were ever declared there, and the adapter does not rely on them.
 */
export function yoisSchemaStatements(db: Kysely<YoisTables>, engine: Engine) {
  const t = columnTypes(engine);
  const schema = db.schema;
  const flag = t.char(1);
  const compactDate = t.char(8);
  return [
    schema
      .createTable('LU_ETHNICITY')
      .addColumn('ETHNICITY_CODE', varchar(2), (c) => c.primaryKey())
      .addColumn('DESCRIPTION', varchar(60), (c) => c.notNull()),
    schema
      .createTable('LU_OFFENCE')
      .addColumn('OFFENCE_CODE', varchar(6), (c) => c.primaryKey())
      .addColumn('DESCRIPTION', varchar(100), (c) => c.notNull())
      .addColumn('CATEGORY', varchar(50), (c) => c.notNull())
      .addColumn('GRAVITY_SCORE', t.smallint, (c) => c.notNull()),
    schema
      .createTable('LU_OUTCOME_TYPE')
      .addColumn('OUTCOME_TYPE_CODE', varchar(4), (c) => c.primaryKey())
      .addColumn('DESCRIPTION', varchar(60), (c) => c.notNull())
      .addColumn('COURT_FLAG', flag, (c) => c.notNull()),
    schema
      .createTable('LU_REQUIREMENT')
      .addColumn('REQUIREMENT_CODE', varchar(4), (c) => c.primaryKey())
      .addColumn('DESCRIPTION', varchar(60), (c) => c.notNull()),
    schema
      .createTable('YP_PERSON')
      .addColumn('PERSON_ID', t.int, (c) => c.primaryKey())
      .addColumn('FORENAME', varchar(50), (c) => c.notNull())
      .addColumn('SURNAME', varchar(50), (c) => c.notNull())
      .addColumn('KNOWN_AS', varchar(50))
      .addColumn('DOB', compactDate)
      .addColumn('SEX', flag, (c) => c.notNull())
      .addColumn('ETHNICITY_CODE', varchar(2))
      .addColumn('ADDRESS_LINE1', varchar(100))
      .addColumn('POSTCODE', varchar(10))
      .addColumn('PNC_NUMBER', varchar(15))
      .addColumn('UPN', varchar(13))
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N')))
      .addColumn('CREATED_DATE', t.datetime, (c) => c.notNull()),
    schema.createIndex('IX_YP_PERSON_SURNAME').on('YP_PERSON').column('SURNAME'),
    schema.createIndex('IX_YP_PERSON_FORENAME').on('YP_PERSON').column('FORENAME'),
    schema.createIndex('IX_YP_PERSON_DOB').on('YP_PERSON').column('DOB'),
    schema.createIndex('IX_YP_PERSON_PNC_NUMBER').on('YP_PERSON').column('PNC_NUMBER'),
    schema
      .createTable('YP_OFFENCE')
      .addColumn('OFFENCE_ID', t.int, (c) => c.primaryKey())
      .addColumn('PERSON_ID', t.int, (c) => c.notNull())
      .addColumn('OFFENCE_CODE', varchar(6), (c) => c.notNull())
      .addColumn('OFFENCE_DATE', compactDate, (c) => c.notNull())
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N')))
      .addColumn('CREATED_DATE', t.datetime, (c) => c.notNull()),
    schema.createIndex('IX_YP_OFFENCE_PERSON_ID').on('YP_OFFENCE').column('PERSON_ID'),
    schema
      .createTable('YP_OUTCOME')
      .addColumn('OUTCOME_ID', t.int, (c) => c.primaryKey())
      .addColumn('OFFENCE_ID', t.int, (c) => c.notNull())
      .addColumn('OUTCOME_TYPE_CODE', varchar(4), (c) => c.notNull())
      .addColumn('OUTCOME_DATE', compactDate, (c) => c.notNull())
      .addColumn('COURT_NAME', varchar(100))
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N'))),
    schema.createIndex('IX_YP_OUTCOME_OFFENCE_ID').on('YP_OUTCOME').column('OFFENCE_ID'),
    schema
      .createTable('YP_ORDER')
      .addColumn('ORDER_ID', t.int, (c) => c.primaryKey())
      .addColumn('PERSON_ID', t.int, (c) => c.notNull())
      .addColumn('OUTCOME_ID', t.int, (c) => c.notNull())
      .addColumn('ORDER_TYPE_CODE', varchar(4), (c) => c.notNull())
      .addColumn('ORDER_START', compactDate, (c) => c.notNull())
      .addColumn('ORDER_END', compactDate, (c) => c.notNull())
      .addColumn('ORDER_STATUS', flag, (c) => c.notNull())
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N')))
      .addColumn('CREATED_DATE', t.datetime, (c) => c.notNull()),
    schema.createIndex('IX_YP_ORDER_PERSON_ID').on('YP_ORDER').column('PERSON_ID'),
    schema
      .createTable('YP_ORDER_REQUIREMENT')
      .addColumn('ORDER_REQUIREMENT_ID', t.int, (c) => c.primaryKey())
      .addColumn('ORDER_ID', t.int, (c) => c.notNull())
      .addColumn('REQUIREMENT_CODE', varchar(4), (c) => c.notNull())
      .addColumn('DETAIL', varchar(100))
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N'))),
    schema.createIndex('IX_YP_ORDER_REQUIREMENT_ORDER_ID').on('YP_ORDER_REQUIREMENT').column('ORDER_ID'),
    schema
      .createTable('YP_APPOINTMENT')
      .addColumn('APPOINTMENT_ID', t.int, (c) => c.primaryKey())
      .addColumn('ORDER_ID', t.int, (c) => c.notNull())
      .addColumn('APPT_DATETIME', t.datetime, (c) => c.notNull())
      .addColumn('APPT_TYPE', varchar(4), (c) => c.notNull())
      .addColumn('ATTENDED_FLAG', flag, (c) => c.notNull())
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N'))),
    schema.createIndex('IX_YP_APPOINTMENT_ORDER_ID').on('YP_APPOINTMENT').column('ORDER_ID'),
    schema
      .createTable('YP_BREACH_WARNING')
      .addColumn('WARNING_ID', t.int, (c) => c.primaryKey())
      .addColumn('ORDER_ID', t.int, (c) => c.notNull())
      .addColumn('ISSUED_DATE', t.datetime, (c) => c.notNull())
      .addColumn('STRIKE_NO', t.smallint, (c) => c.notNull())
      .addColumn('REASON', varchar(200), (c) => c.notNull())
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N'))),
    schema.createIndex('IX_YP_BREACH_WARNING_ORDER_ID').on('YP_BREACH_WARNING').column('ORDER_ID'),
    schema
      .createTable('YP_ORDER_NOTE')
      .addColumn('NOTE_ID', t.int, (c) => c.primaryKey())
      .addColumn('ORDER_ID', t.int, (c) => c.notNull())
      .addColumn('NOTE_DATE', compactDate, (c) => c.notNull())
      .addColumn('NOTE_TYPE', t.char(3), (c) => c.notNull())
      .addColumn('NOTE_TEXT', varchar(2000), (c) => c.notNull())
      .addColumn('WORKER_NAME', varchar(100))
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N')))
      .addColumn('CREATED_DATE', t.datetime, (c) => c.notNull()),
    schema.createIndex('IX_YP_ORDER_NOTE_ORDER_ID').on('YP_ORDER_NOTE').column('ORDER_ID'),
    schema
      .createTable('YP_CASE_ALLOCATION')
      .addColumn('ALLOCATION_ID', t.int, (c) => c.primaryKey())
      .addColumn('PERSON_ID', t.int, (c) => c.notNull())
      .addColumn('UNIT_CODE', varchar(4), (c) => c.notNull())
      .addColumn('WORKER_NAME', varchar(100))
      .addColumn('ALLOC_START', t.datetime, (c) => c.notNull())
      .addColumn('ALLOC_END', t.datetime)
      .addColumn('DELETED_FLAG', flag, (c) => c.notNull().defaultTo(sql.lit('N'))),
    schema.createIndex('IX_YP_CASE_ALLOCATION_PERSON_ID').on('YP_CASE_ALLOCATION').column('PERSON_ID'),
  ];
}
