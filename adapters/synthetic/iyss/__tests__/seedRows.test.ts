import { ageAt, generatePopulation, type SyntheticPerson } from '../../population';
import { generateIyssRows, type IyssSeed } from '../seedRows';

const population = generatePopulation({ seed: 21, size: 4000 });
const seed = generateIyssRows(population, { seed: 21 });
const { rows, truth } = seed;
const people = rows.tblYoungPerson;
const personByKey = new Map(population.map((p) => [p.personKey, p]));
const truthById = new Map(truth.map((t) => [t.youngPersonId, t.personKey]));
const personOf = (youngPersonId: number): SyntheticPerson =>
  personByKey.get(truthById.get(youngPersonId) ?? '') as SyntheticPerson;
const share = (part: number, whole: number) => part / whole;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function isRealDate(iso: string): boolean {
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso;
}

/** Rows per person, counting 0 for people with none. */
function perPerson(owned: ReadonlyArray<{ YoungPersonID: number }>): number[] {
  const counts = new Map(people.map((p) => [p.YoungPersonID, 0]));
  for (const row of owned) counts.set(row.YoungPersonID, (counts.get(row.YoungPersonID) ?? 0) + 1);
  return [...counts.values()];
}
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
/** The first few items failing a check; one expect per table keeps the suite fast and failures short. */
const failing = <T>(items: readonly T[], ok: (item: T) => boolean): T[] =>
  items.filter((item) => !ok(item)).slice(0, 5);

