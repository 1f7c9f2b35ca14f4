/**
 * The YOIS adapter against real databases: SQLite always, MariaDB when MYSQL_URL is set, and SQL Server
 * when MSSQL_URL is set (a SCRATCH database: the suite drops and recreates the YOIS tables there). Each
 * engine gets the seeded schema plus a few hand-written rows whose mapped values are spelled out below,
 * so the suite checks absolute answers as well as agreement with the seed.
 *
 * The SQL Server path opens the database through `openYoisDatabase`, i.e. `createDatabase(url,
 * { mssqlVarcharStrings: true })`: YOIS's columns are non-Unicode VARCHAR there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../drivers/createDatabase';
import { describeLocation } from '../../drivers/databaseUrl';
import { insertRows } from '../../drivers/insertRows';
import { foldAccents } from '../../synthetic/variants';
import {
  RecordNotFound,
  type AllocationRecord,
  type OffenceRecord,
  type OrderRecord,
  type PersonRecord,
  type YoisAdapter,
} from '../../types';
// eslint-disable-next-line import/no-restricted-paths -- a test may use the shared test helpers; production code under adapters/ may not
import { createScratchMysqlDatabase, testEngines } from '../../../test/support/testDatabases';
import { createYoisAdapter } from '../createYoisAdapter';
import { YOIS_TABLES } from '../ddl';
import { installYois } from '../../synthetic/yois/installYois';
import {
  appointmentTypeFromCode,
  attendanceFromFlag,
  canonicalPncNumber,
  genderFromSex,
  isoDateFromCompact,
  isoDateFromDateTime,
  isoDateTime,
  legacyUpperCase,
  naturalCase,
  orderStatusFromCode,
  outcomeTypeFromCode,
  requirementText,
  standardPostcode,
} from '../mapping';
import { openYoisDatabase } from '../openYoisDatabase';
import type { YoisSeed } from '../../synthetic/yois/seedRows';
import type { YoisTables } from '../tables';

type TestEngine = 'sqlite' | 'mysql' | 'mssql';
const MSSQL_URL = process.env.MSSQL_URL;
const ENGINES: TestEngine[] = [...testEngines(), ...(MSSQL_URL ? (['mssql'] as const) : [])];

type Tables = { [T in keyof YoisTables]: Array<YoisTables[T]> };
type PersonRow = YoisTables['YP_PERSON'];

// ---------------------------------------------------------------------------------------------
// Hand-written rows, IDs far above the seed's.

const F = 990_000;
const fixturePerson = (row: Partial<PersonRow> & Pick<PersonRow, 'PERSON_ID' | 'FORENAME' | 'SURNAME'>): PersonRow => ({
  KNOWN_AS: null,
  DOB: null,
  SEX: 'M',
  ETHNICITY_CODE: null,
  ADDRESS_LINE1: null,
  POSTCODE: null,
  PNC_NUMBER: null,
  UPN: null,
  DELETED_FLAG: 'N',
  CREATED_DATE: '2024-01-02 10:00:00',
  ...row,
});

const FIXTURES: Partial<Tables> = {
  YP_PERSON: [
    fixturePerson({
      PERSON_ID: F + 1, FORENAME: 'MEHMET', SURNAME: 'ÖZTÜRK', KNOWN_AS: 'MEMO', DOB: '20080229', ETHNICITY_CODE: 'W9',
      ADDRESS_LINE1: '12 Green Lanes', POSTCODE: 'n16  5xy', PNC_NUMBER: '24/123A', UPN: 'A204123412001',
    }),
    fixturePerson({ PERSON_ID: F + 2, FORENAME: 'SIOBHAN', SURNAME: "O'BRIEN", DOB: '00000000', SEX: 'U', POSTCODE: 'E8 3QQ' }),
    fixturePerson({ PERSON_ID: F + 3, FORENAME: 'JAMIE', SURNAME: 'MCDONALD-SMITH', SEX: 'F', POSTCODE: 'E83QQ' }),
    fixturePerson({ PERSON_ID: F + 4, FORENAME: 'ZOË', SURNAME: 'SAHIN', DOB: '20091201', SEX: 'F', POSTCODE: 'N4 2AB' }),
    fixturePerson({ PERSON_ID: F + 5, FORENAME: 'DENIZ', SURNAME: 'ÖZDEMIR', DOB: '20080229', DELETED_FLAG: 'Y', POSTCODE: 'N16 5XY' }),
  ],
  YP_OFFENCE: [
    { OFFENCE_ID: F + 1, PERSON_ID: F + 1, OFFENCE_CODE: '046/00', OFFENCE_DATE: '20230115', DELETED_FLAG: 'N', CREATED_DATE: '2023-01-16 09:00:00' },
    { OFFENCE_ID: F + 2, PERSON_ID: F + 1, OFFENCE_CODE: '999/99', OFFENCE_DATE: '20240610', DELETED_FLAG: 'N', CREATED_DATE: '2024-06-11 09:00:00' },
    { OFFENCE_ID: F + 3, PERSON_ID: F + 1, OFFENCE_CODE: '105/01', OFFENCE_DATE: '20240701', DELETED_FLAG: 'Y', CREATED_DATE: '2024-07-02 09:00:00' },
  ],
  YP_OUTCOME: [
    { OUTCOME_ID: F + 1, OFFENCE_ID: F + 1, OUTCOME_TYPE_CODE: 'CD', OUTCOME_DATE: '20230301', COURT_NAME: 'Stratford Youth Court', DELETED_FLAG: 'N' },
    // Superseded by a correction: soft-deleted, so the offence shows one outcome.
    { OUTCOME_ID: F + 2, OFFENCE_ID: F + 1, OUTCOME_TYPE_CODE: 'FINE', OUTCOME_DATE: '20230302', COURT_NAME: null, DELETED_FLAG: 'Y' },
    { OUTCOME_ID: F + 3, OFFENCE_ID: F + 2, OUTCOME_TYPE_CODE: 'YRO', OUTCOME_DATE: '20240901', COURT_NAME: 'Thames Youth Court', DELETED_FLAG: 'N' },
  ],
  YP_ORDER: [
    {
      ORDER_ID: F + 1, PERSON_ID: F + 1, OUTCOME_ID: F + 3, ORDER_TYPE_CODE: 'YRO', ORDER_START: '20240901', ORDER_END: '20270301',
      ORDER_STATUS: 'B', DELETED_FLAG: 'N', CREATED_DATE: '2024-09-01 10:00:00',
    },
    {
      ORDER_ID: F + 2, PERSON_ID: F + 1, OUTCOME_ID: F + 3, ORDER_TYPE_CODE: 'RO', ORDER_START: '20240901', ORDER_END: '20250301',
      ORDER_STATUS: 'A', DELETED_FLAG: 'Y', CREATED_DATE: '2024-09-01 10:00:00',
    },
  ],
  YP_ORDER_REQUIREMENT: [
    { ORDER_REQUIREMENT_ID: F + 1, ORDER_ID: F + 1, REQUIREMENT_CODE: 'SUP', DETAIL: null, DELETED_FLAG: 'N' },
    { ORDER_REQUIREMENT_ID: F + 2, ORDER_ID: F + 1, REQUIREMENT_CODE: 'UPW', DETAIL: '60 hours', DELETED_FLAG: 'N' },
    { ORDER_REQUIREMENT_ID: F + 3, ORDER_ID: F + 1, REQUIREMENT_CODE: 'CUR', DETAIL: null, DELETED_FLAG: 'Y' },
  ],
  YP_APPOINTMENT: [
    { APPOINTMENT_ID: F + 1, ORDER_ID: F + 1, APPT_DATETIME: '2024-09-10 10:00:00', APPT_TYPE: 'SUP', ATTENDED_FLAG: 'Y', DELETED_FLAG: 'N' },
    { APPOINTMENT_ID: F + 2, ORDER_ID: F + 1, APPT_DATETIME: '2024-09-17 14:30:00', APPT_TYPE: 'UPW', ATTENDED_FLAG: 'N', DELETED_FLAG: 'N' },
    { APPOINTMENT_ID: F + 3, ORDER_ID: F + 1, APPT_DATETIME: '2024-09-24 11:15:00', APPT_TYPE: 'HV', ATTENDED_FLAG: 'A', DELETED_FLAG: 'N' },
    { APPOINTMENT_ID: F + 4, ORDER_ID: F + 1, APPT_DATETIME: '2024-10-01 09:00:00', APPT_TYPE: 'SUP', ATTENDED_FLAG: 'N', DELETED_FLAG: 'N' },
    { APPOINTMENT_ID: F + 5, ORDER_ID: F + 1, APPT_DATETIME: '2024-10-08 09:00:00', APPT_TYPE: 'SUP', ATTENDED_FLAG: 'Y', DELETED_FLAG: 'Y' },
    { APPOINTMENT_ID: F + 6, ORDER_ID: F + 1, APPT_DATETIME: '2026-11-20 15:00:00', APPT_TYPE: 'SUP', ATTENDED_FLAG: 'P', DELETED_FLAG: 'N' },
    // Belongs to the deleted order: never shown.
    { APPOINTMENT_ID: F + 7, ORDER_ID: F + 2, APPT_DATETIME: '2024-09-12 10:00:00', APPT_TYPE: 'PAN', ATTENDED_FLAG: 'Y', DELETED_FLAG: 'N' },
  ],
  YP_BREACH_WARNING: [
    { WARNING_ID: F + 1, ORDER_ID: F + 1, ISSUED_DATE: '2024-09-19 12:00:00', STRIKE_NO: 1, REASON: 'Missed unpaid work', DELETED_FLAG: 'N' },
    { WARNING_ID: F + 2, ORDER_ID: F + 1, ISSUED_DATE: '2024-10-03 16:00:00', STRIKE_NO: 2, REASON: 'Missed supervision; referred to panel', DELETED_FLAG: 'N' },
  ],
  YP_CASE_ALLOCATION: [
    { ALLOCATION_ID: F + 1, PERSON_ID: F + 1, UNIT_CODE: 'CU7', WORKER_NAME: 'Serap Yildiz', ALLOC_START: '2023-03-01 09:00:00', ALLOC_END: '2024-06-30 17:00:00', DELETED_FLAG: 'N' },
    { ALLOCATION_ID: F + 2, PERSON_ID: F + 1, UNIT_CODE: 'CU3', WORKER_NAME: null, ALLOC_START: '2024-07-01 09:00:00', ALLOC_END: null, DELETED_FLAG: 'N' },
    { ALLOCATION_ID: F + 3, PERSON_ID: F + 1, UNIT_CODE: 'CU1', WORKER_NAME: 'Entered in error', ALLOC_START: '2024-07-01 09:00:00', ALLOC_END: null, DELETED_FLAG: 'Y' },
  ],
};

// ---------------------------------------------------------------------------------------------
// What the adapter should answer, worked out from the rows with the documented mapping.

function expectedPerson(rows: Tables, row: PersonRow) {
  const postcode = standardPostcode(row.POSTCODE);
  const line1 = row.ADDRESS_LINE1?.trim() || null;
  return {
    source: 'YOIS',
    sourceId: String(row.PERSON_ID),
    forename: naturalCase(row.FORENAME),
    surname: naturalCase(row.SURNAME),
    knownAs: row.KNOWN_AS ? naturalCase(row.KNOWN_AS) : null,
    dateOfBirth: isoDateFromCompact(row.DOB),
    gender: genderFromSex(row.SEX),
    ethnicity: rows.LU_ETHNICITY.find((e) => e.ETHNICITY_CODE === row.ETHNICITY_CODE)?.DESCRIPTION ?? null,
    address: line1 || postcode ? { line1, postcode } : null,
    upn: row.UPN || null,
    pncNumber: canonicalPncNumber(row.PNC_NUMBER),
  };
}

const desc = <T>(key: (item: T) => string | number) => (a: T, b: T) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0);
const thenDesc = <T>(first: (item: T) => string, second: (item: T) => number) => (a: T, b: T) =>
  desc(first)(a, b) || second(b) - second(a);

function expectedOffences(rows: Tables, personId: number): OffenceRecord[] {
  return rows.YP_OFFENCE.filter((o) => o.PERSON_ID === personId && o.DELETED_FLAG === 'N')
    .sort(thenDesc((o) => o.OFFENCE_DATE, (o) => o.OFFENCE_ID))
    .map((o) => {
      const code = rows.LU_OFFENCE.find((l) => l.OFFENCE_CODE === o.OFFENCE_CODE);
      const outcome = rows.YP_OUTCOME.find((r) => r.OFFENCE_ID === o.OFFENCE_ID && r.DELETED_FLAG === 'N');
      return {
        source: 'YOIS',
        offenceId: String(o.OFFENCE_ID),
        offenceCode: o.OFFENCE_CODE,
        description: code?.DESCRIPTION ?? `Offence code ${o.OFFENCE_CODE}`,
        category: code?.CATEGORY ?? 'Not known',
        gravityScore: code?.GRAVITY_SCORE ?? 0,
        offenceDate: isoDateFromCompact(o.OFFENCE_DATE)!,
        outcome: outcome
          ? {
              outcomeId: String(outcome.OUTCOME_ID),
              type: outcomeTypeFromCode(outcome.OUTCOME_TYPE_CODE)!,
              outcomeDate: isoDateFromCompact(outcome.OUTCOME_DATE)!,
              court: outcome.COURT_NAME,
            }
          : null,
      };
    });
}

function expectedOrders(rows: Tables, personId: number): OrderRecord[] {
  return rows.YP_ORDER.filter((o) => o.PERSON_ID === personId && o.DELETED_FLAG === 'N')
    .sort(thenDesc((o) => o.ORDER_START, (o) => o.ORDER_ID))
    .map((o) => ({
      source: 'YOIS',
      orderId: String(o.ORDER_ID),
      type: outcomeTypeFromCode(o.ORDER_TYPE_CODE)!,
      startDate: isoDateFromCompact(o.ORDER_START)!,
      endDate: isoDateFromCompact(o.ORDER_END)!,
      status: orderStatusFromCode(o.ORDER_STATUS),
      requirements: rows.YP_ORDER_REQUIREMENT.filter((r) => r.ORDER_ID === o.ORDER_ID && r.DELETED_FLAG === 'N')
        .sort((a, b) => a.ORDER_REQUIREMENT_ID - b.ORDER_REQUIREMENT_ID)
        .map((r) => requirementText(rows.LU_REQUIREMENT.find((l) => l.REQUIREMENT_CODE === r.REQUIREMENT_CODE)?.DESCRIPTION ?? null, r.REQUIREMENT_CODE, r.DETAIL)),
      appointments: rows.YP_APPOINTMENT.filter((a) => a.ORDER_ID === o.ORDER_ID && a.DELETED_FLAG === 'N')
        .sort(thenDesc((a) => a.APPT_DATETIME, (a) => a.APPOINTMENT_ID))
        .map((a) => ({
          appointmentId: String(a.APPOINTMENT_ID),
          scheduledAt: isoDateTime(a.APPT_DATETIME),
          appointmentType: appointmentTypeFromCode(a.APPT_TYPE),
          attendance: attendanceFromFlag(a.ATTENDED_FLAG),
        })),
      breachWarnings: rows.YP_BREACH_WARNING.filter((w) => w.ORDER_ID === o.ORDER_ID && w.DELETED_FLAG === 'N')
        .sort((a, b) => (a.ISSUED_DATE < b.ISSUED_DATE ? -1 : a.ISSUED_DATE > b.ISSUED_DATE ? 1 : a.WARNING_ID - b.WARNING_ID))
        .map((w) => ({ warningId: String(w.WARNING_ID), issuedOn: isoDateFromDateTime(w.ISSUED_DATE), strike: w.STRIKE_NO, reason: w.REASON })),
    }));
}

function expectedAllocations(rows: Tables, personId: number): AllocationRecord[] {
  return rows.YP_CASE_ALLOCATION.filter((a) => a.PERSON_ID === personId && a.DELETED_FLAG === 'N')
    .sort(thenDesc((a) => a.ALLOC_START, (a) => a.ALLOCATION_ID))
    .map((a) => ({
      source: 'YOIS',
      unitId: a.UNIT_CODE,
      workerName: a.WORKER_NAME,
      startDate: isoDateFromDateTime(a.ALLOC_START),
      endDate: a.ALLOC_END === null ? null : isoDateFromDateTime(a.ALLOC_END),
    }));
}

/**
 * Whether a stored name starts with a prefix as the engine compares them: SQLite and SQL Server (with
 * its default case-insensitive, accent-sensitive collation) see the upper-cased text exactly; MariaDB's
 * utf8mb4_unicode_ci also ignores accents, so 'OZ' finds 'ÖZTÜRK' there.
 */
