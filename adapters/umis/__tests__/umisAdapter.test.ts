/**
 * The UMIS adapter against real engines: SQLite always, MariaDB when MYSQL_URL is set (and failing, not
 * skipping, when it is set but unreachable). Each run installs the schema and synthetic data into a
 * temporary SQLite file or a scratch MariaDB database, then checks the adapter contract against the
 * seed rows. Expectations are written from the rows and literal code maps, not from the adapter's mapping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../../drivers/createDatabase';
import { foldAccents } from '../../synthetic/variants';
import { Prng } from '../../synthetic/prng';
import {
  RecordNotFound,
  type AllocationRecord,
  type AssessmentRecord,
  type PersonRecord,
  type PlanRecord,
  type UmisAdapter,
} from '../../types';
// The engines the whole suite runs on; this is a test file, which the production-code rule does not mean to cover.
// eslint-disable-next-line import/no-restricted-paths
import { createScratchMysqlDatabase, testEngines } from '../../../test/support/testDatabases';
import { createUmisAdapter } from '../createUmisAdapter';
import { UMIS_TABLES } from '../ddl';
import { installUmis } from '../../synthetic/umis/installUmis';
import { seededGuid } from '../../synthetic/umis/seededGuid';
import type { UmisSeed } from '../../synthetic/umis/seedRows';
import type { UmisRow, UmisTables } from '../tables';

const GENDER: Readonly<Record<string, PersonRecord['gender']>> = { '1': 'MALE', '2': 'FEMALE', '9': 'NOT_STATED', '0': 'NOT_STATED' };
const STATUS: Readonly<Record<string, AssessmentRecord['status']>> = { C: 'COMPLETED', D: 'DRAFT', X: 'CANCELLED' };
const DOMAIN: Readonly<Record<string, string>> = {
  FAM: 'FAMILY', EDU: 'EDUCATION', HWB: 'HEALTH_WELLBEING', EMH: 'EMOTIONAL_MENTAL_HEALTH', SUB: 'SUBSTANCE_USE',
  RISK: 'RISK', REL: 'RELATIONSHIPS', LIV: 'LIVING_ARRANGEMENTS',
};
const UNKNOWN_GUID = seededGuid(new Prng('no such client'));

type ClientRow = UmisRow<'client'>;
const byDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const byAsc = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Case-insensitive "starts with", the way SQL Server's and MariaDB's collations compare. */
const startsStrictly = (text: string | null, prefix: string) => (text ?? '').toLowerCase().startsWith(prefix.toLowerCase());
/** Also ignoring accents, as MariaDB's utf8mb4_unicode_ci does; no engine may match more loosely than this. */
const startsLoosely = (text: string | null, prefix: string) =>
  foldAccents(text ?? '').toLowerCase().startsWith(foldAccents(prefix).toLowerCase());
const compact = (postcode: string | null) => (postcode ?? '').replace(/\s+/g, '').toUpperCase();

