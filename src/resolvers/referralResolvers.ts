import type { GatewayContext } from '../context/GatewayContext';
import { pageSize } from './pageSize';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors/errors';
import type { MutationResolvers, QueryResolvers, ReferralPersonInput } from '../generated/graphql';
import type { ReferralActor, ReferralPerson, ReferralView } from '../referrals/Referral';
import { runReferralChecks } from '../referrals/referralChecks';
import { ReferralChangedConcurrently, ReferralNotFound, type StepToRecord } from '../referrals/referralStore';
import { nextStatus, ReferralTransitionRefused } from '../referrals/referralWorkflow';

const MAX_FAMILY_MEMBERS = 10;
const MIN_REASON = 5;
/** A stated time may be a little ahead of the gateway's clock (clock skew), never further. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const actorOf = (context: GatewayContext): ReferralActor => ({ sub: context.principal.sub, name: context.principal.name });

function text(name: string, value: string | null | undefined, max: number, required: true): string;
function text(name: string, value: string | null | undefined, max: number, required?: false): string | null;
function text(name: string, value: string | null | undefined, max: number, required = false): string | null {
  const trimmed = value?.trim() ?? '';
  if (!trimmed) {
    if (required) throw new BadUserInputError(`${name} is required`, 'REQUIRED');
    return null;
  }
  if (trimmed.length > max) throw new BadUserInputError(`${name} is longer than ${max} characters`, 'TOO_LONG');
  return trimmed;
}

function person(name: string, input: ReferralPersonInput): ReferralPerson {
  return {
    forename: text(`${name}.forename`, input.forename, 100),
    surname: text(`${name}.surname`, input.surname, 100),
    dateOfBirth: input.dateOfBirth ?? null,
    postcode: text(`${name}.postcode`, input.postcode, 10),
    relationship: text(`${name}.relationship`, input.relationship, 50),
  };
}

/** A stated time, or now; refused when it is in the future. */
function statedTime(context: GatewayContext, name: string, value: string | null | undefined): string {
  const now = context.services.clock.now();
  if (!value) return now.toISOString();
  if (Date.parse(value) > now.getTime() + FUTURE_TOLERANCE_MS) throw new BadUserInputError(`${name} is in the future`, 'FUTURE_TIME');
  return value;
}

/** Runs a referral operation, turning workflow refusals into the API's errors (nothing is written when refused). */
async function referralStep(run: () => Promise<ReferralView>): Promise<ReferralView> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ReferralTransitionRefused) throw new BadUserInputError(error.message, error.reason);
    if (error instanceof ReferralChangedConcurrently) throw new BadUserInputError(error.message, 'CONCURRENT_CHANGE');
    if (error instanceof ReferralNotFound) throw new NotFoundError(error.message);
    throw error;
  }
}

const record = (context: GatewayContext, referralId: string, step: StepToRecord) =>
  referralStep(() => context.services.referrals.record(referralId, step, actorOf(context)));

export const referralQueryResolvers: Pick<QueryResolvers, 'referral' | 'referrals'> = {
  referral: async (_parent, { id }, { services }) => {
    const referral = await services.referrals.get(id);
    if (!referral) throw new NotFoundError(`No referral has the ID ${id}`);
    return referral;
  },
  referrals: (_parent, { status, panelDate, first }, context) => {
    const size = pageSize(context, first);
    return context.services.referrals.list({ status: status ?? null, panelDate: panelDate ?? null, first: size });
  },
};

export const referralMutationResolvers: Pick<
  MutationResolvers,
  | 'receiveReferral'
  | 'runReferralChecks'
  | 'recordAgencyShare'
  | 'decideReferral'
  | 'handOffReferral'
  | 'acknowledgeHandOff'
  | 'listForPanel'
  | 'recordPanelReview'
