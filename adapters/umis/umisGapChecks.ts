/**
 * Data-quality checks run in UMIS's own database for the weekly gap report: each finding names the
 * row to amend and the UMIS client it belongs to (and the other row involved, for pairs).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import type { GapRecordRef, SourceGapFinding } from '../types';
import type { UmisTables } from './tables';

export type UmisGapKind =
  | 'ASSESSMENT_COMPLETED_BEFORE_STARTED'
  | 'COMPLETED_ASSESSMENT_WITHOUT_DATE'
  | 'FUTURE_REVIEW_ON_CLOSED_PLAN'
  | 'ASSIGNMENT_ENDS_BEFORE_START'
  | 'OVERLAPPING_OPEN_ASSIGNMENTS'
  | 'DUPLICATE_CLIENT';

export interface UmisGapFinding {
  kind: UmisGapKind;
  table: keyof UmisTables;
  rowId: string;
  clientId: string;
  /** The other row involved: the original of a duplicate client, the later open assignment. */
  relatedRowId: string | null;
}

export interface UmisGapChecks {
  /** Every finding as of `asOf` (ISO date: reviews after it are in the future). */
  findGaps(asOf: string): Promise<UmisGapFinding[]>;
}

const ACTIVE = 1;
const COMPLETED = 'C';
const CLOSED = 'C';

export function createUmisGapChecks(database: Database<UmisTables>): UmisGapChecks {
  const db: Kysely<UmisTables> = database.db;
  return {
    async findGaps(asOf) {
      const findings: UmisGapFinding[] = [];
      const assessments = await db
        .selectFrom('assessment as a')
        .innerJoin('client as c', 'c.client_id', 'a.client_id')
        .select(['a.assessment_id', 'a.client_id', 'a.completed_date'])
        .where('a.is_active', '=', ACTIVE)
        .where('c.is_active', '=', ACTIVE)
        .where('a.status_code', '=', COMPLETED)
        .where((eb) => eb.or([eb('a.completed_date', 'is', null), eb('a.completed_date', '<', eb.ref('a.started_date'))]))
        .execute();
      for (const row of assessments) {
        findings.push({
          kind: row.completed_date === null ? 'COMPLETED_ASSESSMENT_WITHOUT_DATE' : 'ASSESSMENT_COMPLETED_BEFORE_STARTED',
          table: 'assessment',
          rowId: row.assessment_id,
          clientId: row.client_id,
          relatedRowId: null,
        });
      }

      const futureReviews = await db
        .selectFrom('plan_review as r')
        .innerJoin('plan as p', 'p.plan_id', 'r.plan_id')
        .innerJoin('client as c', 'c.client_id', 'p.client_id')
        .select(['r.plan_review_id', 'p.client_id', 'p.plan_id'])
        .where('r.is_active', '=', ACTIVE)
        .where('p.is_active', '=', ACTIVE)
        .where('c.is_active', '=', ACTIVE)
        .where('p.plan_status_code', '=', CLOSED)
        .where('r.review_date', '>', asOf)
        .execute();
      for (const row of futureReviews) {
        findings.push({ kind: 'FUTURE_REVIEW_ON_CLOSED_PLAN', table: 'plan_review', rowId: row.plan_review_id, clientId: row.client_id, relatedRowId: row.plan_id });
      }

      const reversed = await db
        .selectFrom('client_worker_assignment as a')
        .innerJoin('client as c', 'c.client_id', 'a.client_id')
        .select(['a.client_worker_assignment_id', 'a.client_id'])
        .where('a.is_active', '=', ACTIVE)
        .where('c.is_active', '=', ACTIVE)
        .where('a.end_date', 'is not', null)
        .whereRef('a.end_date', '<', 'a.start_date')
        .execute();
      for (const row of reversed) {
        findings.push({ kind: 'ASSIGNMENT_ENDS_BEFORE_START', table: 'client_worker_assignment', rowId: row.client_worker_assignment_id, clientId: row.client_id, relatedRowId: null });
      }

      // The earlier of two open assignments of one client: the one that should have been ended.
      const overlapping = await db
        .selectFrom('client_worker_assignment as a')
        .innerJoin('client_worker_assignment as b', (join) =>
          join
            .onRef('b.client_id', '=', 'a.client_id')
            .on('b.is_active', '=', ACTIVE)
            .on('b.end_date', 'is', null)
            .on((eb) =>
              eb.or([
                eb('b.start_date', '>', eb.ref('a.start_date')),
                eb.and([eb('b.start_date', '=', eb.ref('a.start_date')), eb('b.client_worker_assignment_id', '>', eb.ref('a.client_worker_assignment_id'))]),
              ]),
            ),
        )
        .innerJoin('client as c', 'c.client_id', 'a.client_id')
        .select(['a.client_worker_assignment_id', 'a.client_id', 'b.client_worker_assignment_id as other_id'])
        .where('a.is_active', '=', ACTIVE)
        .where('c.is_active', '=', ACTIVE)
        .where('a.end_date', 'is', null)
        .execute();
      for (const row of overlapping) {
        findings.push({ kind: 'OVERLAPPING_OPEN_ASSIGNMENTS', table: 'client_worker_assignment', rowId: row.client_worker_assignment_id, clientId: row.client_id, relatedRowId: row.other_id });
      }

      // A later registration with the same name and date of birth as a live client: probably the same child.
      const duplicates = await db
        .selectFrom('client as d')
        .innerJoin('client as o', (join) =>
          join
            .on(sql`upper(${sql.ref('o.given_name')})`, '=', sql`upper(${sql.ref('d.given_name')})`)
            .on(sql`upper(${sql.ref('o.family_name')})`, '=', sql`upper(${sql.ref('d.family_name')})`)
            .onRef('o.date_of_birth', '=', 'd.date_of_birth')
            .on('o.is_active', '=', ACTIVE)
            .on((eb) =>
              eb.or([
                eb('o.created_utc', '<', eb.ref('d.created_utc')),
                eb.and([eb('o.created_utc', '=', eb.ref('d.created_utc')), eb('o.client_id', '<', eb.ref('d.client_id'))]),
              ]),
            ),
        )
        .select(['d.client_id', 'o.client_id as original_id'])
        .where('d.is_active', '=', ACTIVE)
        .execute();
      for (const row of duplicates) {
        findings.push({ kind: 'DUPLICATE_CLIENT', table: 'client', rowId: row.client_id, clientId: row.client_id, relatedRowId: row.original_id });
      }
      return findings;
    },
  };
}

