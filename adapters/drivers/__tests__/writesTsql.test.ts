/**
 * The T-SQL each adapter's writes send to SQL Server, captured without a server (a recording database
 * compiling with Kysely's T-SQL compiler, as production does). Every statement must pass the same
 * shape check as the reads': numbered @ parameters only, no value inline, identifiers quoted, no LIMIT.
 */
import { createDmsWriter } from '../../dms/dmsWriter';
import { dmsSchemaStatements } from '../../dms/ddl';
import type { DmsTables } from '../../dms/tables';
import { iyssSchemaStatements } from '../../iyss/ddl';
import { createIyssWriter } from '../../iyss/iyssWriter';
import type { IyssTables } from '../../iyss/tables';
import type { FileStore } from '../../types';
import { umisSchemaStatements } from '../../umis/ddl';
import type { UmisTables } from '../../umis/tables';
import { createUmisWriter } from '../../umis/umisWriter';
import { yoisSchemaStatements } from '../../yois/ddl';
import type { YoisTables } from '../../yois/tables';
import { createYoisWriter } from '../../yois/yoisWriter';
import { createRecordingDatabase, type RecordedStatement } from '../recordingDatabase';
import { safeTsqlCheck, schemaIdentifiers } from './tsqlAssertions';

const HOSTILE = "O'Brien'; DROP TABLE x;--";
const CLIENT = '2c725507-d67d-41ff-b121-798a8ced1fce';
const PLAN = '0e55abed-535b-4cae-81f0-7447031af1b9';

/** Rows that let each write get past its checks: the person, order or plan exists, the codes are known. */
function rowsFor(statement: RecordedStatement): object[] {
  const { sql } = statement;
  if (sql.includes('max(')) return [{ highest: 41 }];
  if (sql.includes('from "tblYoungPerson"')) return [{ YoungPersonID: 10001 }, { YoungPersonID: 10002 }];
  if (sql.includes('from "tlkpContactType"')) return [{ ContactTypeCode: 'FACE' }];
  if (sql.includes('from "tlkpActivityType"')) return [{ ActivityTypeCode: 'SPRT' }];
  if (sql.includes('from "client"')) return [{ client_id: CLIENT }];
  if (sql.includes('from "ref_assessment_type"')) return [{ assessment_type_code: 'EHA' }];
  if (sql.includes('from "plan"')) return [{ plan_id: PLAN, plan_status_code: 'O' }];
  if (sql.includes('from "ref_review_outcome"')) return [{ review_outcome_code: 'PROG' }];
  if (sql.includes('from "YP_APPOINTMENT"')) return [{ APPOINTMENT_ID: 7, APPT_DATETIME: new Date('2026-01-01T10:00:00Z') }];
  if (sql.includes('from "YP_ORDER"')) return [{ ORDER_ID: 5 }];
  if (sql.includes('from "dm_doc_type"')) return [{ doc_type_cd: 'LTRGEN' }];
  if (sql.includes('from "YP_PERSON"')) return [{ PERSON_ID: 300008 }];
  return [];
}

function recording<DB>(database: string) {
  return createRecordingDatabase<DB>({ database, rows: rowsFor });
}

function expectSafe(statements: readonly RecordedStatement[], identifiers: ReadonlySet<string>, expected: RegExp[]): void {
  const check = safeTsqlCheck({ schemaIdentifiers: identifiers, valuesMayMatchInside: ['identifiers', 'placeholders'] });
  for (const statement of statements) check(statement);
  for (const pattern of expected) expect(statements.map((s) => s.sql)).toContainEqual(expect.stringMatching(pattern));
}

