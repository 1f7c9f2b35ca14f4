/**
 * The IYSS adapter against a real SQL Server.
 *
 * Skipped unless MSSQL_URL is set: SQL Server cannot be installed on every developer machine or CI
 * runner, so by default the T-SQL is checked offline (adapters/iyss/__tests__/tsql.test.ts compiles
 * every statement and asserts its shape) and this suite is what proves it runs. To run it:
 *
 *   MSSQL_URL='mssql://sa:Your_password1@localhost:1433/iyss_scratch?encrypt=false' npx jest test/live
 *
 * MSSQL_URL must point at a SCRATCH database (SQL Server 2016 or later, default case-insensitive
 * collation) whose login may create and drop tables: the suite drops any IYSS tables there, creates and
 * seeds them afresh, and drops them again at the end. When MSSQL_URL is set but the server cannot be
 * reached, beforeAll throws and every test fails: a configured live run never passes by skipping.
 */
import { createDatabase, type Database } from '../../adapters/drivers/createDatabase';
import { describeLocation } from '../../adapters/drivers/databaseUrl';
import { createIyssAdapter } from '../../adapters/iyss/createIyssAdapter';
import { IYSS_TABLES } from '../../adapters/iyss/ddl';
import { installIyss } from '../../adapters/synthetic/iyss/installIyss';
import {
  attendanceFromCode,
  categoryFromNeetCode,
  genderFromSex,
  isoDateFromLegacyText,
  isoDateTime,
  standardPostcode,
} from '../../adapters/iyss/mapping';
import type { IyssSeed } from '../../adapters/synthetic/iyss/seedRows';
import type { IyssTables } from '../../adapters/iyss/tables';
import {
  RecordNotFound,
  type AttendanceRecord,
  type ContactRecord,
  type EducationStatusRecord,
  type IyssAdapter,
  type PersonRecord,
} from '../../adapters/types';

const MSSQL_URL = process.env.MSSQL_URL;
// Without MSSQL_URL there is no server to run against (SQL Server is not installable everywhere); the
// offline T-SQL suite still runs. With it set, the suite runs and fails loudly if the server is down.
const live = MSSQL_URL ? describe : describe.skip;

type PersonRow = IyssTables['tblYoungPerson'];

async function dropIyssTables(database: Database<IyssTables>): Promise<void> {
  for (const table of [...IYSS_TABLES].reverse()) await database.db.schema.dropTable(table).ifExists().execute();
}

/** Plain-ASCII text, so case-insensitive matching means the same in JavaScript and in any SQL Server collation. */
const isAscii = (text: string): boolean => /^[\x20-\x7e]*$/.test(text);

/**
 * What `LIKE 'prefix%'` matches for an ASCII prefix under a case-insensitive collation. The stored
 * characters must be ASCII too: JavaScript upper-cases Turkish dotless ı to I, SQL Server does not equate them.
 */
const startsWithAscii = (text: string | null, prefix: string): boolean => {
  const head = (text ?? '').slice(0, prefix.length);
  return isAscii(head) && head.toUpperCase() === prefix.toUpperCase();
};