const RECORD_TYPE: Readonly<Partial<Record<keyof UmisTables, string>>> = {
  client: 'PERSON',
  assessment: 'ASSESSMENT',
  plan: 'PLAN',
  plan_review: 'PLAN_REVIEW',
  client_worker_assignment: 'WORKER_ASSIGNMENT',
};

const NOTES: Readonly<Record<UmisGapKind, [string, string | null]>> = {
  ASSESSMENT_COMPLETED_BEFORE_STARTED: ['completed before it was started', null],
  COMPLETED_ASSESSMENT_WITHOUT_DATE: ['marked completed with no completion date', null],
  FUTURE_REVIEW_ON_CLOSED_PLAN: ['review dated in the future', 'the plan is closed'],
  ASSIGNMENT_ENDS_BEFORE_START: ['ends before it starts', null],
  OVERLAPPING_OPEN_ASSIGNMENTS: ['still open, started earlier: end it', 'open at the same time'],
  DUPLICATE_CLIENT: ['registered again later: the copy', 'the original registration'],
};

/** A UMIS finding in unified terms: the row to amend, then the other row involved (the plan, the original client, the later assignment). */
export function umisGapRecords(finding: UmisGapFinding): SourceGapFinding {
  const [note, relatedNote] = NOTES[finding.kind];
  const records: GapRecordRef[] = [{ system: 'UMIS', recordType: RECORD_TYPE[finding.table] ?? 'RECORD', recordId: finding.rowId, personRecordId: finding.clientId, note }];
  if (finding.relatedRowId !== null) {
    const relatedTable = finding.kind === 'FUTURE_REVIEW_ON_CLOSED_PLAN' ? 'plan' : finding.table;
    // The original of a duplicate client is a client of its own.
    const owner = finding.kind === 'DUPLICATE_CLIENT' ? finding.relatedRowId : finding.clientId;
    records.push({ system: 'UMIS', recordType: RECORD_TYPE[relatedTable] ?? 'RECORD', recordId: finding.relatedRowId, personRecordId: owner, note: relatedNote });
  }
  return { kind: finding.kind, records };
}
