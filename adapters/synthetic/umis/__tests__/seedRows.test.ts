import { generateIyssRows } from '../../iyss/seedRows';
import { ageAt, generatePopulation, type SyntheticPerson } from '../../population';
import { generateUmisRows, UNIT_CODES, type UmisProblemKind, type UmisSeed } from '../seedRows';
import type { UmisRow } from '../../../umis/tables';

const REFERENCE_DATE = '2026-11-01';
const population = generatePopulation({ seed: 21, size: 4000 });
const seed = generateUmisRows(population, { seed: 21 });
const { rows, truth, plannedProblems } = seed;
const personByKey = new Map(population.map((p) => [p.personKey, p]));
const personKeyByClient = new Map(truth.map((t) => [t.sourceId, t.personKey]));
const personOf = (clientId: string): SyntheticPerson => personByKey.get(personKeyByClient.get(clientId) ?? '') as SyntheticPerson;
const duplicateIds = new Set(plannedProblems.filter((p) => p.kind === 'DUPLICATE_CLIENT').map((p) => p.rowId));
/** Client rows other than the planted duplicate registrations. */
const originals = rows.client.filter((c) => !duplicateIds.has(c.client_id));
const share = (part: number, whole: number) => part / whole;
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const failing = <T>(items: readonly T[], ok: (item: T) => boolean): T[] => items.filter((item) => !ok(item)).slice(0, 5);
const GUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const str = (value: string | null): string => value ?? '';