describe('generateIyssRows', () => {
  it('is deterministic for the same population and seed, and differs for another seed', () => {
    const again = generateIyssRows(generatePopulation({ seed: 21, size: 4000 }), { seed: 21 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(seed));
    const other = generateIyssRows(population, { seed: 22 });
    expect(JSON.stringify(other.rows.tblYoungPerson)).not.toBe(JSON.stringify(people));
  });

  it('knows about the requested share of the population', () => {
    const known = new Set(truth.map((t) => t.personKey));
    expect(share(known.size, population.length)).toBeGreaterThan(0.82);
    expect(share(known.size, population.length)).toBeLessThan(0.88);
    const half = generateIyssRows(population, { seed: 21, coverage: 0.5 });
    expect(share(new Set(half.truth.map((t) => t.personKey)).size, population.length)).toBeCloseTo(0.5, 1);
    expect(generateIyssRows(population, { seed: 21, coverage: 0 }).rows.tblYoungPerson).toEqual([]);
    expect(() => generateIyssRows(population, { seed: 21, coverage: 1.5 })).toThrow(RangeError);
  });

  it('numbers young people from 10001 in population order', () => {
    expect(people.map((p) => p.YoungPersonID)).toEqual(people.map((_, i) => 10001 + i));
    const firstRecords = truth.filter((t, i) => truth.findIndex((u) => u.personKey === t.personKey) === i);
    const keys = firstRecords.map((t) => t.personKey);
    expect(keys).toEqual([...keys].sort());
  });

  it('has ground truth for every young person row and for nothing else', () => {
    expect(truth).toHaveLength(people.length);
    expect(new Set(truth.map((t) => t.youngPersonId))).toEqual(new Set(people.map((p) => p.YoungPersonID)));
    expect(failing(truth, (t) => personByKey.has(t.personKey))).toEqual([]);
  });

  it('plants about 1% duplicate registrations of the same person', () => {
    const idsByPerson = new Map<string, number[]>();
    for (const t of truth) idsByPerson.set(t.personKey, [...(idsByPerson.get(t.personKey) ?? []), t.youngPersonId]);
    const duplicated = [...idsByPerson.values()].filter((ids) => ids.length > 1);
    expect(share(duplicated.length, idsByPerson.size)).toBeGreaterThan(0.004);
    expect(share(duplicated.length, idsByPerson.size)).toBeLessThan(0.02);
    const byId = new Map(people.map((p) => [p.YoungPersonID, p]));
    for (const [first, second] of duplicated) {
      const a = byId.get(first as number);
      const b = byId.get(second as number);
      expect({ ...b, YoungPersonID: 0, IsDeleted: 0, DateCreated: '', DateModified: '' })
        .toEqual({ ...a, YoungPersonID: 0, IsDeleted: 0, DateCreated: '', DateModified: '' });
      expect((b?.DateCreated ?? '') > (a?.DateCreated ?? '')).toBe(true);
    }
  });

  it('writes dates of birth as YYYY-MM-DD, DD/MM/YYYY or null, in roughly a 60/40 split', () => {
    let iso = 0;
    let uk = 0;
    const unreadable: string[] = [];
    for (const { DOB } of people) {
      if (DOB === null) continue;
      if (/^\d{4}-\d{2}-\d{2}$/.test(DOB)) iso++;
      else if (/^\d{2}\/\d{2}\/\d{4}$/.test(DOB)) uk++;
      const asIso = DOB.includes('/') ? `${DOB.slice(6)}-${DOB.slice(3, 5)}-${DOB.slice(0, 2)}` : DOB;
      if (!isRealDate(asIso)) unreadable.push(DOB);
    }
    expect(unreadable).toEqual([]);
    expect(iso + uk).toBe(people.filter((p) => p.DOB !== null).length);
    expect(share(iso, iso + uk)).toBeGreaterThan(0.55);
    expect(share(iso, iso + uk)).toBeLessThan(0.65);
    const missing = people.filter((p) => p.DOB === null).length;
    expect(share(missing, people.length)).toBeGreaterThan(0.015);
    expect(share(missing, people.length)).toBeLessThan(0.05);
  });

  it('renders people as an imperfect but recognisable copy', () => {
    const exactNames = people.filter((p) => {
      const person = personOf(p.YoungPersonID);
      return p.Forename === person.forename && p.Surname === person.surname;
    });
    expect(share(exactNames.length, people.length)).toBeGreaterThan(0.75);
    expect(exactNames.length).toBeLessThan(people.length);
    expect(people.some((p) => p.Postcode !== null && !/^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/.test(p.Postcode))).toBe(true);
    expect(failing(people, (p) => p.Sex === 'U' || p.Sex === personOf(p.YoungPersonID).gender)).toEqual([]);
    expect(failing(people, (p) => DATETIME.test(p.DateCreated) && p.DateModified >= p.DateCreated)).toEqual([]);
    expect(failing(people, (p) => p.UPN === null || /^[A-Z]\d{12}$/.test(p.UPN))).toEqual([]);
    expect(failing(people, (p) => p.Postcode === null || p.Postcode.length <= 10)).toEqual([]);
    const unstated = people.filter((p) => p.Sex === 'U').length;
    expect(share(unstated, people.length)).toBeLessThan(0.04);
    const withNickname = people.filter((p) => personOf(p.YoungPersonID).nickname !== null);
    const knownAs = withNickname.filter((p) => p.KnownAs === personOf(p.YoungPersonID).nickname).length;
    expect(share(knownAs, withNickname.length)).toBeGreaterThan(0.2);
    expect(share(knownAs, withNickname.length)).toBeLessThan(0.4);
    const upnsCopied = people.filter((p) => p.UPN !== null && p.UPN === personOf(p.YoungPersonID).upn).length;
    const upnsKnown = people.filter((p) => personOf(p.YoungPersonID).upn !== null).length;
    expect(share(upnsCopied, upnsKnown)).toBeGreaterThan(0.97);
  });

  it('soft-deletes a small share of rows in every table', () => {
    const deletedShare = (table: ReadonlyArray<{ IsDeleted: number }>) =>
      share(table.filter((r) => r.IsDeleted === 1).length, table.length);
    expect(deletedShare(people)).toBeGreaterThan(0.005);
    expect(deletedShare(people)).toBeLessThan(0.04);
    const tables: ReadonlyArray<ReadonlyArray<{ IsDeleted: number }>> = [
      rows.tblGroupSession, rows.tblAttendance, rows.tblContact, rows.tblEducationStatus,
    ];
    for (const table of tables) {
      expect(deletedShare(table)).toBeGreaterThan(0);
      expect(deletedShare(table)).toBeLessThan(0.03);
      expect(failing(table, (row) => row.IsDeleted === 0 || row.IsDeleted === 1)).toEqual([]);
    }
  });

  it('only references codes that exist in the code tables', () => {
    const ethnicities = new Set(rows.tlkpEthnicity.map((r) => r.EthnicityCode));
    const activities = new Set(rows.tlkpActivityType.map((r) => r.ActivityTypeCode));
    const contactTypes = new Set(rows.tlkpContactType.map((r) => r.ContactTypeCode));
    const neetCodes = new Set(rows.tlkpNeetStatus.map((r) => r.NeetCode));
    expect(activities.size).toBeGreaterThanOrEqual(10);
    for (const code of ['WBRI', 'WOTH', 'BAFR', 'BCRB', 'ABAN', 'NOBT']) expect(ethnicities).toContain(code);
    expect(failing(people, (p) => p.EthnicityCode === null || ethnicities.has(p.EthnicityCode))).toEqual([]);
    expect(failing(rows.tblGroupSession, (s) => activities.has(s.ActivityTypeCode))).toEqual([]);
    expect(failing(rows.tblContact, (c) => contactTypes.has(c.ContactTypeCode))).toEqual([]);
    expect(failing(rows.tblEducationStatus, (e) => neetCodes.has(e.NeetCode))).toEqual([]);
    const notRecorded = people.filter((p) => p.EthnicityCode === null || p.EthnicityCode === 'NOBT').length;
    expect(share(notRecorded, people.length)).toBeGreaterThan(0.03);
    expect(share(notRecorded, people.length)).toBeLessThan(0.08);
  });

  it('keeps NEET codes consistent with the categories the adapter reads from their first digit', () => {
    for (const status of rows.tlkpNeetStatus) {
      expect(status.NeetCode).toMatch(/^[12358]\d\d$|^6\d\d$/);
      expect(status.IsNEET).toBe(/^[56]/.test(status.NeetCode) ? 1 : 0);
    }
  });

  it('schedules at least 20 sessions, about one per four people, over the two years before the reference date', () => {
    const sessions = rows.tblGroupSession;
    expect(sessions).toHaveLength(1000);
    expect(generateIyssRows(population.slice(0, 10), { seed: 1 }).rows.tblGroupSession).toHaveLength(20);
    expect(sessions.map((s) => s.GroupSessionID)).toEqual(sessions.map((_, i) => i + 1));
    const inWindow = (s: (typeof sessions)[number]) => s.SessionDate >= '2024-11-01' && s.SessionDate < '2026-11-01';
    expect(failing(sessions, (s) => DATETIME.test(s.SessionDate) && inWindow(s))).toEqual([]);
    expect(failing(sessions, (s) => s.SessionTitle.length > 0)).toEqual([]);
    expect(sessions.some((s) => s.Venue === 'Concorde Youth Centre')).toBe(true);
  });

  it('records attendance at existing sessions by existing people, 0-12 each with a mean near 4', () => {
    const sessionIds = new Set(rows.tblGroupSession.map((s) => s.GroupSessionID));
    const personIds = new Set(people.map((p) => p.YoungPersonID));
    const referencesExist = (a: (typeof rows.tblAttendance)[number]) =>
      sessionIds.has(a.GroupSessionID) && personIds.has(a.YoungPersonID);
    expect(failing(rows.tblAttendance, referencesExist)).toEqual([]);
    const pairs = new Set(rows.tblAttendance.map((a) => `${a.GroupSessionID}:${a.YoungPersonID}`));
    expect(pairs.size).toBe(rows.tblAttendance.length);
    expect(rows.tblAttendance.map((a) => a.AttendanceID)).toEqual(rows.tblAttendance.map((_, i) => i + 1));
    const counts = perPerson(rows.tblAttendance);
    expect(Math.max(...counts)).toBeLessThanOrEqual(12);
    expect(mean(counts)).toBeGreaterThan(3);
    expect(mean(counts)).toBeLessThan(4.5);
    const codes = rows.tblAttendance.map((a) => a.AttendanceCode);
    expect(share(codes.filter((c) => c === 'P').length, codes.length)).toBeGreaterThan(0.7);
    expect(new Set(codes)).toEqual(new Set(['P', 'L', 'A', 'E']));
  });

  it('records 0-10 contacts per person with a mean near 3', () => {
    const personIds = new Set(people.map((p) => p.YoungPersonID));
    expect(failing(rows.tblContact, (c) => personIds.has(c.YoungPersonID))).toEqual([]);
    expect(failing(rows.tblContact, (c) => DATETIME.test(c.ContactDate) && c.ContactDate < '2026-11-01')).toEqual([]);
    const durationOk = (minutes: number | null) => minutes === null || (minutes >= 10 && minutes <= 90);
    expect(failing(rows.tblContact, (c) => durationOk(c.DurationMins))).toEqual([]);
    const counts = perPerson(rows.tblContact);
    expect(Math.max(...counts)).toBeLessThanOrEqual(10);
    expect(mean(counts)).toBeGreaterThan(2.5);
    expect(mean(counts)).toBeLessThan(3.5);
    expect(rows.tblContact.some((c) => c.Notes === 'Discussed college application.')).toBe(true);
  });

  it('gives 1-3 education statuses to everyone aged 14+, dated DD/MM/YYYY', () => {
    const personIds = new Set(people.map((p) => p.YoungPersonID));
    const statuses = rows.tblEducationStatus;
    expect(failing(statuses, (e) => personIds.has(e.YoungPersonID))).toEqual([]);
    expect(failing(statuses, (e) => {
      const [day, month, year] = e.EffectiveDate.split('/');
      return /^\d{2}\/\d{2}\/\d{4}$/.test(e.EffectiveDate) && isRealDate(`${year}-${month}-${day}`);
    })).toEqual([]);
    // Providers name a school, college or training provider, so only education and training statuses have one.
    expect(failing(statuses, (e) => /^[12]/.test(e.NeetCode) || e.Provider === null)).toEqual([]);
    const counts = new Map<number, number>();
    for (const e of statuses) counts.set(e.YoungPersonID, (counts.get(e.YoungPersonID) ?? 0) + 1);
    expect(failing(people, (p) => {
      const count = counts.get(p.YoungPersonID) ?? 0;
      return ageAt(personOf(p.YoungPersonID).dateOfBirth, '2026-11-01') >= 14 ? count >= 1 && count <= 3 : count === 0;
    })).toEqual([]);
    expect(rows.tblEducationStatus.some((e) => e.Provider === 'Hackney Community College')).toBe(true);
  });

  it('covers most of a 20,000-person population', () => {
    const large = generatePopulation({ seed: 5, size: 20_000 });
    const result: IyssSeed = generateIyssRows(large, { seed: 5 });
    expect(result.rows.tblYoungPerson.length).toBeGreaterThan(16_000);
  });
});
