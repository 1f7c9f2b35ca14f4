import { ageAt, generatePopulation, type SyntheticPerson } from '../../population';
import { foldAccents } from '../../variants';
import { legacyUpperCase } from '../../../yois/mapping';
import { generateYoisRows, ORDER_OUTCOMES, type PlannedProblem, type YoisSeed } from '../seedRows';
import type { YoisTables } from '../../../yois/tables';

const REFERENCE_DATE = '2026-11-01';
const population = generatePopulation({ seed: 21, size: 4000 });
const seed = generateYoisRows(population, { seed: 21 });
const { rows, truth, plannedProblems } = seed;
const people = rows.YP_PERSON;
const personByKey = new Map(population.map((p) => [p.personKey, p]));
const keyBySourceId = new Map(truth.map((t) => [t.sourceId, t.personKey]));
const personOf = (personId: number): SyntheticPerson =>
  personByKey.get(keyBySourceId.get(String(personId)) ?? '') as SyntheticPerson;
const share = (part: number, whole: number) => part / whole;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
/** The first few items failing a check; one expect per table keeps failures short. */
const failing = <T>(items: readonly T[], ok: (item: T) => boolean): T[] => items.filter((item) => !ok(item)).slice(0, 5);

type Rows<T extends keyof YoisTables> = Array<YoisTables[T]>;
const byId = <T, K extends keyof T>(items: readonly T[], key: K) => new Map(items.map((item) => [item[key], item]));
const offences = byId(rows.YP_OFFENCE, 'OFFENCE_ID');
const outcomes = byId(rows.YP_OUTCOME, 'OUTCOME_ID');
const orders = byId(rows.YP_ORDER, 'ORDER_ID');
const isoOf = (compact: string) => `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
const isRealCompactDate = (compact: string) => {
  const iso = isoOf(compact);
  const parsed = new Date(`${iso}T00:00:00Z`);
  return /^\d{8}$/.test(compact) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso;
};
const isWeekday = (dateTime: string) => ![0, 6].includes(new Date(`${dateTime.slice(0, 10)}T00:00:00Z`).getUTCDay());
const planned = (kind: PlannedProblem['kind']) => new Set(plannedProblems.filter((p) => p.kind === kind).map((p) => p.recordId));
const count = <T>(items: readonly T[], key: (item: T) => string | number) => {
  const counts = new Map<string | number, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

describe('generateYoisRows', () => {
  it('is deterministic for the same population and seed, and differs for another seed', () => {
    const again = generateYoisRows(generatePopulation({ seed: 21, size: 4000 }), { seed: 21 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(seed));
    const other = generateYoisRows(population, { seed: 22 });
    expect(JSON.stringify(other.rows.YP_PERSON)).not.toBe(JSON.stringify(people));
  });

  it('knows 8-10% of the population: nearly everyone with a PNC number, a few others', () => {
    const known = new Set(truth.map((t) => t.personKey));
    expect(share(known.size, population.length)).toBeGreaterThan(0.08);
    expect(share(known.size, population.length)).toBeLessThan(0.1);
    const withPnc = population.filter((p) => p.pncNumber !== null);
    expect(share(withPnc.filter((p) => known.has(p.personKey)).length, withPnc.length)).toBeGreaterThan(0.9);
    const others = [...known].filter((key) => personByKey.get(key)?.pncNumber === null);
    expect(others.length).toBeGreaterThan(0);
    expect(share(others.length, known.size)).toBeLessThan(0.2);
    expect(generateYoisRows(population, { seed: 21, pncCoverage: 0, communityResolutionCoverage: 0 }).rows.YP_PERSON).toEqual([]);
    expect(() => generateYoisRows(population, { seed: 21, pncCoverage: 1.5 })).toThrow(RangeError);
    expect(() => generateYoisRows(population, { seed: 21, communityResolutionCoverage: -0.1 })).toThrow(RangeError);
  });

  it('has ground truth for every YP_PERSON row, as PERSON_ID text, one row per person', () => {
    expect(truth).toHaveLength(people.length);
    expect(truth.map((t) => t.sourceId)).toEqual(people.map((p) => String(p.PERSON_ID)));
    expect(new Set(truth.map((t) => t.personKey)).size).toBe(truth.length);
    expect(failing(truth, (t) => personByKey.has(t.personKey))).toEqual([]);
  });

  it('issues PERSON_IDs from 300001 upwards in registration order, with a few gaps', () => {
    const ids = people.map((p) => p.PERSON_ID);
    expect(ids[0]).toBe(300001);
    expect(failing(ids.slice(1), (id) => id > (ids[ids.indexOf(id) - 1] as number))).toEqual([]);
    expect(ids[ids.length - 1]! - ids[0]! + 1).toBeGreaterThan(ids.length);
    const created = people.map((p) => p.CREATED_DATE);
    expect(created).toEqual([...created].sort());
  });

  it('stores names and postcodes upper case, in Windows-1252 only, as a recognisable copy', () => {
    expect(failing(people, (p) => p.FORENAME === legacyUpperCase(p.FORENAME) && p.SURNAME === legacyUpperCase(p.SURNAME))).toEqual([]);
    expect(failing(people, (p) => p.KNOWN_AS === null || p.KNOWN_AS === legacyUpperCase(p.KNOWN_AS))).toEqual([]);
    expect(failing(people, (p) => p.POSTCODE === null || p.POSTCODE === p.POSTCODE.toUpperCase())).toEqual([]);
    expect(failing(people, (p) => /^[\x20-\x7e\xa0-\xff]*$/.test(`${p.FORENAME}${p.SURNAME}${p.KNOWN_AS ?? ''}`))).toEqual([]);
    // Accented letters the code page has survive; Turkish Ş, Ğ and İ do not.
    expect(people.some((p) => /[ÖÜÇ]/.test(p.SURNAME))).toBe(true);
    expect(people.some((p) => /[ŞĞİ]/.test(`${p.FORENAME}${p.SURNAME}`))).toBe(false);

    const exact = people.filter((p) => {
      const person = personOf(p.PERSON_ID);
      return p.FORENAME === legacyUpperCase(person.forename) && p.SURNAME === legacyUpperCase(person.surname);
    });
    expect(share(exact.length, people.length)).toBeGreaterThan(0.6);
    expect(exact.length).toBeLessThan(people.length);
    expect(failing(people, (p) => p.SEX === 'U' || p.SEX === personOf(p.PERSON_ID).gender)).toEqual([]);
    expect(failing(people, (p) => p.UPN === null || p.UPN === personOf(p.PERSON_ID).upn)).toEqual([]);
    expect(failing(people, (p) => p.POSTCODE === null || p.POSTCODE.length <= 10)).toEqual([]);
  });

  it('more often holds the nickname as forename or a changed surname than the default rates give', () => {
    const withNickname = people.filter((p) => personOf(p.PERSON_ID).nickname !== null);
    const nicknameAsForename = withNickname.filter((p) => p.FORENAME === legacyUpperCase(personOf(p.PERSON_ID).nickname!));
    expect(share(nicknameAsForename.length, withNickname.length)).toBeGreaterThan(0.15);
    // A step-parent's surname or a double-barrelled one: at the default rate (2%) this would be rare.
    const changed = people.filter((p) => {
      const canonical = foldAccents(legacyUpperCase(personOf(p.PERSON_ID).surname));
      const held = foldAccents(p.SURNAME);
      return !held.startsWith(canonical.slice(0, 2)) || (held.includes('-') && !canonical.includes('-'));
    });
    expect(share(changed.length, people.length)).toBeGreaterThan(0.04);
  });

  it('keeps PNC numbers, mostly in the long form and some in the short form', () => {
    const withPnc = people.filter((p) => p.PNC_NUMBER !== null);
    expect(failing(withPnc, (p) => personOf(p.PERSON_ID).pncNumber !== null)).toEqual([]);
    const long = withPnc.filter((p) => /^\d{4}\/\d{7}[A-Z]$/.test(p.PNC_NUMBER!));
    const short = withPnc.filter((p) => /^\d{2}\/[1-9]\d{0,6}[A-Z]$/.test(p.PNC_NUMBER!));
    expect(long.length + short.length).toBe(withPnc.length);
    expect(share(short.length, withPnc.length)).toBeGreaterThan(0.03);
    expect(share(short.length, withPnc.length)).toBeLessThan(0.2);
    expect(failing(long, (p) => p.PNC_NUMBER === personOf(p.PERSON_ID).pncNumber)).toEqual([]);
  });

  it('writes YYYYMMDD dates as real dates (or 00000000/NULL for an unknown DOB) and DATETIME columns as text', () => {
    expect(failing(people, (p) => p.DOB === null || p.DOB === '00000000' || isRealCompactDate(p.DOB))).toEqual([]);
    const unknownDob = people.filter((p) => p.DOB === null || p.DOB === '00000000').length;
    expect(share(unknownDob, people.length)).toBeLessThan(0.08);
    expect(failing(rows.YP_OFFENCE, (o) => isRealCompactDate(o.OFFENCE_DATE) && DATETIME.test(o.CREATED_DATE))).toEqual([]);
    expect(failing(rows.YP_OUTCOME, (o) => isRealCompactDate(o.OUTCOME_DATE))).toEqual([]);
    expect(failing(rows.YP_ORDER, (o) => isRealCompactDate(o.ORDER_START) && isRealCompactDate(o.ORDER_END))).toEqual([]);
    expect(failing(rows.YP_APPOINTMENT, (a) => DATETIME.test(a.APPT_DATETIME))).toEqual([]);
    expect(failing(rows.YP_BREACH_WARNING, (w) => DATETIME.test(w.ISSUED_DATE) && w.ISSUED_DATE < REFERENCE_DATE)).toEqual([]);
    expect(failing(rows.YP_CASE_ALLOCATION, (a) => DATETIME.test(a.ALLOC_START) && (a.ALLOC_END === null || a.ALLOC_END > a.ALLOC_START))).toEqual([]);
  });

  it("uses 'Y'/'N' flags, and soft-deletes a few rows", () => {
    const tables: Array<ReadonlyArray<{ DELETED_FLAG: string }>> = [
      people, rows.YP_OFFENCE, rows.YP_OUTCOME, rows.YP_ORDER, rows.YP_ORDER_REQUIREMENT, rows.YP_APPOINTMENT,
      rows.YP_BREACH_WARNING, rows.YP_CASE_ALLOCATION,
    ];
    for (const table of tables) expect(failing(table, (r) => r.DELETED_FLAG === 'Y' || r.DELETED_FLAG === 'N')).toEqual([]);
    const deleted = (table: ReadonlyArray<{ DELETED_FLAG: string }>) => share(table.filter((r) => r.DELETED_FLAG === 'Y').length, table.length);
    expect(deleted(people)).toBeGreaterThan(0.003);
    expect(deleted(people)).toBeLessThan(0.05);
    expect(deleted(rows.YP_APPOINTMENT)).toBeGreaterThan(0);
    expect(deleted(rows.YP_APPOINTMENT)).toBeLessThan(0.05);
  });

  it('only references codes that exist in the code tables, with gravity scores 1-8', () => {
    const offenceCodes = new Set(rows.LU_OFFENCE.map((o) => o.OFFENCE_CODE));
    const outcomeCodes = new Set(rows.LU_OUTCOME_TYPE.map((o) => o.OUTCOME_TYPE_CODE));
    const requirementCodes = new Set(rows.LU_REQUIREMENT.map((r) => r.REQUIREMENT_CODE));
    const ethnicities = new Set(rows.LU_ETHNICITY.map((e) => e.ETHNICITY_CODE));
    expect(failing(rows.LU_OFFENCE, (o) => /^\d{3}\/\d{2}$/.test(o.OFFENCE_CODE) && o.GRAVITY_SCORE >= 1 && o.GRAVITY_SCORE <= 8)).toEqual([]);
    expect(failing(rows.YP_OFFENCE, (o) => offenceCodes.has(o.OFFENCE_CODE))).toEqual([]);
    expect(failing(rows.YP_OUTCOME, (o) => outcomeCodes.has(o.OUTCOME_TYPE_CODE))).toEqual([]);
    expect(failing(rows.YP_ORDER, (o) => outcomeCodes.has(o.ORDER_TYPE_CODE))).toEqual([]);
    expect(failing(rows.YP_ORDER_REQUIREMENT, (r) => requirementCodes.has(r.REQUIREMENT_CODE))).toEqual([]);
    expect(failing(people, (p) => p.ETHNICITY_CODE === null || ethnicities.has(p.ETHNICITY_CODE))).toEqual([]);
  });

  it('gives 1-4 offences each, none before the tenth birthday', () => {
    const perPerson = count(rows.YP_OFFENCE, (o) => o.PERSON_ID);
    expect(failing(people, (p) => (perPerson.get(p.PERSON_ID) ?? 0) >= 1 && (perPerson.get(p.PERSON_ID) ?? 0) <= 4)).toEqual([]);
    expect(new Set(perPerson.values())).toEqual(new Set([1, 2, 3, 4]));
    expect(failing(rows.YP_OFFENCE, (o) => ageAt(personOf(o.PERSON_ID).dateOfBirth, isoOf(o.OFFENCE_DATE)) >= 10)).toEqual([]);
    expect(failing(rows.YP_OFFENCE, (o) => o.OFFENCE_DATE < '20261101')).toEqual([]);
  });

  it('gives at most one outcome per offence, weighted toward lower tariffs, and community resolutions only to people without a PNC number', () => {
    expect(Math.max(...count(rows.YP_OUTCOME, (o) => o.OFFENCE_ID).values())).toBe(1);
    expect(failing(rows.YP_OUTCOME, (o) => offences.has(o.OFFENCE_ID))).toEqual([]);
    const types = count(rows.YP_OUTCOME, (o) => o.OUTCOME_TYPE_CODE);
    const outOfCourt = (types.get('CR') ?? 0) + (types.get('YC') ?? 0) + (types.get('YCC') ?? 0);
    const custody = types.get('DTO') ?? 0;
    expect(share(outOfCourt, rows.YP_OUTCOME.length)).toBeGreaterThan(0.4);
    expect(share(custody, rows.YP_OUTCOME.length)).toBeLessThan(0.1);
    expect(custody).toBeGreaterThan(0);
    expect(new Set(types.keys())).toEqual(new Set(rows.LU_OUTCOME_TYPE.map((t) => t.OUTCOME_TYPE_CODE)));
    const noPnc = rows.YP_OUTCOME.filter((o) => personOf(offences.get(o.OFFENCE_ID)!.PERSON_ID).pncNumber === null);
    expect(noPnc.length).toBeGreaterThan(0);
    expect(failing(noPnc, (o) => o.OUTCOME_TYPE_CODE === 'CR')).toEqual([]);
    // Some cases are still waiting for an outcome.
    expect(rows.YP_OUTCOME.length).toBeLessThan(rows.YP_OFFENCE.length);
  });

  it('makes an order for, and only for, each referral order, YRO and DTO outcome, from the outcome date', () => {
    const orderOutcomes = rows.YP_OUTCOME.filter((o) => ORDER_OUTCOMES.has(o.OUTCOME_TYPE_CODE));
    expect(rows.YP_ORDER.map((o) => o.OUTCOME_ID).sort((a, b) => a - b)).toEqual(orderOutcomes.map((o) => o.OUTCOME_ID));
    const swapped = planned('ORDER_ENDS_BEFORE_START');
    expect(
      failing(rows.YP_ORDER, (order) => {
        const outcome = outcomes.get(order.OUTCOME_ID)!;
        const offence = offences.get(outcome.OFFENCE_ID)!;
        const start = swapped.has(String(order.ORDER_ID)) ? order.ORDER_END : order.ORDER_START;
        return order.ORDER_TYPE_CODE === outcome.OUTCOME_TYPE_CODE && order.PERSON_ID === offence.PERSON_ID && start === outcome.OUTCOME_DATE;
      }),
    ).toEqual([]);
    expect(new Set(rows.YP_ORDER.map((o) => o.ORDER_STATUS))).toEqual(new Set(['A', 'C', 'R', 'B']));
    const live = rows.YP_ORDER.filter((o) => !swapped.has(String(o.ORDER_ID)));
    expect(failing(live, (o) => (o.ORDER_END >= '20261101') === ['A', 'B'].includes(o.ORDER_STATUS))).toEqual([]);
  });

  it('carries requirements fitting each order type', () => {
    const byOrder = new Map<number, string[]>();
    for (const r of rows.YP_ORDER_REQUIREMENT) byOrder.set(r.ORDER_ID, [...(byOrder.get(r.ORDER_ID) ?? []), r.REQUIREMENT_CODE]);
    expect(failing(rows.YP_ORDER, (o) => (byOrder.get(o.ORDER_ID) ?? []).length >= 1)).toEqual([]);
    expect(failing(rows.YP_ORDER.filter((o) => o.ORDER_TYPE_CODE === 'YRO'), (o) => byOrder.get(o.ORDER_ID)!.includes('SUP'))).toEqual([]);
    expect(failing(rows.YP_ORDER.filter((o) => o.ORDER_TYPE_CODE === 'DTO'), (o) => byOrder.get(o.ORDER_ID)!.join() === 'LIC')).toEqual([]);
    const upw = rows.YP_ORDER_REQUIREMENT.filter((r) => r.REQUIREMENT_CODE === 'UPW');
    expect(failing(upw, (r) => /^\d+ hours$/.test(r.DETAIL ?? ''))).toEqual([]);
  });

  it('books 3-15 weekday appointments per order, within the order, with realistic attendance', () => {
    const perOrder = count(rows.YP_APPOINTMENT, (a) => a.ORDER_ID);
    expect(failing(rows.YP_ORDER, (o) => (perOrder.get(o.ORDER_ID) ?? 0) >= 3 && (perOrder.get(o.ORDER_ID) ?? 0) <= 15)).toEqual([]);
    expect(failing(rows.YP_APPOINTMENT, (a) => isWeekday(a.APPT_DATETIME) && ['Y', 'N', 'A', 'P'].includes(a.ATTENDED_FLAG))).toEqual([]);
    const dayOf = (compact: string) => Date.parse(`${isoOf(compact)}T00:00:00Z`) / 86_400_000;
    // After the start; by the end, or the Monday after when the end falls at a weekend; booked at most ~6 weeks ahead.
    const within = (a: Rows<'YP_APPOINTMENT'>[number]) => {
      const order = orders.get(a.ORDER_ID)!;
      const [start, end] = [dayOf(order.ORDER_START), dayOf(order.ORDER_END)].sort((x, y) => x - y) as [number, number];
      const day = Date.parse(`${a.APPT_DATETIME.slice(0, 10)}T00:00:00Z`) / 86_400_000;
      return day > start && day <= end + 2 && a.APPT_DATETIME.slice(0, 10) <= '2026-12-15';
    };
    expect(failing(rows.YP_APPOINTMENT, within)).toEqual([]);
    const past = rows.YP_APPOINTMENT.filter((a) => a.APPT_DATETIME < REFERENCE_DATE);
    const flags = count(past, (a) => a.ATTENDED_FLAG);
    expect(share(flags.get('Y') ?? 0, past.length)).toBeGreaterThan(0.7);
    expect(share(flags.get('N') ?? 0, past.length)).toBeGreaterThan(0.04);
    expect(share(flags.get('A') ?? 0, past.length)).toBeGreaterThan(0.04);
    // Future appointments are pending; past ones are recorded, except the planted problems.
    const pending = planned('PAST_APPOINTMENT_NOT_RECORDED');
    expect(failing(rows.YP_APPOINTMENT, (a) => (a.ATTENDED_FLAG === 'P') === (a.APPT_DATETIME >= REFERENCE_DATE || pending.has(String(a.APPOINTMENT_ID))))).toEqual([]);
    expect(rows.YP_APPOINTMENT.some((a) => a.ATTENDED_FLAG === 'P' && a.APPT_DATETIME >= REFERENCE_DATE)).toBe(true);
  });

  it('issues breach warnings only after a failed appointment, strike 2 only after strike 1', () => {
    expect(rows.YP_BREACH_WARNING.length).toBeGreaterThan(0);
    const appointmentsOf = new Map<number, Rows<'YP_APPOINTMENT'>>();
    for (const a of rows.YP_APPOINTMENT) appointmentsOf.set(a.ORDER_ID, [...(appointmentsOf.get(a.ORDER_ID) ?? []), a]);
    const warningsOf = new Map<number, Rows<'YP_BREACH_WARNING'>>();
    for (const w of rows.YP_BREACH_WARNING) warningsOf.set(w.ORDER_ID, [...(warningsOf.get(w.ORDER_ID) ?? []), w]);
    const unplanned = planned('STRIKE_TWO_WITHOUT_STRIKE_ONE');
    expect(
      failing(rows.YP_BREACH_WARNING, (w) =>
        (appointmentsOf.get(w.ORDER_ID) ?? []).some((a) => a.ATTENDED_FLAG === 'N' && a.APPT_DATETIME < w.ISSUED_DATE),
      ),
    ).toEqual([]);
    for (const [orderId, warnings] of warningsOf) {
      const strikes = warnings.map((w) => w.STRIKE_NO);
      if (unplanned.has(String(warnings[0]!.WARNING_ID))) expect(strikes).toEqual([2]);
      else expect([[1], [1, 2]]).toContainEqual(strikes);
      if (strikes.includes(2) && orders.get(orderId)!.ORDER_END >= '20261101') {
        expect(orders.get(orderId)!.ORDER_STATUS).toBe('B');
      }
    }
    expect([...warningsOf.values()].some((w) => w.length === 2)).toBe(true);
  });

  it('allocates every young person to a Core Unit', () => {
    const units = new Set(rows.YP_CASE_ALLOCATION.map((a) => a.UNIT_CODE));
    expect([...units].sort()).toEqual(['CU1', 'CU2', 'CU3', 'CU4', 'CU5', 'CU6', 'CU7', 'CU8']);
    const perPerson = count(rows.YP_CASE_ALLOCATION, (a) => a.PERSON_ID);
    expect(failing(people, (p) => [1, 2].includes(perPerson.get(p.PERSON_ID) ?? 0))).toEqual([]);
    const open = rows.YP_CASE_ALLOCATION.filter((a) => a.ALLOC_END === null).length;
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThan(rows.YP_CASE_ALLOCATION.length);
  });

  describe('planned problems', () => {
    const livePeople = new Set(people.filter((p) => p.DELETED_FLAG === 'N').map((p) => String(p.PERSON_ID)));
    const idsWhere = <T>(table: readonly T[], id: (row: T) => number, problem: (row: T) => boolean) =>
      new Set(table.filter(problem).map((row) => String(id(row))));

    it('plants every kind at least once, on live people, with the right person and truth', () => {
      const kinds = new Set(plannedProblems.map((p) => p.kind));
      expect([...kinds].sort()).toEqual([
        'APPOINTMENT_FOR_DELETED_ORDER',
        'OFFENCE_AFTER_OUTCOME',
        'ORDER_ENDS_BEFORE_START',
        'PAST_APPOINTMENT_NOT_RECORDED',
        'STRIKE_TWO_WITHOUT_STRIKE_ONE',
      ]);
      expect(failing(plannedProblems, (p) => livePeople.has(p.personSourceId) && keyBySourceId.get(p.personSourceId) === p.personKey)).toEqual([]);
      expect(plannedProblems.length).toBeLessThan(60);
    });

    it('lists exactly the orders that end before they start', () => {
      expect(idsWhere(rows.YP_ORDER, (o) => o.ORDER_ID, (o) => o.ORDER_END < o.ORDER_START)).toEqual(planned('ORDER_ENDS_BEFORE_START'));
    });

    it('lists exactly the live offences dated after their outcome', () => {
      const after = (o: Rows<'YP_OUTCOME'>[number]) => o.DELETED_FLAG === 'N' && offences.get(o.OFFENCE_ID)!.OFFENCE_DATE > o.OUTCOME_DATE;
      expect(new Set(rows.YP_OUTCOME.filter(after).map((o) => String(o.OFFENCE_ID)))).toEqual(planned('OFFENCE_AFTER_OUTCOME'));
    });

    it('lists exactly the live appointments of deleted orders', () => {
      const orphaned = (a: Rows<'YP_APPOINTMENT'>[number]) => a.DELETED_FLAG === 'N' && orders.get(a.ORDER_ID)!.DELETED_FLAG === 'Y';
      expect(idsWhere(rows.YP_APPOINTMENT, (a) => a.APPOINTMENT_ID, orphaned)).toEqual(planned('APPOINTMENT_FOR_DELETED_ORDER'));
    });

    it('lists exactly the past appointments still pending', () => {
      const pending = (a: Rows<'YP_APPOINTMENT'>[number]) => a.ATTENDED_FLAG === 'P' && a.APPT_DATETIME < REFERENCE_DATE;
      expect(idsWhere(rows.YP_APPOINTMENT, (a) => a.APPOINTMENT_ID, pending)).toEqual(planned('PAST_APPOINTMENT_NOT_RECORDED'));
    });

    it('lists exactly the second strikes without a first', () => {
      const firstStrikes = new Set(rows.YP_BREACH_WARNING.filter((w) => w.STRIKE_NO === 1).map((w) => w.ORDER_ID));
      const lonely = (w: Rows<'YP_BREACH_WARNING'>[number]) => w.STRIKE_NO === 2 && !firstStrikes.has(w.ORDER_ID);
      expect(idsWhere(rows.YP_BREACH_WARNING, (w) => w.WARNING_ID, lonely)).toEqual(planned('STRIKE_TWO_WITHOUT_STRIKE_ONE'));
    });
  });

  it('scales with the population', () => {
    const large = generatePopulation({ seed: 5, size: 20_000 });
    const result: YoisSeed = generateYoisRows(large, { seed: 5 });
    expect(result.rows.YP_PERSON.length).toBeGreaterThan(1_600);
    expect(result.rows.YP_PERSON.length).toBeLessThan(2_000);
  });
});