function isRealDate(iso: string): boolean {
  const parsed = new Date(`${iso}T00:00:00Z`);
  return ISO_DATE.test(iso) && !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Per original client, how many rows it owns (0 included). */
function perClient(owned: ReadonlyArray<{ client_id: string }>): number[] {
  const counts = countBy(owned, (r) => r.client_id);
  return originals.map((c) => counts.get(c.client_id) ?? 0);
}

const plantedRows = (kind: UmisProblemKind): Set<string> =>
  new Set(plannedProblems.filter((p) => p.kind === kind).map((p) => p.rowId));

describe('generateUmisRows', () => {
  it('is deterministic for the same population and seed, and differs for another seed', () => {
    const again = generateUmisRows(generatePopulation({ seed: 21, size: 4000 }), { seed: 21 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(seed));
    const other = generateUmisRows(population, { seed: 22 });
    expect(JSON.stringify(other.rows.client)).not.toBe(JSON.stringify(rows.client));
  });

  it('knows about 35% of the population, weighted to older people, siblings and PNC holders', () => {
    const known = new Set(truth.map((t) => t.personKey));
    expect(share(known.size, population.length)).toBeGreaterThan(0.31);
    expect(share(known.size, population.length)).toBeLessThan(0.39);

    const age = (p: SyntheticPerson) => ageAt(p.dateOfBirth, REFERENCE_DATE);
    const [inUmis, notInUmis] = [population.filter((p) => known.has(p.personKey)), population.filter((p) => !known.has(p.personKey))];
    expect(mean(inUmis.map(age)) - mean(notInUmis.map(age))).toBeGreaterThan(1);

    const familySizes = countBy(population, (p) => p.familyId);
    const coverageOf = (people: SyntheticPerson[]) => share(people.filter((p) => known.has(p.personKey)).length, people.length);
    const withSiblings = population.filter((p) => (familySizes.get(p.familyId) ?? 0) > 1);
    const onlyChildren = population.filter((p) => (familySizes.get(p.familyId) ?? 0) === 1);
    expect(coverageOf(withSiblings)).toBeGreaterThan(coverageOf(onlyChildren) * 1.3);
    expect(coverageOf(population.filter((p) => p.pncNumber !== null))).toBeGreaterThan(0.75);
  });

  it('takes coverage as an option and refuses one outside 0..1', () => {
    const half = generateUmisRows(population, { seed: 21, coverage: 0.6 });
    expect(share(new Set(half.truth.map((t) => t.personKey)).size, population.length)).toBeCloseTo(0.6, 1);
    expect(generateUmisRows(population, { seed: 21, coverage: 0 }).rows.client).toEqual([]);
    expect(() => generateUmisRows(population, { seed: 21, coverage: -0.1 })).toThrow(RangeError);
  });

  it('has ground truth for every client row, planted duplicates included, and for nothing else', () => {
    expect(truth.map((t) => t.sourceId)).toEqual(rows.client.map((c) => c.client_id));
    expect(failing(truth, (t) => personByKey.has(t.personKey))).toEqual([]);
    expect(new Set(originals.map((c) => personKeyByClient.get(c.client_id))).size).toBe(originals.length);
  });

  it('keys every row with a distinct lower-case version-4 GUID', () => {
    const keys = [
      ...rows.worker.map((r) => r.worker_id),
      ...rows.client.map((r) => r.client_id),
      ...rows.client_alias.map((r) => r.client_alias_id),
      ...rows.assessment.map((r) => r.assessment_id),
      ...rows.assessment_domain_score.map((r) => r.assessment_domain_score_id),
      ...rows.plan.map((r) => r.plan_id),
      ...rows.plan_goal.map((r) => r.plan_goal_id),
      ...rows.plan_review.map((r) => r.plan_review_id),
      ...rows.client_worker_assignment.map((r) => r.client_worker_assignment_id),
    ];
    expect(failing(keys, (k) => GUID_V4.test(k))).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('renders clients as UMIS records them: ISO 5218 sex, real dates, clean postcodes, optional UPN', () => {
    const clients = rows.client;
    expect(failing(clients, (c) => ['0', '1', '2', '9'].includes(c.gender_code))).toEqual([]);
    const expectedCode = (c: UmisRow<'client'>) => (personOf(c.client_id).gender === 'M' ? '1' : '2');
    expect(failing(clients, (c) => c.gender_code === expectedCode(c) || c.gender_code === '0' || c.gender_code === '9')).toEqual([]);
    expect(share(clients.filter((c) => c.gender_code === '9' || c.gender_code === '0').length, clients.length)).toBeLessThan(0.05);
    expect(failing(clients, (c) => c.date_of_birth === null || isRealDate(c.date_of_birth))).toEqual([]);
    const sameDob = clients.filter((c) => c.date_of_birth === personOf(c.client_id).dateOfBirth).length;
    expect(share(sameDob, clients.length)).toBeGreaterThan(0.93);
    expect(failing(clients, (c) => c.post_code === null || /^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/.test(c.post_code))).toEqual([]);
    // A family that moved without UMIS being told keeps its former postcode there (planted for the gap
    // report's address check, about 2%); every other client's postcode is the true one, cleaned.
    const movedAway = clients.filter((c) => c.post_code !== null && c.post_code !== personOf(c.client_id).address.postcode);
    expect(share(movedAway.length, clients.length)).toBeGreaterThan(0.005);
    expect(share(movedAway.length, clients.length)).toBeLessThan(0.04);
    expect(failing(clients, (c) => c.upn === null || c.upn === personOf(c.client_id).upn)).toEqual([]);
    const upnsKnown = clients.filter((c) => personOf(c.client_id).upn !== null);
    const upnsRecorded = share(upnsKnown.filter((c) => c.upn !== null).length, upnsKnown.length);
    expect(upnsRecorded).toBeGreaterThan(0.5);
    expect(upnsRecorded).toBeLessThan(0.7);
    expect(failing(clients, (c) => DATETIME.test(c.created_utc) && c.modified_utc >= c.created_utc)).toEqual([]);
    const exactNames = clients.filter((c) => c.given_name === personOf(c.client_id).forename && c.family_name === personOf(c.client_id).surname);
    expect(share(exactNames.length, clients.length)).toBeGreaterThan(0.75);
    expect(exactNames.length).toBeLessThan(clients.length);
  });

  it("spells people differently from IYSS's copy (an independent stream), not as a copy of it", () => {
    const iyss = generateIyssRows(population, { seed: 21 });
    const iyssByKey = new Map(iyss.truth.map((t, i) => [t.personKey, iyss.rows.tblYoungPerson[i]!]));
    const shared = originals.filter((c) => iyssByKey.has(personOf(c.client_id).personKey));
    expect(shared.length).toBeGreaterThan(500);
    const differ = shared.filter((c) => {
      const y = iyssByKey.get(personOf(c.client_id).personKey)!;
      return y.Forename !== c.given_name || y.Surname !== c.family_name;
    });
    expect(differ.length).toBeGreaterThan(0);
    expect(share(differ.length, shared.length)).toBeLessThan(0.5);
  });

  it('marks a small share of clients and rows inactive, with 1/0 flags only', () => {
    const inactiveShare = (table: ReadonlyArray<{ is_active: number }>) =>
      share(table.filter((r) => r.is_active === 0).length, table.length);
    expect(inactiveShare(rows.client)).toBeGreaterThan(0.005);
    expect(inactiveShare(rows.client)).toBeLessThan(0.04);
    const tables: ReadonlyArray<ReadonlyArray<{ is_active: number }>> = [
      rows.assessment, rows.assessment_domain_score, rows.plan, rows.plan_goal, rows.plan_review, rows.client_worker_assignment,
    ];
    for (const table of tables) {
      expect(inactiveShare(table)).toBeGreaterThan(0);
      expect(inactiveShare(table)).toBeLessThan(0.03);
      expect(failing(table, (r) => r.is_active === 0 || r.is_active === 1)).toEqual([]);
    }
  });

  it('only references codes, workers, clients, assessments and plans that exist', () => {
    const has = <T>(values: readonly T[]) => new Set(values);
    const ethnicities = has(rows.ref_ethnicity.map((r) => r.ethnicity_code));
    const types = has(rows.ref_assessment_type.map((r) => r.assessment_type_code));
    const domains = has(rows.ref_domain.map((r) => r.domain_code));
    const outcomes = has(rows.ref_review_outcome.map((r) => r.review_outcome_code));
    const workers = has(rows.worker.map((r) => r.worker_id));
    const clients = has(rows.client.map((r) => r.client_id));
    const assessments = has(rows.assessment.map((r) => r.assessment_id));
    const plans = has(rows.plan.map((r) => r.plan_id));
    const optionalWorker = (id: string | null) => id === null || workers.has(id);
    expect(failing(rows.client, (c) => c.ethnicity_code === null || ethnicities.has(c.ethnicity_code))).toEqual([]);
    expect(failing(rows.client_alias, (a) => clients.has(a.client_id) && ['PREV', 'AKA'].includes(a.alias_type_code))).toEqual([]);
    expect(failing(rows.assessment, (a) => clients.has(a.client_id) && types.has(a.assessment_type_code) && optionalWorker(a.assessor_worker_id))).toEqual([]);
    expect(failing(rows.assessment_domain_score, (s) => assessments.has(s.assessment_id) && domains.has(s.domain_code))).toEqual([]);
    expect(failing(rows.plan, (p) => clients.has(p.client_id) && optionalWorker(p.owner_worker_id))).toEqual([]);
    expect(failing(rows.plan_goal, (g) => plans.has(g.plan_id))).toEqual([]);
    expect(failing(rows.plan_review, (r) => plans.has(r.plan_id) && outcomes.has(r.review_outcome_code) && optionalWorker(r.reviewer_worker_id))).toEqual([]);
    const units = has<string>(UNIT_CODES);
    expect(failing(rows.client_worker_assignment, (a) => clients.has(a.client_id) && units.has(a.unit_code) && optionalWorker(a.worker_id))).toEqual([]);
    expect(failing(rows.worker, (w) => w.unit_code === null || units.has(w.unit_code))).toEqual([]);
    // The retired codes are still in use on older records.
    expect(rows.client.some((c) => c.ethnicity_code === 'WT')).toBe(true);
    expect(rows.assessment.some((a) => a.assessment_type_code === 'CAF' && a.started_date < '2023-09-01')).toBe(true);
    expect(failing(rows.assessment, (a) => (a.assessment_type_code === 'CAF') === (a.started_date < '2023-09-01'))).toEqual([]);
  });

  it('records a previous surname as an alias where the client is registered under another', () => {
    const previous = rows.client_alias.filter((a) => a.alias_type_code === 'PREV');
    expect(previous.length).toBeGreaterThan(0);
    const clientById = new Map(rows.client.map((c) => [c.client_id, c]));
    expect(failing(previous, (a) => a.family_name === personOf(a.client_id).surname && clientById.get(a.client_id)?.family_name !== a.family_name)).toEqual([]);
  });

  it('gives each client 1-3 assessments, mostly completed, some drafts, few cancelled', () => {
    const counts = perClient(rows.assessment);
    expect(Math.min(...counts)).toBe(1);
    expect(Math.max(...counts)).toBe(3);
    const statuses = countBy(rows.assessment, (a) => a.status_code);
    const total = rows.assessment.length;
    expect(share(statuses.get('C') ?? 0, total)).toBeGreaterThan(0.7);
    expect(share(statuses.get('D') ?? 0, total)).toBeGreaterThan(0.05);
    expect(share(statuses.get('D') ?? 0, total)).toBeLessThan(0.2);
    expect(share(statuses.get('X') ?? 0, total)).toBeGreaterThan(0.02);
    expect(share(statuses.get('X') ?? 0, total)).toBeLessThan(0.12);
    expect([...statuses.keys()].sort()).toEqual(['C', 'D', 'X']);

    const unplanted = rows.assessment.filter(
      (a) => !plantedRows('ASSESSMENT_COMPLETED_BEFORE_STARTED').has(a.assessment_id) && !plantedRows('COMPLETED_ASSESSMENT_WITHOUT_DATE').has(a.assessment_id),
    );
    expect(failing(unplanted, (a) => isRealDate(a.started_date) && a.started_date < REFERENCE_DATE)).toEqual([]);
    expect(failing(unplanted, (a) => (a.status_code === 'C') === (a.completed_date !== null))).toEqual([]);
    expect(failing(unplanted, (a) => a.completed_date === null || (a.completed_date >= a.started_date && a.completed_date < REFERENCE_DATE))).toEqual([]);
  });

  it('scores 4-8 distinct domains per assessment from 0 to 4, with short analysis sentences', () => {
    const byAssessment = new Map<string, Array<UmisRow<'assessment_domain_score'>>>();
    for (const s of rows.assessment_domain_score) byAssessment.set(s.assessment_id, [...(byAssessment.get(s.assessment_id) ?? []), s]);
    expect(failing(rows.assessment, (a) => {
      const scores = byAssessment.get(a.assessment_id) ?? [];
      return scores.length >= 4 && scores.length <= 8 && new Set(scores.map((s) => s.domain_code)).size === scores.length;
    })).toEqual([]);
    const scores = rows.assessment_domain_score;
    expect(failing(scores, (s) => Number.isInteger(s.score) && s.score >= 0 && s.score <= 4)).toEqual([]);
    expect(new Set(scores.map((s) => s.score))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(failing(scores, (s) => s.analysis === null || (s.analysis.length > 10 && s.analysis.length < 120))).toEqual([]);
    expect(share(scores.filter((s) => s.analysis === null).length, scores.length)).toBeLessThan(0.15);
  });

  it('gives clients 0-2 plans with 2-4 goals and 0-3 reviews, open plans with a next review, closed ones with a closing date', () => {
    const counts = perClient(rows.plan);
    expect(new Set(counts)).toEqual(new Set([0, 1, 2]));
    const goals = countBy(rows.plan_goal, (g) => g.plan_id);
    const reviews = countBy(rows.plan_review, (r) => r.plan_id);
    expect(failing(rows.plan, (p) => (goals.get(p.plan_id) ?? 0) >= 2 && (goals.get(p.plan_id) ?? 0) <= 4)).toEqual([]);
    expect(failing(rows.plan, (p) => (reviews.get(p.plan_id) ?? 0) <= 3)).toEqual([]);
    expect(new Set(rows.plan.map((p) => reviews.get(p.plan_id) ?? 0))).toEqual(new Set([0, 1, 2, 3]));
    expect(failing(rows.plan, (p) =>
      p.plan_status_code === 'O'
        ? p.closed_date === null && p.next_review_date !== null && p.next_review_date > p.start_date
        : p.plan_status_code === 'C' && p.closed_date !== null && p.closed_date >= p.start_date && p.next_review_date === null,
    )).toEqual([]);
    const open = rows.plan.filter((p) => p.plan_status_code === 'O').length;
    expect(share(open, rows.plan.length)).toBeGreaterThan(0.25);
    expect(share(open, rows.plan.length)).toBeLessThan(0.6);

    const planById = new Map(rows.plan.map((p) => [p.plan_id, p]));
    const futureReview = plantedRows('FUTURE_REVIEW_ON_CLOSED_PLAN');
    expect(failing(rows.plan_review.filter((r) => !futureReview.has(r.plan_review_id)), (r) => {
      const plan = planById.get(r.plan_id)!;
      return r.review_date > plan.start_date && r.review_date < REFERENCE_DATE && (plan.closed_date === null || r.review_date <= plan.closed_date);
    })).toEqual([]);
  });

  it('assigns 1-2 workers per client in Core Units CU1-CU8, the latest still open for about 70%', () => {
    const counts = perClient(rows.client_worker_assignment);
    expect(new Set(counts)).toEqual(new Set([1, 2]));
    const byClient = new Map<string, Array<UmisRow<'client_worker_assignment'>>>();
    for (const a of rows.client_worker_assignment) byClient.set(a.client_id, [...(byClient.get(a.client_id) ?? []), a]);
    const latestOpen = [...byClient.values()].filter((list) => list[list.length - 1]!.end_date === null).length;
    expect(share(latestOpen, byClient.size)).toBeGreaterThan(0.64);
    expect(share(latestOpen, byClient.size)).toBeLessThan(0.76);
    expect(new Set(rows.client_worker_assignment.map((a) => a.unit_code))).toEqual(new Set(UNIT_CODES));

    const planted = new Set([...plantedRows('ASSIGNMENT_ENDS_BEFORE_START'), ...plantedRows('OVERLAPPING_OPEN_ASSIGNMENTS')]);
    expect(failing(rows.client_worker_assignment.filter((a) => !planted.has(a.client_worker_assignment_id)), (a) =>
      isRealDate(a.start_date) && a.start_date < REFERENCE_DATE && (a.end_date === null || (a.end_date >= a.start_date && a.end_date < REFERENCE_DATE)),
    )).toEqual([]);
    // A second assignment follows the first.
    expect(failing([...byClient.values()].filter((list) => list.length === 2), ([first, second]) =>
      planted.has(first!.client_worker_assignment_id) || (first!.end_date !== null && first!.end_date <= second!.start_date),
    )).toEqual([]);
  });

  describe('planted data-quality problems', () => {
    const liveClientIds = new Set(rows.client.filter((c) => c.is_active === 1).map((c) => c.client_id));

    it('plants a few of every kind, on live rows of live clients, each listed with its person', () => {
      const kinds = countBy(plannedProblems, (p) => p.kind);
      expect([...kinds.keys()].sort()).toEqual([
        'ASSESSMENT_COMPLETED_BEFORE_STARTED', 'ASSIGNMENT_ENDS_BEFORE_START', 'COMPLETED_ASSESSMENT_WITHOUT_DATE',
        'DUPLICATE_CLIENT', 'FUTURE_REVIEW_ON_CLOSED_PLAN', 'OVERLAPPING_OPEN_ASSIGNMENTS',
      ]);
      for (const count of kinds.values()) expect(count).toBeLessThanOrEqual(20);
      expect(failing(plannedProblems, (p) => liveClientIds.has(p.clientId) && personKeyByClient.get(p.clientId) === p.personKey)).toEqual([]);
      expect(new Set(plannedProblems.map((p) => p.rowId)).size).toBe(plannedProblems.length);
      expect(failing(plannedProblems, (p) => p.description.length > 0)).toEqual([]);
    });

    // Each check finds exactly the planted rows: the problem is real, and the rest of the data is clean of it.
    it('completed-before-started assessments are exactly the planted ones', () => {
      const found = rows.assessment.filter((a) => a.completed_date !== null && a.completed_date < a.started_date);
      expect(new Set(found.map((a) => a.assessment_id))).toEqual(plantedRows('ASSESSMENT_COMPLETED_BEFORE_STARTED'));
      expect(failing(found, (a) => a.status_code === 'C' && a.is_active === 1)).toEqual([]);
    });

    it('completed assessments without a date are exactly the planted ones', () => {
      const found = rows.assessment.filter((a) => a.status_code === 'C' && a.completed_date === null);
      expect(new Set(found.map((a) => a.assessment_id))).toEqual(plantedRows('COMPLETED_ASSESSMENT_WITHOUT_DATE'));
    });

    it('future reviews on closed plans are exactly the planted ones', () => {
      const closed = new Set(rows.plan.filter((p) => p.plan_status_code === 'C').map((p) => p.plan_id));
      const found = rows.plan_review.filter((r) => closed.has(r.plan_id) && r.review_date > REFERENCE_DATE);
      expect(new Set(found.map((r) => r.plan_review_id))).toEqual(plantedRows('FUTURE_REVIEW_ON_CLOSED_PLAN'));
      const planIds = new Set(plannedProblems.filter((p) => p.kind === 'FUTURE_REVIEW_ON_CLOSED_PLAN').map((p) => p.relatedRowId));
      expect(planIds).toEqual(new Set(found.map((r) => r.plan_id)));
    });

    it('assignments ending before they start are exactly the planted ones', () => {
      const found = rows.client_worker_assignment.filter((a) => a.end_date !== null && a.end_date < a.start_date);
      expect(new Set(found.map((a) => a.client_worker_assignment_id))).toEqual(plantedRows('ASSIGNMENT_ENDS_BEFORE_START'));
    });

    it('clients with two open assignments are exactly the planted ones', () => {
      const open = rows.client_worker_assignment.filter((a) => a.end_date === null && a.is_active === 1);
      const doubled = [...countBy(open, (a) => a.client_id)].filter(([, n]) => n > 1).map(([id]) => id);
      const planted = plannedProblems.filter((p) => p.kind === 'OVERLAPPING_OPEN_ASSIGNMENTS');
      expect(new Set(doubled)).toEqual(new Set(planted.map((p) => p.clientId)));
    });

    it('duplicate clients repeat another live client of the same person, registered later', () => {
      const byId = new Map(rows.client.map((c) => [c.client_id, c]));
      const planted = plannedProblems.filter((p) => p.kind === 'DUPLICATE_CLIENT');
      for (const problem of planted) {
        const duplicate = byId.get(problem.rowId)!;
        const original = byId.get(str(problem.relatedRowId))!;
        const identity = (c: UmisRow<'client'>) => ({ ...c, client_id: '', created_utc: '', modified_utc: '' });
        expect(identity(duplicate)).toEqual(identity(original));
        expect(duplicate.created_utc > original.created_utc).toBe(true);
        expect(personKeyByClient.get(duplicate.client_id)).toBe(personKeyByClient.get(original.client_id));
      }
      const keysWithTwoClients = [...countBy(truth, (t) => t.personKey)].filter(([, n]) => n > 1).length;
      expect(keysWithTwoClients).toBe(planted.length);
    });
  });

  it('covers a fifth to two fifths of a small population too, with at least one problem of each kind', () => {
    const small: UmisSeed = generateUmisRows(generatePopulation({ seed: 3, size: 300 }), { seed: 3 });
    expect(small.rows.client.length).toBeGreaterThan(60);
    expect(small.rows.client.length).toBeLessThan(130);
    expect(new Set(small.plannedProblems.map((p) => p.kind)).size).toBe(6);
  });
});