function startsWithOn(engine: TestEngine, stored: string | null, prefix: string): boolean {
  if (stored === null) return false;
  const fold = (text: string) => (engine === 'mysql' ? foldAccents(legacyUpperCase(text)) : legacyUpperCase(text));
  return fold(stored).startsWith(fold(prefix));
}

const ids = (records: ReadonlyArray<PersonRecord | Error>) => records.map((r) => (r instanceof Error ? r.name : r.sourceId));

// ---------------------------------------------------------------------------------------------

describe.each(ENGINES)('YOIS adapter on %s', (engine) => {
  let database: Database<YoisTables>;
  let adapter: YoisAdapter;
  let seed: YoisSeed;
  let rows: Tables;
  let cleanup: () => Promise<void> = async () => {};

  const livePeople = () => rows.YP_PERSON.filter((p) => p.DELETED_FLAG === 'N');
  const livePersonIds = () => livePeople().map((p) => String(p.PERSON_ID));
  const person = (id: number) => rows.YP_PERSON.find((p) => p.PERSON_ID === id)!;
  /** Live PERSON_IDs passing `keep`, in numeric order, as text. */
  const expectedIds = (keep: (p: PersonRow) => boolean) =>
    livePeople().filter(keep).map((p) => p.PERSON_ID).sort((x, y) => x - y).map(String);

  async function dropYoisTables(): Promise<void> {
    for (const table of [...YOIS_TABLES].reverse()) await database.db.schema.dropTable(table).ifExists().execute();
  }

  beforeAll(async () => {
    let url: string;
    if (engine === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yois-'));
      url = `sqlite:${path.join(dir, 'yois.db')}`;
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else if (engine === 'mysql') {
      const scratch = await createScratchMysqlDatabase('yois');
      url = scratch.url;
      cleanup = scratch.drop;
    } else {
      url = MSSQL_URL!;
    }
    // createDatabase(url, { mssqlVarcharStrings: true }): VARCHAR parameters for the VARCHAR columns on SQL Server.
    database = openYoisDatabase(url, { pool: { connectTimeoutMs: 15_000, statementTimeoutMs: 60_000 } });
    try {
      await database.ping();
    } catch (error) {
      throw new Error(`${engine} (${describeLocation(database.location)}) is unreachable: ${(error as Error).message}`, { cause: error });
    }
    if (engine === 'mssql') {
      await dropYoisTables();
      cleanup = dropYoisTables;
    }

    const result = await installYois(database, { prngSeed: 11, volume: 800 });
    if (!result.created || !result.seed) throw new Error('installYois did not create the YOIS schema');
    seed = result.seed;
    for (const [table, fixtureRows] of Object.entries(FIXTURES)) await insertRows(database.db, table, fixtureRows);
    rows = Object.fromEntries(
      YOIS_TABLES.map((table) => [table, [...seed.rows[table], ...((FIXTURES[table] as unknown[] | undefined) ?? [])]]),
    ) as unknown as Tables;
    adapter = createYoisAdapter(database);
  }, 180_000);

  afterAll(async () => {
    if (!database) return;
    try {
      await cleanup();
    } finally {
      await database.close();
    }
  });

  it('installs only once', async () => {
    expect(seed.rows.YP_PERSON.length).toBeGreaterThan(40);
    expect(await installYois(database, { prngSeed: 11, volume: 800 })).toEqual({ created: false });
    await expect(adapter.ping()).resolves.toBeUndefined();
  });

  describe('peopleByIds', () => {
    it('answers every key in order, with RecordNotFound for unknown, malformed and soft-deleted keys', async () => {
      const [first, second] = livePersonIds();
      const deleted = rows.YP_PERSON.filter((p) => p.DELETED_FLAG === 'Y').map((p) => String(p.PERSON_ID));
      const keys = [second!, 'abc', first!, '999999', second!, '', "1' OR '1'='1", ...deleted];
      const results = await adapter.peopleByIds(keys);
      expect(results).toHaveLength(keys.length);
      const missing = 'RecordNotFound';
      expect(ids(results)).toEqual([second, missing, first, missing, second, missing, missing, ...deleted.map(() => missing)]);
      results.forEach((result, i) => {
        if (result instanceof RecordNotFound) expect(result).toMatchObject({ source: 'YOIS', key: keys[i] });
      });
      expect(deleted.length).toBeGreaterThan(0);
    });

    it('maps every live person as the rows say', async () => {
      const live = livePeople();
      const results = await adapter.peopleByIds(live.map((p) => String(p.PERSON_ID)));
      expect(results).toEqual(live.map((p) => expectedPerson(rows, p)));
    });

    it('shows upper-case names in natural case, YYYYMMDD dates as ISO, and PNC numbers in the long form', async () => {
      const [mehmet, siobhan, jamie, zoe] = await adapter.peopleByIds([F + 1, F + 2, F + 3, F + 4].map(String));
      expect(mehmet).toEqual({
        source: 'YOIS',
        sourceId: String(F + 1),
        forename: 'Mehmet',
        surname: 'Öztürk',
        knownAs: 'Memo',
        dateOfBirth: '2008-02-29',
        gender: 'MALE',
        ethnicity: 'White - Any other White background',
        address: { line1: '12 Green Lanes', postcode: 'N16 5XY' },
        upn: 'A204123412001',
        pncNumber: '2024/0000123A',
      });
      expect(siobhan).toMatchObject({ surname: "O'Brien", dateOfBirth: null, gender: 'NOT_STATED', address: { line1: null, postcode: 'E8 3QQ' }, pncNumber: null });
      expect(jamie).toMatchObject({ forename: 'Jamie', surname: 'McDonald-Smith', dateOfBirth: null, gender: 'FEMALE' });
      expect(zoe).toMatchObject({ forename: 'Zoë', surname: 'Sahin', dateOfBirth: '2009-12-01' });
    });

    it('gives the PNC number each synthetic person really has, whichever form it was keyed in', async () => {
      const keyed = seed.rows.YP_PERSON.filter((p) => p.DELETED_FLAG === 'N' && p.PNC_NUMBER !== null);
      expect(keyed.some((p) => /^\d{2}\//.test(p.PNC_NUMBER!))).toBe(true);
      const results = await adapter.peopleByIds(keyed.map((p) => String(p.PERSON_ID)));
      const truth = new Map(seed.truth.map((t) => [t.sourceId, t.personKey]));
      const { generatePopulation } = await import('../../synthetic/population');
      const population = new Map(generatePopulation({ seed: 11, size: 800 }).map((p) => [p.personKey, p.pncNumber]));
      results.forEach((result) => {
        const record = result as PersonRecord & { pncNumber: string };
        expect(record.pncNumber).toBe(population.get(truth.get(record.sourceId)!));
      });
    });
  });

  describe('lists by person', () => {
    it('offencesByPersonIds gives each person their live offences with the live outcome, newest first', async () => {
      const keys = [...livePersonIds(), 'bad', '999999'];
      const results = await adapter.offencesByPersonIds(keys);
      expect(results).toEqual(keys.map((id) => (/^\d+$/.test(id) ? expectedOffences(rows, Number(id)) : [])));
      expect(results.flat().length).toBeGreaterThan(livePeople().length - 1);
    });

    it('maps offence and outcome codes, and survives a code missing from the code table', async () => {
      const [offences] = (await adapter.offencesByPersonIds([String(F + 1)])) as [OffenceRecord[]];
      expect(offences).toEqual([
        {
          source: 'YOIS', offenceId: String(F + 2), offenceCode: '999/99', description: 'Offence code 999/99', category: 'Not known',
          gravityScore: 0, offenceDate: '2024-06-10',
          outcome: { outcomeId: String(F + 3), type: 'YOUTH_REHABILITATION_ORDER', outcomeDate: '2024-09-01', court: 'Thames Youth Court' },
        },
        {
          source: 'YOIS', offenceId: String(F + 1), offenceCode: '046/00', description: 'Theft from a shop or stall', category: 'Theft and handling',
          gravityScore: 2, offenceDate: '2023-01-15',
          outcome: { outcomeId: String(F + 1), type: 'DISCHARGE', outcomeDate: '2023-03-01', court: 'Stratford Youth Court' },
        },
      ]);
    });

    it('ordersByPersonIds gives live orders with requirements, appointments newest first and breach warnings', async () => {
      const keys = [...livePersonIds(), 'bad'];
      const results = await adapter.ordersByPersonIds(keys);
      expect(results).toEqual(keys.map((id) => (/^\d+$/.test(id) ? expectedOrders(rows, Number(id)) : [])));
      const orders = (results as OrderRecord[][]).flat();
      expect(orders.some((o) => o.breachWarnings.length > 0)).toBe(true);
      expect(new Set(orders.flatMap((o) => o.appointments.map((a) => a.attendance)))).toEqual(
        new Set(['ATTENDED', 'FAILED_TO_ATTEND', 'ACCEPTABLE_ABSENCE', 'NOT_YET_DUE']),
      );
    });

    it('maps order codes, flags and DATETIME columns, and hides deleted orders and their appointments', async () => {
      const [orders] = (await adapter.ordersByPersonIds([String(F + 1)])) as [OrderRecord[]];
      expect(orders).toEqual([
        {
          source: 'YOIS',
          orderId: String(F + 1),
          type: 'YOUTH_REHABILITATION_ORDER',
          startDate: '2024-09-01',
          endDate: '2027-03-01',
          status: 'BREACHED',
          requirements: ['Supervision', 'Unpaid work (60 hours)'],
          appointments: [
            { appointmentId: String(F + 6), scheduledAt: '2026-11-20T15:00:00.000Z', appointmentType: 'Supervision', attendance: 'NOT_YET_DUE' },
            { appointmentId: String(F + 4), scheduledAt: '2024-10-01T09:00:00.000Z', appointmentType: 'Supervision', attendance: 'FAILED_TO_ATTEND' },
            { appointmentId: String(F + 3), scheduledAt: '2024-09-24T11:15:00.000Z', appointmentType: 'Home visit', attendance: 'ACCEPTABLE_ABSENCE' },
            { appointmentId: String(F + 2), scheduledAt: '2024-09-17T14:30:00.000Z', appointmentType: 'Unpaid work', attendance: 'FAILED_TO_ATTEND' },
            { appointmentId: String(F + 1), scheduledAt: '2024-09-10T10:00:00.000Z', appointmentType: 'Supervision', attendance: 'ATTENDED' },
          ],
          breachWarnings: [
            { warningId: String(F + 1), issuedOn: '2024-09-19', strike: 1, reason: 'Missed unpaid work' },
            { warningId: String(F + 2), issuedOn: '2024-10-03', strike: 2, reason: 'Missed supervision; referred to panel' },
          ],
        },
      ]);
    });

    it('never shows the planted appointments of deleted orders', async () => {
      const orphaned = seed.plannedProblems.filter((p) => p.kind === 'APPOINTMENT_FOR_DELETED_ORDER');
      expect(orphaned.length).toBeGreaterThan(0);
      const results = (await adapter.ordersByPersonIds(orphaned.map((p) => p.personSourceId))) as OrderRecord[][];
      const shown = new Set(results.flat().flatMap((o) => o.appointments.map((a) => a.appointmentId)));
      for (const problem of orphaned) expect(shown.has(problem.recordId)).toBe(false);
    });

    it('allocationsByPersonIds gives live allocations newest first, with Core Unit ids', async () => {
      const keys = [...livePersonIds(), '999999'];
      const results = await adapter.allocationsByPersonIds(keys);
      expect(results).toEqual(keys.map((id) => expectedAllocations(rows, Number(id))));
      const [fixture] = (await adapter.allocationsByPersonIds([String(F + 1)])) as [AllocationRecord[]];
      expect(fixture).toEqual([
        { source: 'YOIS', unitId: 'CU3', workerName: null, startDate: '2024-07-01', endDate: null },
        { source: 'YOIS', unitId: 'CU7', workerName: 'Serap Yildiz', startDate: '2023-03-01', endDate: '2024-06-30' },
      ]);
    });

    it('costs a fixed number of statements however many people are asked for', async () => {
      const statementsFor = async (call: () => Promise<unknown>) => {
        const before = database.stats.statements;
        await call();
        return database.stats.statements - before;
      };
      const one = [livePersonIds()[0]!];
      const all = livePersonIds();
      for (const method of ['peopleByIds', 'offencesByPersonIds', 'allocationsByPersonIds'] as const) {
        expect(await statementsFor(() => adapter[method](one))).toBe(1);
        expect(await statementsFor(() => adapter[method](all))).toBe(1);
      }
      expect(await statementsFor(() => adapter.ordersByPersonIds(one))).toBe(4);
      expect(await statementsFor(() => adapter.ordersByPersonIds(all))).toBe(4);
    });
  });

  describe('findCandidates', () => {
    const LIMIT = 1_000;
    const candidates = async (filter: Parameters<YoisAdapter['findCandidates']>[0]) =>
      (await adapter.findCandidates(filter)).map((p) => p.sourceId);

    it.each([['öz'], ['ÖZ'], ['Öz'], ['öZt']])('finds upper-case surnames from the prefix %s, accented letters included', async (prefix) => {
      const found = await candidates({ surnamePrefixes: [prefix], limit: LIMIT });
      expect(found).toContain(String(F + 1));
      expect(found).not.toContain(String(F + 5));
      expect(found).toEqual(expectedIds((p) => startsWithOn(engine, p.SURNAME, prefix)));
    });

    it.each([["o'b"], ["O'BRIEN"], ['mcd'], ['McDonald-S'], ['şa'], ['Sah']])('finds %s', async (prefix) => {
      const found = await candidates({ surnamePrefixes: [prefix], limit: LIMIT });
      expect(found.length).toBeGreaterThan(0);
      expect(found).toEqual(expectedIds((p) => startsWithOn(engine, p.SURNAME, prefix)));
    });

    it('finds seeded people by the prefixes the gateway sends in either case', async () => {
      const sample = livePeople().filter((_, i) => i % 9 === 0);
      for (const p of sample) {
        const prefix = naturalCase(p.SURNAME).slice(0, 3);
        const found = await candidates({ surnamePrefixes: [prefix.toLowerCase(), prefix], limit: LIMIT });
        expect(found).toContain(String(p.PERSON_ID));
        expect(found).toEqual(expectedIds((q) => startsWithOn(engine, q.SURNAME, prefix)));
      }
    });

    it('matches forename prefixes against FORENAME and KNOWN_AS', async () => {
      const memo = await candidates({ forenamePrefixes: ['memo'], surnamePrefixes: ['öz'], limit: LIMIT });
      expect(memo).toContain(String(F + 1));
      expect(memo).toEqual(
        expectedIds((p) => startsWithOn(engine, p.SURNAME, 'öz') && (startsWithOn(engine, p.FORENAME, 'memo') || startsWithOn(engine, p.KNOWN_AS, 'memo'))),
      );
      const prefixes = ['mo', 'Ja', 'ZO'];
      expect(await candidates({ forenamePrefixes: prefixes, limit: LIMIT })).toEqual(
        expectedIds((p) => prefixes.some((x) => startsWithOn(engine, p.FORENAME, x) || startsWithOn(engine, p.KNOWN_AS, x))),
      );
    });

    it('matches dates of birth in the stored YYYYMMDD form, never the unknown-date markers', async () => {
      const dobs = livePeople().filter((p) => isoDateFromCompact(p.DOB) !== null).slice(0, 5).map((p) => isoDateFromCompact(p.DOB)!);
      const wanted = [...dobs, '2008-02-29'];
      expect(await candidates({ datesOfBirth: wanted, limit: LIMIT })).toEqual(
        expectedIds((p) => wanted.includes(isoDateFromCompact(p.DOB) ?? '')),
      );
      const leapDay = await candidates({ datesOfBirth: ['2008-02-29'], limit: LIMIT });
      expect(leapDay).toContain(String(F + 1));
      expect(leapDay).not.toContain(String(F + 5));
      expect(await candidates({ datesOfBirth: ['0000-00-00', 'not a date'], limit: LIMIT })).toEqual([]);
    });

    it('matches a postcode prefix ignoring case and spaces', async () => {
      const compact = (p: PersonRow) => (p.POSTCODE ?? '').replace(/\s+/g, '').toUpperCase();
      for (const prefix of ['E8', 'e8 3', 'N16 5X', 'N4']) {
        const wanted = prefix.replace(/\s+/g, '').toUpperCase();
        expect(await candidates({ postcodePrefix: prefix, limit: LIMIT })).toEqual(expectedIds((p) => compact(p).startsWith(wanted)));
      }
      expect(await candidates({ postcodePrefix: 'E83QQ', limit: LIMIT })).toEqual(expect.arrayContaining([String(F + 2), String(F + 3)]));
      expect(await candidates({ postcodePrefix: 'n165x', limit: LIMIT })).toContain(String(F + 1));
    });

    it('combines filters and honours the limit, in PERSON_ID order', async () => {
      const combined = await candidates({ surnamePrefixes: ['ö', 'S'], datesOfBirth: ['2009-12-01'], postcodePrefix: 'N4', limit: 5 });
      expect(combined).toContain(String(F + 4));
      expect(combined).toEqual(
        expectedIds(
          (p) =>
            ['ö', 'S'].some((x) => startsWithOn(engine, p.SURNAME, x)) &&
            p.DOB === '20091201' &&
            (p.POSTCODE ?? '').replace(/\s+/g, '').toUpperCase().startsWith('N4'),
        ).slice(0, 5),
      );
      const all = expectedIds(() => true);
      expect(await candidates({ limit: 7 })).toEqual(all.slice(0, 7));
      expect(await candidates({ limit: all.length + 5 })).toEqual(all);
    });

    it('treats hostile text as data', async () => {
      expect(await candidates({ surnamePrefixes: ["x'; DROP TABLE YP_PERSON;--"], forenamePrefixes: ['%'], limit: 5 })).toEqual([]);
      expect((await adapter.peopleByIds([String(F + 1)]))[0]).not.toBeInstanceOf(Error);
    });
  });

  describe('scanPeople', () => {
    it('pages through every live person exactly once, in numeric PERSON_ID order', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 1_000; page++) {
        const batch: PersonRecord[] = await adapter.scanPeople(after, 7);
        if (batch.length === 0) break;
        expect(batch.length).toBeLessThanOrEqual(7);
        seen.push(...batch.map((p) => p.sourceId));
        after = batch[batch.length - 1]!.sourceId;
      }
      expect(seen).toEqual(expectedIds(() => true));
      expect(seen).not.toContain(String(F + 5));
    });

    it('returns mapped people, and nothing after the last or after a malformed key', async () => {
      const [first] = await adapter.scanPeople(null, 1);
      expect(first).toEqual(expectedPerson(rows, person(Number(livePersonIds()[0]))));
      expect(await adapter.scanPeople(String(F + 4), 10)).toEqual([]);
      expect(await adapter.scanPeople('abc', 10)).toEqual([]);
    });
  });
});
