import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import { chunk, MAX_PARAMETERS_PER_STATEMENT } from '../drivers/insertRows';
import { capRows, likePrefix } from '../drivers/queryHelpers';
import {
  RecordNotFound,
  type AllocationRecord,
  type AssessmentDomainScore,
  type AssessmentRecord,
  type CandidateFilter,
  type OtherName,
  type PersonRecord,
  type PlanRecord,
  type PlanReviewRecord,
  type UmisAdapter,
} from '../types';
import {
  assessmentStatusFromCode,
  domainFromCode,
  genderFromIso5218,
  guidKey,
  isoDate,
  nameCaseForms,
  planStatusFromCode,
  postcodeLikePatterns,
  realIsoDates,
  workerName,
} from './mapping';
import type { UmisTables } from './tables';

const SOURCE = 'UMIS' as const;
/** `is_active` value of a live row; 0 is UMIS's soft delete. */
const ACTIVE = 1;
/** A DATE column that cannot be read (never expected: the columns are NOT NULL DATEs). */
const UNKNOWN_DATE = '0001-01-01';

function personQuery(db: Kysely<UmisTables>) {
  return db
    .selectFrom('client as c')
    .leftJoin('ref_ethnicity as e', 'e.ethnicity_code', 'c.ethnicity_code')
    .select([
      'c.client_id',
      'c.given_name',
      'c.family_name',
      'c.preferred_name',
      'c.date_of_birth',
      'c.gender_code',
      // Retired ethnicity codes still describe the people recorded under them, so no is_active filter here.
      'e.description as ethnicity',
      'c.address_line_1',
      'c.post_code',
      'c.upn',
    ])
    .where('c.is_active', '=', ACTIVE);
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof personQuery>['execute']>>[number];

function toPerson(row: PersonRow): PersonRecord {
  const postcode = row.post_code?.trim() || null;
  const line1 = row.address_line_1?.trim() || null;
  return {
    source: SOURCE,
    sourceId: storedKey(row.client_id),
    forename: row.given_name.trim(),
    surname: row.family_name.trim(),
    knownAs: row.preferred_name?.trim() || null,
    dateOfBirth: isoDate(row.date_of_birth),
    gender: genderFromIso5218(row.gender_code),
    ethnicity: row.ethnicity ?? null,
    address: line1 || postcode ? { line1, postcode } : null,
    upn: row.upn?.trim() || null,
  };
}

/** UMIS alias types as the gateway names them; other codes are not names the client went by. */
const ALIAS_KINDS: Readonly<Record<string, OtherName['kind']>> = { PREV: 'PREVIOUS', AKA: 'ALSO_KNOWN_AS' };

/** Clients with their live aliases (one more statement per page of clients), for identity matching. */
async function withOtherNames(db: Kysely<UmisTables>, clients: readonly PersonRow[]): Promise<PersonRecord[]> {
  const people = clients.map(toPerson);
  if (clients.length === 0) return people;
  const rows = [];
  // The keys as stored (a GUID may be held in either case), so the match is exact on every engine.
  for (const ids of chunk(clients.map((c) => c.client_id), MAX_PARAMETERS_PER_STATEMENT)) {
    rows.push(
      ...(await db
        .selectFrom('client_alias')
        .select(['client_id', 'alias_type_code', 'given_name', 'family_name'])
        .where('client_id', 'in', ids)
        .where('is_active', '=', ACTIVE)
        .orderBy('client_id')
        .orderBy('client_alias_id')
        .execute()),
    );
  }
  const byClient = new Map<string, OtherName[]>();
  for (const row of rows) {
    const kind = ALIAS_KINDS[row.alias_type_code.trim().toUpperCase()];
    const forename = row.given_name?.trim() || null;
    const surname = row.family_name?.trim() || null;
    if (!kind || (!forename && !surname)) continue;
    const key = storedKey(row.client_id);
    byClient.set(key, [...(byClient.get(key) ?? []), { kind, forename, surname }]);
  }
  return people.map((person) => {
    const otherNames = byClient.get(person.sourceId);
    return otherNames ? { ...person, otherNames } : person;
  });
}

/**
 * A GUID as read back, in the lower-case form keys are compared in. UMIS writes lower case, but a GUID
 * made by SQL Server (NEWID() cast to text) is upper case, and the collations compare without case.
 */
const storedKey = (guid: string): string => guid.trim().toLowerCase();

/** The distinct well-formed keys of a batch, in the stored (lower-case) form. */
function guidKeys(ids: readonly string[]): string[] {
  return [...new Set(ids.map(guidKey).filter((id): id is string => id !== undefined))];
}

/**
 * Runs `load` over chunks of valid client GUIDs and returns one list per key, in key order. Unknown or
 * malformed keys get an empty list: having no plans is not an error. `load` returns the lists already
 * grouped by client, because some lists are assembled from several statements.
 */
async function listsByClient<T>(
  ids: readonly string[],
  load: (clientIds: string[]) => Promise<Map<string, T[]>>,
): Promise<T[][]> {
  const lists = new Map<string, T[]>();
  for (const part of chunk(guidKeys(ids), MAX_PARAMETERS_PER_STATEMENT)) {
    for (const [clientId, list] of await load(part)) lists.set(clientId, list);
  }
  return ids.map((id) => lists.get(guidKey(id) ?? '') ?? []);
}

/** Groups rows by a GUID column, keeping the statement's order within each group. */
function groupBy<Row, T>(rows: readonly Row[], keyOf: (row: Row) => string, map: (row: Row) => T): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const key = storedKey(keyOf(row));
    const list = grouped.get(key);
    if (list) list.push(map(row));
    else grouped.set(key, [map(row)]);
  }
  return grouped;
}

