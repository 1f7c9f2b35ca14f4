import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import { legacyDateTime, requireCode } from '../drivers/writeHelpers';
import { RecordNotFound, WriteRejected, type AssessmentDomain, type DemographicChange, type Gender, type UmisWriter } from '../types';
import { DOMAIN_CODES, domainFromCode, guidKey } from './mapping';
import type { UmisTables } from './tables';

const SOURCE = 'UMIS' as const;
const ACTIVE = 1;
/** `status_code` UMIS stores for the statuses a worker may record. */
const STATUS_CODE = { DRAFT: 'D', COMPLETED: 'C' } as const;
const OPEN_PLAN = 'O';

const CODE_OF_DOMAIN = new Map<AssessmentDomain, string>(DOMAIN_CODES.map((code) => [domainFromCode(code)!, code]));

/** UMIS keys are lower-case GUIDs made by the writer (as the UMIS screens do). */
const newKey = (): string => randomUUID().toLowerCase();

async function requireLiveClient(trx: Transaction<UmisTables>, clientId: string): Promise<string> {
  const key = guidKey(clientId);
  const row = key ? await trx.selectFrom('client').select('client_id').where('client_id', '=', key).where('is_active', '=', ACTIVE).executeTakeFirst() : undefined;
  if (!row || !key) throw new RecordNotFound(SOURCE, clientId);
  return key;
}

/** ISO/IEC 5218 codes UMIS stores ('9' not stated; UMIS has no code for other, which is recorded as not stated). */
const GENDER_CODE: Readonly<Record<Gender, string>> = { MALE: '1', FEMALE: '2', OTHER: '9', NOT_STATED: '9' };

/** UMIS validates postcodes on entry: upper case, one space before the inward code. */
function validatedPostcode(postcode: string | null | undefined): string | null {
  const compact = postcode?.replace(/\s+/g, '').toUpperCase() ?? '';
  if (compact.length < 5) return compact || null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

function clientColumns(change: DemographicChange): { given_name?: string; family_name?: string; preferred_name?: string | null; address_line_1?: string | null; post_code?: string | null } {
  return {
    ...(change.forename !== undefined ? { given_name: change.forename } : {}),
    ...(change.surname !== undefined ? { family_name: change.surname } : {}),
    ...(change.knownAs !== undefined ? { preferred_name: change.knownAs } : {}),
    ...(change.address !== undefined ? { address_line_1: change.address.line1, post_code: validatedPostcode(change.address.postcode) } : {}),
  };
}

/** UMIS writes: assessments with their domain scores, and plan reviews, each in one transaction. */
export function createUmisWriter(database: Database<UmisTables>, clock: { now(): Date } = { now: () => new Date() }): UmisWriter {
  const { db } = database;
  const stamps = () => {
    const at = legacyDateTime(clock.now().toISOString());
    return { is_active: ACTIVE, created_utc: at, modified_utc: at };
  };
  return {
    demographicFields: ['forename', 'surname', 'knownAs', 'address'],

    registerPerson: (person) =>
      db.transaction().execute(async (trx) => {
        const ethnicities = person.ethnicity ? await trx.selectFrom('ref_ethnicity').select(['ethnicity_code', 'description']).where('is_active', '=', ACTIVE).execute() : [];
        const ethnicity = ethnicities.find((e) => e.description.trim().toLowerCase() === person.ethnicity?.trim().toLowerCase())?.ethnicity_code ?? null;
        const clientId = newKey();
        await trx
          .insertInto('client')
          .values({
            client_id: clientId,
            given_name: person.forename,
            family_name: person.surname,
            preferred_name: person.knownAs,
            date_of_birth: person.dateOfBirth,
            gender_code: GENDER_CODE[person.gender],
            ethnicity_code: ethnicity,
            address_line_1: person.address?.line1 ?? null,
            post_code: validatedPostcode(person.address?.postcode),
            upn: person.upn,
            ...stamps(),
          })
          .execute();
        return { recordId: clientId };
      }),

    updateDemographics: (sourceId, change) =>
      db.transaction().execute(async (trx) => {
        const clientId = await requireLiveClient(trx, sourceId);
        await trx.updateTable('client').set({ ...clientColumns(change), modified_utc: stamps().modified_utc }).where('client_id', '=', clientId).execute();
        return { recordId: clientId };
      }),

    recordAssessment: (assessment) =>
      db.transaction().execute(async (trx) => {
        const clientId = await requireLiveClient(trx, assessment.clientId);
        const types = await trx.selectFrom('ref_assessment_type').select('assessment_type_code').where('is_active', '=', ACTIVE).execute();
        const typeCode = requireCode(SOURCE, types.map((t) => t.assessment_type_code), assessment.assessmentTypeCode, 'assessmentType');
        const assessmentId = newKey();
        await trx
          .insertInto('assessment')
          .values({
            assessment_id: assessmentId,
            client_id: clientId,
            assessment_type_code: typeCode,
            status_code: STATUS_CODE[assessment.status],
            started_date: assessment.startedOn,
            completed_date: assessment.completedOn,
            assessor_worker_id: null,
            summary: assessment.summary,
            ...stamps(),
          })
          .execute();
        const scores = assessment.domains.map((domain) => {
          const code = CODE_OF_DOMAIN.get(domain.domain);
          if (!code) throw new WriteRejected(SOURCE, 'domains', `UMIS has no assessment domain ${domain.domain}`);
          return { assessment_domain_score_id: newKey(), assessment_id: assessmentId, domain_code: code, score: domain.score, analysis: domain.analysis, ...stamps() };
        });
        if (scores.length) await trx.insertInto('assessment_domain_score').values(scores).execute();
        return { recordId: assessmentId, related: { domainScores: scores.map((s) => s.assessment_domain_score_id) } };
      }),

    recordPlanReview: (review) =>
      db.transaction().execute(async (trx) => {
        const clientId = await requireLiveClient(trx, review.clientId);
        const planId = guidKey(review.planId);
        const plan = planId
          ? await trx
              .selectFrom('plan')
              .select(['plan_id', 'plan_status_code'])
              .where('plan_id', '=', planId)
              .where('client_id', '=', clientId)
              .where('is_active', '=', ACTIVE)
              .executeTakeFirst()
          : undefined;
        // Another client's plan reads exactly like no plan: the caller named this client.
        if (!plan || !planId) throw new RecordNotFound(SOURCE, review.planId);
        if (plan.plan_status_code.trim().toUpperCase() !== OPEN_PLAN) throw new WriteRejected(SOURCE, 'planId', 'This plan is closed: a closed plan takes no more reviews');
        const outcomes = await trx.selectFrom('ref_review_outcome').select('review_outcome_code').execute();
        const outcome = requireCode(SOURCE, outcomes.map((o) => o.review_outcome_code), review.outcomeCode, 'outcome');
        const planReviewId = newKey();
        await trx
          .insertInto('plan_review')
          .values({ plan_review_id: planReviewId, plan_id: planId, review_date: review.reviewedOn, reviewer_worker_id: null, review_outcome_code: outcome, notes: review.notes, ...stamps() })
          .execute();
        if (review.nextReviewDate) {
          await trx
            .updateTable('plan')
            .set({ next_review_date: review.nextReviewDate, modified_utc: stamps().modified_utc })
            .where('plan_id', '=', planId)
            .execute();
        }
        return { recordId: planReviewId };
      }),
  };
}