describe.each(testEngines())('UMIS adapter on %s', (engine) => {
  let database: Database<UmisTables>;
  let seed: UmisSeed;
  let adapter: UmisAdapter;
  let cleanUp: () => Promise<void> = async () => {};
  /** A client the suite deactivates itself, chosen to have assessments, plans and assignments. */
  let deactivated: ClientRow;

  const rows = () => seed.rows;
  const liveClients = () => rows().client.filter((c) => c.is_active === 1);
  const isLiveClient = (id: string) => rows().client.some((c) => c.client_id === id && c.is_active === 1);
  const sourceIds = (records: PersonRecord[]) => records.map((r) => r.sourceId);
  const idsOf = (clients: ClientRow[]) => clients.map((c) => c.client_id).sort(byAsc);

  function expectedPerson(row: ClientRow): PersonRecord {
    const ethnicity = rows().ref_ethnicity.find((e) => e.ethnicity_code === row.ethnicity_code);
    return {
      source: 'UMIS',
      sourceId: row.client_id,
      forename: row.given_name,
      surname: row.family_name,
      knownAs: row.preferred_name,
      dateOfBirth: row.date_of_birth,
      gender: GENDER[row.gender_code]!,
      ethnicity: ethnicity?.description ?? null,
      address: row.address_line_1 || row.post_code ? { line1: row.address_line_1, postcode: row.post_code } : null,
      upn: row.upn,
    };
  }

  const workerNameOf = (id: string | null) => {
    const worker = rows().worker.find((w) => w.worker_id === id);
    return worker ? `${worker.given_name} ${worker.family_name}` : null;
  };

  function expectedAssessments(clientId: string): AssessmentRecord[] {
    if (!isLiveClient(clientId)) return [];
    const order = new Map(rows().ref_domain.map((d) => [d.domain_code, d.display_order]));
    return rows()
      .assessment.filter((a) => a.client_id === clientId && a.is_active === 1)
      .sort((x, y) => byDesc(x.started_date, y.started_date) || byDesc(x.created_utc, y.created_utc) || byAsc(x.assessment_id, y.assessment_id))
      .map((a) => ({
        source: 'UMIS',
        assessmentId: a.assessment_id,
        assessmentType: rows().ref_assessment_type.find((t) => t.assessment_type_code === a.assessment_type_code)!.description,
        status: STATUS[a.status_code]!,
        startedOn: a.started_date,
        completedOn: a.completed_date,
        assessorName: workerNameOf(a.assessor_worker_id),
        summary: a.summary,
        domains: rows()
          .assessment_domain_score.filter((s) => s.assessment_id === a.assessment_id && s.is_active === 1)
          .sort((x, y) => order.get(x.domain_code)! - order.get(y.domain_code)!)
          .map((s) => ({ domain: DOMAIN[s.domain_code] as AssessmentRecord['domains'][number]['domain'], score: s.score, analysis: s.analysis })),
      }));
  }

  function expectedPlans(clientId: string): PlanRecord[] {
    if (!isLiveClient(clientId)) return [];
    return rows()
      .plan.filter((p) => p.client_id === clientId && p.is_active === 1)
      .sort((x, y) => byDesc(x.start_date, y.start_date) || byDesc(x.created_utc, y.created_utc) || byAsc(x.plan_id, y.plan_id))
      .map((p) => ({
        source: 'UMIS',
        planId: p.plan_id,
        title: p.title,
        status: p.plan_status_code === 'C' ? 'CLOSED' : 'ACTIVE',
        startDate: p.start_date,
        nextReviewDate: p.next_review_date,
        closedDate: p.closed_date,
        goals: rows()
          .plan_goal.filter((g) => g.plan_id === p.plan_id && g.is_active === 1)
          .sort((x, y) => x.sequence_no - y.sequence_no)
          .map((g) => g.goal_text),
        reviews: rows()
          .plan_review.filter((r) => r.plan_id === p.plan_id && r.is_active === 1)
          .sort((x, y) => byDesc(x.review_date, y.review_date) || byAsc(x.plan_review_id, y.plan_review_id))
          .map((r) => ({
            reviewedOn: r.review_date,
            reviewerName: workerNameOf(r.reviewer_worker_id),
            outcome: rows().ref_review_outcome.find((o) => o.review_outcome_code === r.review_outcome_code)!.description,
          })),
      }));
  }

  function expectedAllocations(clientId: string): AllocationRecord[] {
    if (!isLiveClient(clientId)) return [];
    return rows()
      .client_worker_assignment.filter((a) => a.client_id === clientId && a.is_active === 1)
      .sort((x, y) => byDesc(x.start_date, y.start_date) || byDesc(x.created_utc, y.created_utc))
      .map((a) => ({ source: 'UMIS', unitId: a.unit_code, workerName: workerNameOf(a.worker_id), startDate: a.start_date, endDate: a.end_date }));
  }

  beforeAll(async () => {
    let url: string;
    if (engine === 'sqlite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umis-'));
      url = `sqlite:${path.join(dir, 'umis.db')}`;
      cleanUp = async () => fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const scratch = await createScratchMysqlDatabase('umis');
      url = scratch.url;
      cleanUp = scratch.drop;
    }
    database = createDatabase(url);
    const result = await installUmis(database, { prngSeed: 11, volume: 900 });
    if (!result.created || !result.seed) throw new Error('installUmis did not create the UMIS schema');
    seed = result.seed;

    const has = (table: ReadonlyArray<{ client_id: string; is_active: number }>, id: string) =>
      table.some((r) => r.client_id === id && r.is_active === 1);
    deactivated = liveClients().find(
      (c) => has(rows().assessment, c.client_id) && has(rows().plan, c.client_id) && has(rows().client_worker_assignment, c.client_id)
        && !seed.plannedProblems.some((p) => p.clientId === c.client_id || p.relatedRowId === c.client_id),
    )!;
    await database.db.updateTable('client').set({ is_active: 0 }).where('client_id', '=', deactivated.client_id).execute();
    deactivated.is_active = 0;
    adapter = createUmisAdapter(database);
  }, 120_000);

  afterAll(async () => {
    try {
      await database?.close();
    } finally {
      await cleanUp();
    }
  });

  it('installs every table with the seed rows, and leaves an installed database alone', async () => {
    for (const table of UMIS_TABLES) {
      const { count } = await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      expect({ table, count: Number(count) }).toEqual({ table, count: rows()[table].length });
    }
    await expect(installUmis(database, { prngSeed: 11, volume: 900 })).resolves.toEqual({ created: false });
    await expect(adapter.ping()).resolves.toBeUndefined();
  });

  describe('peopleByIds', () => {
    it('answers in key order in one statement, with RecordNotFound for unknown, malformed and inactive keys', async () => {
      const chosen = liveClients().slice(0, 40).reverse();
      const keys = [
        ...chosen.map((c) => c.client_id),
        UNKNOWN_GUID,
        'not-a-guid',
        '10001',
        deactivated.client_id,
        chosen[0]!.client_id.toUpperCase(),
      ];
      const before = database.stats.statements;
      const results = await adapter.peopleByIds(keys);
      expect(database.stats.statements - before).toBe(1);

      expect(results).toHaveLength(keys.length);
      chosen.forEach((row, i) => expect(results[i]).toEqual(expectedPerson(row)));
      for (let i = chosen.length; i < chosen.length + 4; i++) {
        expect(results[i]).toBeInstanceOf(RecordNotFound);
        expect(results[i]).toMatchObject({ source: 'UMIS', key: keys[i] });
      }
      // A GUID in upper case is the same key.
      expect(results[keys.length - 1]).toEqual(expectedPerson(chosen[0]!));
    });

    it('maps ISO 5218 codes, real dates, retired ethnicity codes and non-Latin-1 names', async () => {
      const samples = [
        ...['0', '1', '2', '9'].map((code) => liveClients().find((c) => c.gender_code === code)),
        liveClients().find((c) => c.date_of_birth === null),
        liveClients().find((c) => c.ethnicity_code === 'WT'),
        liveClients().find((c) => c.ethnicity_code === null),
        liveClients().find((c) => c.post_code === null),
        liveClients().find((c) => /[^\x20-\x7e]/.test(c.family_name)),
      ];
      for (const sample of samples) expect(sample).toBeDefined();
      const results = await adapter.peopleByIds(samples.map((c) => c!.client_id));
      expect(results).toEqual(samples.map((c) => expectedPerson(c!)));
      expect((results as PersonRecord[]).map((r) => r.gender)).toEqual(
        expect.arrayContaining(['MALE', 'FEMALE', 'NOT_STATED']),
      );
      expect((results as PersonRecord[])[5]!.ethnicity).toBe('White: Turkish or Turkish Cypriot');
      for (const record of results as PersonRecord[]) {
        expect(record.dateOfBirth === null || /^\d{4}-\d{2}-\d{2}$/.test(record.dateOfBirth)).toBe(true);
      }
    });
  });

  describe('lists by client', () => {
    const keys = () => [...rows().client.map((c) => c.client_id), UNKNOWN_GUID, 'abc'];

    it('loads assessments with their domain scores, newest first, in two statements', async () => {
      const expected = keys().map(expectedAssessments);
      expect(expected.filter((list) => list.length > 1).length).toBeGreaterThan(10);
      const before = database.stats.statements;
      const results = await adapter.assessmentsByPersonIds(keys());
      expect(database.stats.statements - before).toBe(2);
      expect(results).toEqual(expected);
      // Retired type codes still name their type.
      expect(results.flat().some((a) => !(a instanceof Error) && a.assessmentType === 'Common Assessment Framework')).toBe(true);
    });

    it('loads plans with goals and reviews, newest first, in three statements', async () => {
      const expected = keys().map(expectedPlans);
      expect(expected.some((list) => list.some((p) => p.reviews.length > 1))).toBe(true);
      const before = database.stats.statements;
      const results = await adapter.plansByPersonIds(keys());
      expect(database.stats.statements - before).toBe(3);
      expect(results).toEqual(expected);
    });

    it('loads worker assignments as allocations, open ones with no end date, in one statement', async () => {
      const expected = keys().map(expectedAllocations);
      const before = database.stats.statements;
      const results = await adapter.allocationsByPersonIds(keys());
      expect(database.stats.statements - before).toBe(1);
      expect(results).toEqual(expected);
      const all = results.flat() as AllocationRecord[];
      expect(all.some((a) => a.endDate === null)).toBe(true);
      expect(new Set(all.map((a) => a.unitId))).toEqual(new Set(['CU1', 'CU2', 'CU3', 'CU4', 'CU5', 'CU6', 'CU7', 'CU8']));
      // Workers who have left are inactive but still named.
      const former = new Set(rows().worker.filter((w) => w.is_active === 0).map((w) => `${w.given_name} ${w.family_name}`));
      expect(all.some((a) => a.workerName !== null && former.has(a.workerName))).toBe(true);
    });

    it("hides an inactive client's assessments, plans and allocations, and answers unknown keys with []", async () => {
      const ids = [deactivated.client_id, UNKNOWN_GUID, 'abc'];
      expect(await adapter.assessmentsByPersonIds(ids)).toEqual([[], [], []]);
      expect(await adapter.plansByPersonIds(ids)).toEqual([[], [], []]);
      expect(await adapter.allocationsByPersonIds(ids)).toEqual([[], [], []]);
    });

    it('returns the planted data-quality problems as stored, for a gap report to find', async () => {
      const problem = (kind: string) => seed.plannedProblems.find((p) => p.kind === kind)!;

      const early = problem('ASSESSMENT_COMPLETED_BEFORE_STARTED');
      const [assessments] = (await adapter.assessmentsByPersonIds([early.clientId])) as AssessmentRecord[][];
      const assessment = assessments!.find((a) => a.assessmentId === early.rowId)!;
      expect(assessment.status).toBe('COMPLETED');
      expect(assessment.completedOn! < assessment.startedOn).toBe(true);

      const future = problem('FUTURE_REVIEW_ON_CLOSED_PLAN');
      const [plans] = (await adapter.plansByPersonIds([future.clientId])) as PlanRecord[][];
      const plan = plans!.find((p) => p.planId === future.relatedRowId)!;
      expect(plan.status).toBe('CLOSED');
      expect(plan.reviews[0]!.reviewedOn > '2026-11-01').toBe(true);

      const overlapping = problem('OVERLAPPING_OPEN_ASSIGNMENTS');
      const [allocations] = (await adapter.allocationsByPersonIds([overlapping.clientId])) as AllocationRecord[][];
      expect(allocations!.filter((a) => a.endDate === null)).toHaveLength(2);

      const duplicate = problem('DUPLICATE_CLIENT');
      const [copy, original] = (await adapter.peopleByIds([duplicate.rowId, duplicate.relatedRowId!])) as PersonRecord[];
      expect({ ...copy, sourceId: '' }).toEqual({ ...original, sourceId: '' });
    });
  });

  describe('findCandidates', () => {
    const all = 10_000;
    /** Live clients whose own column or a live alias of the given kind starts with one of the prefixes. */
    function matching(prefixes: string[], own: Array<'given_name' | 'family_name' | 'preferred_name'>, alias: 'given_name' | 'family_name', starts: typeof startsStrictly) {
      const aliased = new Set(
        rows().client_alias.filter((a) => a.is_active === 1 && prefixes.some((p) => starts(a[alias], p))).map((a) => a.client_id),
      );
      return liveClients().filter((c) => aliased.has(c.client_id) || own.some((column) => prefixes.some((p) => starts(c[column], p))));
    }
    /** Every strict match, and nothing an accent- and case-blind comparison would not match either. */
    function expectBetween(found: PersonRecord[], strict: ClientRow[], loose: ClientRow[]) {
      expect(sourceIds(found)).toEqual([...sourceIds(found)].sort(byAsc));
      expect(sourceIds(found)).toEqual(expect.arrayContaining(idsOf(strict)));
      const allowed = new Set(idsOf(loose));
      expect(sourceIds(found).filter((id) => !allowed.has(id))).toEqual([]);
    }

    it('matches surname prefixes in any case on family_name or a previous surname', async () => {
      const target = liveClients().find((c) => /^[A-Za-z]{3}/.test(c.family_name))!;
      for (const prefix of [target.family_name.slice(0, 3), target.family_name.slice(0, 3).toUpperCase(), target.family_name.slice(0, 2).toLowerCase()]) {
        const found = await adapter.findCandidates({ surnamePrefixes: [prefix], limit: all });
        expect(sourceIds(found)).toContain(target.client_id);
        expectBetween(found, matching([prefix], ['family_name'], 'family_name', startsStrictly), matching([prefix], ['family_name'], 'family_name', startsLoosely));
      }
    });

    it('finds accented surnames by an accented prefix in upper or lower case', async () => {
      const target = liveClients().find((c) => /^[^\x20-\x7e]/.test(c.family_name))!;
      expect(target).toBeDefined();
      const stem = target.family_name.slice(0, 2);
      for (const prefix of [stem, stem.toUpperCase(), stem.toLowerCase()]) {
        const found = await adapter.findCandidates({ surnamePrefixes: [prefix], limit: all });
        expect(sourceIds(found)).toContain(target.client_id);
        expectBetween(found, matching([prefix], ['family_name'], 'family_name', startsStrictly), matching([prefix], ['family_name'], 'family_name', startsLoosely));
      }
    });

    it('finds a client registered under a new surname by the previous one', async () => {
      const alias = rows().client_alias.find((a) => a.alias_type_code === 'PREV' && a.is_active === 1 && isLiveClient(a.client_id))!;
      expect(alias).toBeDefined();
      const client = liveClients().find((c) => c.client_id === alias.client_id)!;
      expect(client.family_name).not.toBe(alias.family_name);
      const found = await adapter.findCandidates({ surnamePrefixes: [alias.family_name!], limit: all });
      expect(found.find((p) => p.sourceId === client.client_id)).toEqual(expectedPerson(client));
    });

    it('matches forename prefixes on given name, preferred name or a known-as alias, several prefixes at once', async () => {
      const target = liveClients().find((c) => c.preferred_name && /^[A-Za-z]{3}/.test(c.preferred_name))!;
      const prefixes = [target.preferred_name!.slice(0, 3), 'ZZ'];
      const found = await adapter.findCandidates({ forenamePrefixes: prefixes, limit: all });
      expect(sourceIds(found)).toContain(target.client_id);
      const own: Array<'given_name' | 'preferred_name'> = ['given_name', 'preferred_name'];
      expectBetween(found, matching(prefixes, own, 'given_name', startsStrictly), matching(prefixes, own, 'given_name', startsLoosely));
    });

    it('matches dates of birth against the DATE column, ignoring impossible dates', async () => {
      const target = liveClients().find((c) => c.date_of_birth !== null)!;
      const other = liveClients().find((c) => c.date_of_birth !== null && c.date_of_birth !== target.date_of_birth)!;
      const dates = [target.date_of_birth!, other.date_of_birth!, '2010-02-30'];
      const found = await adapter.findCandidates({ datesOfBirth: dates, limit: all });
      expect(sourceIds(found)).toEqual(idsOf(liveClients().filter((c) => c.date_of_birth !== null && dates.includes(c.date_of_birth))));
      expect(found.find((p) => p.sourceId === target.client_id)).toEqual(expectedPerson(target));
      expect(await adapter.findCandidates({ datesOfBirth: ['2010-02-30', '31/12/2009'], limit: all })).toEqual([]);
    });

    it('matches a postcode prefix ignoring case and spaces: an outward code, a sector, a whole postcode', async () => {
      const target = liveClients().find((c) => c.post_code?.startsWith('E8 '))!;
      for (const prefix of ['E8', 'e8', compact(target.post_code).slice(0, 3), target.post_code!.toLowerCase(), compact(target.post_code)]) {
        const found = await adapter.findCandidates({ postcodePrefix: prefix, limit: all });
        const expected = liveClients().filter((c) => compact(c.post_code).startsWith(compact(prefix)));
        expect(expected.length).toBeGreaterThan(0);
        expect(sourceIds(found)).toEqual(idsOf(expected));
      }
      expect(await adapter.findCandidates({ postcodePrefix: 'E8ABC', limit: all })).toEqual([]);
    });

    it('combines filters, caps rows at the limit lowest IDs first, and leaves inactive clients out', async () => {
      const target = liveClients().find((c) => c.date_of_birth && c.post_code && /^[A-Za-z]{2}/.test(c.family_name))!;
      const found = await adapter.findCandidates({
        surnamePrefixes: [target.family_name.slice(0, 2)],
        datesOfBirth: [target.date_of_birth!],
        postcodePrefix: compact(target.post_code).slice(0, 2),
        limit: 50,
      });
      expect(sourceIds(found)).toContain(target.client_id);
      expect(found.length).toBeLessThan(5);

      const firstFive = await adapter.findCandidates({ limit: 5 });
      expect(sourceIds(firstFive)).toEqual(idsOf(liveClients()).slice(0, 5));
      const everyone = await adapter.findCandidates({ limit: all });
      expect(sourceIds(everyone)).toEqual(idsOf(liveClients()));
      expect(sourceIds(everyone)).not.toContain(deactivated.client_id);
    });
  });

  describe('scanPeople', () => {
    it('pages through every live client exactly once, in client_id order', async () => {
      const seen: PersonRecord[] = [];
      let after: string | null = null;
      for (let page = 0; page < 1_000; page++) {
        const batch: PersonRecord[] = await adapter.scanPeople(after, 37);
        if (batch.length === 0) break;
        expect(batch.length).toBeLessThanOrEqual(37);
        seen.push(...batch);
        after = batch[batch.length - 1]!.sourceId;
      }
      expect(sourceIds(seen)).toEqual(idsOf(liveClients()));
      const byId = new Map(liveClients().map((c) => [c.client_id, c]));
      // For matching, each client carries its live aliases: PREV a previous or birth name, AKA a name also used.
      const kinds: Record<string, string> = { PREV: 'PREVIOUS', AKA: 'ALSO_KNOWN_AS' };
      const otherNamesOf = (clientId: string) =>
        rows()
          .client_alias.filter((a) => a.client_id === clientId && a.is_active === 1)
          .sort((x, y) => (x.client_alias_id < y.client_alias_id ? -1 : 1))
          .map((a) => ({ kind: kinds[a.alias_type_code], forename: a.given_name, surname: a.family_name }));
      expect(seen).toEqual(
        seen.map((p) => {
          const otherNames = otherNamesOf(p.sourceId);
          return { ...expectedPerson(byId.get(p.sourceId)!), ...(otherNames.length ? { otherNames } : {}) };
        }),
      );
      expect(seen.filter((p) => p.otherNames?.some((n) => n.kind === 'PREVIOUS')).length).toBeGreaterThan(0);
      expect(sourceIds(seen)).not.toContain(deactivated.client_id);
    });

    it('leaves a soft-deleted alias out: it is no longer a name the client went by', async () => {
      const alias = rows().client_alias.find((a) => a.alias_type_code === 'PREV' && a.is_active === 1 && isLiveClient(a.client_id))!;
      const client = async () => (await adapter.scanPeople(null, 10_000)).find((p) => p.sourceId === alias.client_id)!;
      expect((await client()).otherNames).toContainEqual({ kind: 'PREVIOUS', forename: alias.given_name, surname: alias.family_name });
      await database.db.updateTable('client_alias').set({ is_active: 0 }).where('client_alias_id', '=', alias.client_alias_id).execute();
      try {
        expect((await client()).otherNames ?? []).not.toContainEqual(expect.objectContaining({ surname: alias.family_name }));
      } finally {
        await database.db.updateTable('client_alias').set({ is_active: 1 }).where('client_alias_id', '=', alias.client_alias_id).execute();
      }
    });

    it('continues after an upper-case key and returns nothing after the last or an impossible key', async () => {
      const ids = idsOf(liveClients());
      expect(sourceIds(await adapter.scanPeople(ids[9]!.toUpperCase(), 3))).toEqual(ids.slice(10, 13));
      expect(await adapter.scanPeople(ids[ids.length - 1]!, 10)).toEqual([]);
      expect(await adapter.scanPeople('zzz', 10)).toEqual([]);
    });
  });
});