/**
 * The UMIS adapter: the only code that knows UMIS tables, columns and code values. Lists join `client`
 * and leave out an inactive (soft-deleted) client's rows, as peopleByIds leaves out the client.
 */
export function createUmisAdapter(database: Database<UmisTables>): UmisAdapter {
  const { db, engine } = database;

  /** `patterns` matched with LIKE against a client's own name column or any live alias of that kind. */
  function nameMatches(
    eb: ExpressionBuilder<{ c: UmisTables['client']; e: UmisTables['ref_ethnicity'] }, 'c' | 'e'>,
    columns: ReadonlyArray<'c.given_name' | 'c.family_name' | 'c.preferred_name'>,
    aliasColumn: 'al.given_name' | 'al.family_name',
    patterns: readonly string[],
  ) {
    const aliases = db
      .selectFrom('client_alias as al')
      .select('al.client_id')
      .where('al.is_active', '=', ACTIVE)
      .where((inner) => inner.or(patterns.map((p) => inner(aliasColumn, 'like', p))));
    return eb.or([
      ...columns.flatMap((column) => patterns.map((p) => eb(column, 'like', p))),
      eb('c.client_id', 'in', aliases),
    ]);
  }

  return {
    system: SOURCE,

    async peopleByIds(ids) {
      const found = new Map<string, PersonRecord>();
      for (const part of chunk(guidKeys(ids), MAX_PARAMETERS_PER_STATEMENT)) {
        const rows = await personQuery(db).where('c.client_id', 'in', part).execute();
        for (const row of rows) found.set(storedKey(row.client_id), toPerson(row));
      }
      return ids.map((id) => found.get(guidKey(id) ?? '') ?? new RecordNotFound(SOURCE, id));
    },

    assessmentsByPersonIds(ids) {
      return listsByClient(ids, async (part) => {
        const assessments = await db
          .selectFrom('assessment as a')
          .innerJoin('client as c', 'c.client_id', 'a.client_id')
          .leftJoin('ref_assessment_type as t', 't.assessment_type_code', 'a.assessment_type_code')
          .leftJoin('worker as w', 'w.worker_id', 'a.assessor_worker_id')
          .select([
            'a.client_id',
            'a.assessment_id',
            'a.assessment_type_code',
            't.description as assessment_type',
            'a.status_code',
            'a.started_date',
            'a.completed_date',
            'w.given_name as assessor_given_name',
            'w.family_name as assessor_family_name',
            'a.summary',
          ])
          .where('a.client_id', 'in', part)
          .where('a.is_active', '=', ACTIVE)
          .where('c.is_active', '=', ACTIVE)
          .orderBy('a.started_date', 'desc')
          .orderBy('a.created_utc', 'desc')
          .orderBy('a.assessment_id')
          .execute();
        const scores = await db
          .selectFrom('assessment_domain_score as s')
          .innerJoin('assessment as a', 'a.assessment_id', 's.assessment_id')
          .leftJoin('ref_domain as d', 'd.domain_code', 's.domain_code')
          .select(['s.assessment_id', 's.domain_code', 's.score', 's.analysis'])
          .where('a.client_id', 'in', part)
          .where('a.is_active', '=', ACTIVE)
          .where('s.is_active', '=', ACTIVE)
          .orderBy('s.assessment_id')
          .orderBy('d.display_order')
          .orderBy('s.domain_code')
          .execute();
        const domainsByAssessment = new Map<string, AssessmentDomainScore[]>();
        for (const row of scores) {
          const domain = domainFromCode(row.domain_code);
          // A local domain the unified contract has no name for is left out rather than mislabelled.
          if (!domain) continue;
          const key = storedKey(row.assessment_id);
          const list = domainsByAssessment.get(key) ?? [];
          list.push({ domain, score: Number(row.score), analysis: row.analysis?.trim() || null });
          domainsByAssessment.set(key, list);
        }
        return groupBy(
          assessments,
          (row) => row.client_id,
          (row): AssessmentRecord => ({
            source: SOURCE,
            assessmentId: storedKey(row.assessment_id),
            assessmentType: row.assessment_type ?? row.assessment_type_code,
            status: assessmentStatusFromCode(row.status_code),
            startedOn: isoDate(row.started_date) ?? UNKNOWN_DATE,
            completedOn: isoDate(row.completed_date),
            assessorName: workerName(row.assessor_given_name, row.assessor_family_name),
            summary: row.summary?.trim() || null,
            domains: domainsByAssessment.get(storedKey(row.assessment_id)) ?? [],
          }),
        );
      });
    },

    plansByPersonIds(ids) {
      return listsByClient(ids, async (part) => {
        const plans = await db
          .selectFrom('plan as p')
          .innerJoin('client as c', 'c.client_id', 'p.client_id')
          .select([
            'p.client_id',
            'p.plan_id',
            'p.title',
            'p.plan_status_code',
            'p.start_date',
            'p.next_review_date',
            'p.closed_date',
          ])
          .where('p.client_id', 'in', part)
          .where('p.is_active', '=', ACTIVE)
          .where('c.is_active', '=', ACTIVE)
          .orderBy('p.start_date', 'desc')
          .orderBy('p.created_utc', 'desc')
          .orderBy('p.plan_id')
          .execute();
        const goals = await db
          .selectFrom('plan_goal as g')
          .innerJoin('plan as p', 'p.plan_id', 'g.plan_id')
          .select(['g.plan_id', 'g.goal_text'])
          .where('p.client_id', 'in', part)
          .where('g.is_active', '=', ACTIVE)
          .orderBy('g.plan_id')
          .orderBy('g.sequence_no')
          .execute();
        const reviews = await db
          .selectFrom('plan_review as r')
          .innerJoin('plan as p', 'p.plan_id', 'r.plan_id')
          .leftJoin('worker as w', 'w.worker_id', 'r.reviewer_worker_id')
          .leftJoin('ref_review_outcome as o', 'o.review_outcome_code', 'r.review_outcome_code')
          .select([
            'r.plan_id',
            'r.review_date',
            'w.given_name as reviewer_given_name',
            'w.family_name as reviewer_family_name',
            'r.review_outcome_code',
            'o.description as review_outcome',
          ])
          .where('p.client_id', 'in', part)
          .where('r.is_active', '=', ACTIVE)
          .orderBy('r.review_date', 'desc')
          .orderBy('r.plan_review_id')
          .execute();
        const goalsByPlan = groupBy(goals, (row) => row.plan_id, (row) => row.goal_text.trim());
        const reviewsByPlan = groupBy(
          reviews,
          (row) => row.plan_id,
          (row): PlanReviewRecord => ({
            reviewedOn: isoDate(row.review_date) ?? UNKNOWN_DATE,
            reviewerName: workerName(row.reviewer_given_name, row.reviewer_family_name),
            outcome: row.review_outcome ?? row.review_outcome_code,
          }),
        );
        return groupBy(
          plans,
          (row) => row.client_id,
          (row): PlanRecord => ({
            source: SOURCE,
            planId: storedKey(row.plan_id),
            title: row.title.trim(),
            status: planStatusFromCode(row.plan_status_code),
            startDate: isoDate(row.start_date) ?? UNKNOWN_DATE,
            nextReviewDate: isoDate(row.next_review_date),
            closedDate: isoDate(row.closed_date),
            goals: goalsByPlan.get(storedKey(row.plan_id)) ?? [],
            reviews: reviewsByPlan.get(storedKey(row.plan_id)) ?? [],
          }),
        );
      });
    },

    allocationsByPersonIds(ids) {
      return listsByClient(ids, async (part) => {
        const rows = await db
          .selectFrom('client_worker_assignment as a')
          .innerJoin('client as c', 'c.client_id', 'a.client_id')
          // Workers who have left are inactive but were still the allocated worker: no is_active filter.
          .leftJoin('worker as w', 'w.worker_id', 'a.worker_id')
          .select([
            'a.client_id',
            'a.unit_code',
            'w.given_name',
            'w.family_name',
            'a.start_date',
            'a.end_date',
          ])
          .where('a.client_id', 'in', part)
          .where('a.is_active', '=', ACTIVE)
          .where('c.is_active', '=', ACTIVE)
          .orderBy('a.start_date', 'desc')
          .orderBy('a.created_utc', 'desc')
          .orderBy('a.client_worker_assignment_id')
          .execute();
        return groupBy(
          rows,
          (row) => row.client_id,
          (row): AllocationRecord => ({
            source: SOURCE,
            unitId: row.unit_code.trim().toUpperCase(),
            workerName: workerName(row.given_name, row.family_name),
            startDate: isoDate(row.start_date) ?? UNKNOWN_DATE,
            endDate: isoDate(row.end_date),
          }),
        );
      });
    },

    async personIdsAllocatedToUnits(units, today, limit) {
      if (units.length === 0) return [];
      const rows = await capRows(
        db
          .selectFrom('client_worker_assignment as a')
          .innerJoin('client as c', 'c.client_id', 'a.client_id')
          .select('a.client_id')
          .distinct()
          .where('a.unit_code', 'in', [...units])
          .where('a.is_active', '=', ACTIVE)
          .where('c.is_active', '=', ACTIVE)
          .where((eb) => eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>=', today)]))
          .orderBy('a.client_id'),
        database.engine,
        limit,
      ).execute();
      return rows.map((row) => storedKey(row.client_id));
    },

    async findCandidates(filter: CandidateFilter) {
      let query = personQuery(db);
      if (filter.surnamePrefixes?.length) {
        const patterns = [...new Set(filter.surnamePrefixes.flatMap(nameCaseForms).map(likePrefix))];
        if (patterns.length) query = query.where((eb) => nameMatches(eb, ['c.family_name'], 'al.family_name', patterns));
      }
      if (filter.forenamePrefixes?.length) {
        const patterns = [...new Set(filter.forenamePrefixes.flatMap(nameCaseForms).map(likePrefix))];
        if (patterns.length) {
          query = query.where((eb) => nameMatches(eb, ['c.given_name', 'c.preferred_name'], 'al.given_name', patterns));
        }
      }
      if (filter.datesOfBirth?.length) {
        const dates = realIsoDates(filter.datesOfBirth);
        // No real date was asked for, so nothing can match (and SQL Server would reject the text).
        if (dates.length === 0) return [];
        query = query.where('c.date_of_birth', 'in', dates);
      }
      if (filter.postcodePrefix) {
        const patterns = postcodeLikePatterns(filter.postcodePrefix);
        // No stored "OUT IN" postcode can start with this prefix.
        if (patterns.length === 0) return [];
        query = query.where((eb) => eb.or(patterns.map((p) => eb('c.post_code', 'like', p))));
      }
      const rows = await capRows(query.orderBy('c.client_id'), engine, filter.limit).execute();
      return rows.map(toPerson);
    },

    async scanPeople(after, limit) {
      let query = personQuery(db);
      if (after !== null) {
        const from = guidKey(after);
        // Nothing sorts after a key that cannot exist.
        if (from === undefined) return [];
        query = query.where('c.client_id', '>', from);
      }
      return withOtherNames(db, await capRows(query.orderBy('c.client_id'), engine, limit).execute());
    },

    ping: () => database.ping(),
    close: () => database.close(),
  };
}