live('IYSS adapter on SQL Server (MSSQL_URL)', () => {
  let database: Database<IyssTables> | undefined;
  let connected = false;
  let seed: IyssSeed;
  let adapter: IyssAdapter;
  /** A person the suite soft-deletes itself (the seed at this volume may have none). */
  let softDeleted: PersonRow;

  const db = () => database!.db;
  const people = () => seed.rows.tblYoungPerson;
  const livePeople = () => people().filter((row) => row.IsDeleted === 0);

  function expectedPerson(row: PersonRow): PersonRecord {
    const ethnicity = seed.rows.tlkpEthnicity.find((e) => e.EthnicityCode === row.EthnicityCode);
    const postcode = standardPostcode(row.Postcode);
    return {
      source: 'IYSS',
      sourceId: String(row.YoungPersonID),
      forename: row.Forename.trim(),
      surname: row.Surname.trim(),
      knownAs: row.KnownAs?.trim() || null,
      dateOfBirth: isoDateFromLegacyText(row.DOB),
      gender: genderFromSex(row.Sex),
      ethnicity: ethnicity?.Description ?? null,
      address: row.AddressLine1 || postcode ? { line1: row.AddressLine1?.trim() || null, postcode } : null,
      upn: row.UPN?.trim() || null,
    };
  }

  beforeAll(async () => {
    const url = MSSQL_URL!;
    database = createDatabase<IyssTables>(url, { pool: { connectTimeoutMs: 15_000, statementTimeoutMs: 60_000 } });
    if (database.engine !== 'mssql') throw new Error(`MSSQL_URL must be an mssql:// URL, not ${database.engine}`);
    try {
      await database.ping();
    } catch (error) {
      throw new Error(
        `MSSQL_URL is set but SQL Server (${describeLocation(database.location)}) is unreachable: ${(error as Error).message}`,
        { cause: error },
      );
    }
    connected = true;

    await dropIyssTables(database);
    const result = await installIyss(database, { prngSeed: 7, volume: 200 });
    if (!result.created || !result.seed) throw new Error('installIyss did not create the IYSS schema in the scratch database');
    seed = result.seed;

    softDeleted = people()[people().length - 1]!;
    await db().updateTable('tblYoungPerson').set({ IsDeleted: 1 }).where('YoungPersonID', '=', softDeleted.YoungPersonID).execute();
    softDeleted.IsDeleted = 1;

    adapter = createIyssAdapter(database);
  }, 180_000);

  afterAll(async () => {
    if (!database) return;
    try {
      if (connected) await dropIyssTables(database);
    } finally {
      await database.close();
    }
  });

  describe('installIyss', () => {
    it('created and seeded every table', async () => {
      for (const table of IYSS_TABLES) {
        const { count } = await db()
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .executeTakeFirstOrThrow();
        expect({ table, count: Number(count) }).toEqual({ table, count: seed.rows[table].length });
      }
    });

    it('finds the schema already there on a second run and writes nothing', async () => {
      await expect(installIyss(database!, { prngSeed: 7, volume: 200 })).resolves.toEqual({ created: false });
    });
  });

  describe('peopleByIds', () => {
    it('returns records in key order, with RecordNotFound for unknown, malformed and soft-deleted keys, in one statement', async () => {
      const chosen = livePeople().slice(0, 40).reverse();
      const keys = [
        ...chosen.map((row) => String(row.YoungPersonID)),
        '99999999',
        'not-an-id',
        String(softDeleted.YoungPersonID),
        String(chosen[0]!.YoungPersonID),
      ];
      const before = database!.stats.statements;
      const results = await adapter.peopleByIds(keys);
      expect(database!.stats.statements - before).toBe(1);

      expect(results).toHaveLength(keys.length);
      chosen.forEach((row, i) => expect(results[i]).toEqual(expectedPerson(row)));
      for (const i of [chosen.length, chosen.length + 1, chosen.length + 2]) {
        expect(results[i]).toBeInstanceOf(RecordNotFound);
        expect((results[i] as RecordNotFound).key).toBe(keys[i]);
      }
      expect(results[keys.length - 1]).toEqual(expectedPerson(chosen[0]!));
    });

    it('round-trips non-Latin-1 letters through NVARCHAR columns and parameters', async () => {
      const accented = livePeople().filter((row) => !isAscii(row.Surname + row.Forename)).slice(0, 10);
      expect(accented.length).toBeGreaterThan(0);
      const results = await adapter.peopleByIds(accented.map((row) => String(row.YoungPersonID)));
      expect(results).toEqual(accented.map(expectedPerson));
    });
  });

  describe('findCandidates', () => {
    const sourceIds = (records: PersonRecord[]) => records.map((r) => r.sourceId);
    const expectedIds = (rows: PersonRow[]) => rows.map((r) => String(r.YoungPersonID));

    it('finds people by surname prefix and date of birth, whichever text form the DOB is stored in', async () => {
      for (const storedForm of [/^\d{4}-\d{2}-\d{2}$/, /^\d{2}\/\d{2}\/\d{4}$/]) {
        const target = livePeople().find((row) => row.DOB && storedForm.test(row.DOB) && isAscii(row.Surname) && row.Surname.trim().length >= 3);
        expect(target).toBeDefined();
        const prefix = target!.Surname.trim().slice(0, 3);
        const dob = isoDateFromLegacyText(target!.DOB)!;
        const matches = await adapter.findCandidates({ surnamePrefixes: [prefix], datesOfBirth: [dob], limit: 100 });

        const expected = livePeople().filter(
          (row) => startsWithAscii(row.Surname, prefix) && isoDateFromLegacyText(row.DOB) === dob,
        );
        expect(sourceIds(matches)).toEqual(expectedIds(expected));
        expect(sourceIds(matches)).toContain(String(target!.YoungPersonID));
        expect(matches.find((m) => m.sourceId === String(target!.YoungPersonID))).toEqual(expectedPerson(target!));
      }
    });

    it('finds an accented surname by its own prefix', async () => {
      const target = livePeople().find((row) => !isAscii(row.Surname.slice(0, 3)))!;
      expect(target).toBeDefined();
      const matches = await adapter.findCandidates({ surnamePrefixes: [target.Surname.slice(0, 3)], limit: 100 });
      expect(sourceIds(matches)).toContain(String(target.YoungPersonID));
    });

    it('matches forename prefixes on Forename or KnownAs', async () => {
      const target = livePeople().find((row) => row.KnownAs && isAscii(row.KnownAs) && row.KnownAs.trim().length >= 3)!;
      expect(target).toBeDefined();
      const prefix = target.KnownAs!.trim().slice(0, 3);
      const matches = await adapter.findCandidates({ forenamePrefixes: [prefix], limit: 500 });
      const expected = livePeople().filter((row) => startsWithAscii(row.Forename, prefix) || startsWithAscii(row.KnownAs, prefix));
      expect(sourceIds(matches)).toEqual(expectedIds(expected));
    });

    it('matches a postcode prefix regardless of stored case and spacing', async () => {
      const matches = await adapter.findCandidates({ postcodePrefix: 'E8', limit: 500 });
      const expected = livePeople().filter((row) => (row.Postcode ?? '').toUpperCase().replace(/ /g, '').startsWith('E8'));
      expect(expected.length).toBeGreaterThan(0);
      expect(sourceIds(matches)).toEqual(expectedIds(expected));
    });

    it('caps rows with TOP, lowest IDs first, and leaves soft-deleted people out', async () => {
      const matches = await adapter.findCandidates({ limit: 5 });
      expect(sourceIds(matches)).toEqual(expectedIds(livePeople().slice(0, 5)));
      const all = await adapter.findCandidates({ limit: 10_000 });
      expect(sourceIds(all)).toEqual(expectedIds(livePeople()));
      expect(sourceIds(all)).not.toContain(String(softDeleted.YoungPersonID));
    });
  });

  describe('lists by person', () => {
    const keys = () => [...people().map((row) => String(row.YoungPersonID)), '99999999', 'abc'];
    /** A person's live rows in a child table (lists do not depend on the person's own soft delete). */
    const byPerson = <Row extends { YoungPersonID: number; IsDeleted: number }>(rows: Row[]) => (key: string) =>
      rows.filter((row) => String(row.YoungPersonID) === key && row.IsDeleted === 0);

    it('loads attendance with session details, newest first, skipping deleted attendance and sessions', async () => {
      const sessions = new Map(seed.rows.tblGroupSession.map((s) => [s.GroupSessionID, s]));
      const activities = new Map(seed.rows.tlkpActivityType.map((t) => [t.ActivityTypeCode, t.Description]));
      const expected = keys().map((key) =>
        byPerson(seed.rows.tblAttendance)(key)
          .map((a) => ({ a, s: sessions.get(a.GroupSessionID)! }))
          .filter(({ s }) => s.IsDeleted === 0)
          .sort((x, y) => y.s.SessionDate.localeCompare(x.s.SessionDate) || y.s.GroupSessionID - x.s.GroupSessionID)
          .map(
            ({ a, s }): AttendanceRecord => ({
              source: 'IYSS',
              sessionId: String(s.GroupSessionID),
              title: s.SessionTitle,
              activity: activities.get(s.ActivityTypeCode) ?? s.ActivityTypeCode,
              sessionDate: isoDateTime(s.SessionDate),
              venue: s.Venue,
              status: attendanceFromCode(a.AttendanceCode),
            }),
          ),
      );
      expect(expected.some((list) => list.length > 0)).toBe(true);
      const results = await adapter.attendanceByPersonIds(keys());
      expect(results).toEqual(expected);
    });

    it('loads contacts newest first, skipping deleted ones', async () => {
      const types = new Map(seed.rows.tlkpContactType.map((t) => [t.ContactTypeCode, t.Description]));
      const expected = keys().map((key) =>
        byPerson(seed.rows.tblContact)(key)
          .sort((x, y) => y.ContactDate.localeCompare(x.ContactDate) || y.ContactID - x.ContactID)
          .map(
            (c): ContactRecord => ({
              source: 'IYSS',
              contactId: String(c.ContactID),
              contactDate: isoDateTime(c.ContactDate),
              contactType: types.get(c.ContactTypeCode) ?? c.ContactTypeCode,
              workerName: c.WorkerName,
              durationMinutes: c.DurationMins,
              notes: c.Notes,
            }),
          ),
      );
      expect(expected.some((list) => list.length > 0)).toBe(true);
      const results = await adapter.contactsByPersonIds(keys());
      expect(results).toEqual(expected);
    });

    it('loads education statuses, latest effective date first', async () => {
      const neet = new Map(seed.rows.tlkpNeetStatus.map((n) => [n.NeetCode, n]));
      const canonical = (list: EducationStatusRecord[]) =>
        [...list].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
      const expected = keys().map((key) =>
        byPerson(seed.rows.tblEducationStatus)(key).map(
          (s): EducationStatusRecord => ({
            source: 'IYSS',
            category: categoryFromNeetCode(s.NeetCode, neet.get(s.NeetCode)?.IsNEET ?? null),
            description: neet.get(s.NeetCode)?.Description ?? `Code ${s.NeetCode}`,
            effectiveDate: isoDateFromLegacyText(s.EffectiveDate) ?? '0001-01-01',
            provider: s.Provider,
          }),
        ),
      );
      expect(expected.some((list) => list.length > 0)).toBe(true);
      const results = await adapter.educationByPersonIds(keys());
      expect(results).toHaveLength(expected.length);
      results.forEach((result, i) => {
        const list = result as EducationStatusRecord[];
        expect(canonical(list)).toEqual(canonical(expected[i]!));
        const dates = list.map((s) => s.effectiveDate);
        expect(dates).toEqual([...dates].sort().reverse());
      });
    });
  });
});
