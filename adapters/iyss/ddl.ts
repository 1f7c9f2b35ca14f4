import type { Kysely } from 'kysely';
import { columnTypes } from '../drivers/columnTypes';
import type { Engine } from '../drivers/databaseUrl';
import type { IyssTables } from './tables';

/** The tables in creation order (code tables first, so a reader sees the lookups before their users). */
export const IYSS_TABLES = [
  'tlkpEthnicity',
  'tlkpActivityType',
  'tlkpContactType',
  'tlkpNeetStatus',
  'tblYoungPerson',
  'tblGroupSession',
  'tblAttendance',
  'tblContact',
  'tblEducationStatus',
] as const satisfies ReadonlyArray<keyof IyssTables>;

/**
 * The IYSS legacy schema, written once and compiled for SQLite, MySQL or SQL Server. It mirrors the
 * production database (no foreign keys were ever declared there; the adapter does not rely on them).
 */
export function iyssSchemaStatements(db: Kysely<IyssTables>, engine: Engine) {
  const t = columnTypes(engine);
  const schema = db.schema;
  const lookup = (table: 'tlkpEthnicity' | 'tlkpActivityType' | 'tlkpContactType', code: string) =>
    schema
      .createTable(table)
      .addColumn(code, t.text(4), (c) => c.primaryKey())
      .addColumn('Description', t.text(100), (c) => c.notNull());
  return [
    lookup('tlkpEthnicity', 'EthnicityCode'),
    lookup('tlkpActivityType', 'ActivityTypeCode'),
    lookup('tlkpContactType', 'ContactTypeCode'),
    schema
      .createTable('tlkpNeetStatus')
      .addColumn('NeetCode', t.text(4), (c) => c.primaryKey())
      .addColumn('Description', t.text(100), (c) => c.notNull())
      .addColumn('IsNEET', t.smallint, (c) => c.notNull()),
    schema
      .createTable('tblYoungPerson')
      .addColumn('YoungPersonID', t.int, (c) => c.primaryKey())
      .addColumn('Forename', t.text(50), (c) => c.notNull())
      .addColumn('Surname', t.text(50), (c) => c.notNull())
      .addColumn('KnownAs', t.text(50))
      .addColumn('DOB', t.text(10))
      .addColumn('Sex', t.char(1), (c) => c.notNull())
      .addColumn('EthnicityCode', t.text(4))
      .addColumn('AddressLine1', t.text(100))
      .addColumn('Postcode', t.text(10))
      .addColumn('UPN', t.text(13))
      .addColumn('IsDeleted', t.smallint, (c) => c.notNull().defaultTo(0))
      .addColumn('DateCreated', t.datetime, (c) => c.notNull())
      .addColumn('DateModified', t.datetime, (c) => c.notNull()),
    schema.createIndex('IX_tblYoungPerson_Surname').on('tblYoungPerson').column('Surname'),
    schema.createIndex('IX_tblYoungPerson_Forename').on('tblYoungPerson').column('Forename'),
    schema.createIndex('IX_tblYoungPerson_DOB').on('tblYoungPerson').column('DOB'),
    schema.createIndex('IX_tblYoungPerson_Postcode').on('tblYoungPerson').column('Postcode'),
    schema
      .createTable('tblGroupSession')
      .addColumn('GroupSessionID', t.int, (c) => c.primaryKey())
      .addColumn('ActivityTypeCode', t.text(4), (c) => c.notNull())
      .addColumn('SessionTitle', t.text(100), (c) => c.notNull())
      .addColumn('SessionDate', t.datetime, (c) => c.notNull())
      .addColumn('Venue', t.text(100))
      .addColumn('IsDeleted', t.smallint, (c) => c.notNull().defaultTo(0)),
    schema
      .createTable('tblAttendance')
      .addColumn('AttendanceID', t.int, (c) => c.primaryKey())
      .addColumn('GroupSessionID', t.int, (c) => c.notNull())
      .addColumn('YoungPersonID', t.int, (c) => c.notNull())
      .addColumn('AttendanceCode', t.char(1), (c) => c.notNull())
      .addColumn('IsDeleted', t.smallint, (c) => c.notNull().defaultTo(0)),
    schema.createIndex('IX_tblAttendance_YoungPersonID').on('tblAttendance').column('YoungPersonID'),
    schema
      .createTable('tblContact')
      .addColumn('ContactID', t.int, (c) => c.primaryKey())
      .addColumn('YoungPersonID', t.int, (c) => c.notNull())
      .addColumn('ContactDate', t.datetime, (c) => c.notNull())
      .addColumn('ContactTypeCode', t.text(4), (c) => c.notNull())
      .addColumn('WorkerName', t.text(100))
      .addColumn('DurationMins', t.int)
      .addColumn('Notes', t.text(2000))
      .addColumn('IsDeleted', t.smallint, (c) => c.notNull().defaultTo(0)),
    schema.createIndex('IX_tblContact_YoungPersonID').on('tblContact').column('YoungPersonID'),
    schema
      .createTable('tblEducationStatus')
      .addColumn('EducationStatusID', t.int, (c) => c.primaryKey())
      .addColumn('YoungPersonID', t.int, (c) => c.notNull())
      .addColumn('NeetCode', t.text(4), (c) => c.notNull())
      .addColumn('EffectiveDate', t.text(10), (c) => c.notNull())
      .addColumn('Provider', t.text(100))
      .addColumn('IsDeleted', t.smallint, (c) => c.notNull().defaultTo(0)),
    schema.createIndex('IX_tblEducationStatus_YoungPersonID').on('tblEducationStatus').column('YoungPersonID'),
  ];
}