describe('write T-SQL', () => {
  it('IYSS: a contact and a group session with its register, user text only as parameters', async () => {
    const database = recording<IyssTables>('IYSS');
    const writer = createIyssWriter(database);
    await writer.recordContact({ personSourceId: '10001', contactDate: '2026-01-10T15:30:00Z', contactTypeCode: 'face', workerName: HOSTILE, durationMinutes: 30, notes: HOSTILE });
    await writer.recordGroupSession({
      activityTypeCode: 'SPRT', title: HOSTILE, sessionDate: '2026-01-09T18:00:00Z', venue: null,
      attendance: [{ personSourceId: '10001', status: 'PRESENT' }, { personSourceId: '10002', status: 'LATE' }],
    });
    expectSafe(database.statements, schemaIdentifiers(iyssSchemaStatements(database.db, 'mssql')), [
      /^select max\("ContactID"\) as "highest" from "tblContact"$/,
      /^insert into "tblContact" \(/,
      /^insert into "tblAttendance" \(.*\) values \(@1, @2, @3, @4, @5\), \(@6, @7, @8, @9, @10\)$/,
    ]);
    const contact = database.statements.find((s) => s.sql.startsWith('insert into "tblContact"'))!;
    expect(contact.parameters).toEqual([42, 10001, '2026-01-10 15:30:00', 'FACE', HOSTILE, 30, HOSTILE, 0]);
  });

  it('UMIS: an assessment with domain scores and a plan review, GUID keys and DATE text as parameters', async () => {
    const database = recording<UmisTables>('UMIS');
    const writer = createUmisWriter(database, { now: () => new Date('2026-01-10T12:00:00Z') });
    await writer.recordAssessment({ clientId: CLIENT, assessmentTypeCode: 'EHA', status: 'COMPLETED', startedOn: '2026-01-05', completedOn: '2026-01-08', summary: HOSTILE, domains: [{ domain: 'FAMILY', score: 1, analysis: HOSTILE }] });
    await writer.recordPlanReview({ clientId: CLIENT, planId: PLAN, reviewedOn: '2026-01-06', outcomeCode: 'PROG', notes: HOSTILE, nextReviewDate: '2026-04-06' });
    expectSafe(database.statements, schemaIdentifiers(umisSchemaStatements(database.db, 'mssql')), [
      /^insert into "assessment" \(/,
      /^insert into "assessment_domain_score" \(/,
      /^insert into "plan_review" \(/,
      /^update "plan" set "next_review_date" = @1, "modified_utc" = @2 where "plan_id" = @3$/,
    ]);
  });

  it('YOIS: an appointment outcome and an order note, dates in YOIS\u2019s own forms', async () => {
    const database = recording<YoisTables>('YOIS');
    const writer = createYoisWriter(database, { now: () => new Date('2026-01-10T12:00:00Z') });
    await writer.recordAppointmentOutcome({ personSourceId: '300008', appointmentId: '7', attendance: 'FAILED_TO_ATTEND', now: '2026-01-10T12:00:00Z' });
    await writer.recordOrderNote({ personSourceId: '300008', orderId: '5', noteDate: '2026-01-07', text: HOSTILE, workerName: 'Ada Worker' });
    expectSafe(database.statements, schemaIdentifiers(yoisSchemaStatements(database.db, 'mssql')), [
      /^update "YP_APPOINTMENT" set "ATTENDED_FLAG" = @1 where "APPOINTMENT_ID" = @2$/,
      /^insert into "YP_ORDER_NOTE" \(/,
    ]);
    const note = database.statements.find((s) => s.sql.startsWith('insert into "YP_ORDER_NOTE"'))!;
    expect(note.parameters).toEqual([42, 5, '20260107', 'PRG', HOSTILE, 'ADA WORKER', 'N', '2026-01-10 12:00:00']);
  });

  it('registering and changing a person: each system\u2019s person table, no value inline', async () => {
    const person = { forename: HOSTILE, surname: 'Öztürk', knownAs: null, dateOfBirth: '2011-04-03', gender: 'MALE' as const, ethnicity: 'Turkish', address: { line1: HOSTILE, postcode: 'e8 1ab' }, upn: null };
    const change = { forename: HOSTILE, address: { line1: HOSTILE, postcode: 'E8 2AA' } };
    const iyss = recording<IyssTables>('IYSS');
    await createIyssWriter(iyss).registerPerson(person);
    await createIyssWriter(iyss).updateDemographics('10001', change);
    expectSafe(iyss.statements, schemaIdentifiers(iyssSchemaStatements(iyss.db, 'mssql')), [/^insert into "tblYoungPerson" \(/, /^update "tblYoungPerson" set /]);
    const umis = recording<UmisTables>('UMIS');
    await createUmisWriter(umis).registerPerson(person);
    await createUmisWriter(umis).updateDemographics(CLIENT, change);
    expectSafe(umis.statements, schemaIdentifiers(umisSchemaStatements(umis.db, 'mssql')), [/^insert into "client" \(/, /^update "client" set /]);
    const yois = recording<YoisTables>('YOIS');
    await createYoisWriter(yois).registerPerson(person);
    await createYoisWriter(yois).updateDemographics('300008', change);
    // YOIS takes the address only: the update sets no name.
    expectSafe(yois.statements, schemaIdentifiers(yoisSchemaStatements(yois.db, 'mssql')), [/^insert into "YP_PERSON" \(/, /^update "YP_PERSON" set "ADDRESS_LINE1" = @1, "POSTCODE" = @2 where "PERSON_ID" = @3$/]);
  });

  it('DMS: a document\u2019s metadata row, content to the file store', async () => {
    const database = recording<DmsTables>('DMS');
    const written: string[] = [];
    const files: FileStore = { read: async () => Buffer.alloc(0), write: async (key) => void written.push(key) };
    await createDmsWriter(database, files).storeDocument({
      subject: { system: 'UMIS', sourceId: CLIENT }, title: HOSTILE, documentTypeCode: 'LTRGEN', classificationTier: 2,
      contentType: 'text/plain', content: Buffer.from('x'), authorLogin: 'u-test', createdAt: '2026-01-10T12:00:00Z',
    });
    expectSafe(database.statements, schemaIdentifiers(dmsSchemaStatements(database.db, 'mssql')), [/^insert into "dm_document" \(/]);
    expect(written).toHaveLength(1);
    const insert = database.statements.find((s) => s.sql.startsWith('insert into "dm_document"'))!;
    expect(insert.parameters).toEqual(expect.arrayContaining(['UM', CLIENT, 'OFFICIAL-SENSITIVE', written[0]]));
  });
});