> = {
  receiveReferral: (_parent, { input }, context) => {
    const subject = person('subject', input.subject);
    if (!subject.forename && !subject.surname && !subject.dateOfBirth && !subject.postcode) {
      throw new BadUserInputError('subject needs a forename, surname, date of birth or postcode', 'NO_CRITERIA');
    }
    const family = input.familyMembers ?? [];
    if (family.length > MAX_FAMILY_MEMBERS) {
      throw new BadUserInputError(`A referral may name at most ${MAX_FAMILY_MEMBERS} family members`, 'FAMILY_LIMIT');
    }
    const familyMembers = family.map((member, index) => person(`familyMembers[${index}]`, member));
    if (familyMembers.some((member) => !member.forename && !member.surname && !member.dateOfBirth)) {
      throw new BadUserInputError('Each family member needs a forename, surname or date of birth', 'NO_CRITERIA');
    }
    const police = input.source === 'POLICE_NOTIFICATION';
    if (!police && (input.familyConsented === null || input.familyConsented === undefined)) {
      throw new BadUserInputError('A referral that is not a police notification must say whether the family consented (familyConsented)', 'CONSENT_REQUIRED');
    }
    const receivedAt = statedTime(context, 'receivedAt', input.receivedAt);
    return referralStep(() =>
      context.services.referrals.receive(
        {
          kind: 'RECEIVED',
          source: input.source,
          information: text('information', input.information, 4000, true),
          subject: { ...subject, relationship: null },
          familyMembers,
          familyConsented: police ? null : Boolean(input.familyConsented),
        },
        receivedAt,
        actorOf(context),
      ),
    );
  },

  runReferralChecks: (_parent, { referralId }, context) =>
    referralStep(async () => {
      const { referrals } = context.services;
      // Refuse before searching: a refused step must not cost a search across every system.
      nextStatus(await referrals.state(referralId), 'runReferralChecks');
      const referral = (await referrals.get(referralId))!;
      const checks = await runReferralChecks(context, referral);
      return referrals.record(referralId, { step: 'runReferralChecks', at: checks.checkedAt, detail: { kind: 'CHECKS_RUN', checks } }, actorOf(context));
    }),

  recordAgencyShare: (_parent, { referralId, agency, information, sharedAt }, context) =>
    record(context, referralId, {
      step: 'recordAgencyShare',
      at: statedTime(context, 'sharedAt', sharedAt),
      detail: { kind: 'AGENCY_SHARED', agency: text('agency', agency, 200, true), information: text('information', information, 4000, true) },
    }),

  decideReferral: (_parent, { referralId, decision, reason }, context) => {
    const why = text('reason', reason, 1000, true);
    if (why.length < MIN_REASON) throw new BadUserInputError(`reason must say why, in at least ${MIN_REASON} characters`, 'REASON_REQUIRED');
    return record(context, referralId, {
      step: 'decideReferral',
      input: { decision },
      at: context.services.clock.now().toISOString(),
      detail: { kind: 'DECIDED', decision, reason: why },
    });
  },

  handOffReferral: (_parent, { referralId, toUnit, toPerson, handedOffAt }, context) =>
    record(context, referralId, {
      step: 'handOffReferral',
      at: statedTime(context, 'handedOffAt', handedOffAt),
      detail: { kind: 'HANDED_OFF', toUnit: text('toUnit', toUnit, 100, true), toPerson: text('toPerson', toPerson, 200) },
    }),

  acknowledgeHandOff: async (_parent, { referralId, acknowledgedAt }, context) => {
    // Only the receiving Core Unit acknowledges a hand-off (the policy decides which roles may at all).
    const referral = await context.services.referrals.get(referralId);
    const handOff = referral?.handOff;
    if (handOff && !context.principal.units.includes(handOff.toUnit)) {
      throw new ForbiddenError(`Referral ${referralId} was handed off to ${handOff.toUnit}; only that Core Unit acknowledges it`, 'NOT_RECEIVING_UNIT');
    }
    // The child the checks found becomes the unit's to work with: need to know, until UMIS or YOIS records the allocation.
    const personId = referral?.checks?.bestCandidate?.personId;
    return record(context, referralId, {
      step: 'acknowledgeHandOff',
      at: statedTime(context, 'acknowledgedAt', acknowledgedAt),
      detail: { kind: 'ACKNOWLEDGED', ...(handOff && personId ? { allocates: { personId, unitId: handOff.toUnit } } : {}) },
    });
  },

  listForPanel: (_parent, { referralId, panelDate }, context) => {
    const today = context.services.clock.now().toISOString().slice(0, 10);
    if (panelDate < today) throw new BadUserInputError(`panelDate ${panelDate} is in the past`, 'PAST_DATE');
    return record(context, referralId, {
      step: 'listForPanel',
      at: context.services.clock.now().toISOString(),
      detail: { kind: 'LISTED_FOR_PANEL', panelDate },
      panelDate,
    });
  },

  recordPanelReview: (_parent, { referralId, review }, context) =>
    referralStep(async () => {
      const state = await context.services.referrals.state(referralId);
      // The workflow speaks first: reviewing a case that is not listed is a wrong step, whatever the review says.
      nextStatus(state, 'recordPanelReview', { panelDecision: review.decision });
      const panelDate = state.panelDate ?? context.services.clock.now().toISOString().slice(0, 10);
      const next = review.nextReviewDate ?? null;
      if (review.decision === 'CONTINUE' && (!next || next <= panelDate)) {
        throw new BadUserInputError(`CONTINUE needs a nextReviewDate after this panel (${panelDate})`, 'NEXT_REVIEW_REQUIRED');
      }
      if (review.decision === 'CLOSE' && next) throw new BadUserInputError('A closed case has no nextReviewDate', 'NO_NEXT_REVIEW');
      return context.services.referrals.record(
        referralId,
        {
          step: 'recordPanelReview',
          input: { panelDecision: review.decision },
          at: context.services.clock.now().toISOString(),
          detail: {
            kind: 'PANEL_REVIEWED',
            panelDate,
            leadAgency: text('leadAgency', review.leadAgency, 200, true),
            leadProfessional: text('leadProfessional', review.leadProfessional, 200, true),
            decision: review.decision,
            nextReviewDate: next,
            notes: text('notes', review.notes, 4000),
          },
          panelDate: next,
        },
        actorOf(context),
      );
    }),
};
