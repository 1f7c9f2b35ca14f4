import type { GatewayContext } from '../context/GatewayContext';
import { pageSize } from './pageSize';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../errors/errors';
import type {

  MutationResolvers,
  PanelReviewResolvers,
  QueryResolvers,
  ReferralPersonInput,
  ReferralResolvers,
  YoungPersonResolvers,
} from '../generated/graphql';
import type { PersonView } from '../persons/PersonDirectory';
import { PanelAgencyRefused } from '../referrals/panelAgencyStore';
import type { EarlierReferralView, ReferralActor, ReferralPerson, ReferralView } from '../referrals/Referral';
import { runReferralChecks } from '../referrals/referralChecks';
import { ReferralChangedConcurrently, ReferralNotFound, type ReferralRecordRef, type StepToRecord } from '../referrals/referralStore';
import { consentNeeded, nextStatus, ReferralTransitionRefused } from '../referrals/referralWorkflow';
import { subjectKey } from '../referrals/triagePanelSchema';
import { visibleLinks } from './personRecords';

const MAX_FAMILY_MEMBERS = 10;
const MAX_ALLOCATIONS = 10;
/** Earlier referrals shown on a referral, and referrals on a person's view: the newest this many. */
const CONNECTED_REFERRALS = 20;
const PANEL_AGENCY_ID = /^[A-Z][A-Z0-9_]{1,31}$/;
/** The team a social-care hand-off goes to when none is named. */
const SOCIAL_CARE = "Children's Social Care";
/** The role that acknowledges hand-offs to children's social care (the policy must also grant it the mutation). */
const SOCIAL_CARE_LIAISON = 'social_care_liaison';
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

const today = (context: GatewayContext): string => context.services.clock.now().toISOString().slice(0, 10);

/** A panel date to list a case for: today's panel when left out, never a past one. */
function panelDateOf(context: GatewayContext, panelDate: string | null | undefined): string {
  const date = panelDate ?? today(context);
  if (date < today(context)) throw new BadUserInputError(`panelDate ${date} is in the past`, 'PAST_DATE');
  return date;
}

function reasonOf(value: string): string {
  const why = text('reason', value, 1000, true);
  if (why.length < MIN_REASON) throw new BadUserInputError(`reason must say why, in at least ${MIN_REASON} characters`, 'REASON_REQUIRED');
  return why;
}

/**
 * Referrals whose latest checks found the person holding any of `records` now (through identity links
 * as they are now), newest first. Only records in systems the caller may see connect anything: a link
 * through a record above their clearance would tell them that system knows the child.
 */
async function referralsOfPeople(context: GatewayContext, people: readonly PersonView[]): Promise<ReferralView[]> {
  const records: ReferralRecordRef[] = [];
  const personIds: string[] = [];
  for (const person of people) {
    const visible = visibleLinks(person, context);
    if (visible.length === 0) continue;
    personIds.push(person.personId);
    records.push(...visible.map((link) => ({ system: link.system, sourceId: link.sourceId })));
  }
  if (records.length === 0) return [];
  return context.services.referrals.foundWith(records, personIds, CONNECTED_REFERRALS);
}

/** The people a referral's latest checks found, as identity links hold their records now (only through records the caller may see). */
async function peopleFoundBy(context: GatewayContext, referral: ReferralView): Promise<PersonView[]> {
  const latest = [...referral.trail].reverse().find((step) => step.kind === 'CHECKS_RUN');
  if (!latest?.checks?.bestCandidate) return [];
  const found = await context.services.referrals.foundRecordsOf(referral.id, latest.seq);
  const people = await Promise.all(
    found.map(async (row) => {
      if (row.system === null || row.sourceId === null) return context.loaders.person.load(row.personId).catch(() => null);
      const person = await context.loaders.personForRecord.load(`${row.system}:${row.sourceId}`).catch(() => null);
      // The record must be one the caller may see, or it connects nothing for them.
      return person && visibleLinks(person, context).some((link) => link.system === row.system && link.sourceId === row.sourceId) ? person : null;
    }),
  );
  const byId = new Map<string, PersonView>();
  for (const person of people) if (person) byId.set(person.personId, person);
  return [...byId.values()];
}

const record = (context: GatewayContext, referralId: string, step: StepToRecord) =>
  referralStep(() => context.services.referrals.record(referralId, step, actorOf(context)));

export const referralQueryResolvers: Pick<QueryResolvers, 'referral' | 'referrals' | 'panelAgencies'> = {
  referral: async (_parent, { id }, { services }) => {
    const referral = await services.referrals.get(id);
    if (!referral) throw new NotFoundError(`No referral has the ID ${id}`);
    return referral;
  },
  referrals: (_parent, { status, panelDate, first }, context) => {
    const size = pageSize(context, first);
    return context.services.referrals.list({ status: status ?? null, panelDate: panelDate ?? null, first: size });
  },
  panelAgencies: (_parent, { includeRetired }, { services }) => services.panelAgencies.list(includeRetired === true),
};

const earlier = (connectedBy: EarlierReferralView['connectedBy'], referral: ReferralView): EarlierReferralView => ({
  connectedBy,
  id: referral.id,
  referralNo: referral.referralNo,
  kind: referral.kind,
  source: referral.source,
  receivedAt: referral.receivedAt,
  subject: referral.subject,
  status: referral.status,
  decision: referral.decision,
  handOff: referral.handOff,
  panelReviews: referral.panelReviews,
});

export const referralResolvers: Pick<ReferralResolvers, 'earlierReferrals'> = {
  earlierReferrals: async (parent, _args, context) => {
    const connected = new Map<string, EarlierReferralView>();
    // Connected through identity links first: the stronger connection wins when both hold.
    for (const referral of await referralsOfPeople(context, await peopleFoundBy(context, parent))) {
      if (referral.referralNo < parent.referralNo) connected.set(referral.id, earlier('IDENTITY_LINK', referral));
    }
    const key = subjectKey(parent.subject);
    if (key) {
      for (const referral of await context.services.referrals.withSubjectKey(key, CONNECTED_REFERRALS + 1)) {
        if (referral.referralNo < parent.referralNo && !connected.has(referral.id)) connected.set(referral.id, earlier('SAME_DETAILS_AS_GIVEN', referral));
      }
    }
    return [...connected.values()].sort((a, b) => b.referralNo - a.referralNo).slice(0, CONNECTED_REFERRALS);
  },
};

export const panelReviewResolvers: Pick<PanelReviewResolvers, 'allocatedTo'> = {
  allocatedTo: async (parent, _args, { services }) => (await services.panelAgencies.byIds(parent.allocatedTo)).filter((agency) => agency !== null),
};

export const youngPersonReferralResolvers: Pick<YoungPersonResolvers, 'referrals'> = {
  referrals: (parent, _args, context) => referralsOfPeople(context, [parent]),
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
  | 'recordPanelBriefing'
  | 'recordPanelReview'
  | 'recallCase'
  | 'returnChecks'
  | 'addPanelAgency'
  | 'retirePanelAgency'
> = {
  receiveReferral: (_parent, { input }, context) => {
    const kind = input.kind ?? 'REFERRAL';
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
    const requestedBy = text('requestedBy', input.requestedBy, 200);
    if (kind !== 'REFERRAL' && !requestedBy) {
      throw new BadUserInputError('A check request must say who asked for it (requestedBy), e.g. the meeting or the court', 'REQUIRED');
    }
    const needsConsent = consentNeeded({ kind, source: input.source });
    if (needsConsent && (input.familyConsented === null || input.familyConsented === undefined)) {
      throw new BadUserInputError(
        'A referral that is not from the police or a court must say whether the family consented (familyConsented)',
        'CONSENT_REQUIRED',
      );
    }
    const receivedAt = statedTime(context, 'receivedAt', input.receivedAt);
    return referralStep(() =>
      context.services.referrals.receive(
        {
          kind: 'RECEIVED',
          source: input.source,
          requestKind: kind,
          requestedBy,
          neededBy: input.neededBy ?? null,
          information: text('information', input.information, 4000, true),
          subject: { ...subject, relationship: null },
          familyMembers,
          familyConsented: needsConsent ? Boolean(input.familyConsented) : null,
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
      const { checks, found } = await runReferralChecks(context, referral);
      return referrals.record(referralId, { step: 'runReferralChecks', at: checks.checkedAt, detail: { kind: 'CHECKS_RUN', checks }, found }, actorOf(context));
    }),

  recordAgencyShare: (_parent, { referralId, agency, information, sharedAt }, context) =>
    record(context, referralId, {
      step: 'recordAgencyShare',
      at: statedTime(context, 'sharedAt', sharedAt),
      detail: { kind: 'AGENCY_SHARED', agency: text('agency', agency, 200, true), information: text('information', information, 4000, true) },
    }),

  decideReferral: (_parent, { referralId, decision, reason }, context) => {
    const why = reasonOf(reason);
    return record(context, referralId, {
      step: 'decideReferral',
      input: { decision },
      at: context.services.clock.now().toISOString(),
      detail: { kind: 'DECIDED', decision, reason: why },
    });
  },

  handOffReferral: (_parent, { referralId, toUnit, toPerson, handedOffAt }, context) =>
    referralStep(async () => {
      const { referrals } = context.services;
      // The workflow speaks first: a hand-off without a decision is a wrong step, whatever it names.
      nextStatus(await referrals.state(referralId), 'handOffReferral');
      const referral = (await referrals.get(referralId))!;
      const socialCare = referral.decision?.decision === 'REFER_TO_SOCIAL_CARE';
      const unit = socialCare ? (text('toUnit', toUnit, 100) ?? SOCIAL_CARE) : text('toUnit', toUnit, 100, true);
      return referrals.record(
        referralId,
        {
          step: 'handOffReferral',
          at: statedTime(context, 'handedOffAt', handedOffAt),
          detail: { kind: 'HANDED_OFF', handOffKind: socialCare ? 'SOCIAL_CARE' : 'CORE_UNIT', toUnit: unit, toPerson: text('toPerson', toPerson, 200) },
        },
        actorOf(context),
      );
    }),

  acknowledgeHandOff: async (_parent, { referralId, acknowledgedAt }, context) => {
    // Only the receiving team acknowledges a hand-off (the policy decides which roles may at all): a
    // social care liaison for children's social care, the receiving Core Unit's leader otherwise.
    const referral = await context.services.referrals.get(referralId);
    const handOff = referral?.handOff;
    if (handOff?.kind === 'SOCIAL_CARE' && !context.principal.roles.includes(SOCIAL_CARE_LIAISON)) {
      throw new ForbiddenError(`Referral ${referralId} was handed off to children's social care; only a social care liaison acknowledges it`, 'NOT_RECEIVING_TEAM');
    }
    if (handOff?.kind === 'CORE_UNIT' && !context.principal.units.includes(handOff.toUnit)) {
      throw new ForbiddenError(`Referral ${referralId} was handed off to ${handOff.toUnit}; only that Core Unit acknowledges it`, 'NOT_RECEIVING_UNIT');
    }
    // The child the checks found becomes a Core Unit's to work with: need to know, until UMIS or YOIS
    // records the allocation. Children's social care works in its own systems: no allocation here.
    const personId = referral?.checks?.bestCandidate?.personId;
    return record(context, referralId, {
      step: 'acknowledgeHandOff',
      at: statedTime(context, 'acknowledgedAt', acknowledgedAt),
      detail: { kind: 'ACKNOWLEDGED', ...(handOff?.kind === 'CORE_UNIT' && personId ? { allocates: { personId, unitId: handOff.toUnit } } : {}) },
    });
  },

  listForPanel: (_parent, { referralId, panelDate }, context) => {
    const date = panelDateOf(context, panelDate);
    return record(context, referralId, {
      step: 'listForPanel',
      at: context.services.clock.now().toISOString(),
      detail: { kind: 'LISTED_FOR_PANEL', panelDate: date },
      panelDate: date,
    });
  },

  recordPanelBriefing: (_parent, { referralId, notes, briefedAt }, context) =>
    referralStep(async () => {
      const state = await context.services.referrals.state(referralId);
      nextStatus(state, 'recordPanelBriefing');
      return context.services.referrals.record(
        referralId,
        {
          step: 'recordPanelBriefing',
          at: statedTime(context, 'briefedAt', briefedAt),
          detail: { kind: 'PANEL_BRIEFED', panelDate: state.panelDate ?? today(context), notes: text('notes', notes, 4000, true) },
        },
        actorOf(context),
      );
    }),

  recordPanelReview: (_parent, { referralId, review }, context) =>
    referralStep(async () => {
      const state = await context.services.referrals.state(referralId);
      // The workflow speaks first: reviewing a case that is not listed is a wrong step, whatever the review says.
      nextStatus(state, 'recordPanelReview', { panelDecision: review.decision });
      const panelDate = state.panelDate ?? today(context);
      // A review is what the panel decided when it sat: not before the panel it is listed for.
      if (today(context) < panelDate) {
        throw new BadUserInputError(`Referral ${referralId} is listed for the panel of ${panelDate}; its review cannot be recorded before then`, 'BEFORE_PANEL_DATE');
      }
      const next = review.nextReviewDate ?? null;
      if (review.decision === 'CONTINUE' && (!next || next <= panelDate)) {
        throw new BadUserInputError(`CONTINUE needs a nextReviewDate after this panel (${panelDate})`, 'NEXT_REVIEW_REQUIRED');
      }
      if (review.decision === 'CLOSE' && next) throw new BadUserInputError('A closed case has no nextReviewDate', 'NO_NEXT_REVIEW');
      const allocatedTo = [...new Set(review.allocatedTo ?? [])];
      if (allocatedTo.length > MAX_ALLOCATIONS) throw new BadUserInputError(`A review may allocate to at most ${MAX_ALLOCATIONS} agencies`, 'ALLOCATION_LIMIT');
      const agencies = await context.services.panelAgencies.byIds(allocatedTo);
      const unknown = allocatedTo.filter((_id, index) => !agencies[index]?.active);
      if (unknown.length) {
        throw new BadUserInputError(`Not on the panel's list of agencies (see panelAgencies): ${unknown.map((id) => id.slice(0, 40)).join(', ')}`, 'UNKNOWN_PANEL_AGENCY');
      }
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
            referringAgencyAttended: review.referringAgencyAttended,
            allocatedTo,
          },
          panelDate: next,
        },
        actorOf(context),
      );
    }),

  recallCase: (_parent, { referralId, reason, panelDate }, context) => {
    const why = reasonOf(reason);
    const date = panelDateOf(context, panelDate);
    return record(context, referralId, {
      step: 'recallCase',
      at: context.services.clock.now().toISOString(),
      detail: { kind: 'RECALLED', reason: why, panelDate: date },
      panelDate: date,
    });
  },

  returnChecks: (_parent, { referralId, returnedTo, notes }, context) =>
    record(context, referralId, {
      step: 'returnChecks',
      at: context.services.clock.now().toISOString(),
      detail: { kind: 'CHECKS_RETURNED', returnedTo: text('returnedTo', returnedTo, 200, true), notes: text('notes', notes, 4000) },
    }),

  addPanelAgency: (_parent, { id, name }, context) => {
    if (!PANEL_AGENCY_ID.test(id)) throw new BadUserInputError('A panel agency ID is 2 to 32 capital letters, digits or underscores, starting with a letter, e.g. SAFER_LONDON', 'BAD_ID');
    const named = text('name', name, 200, true);
    return panelAgencyStep(() => context.services.panelAgencies.add(id, named, context.principal.sub));
  },

  retirePanelAgency: (_parent, { id }, context) => panelAgencyStep(() => context.services.panelAgencies.retire(id, context.principal.sub)),
};

async function panelAgencyStep<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof PanelAgencyRefused) {
      if (error.reason === 'NOT_FOUND') throw new NotFoundError(error.message);
      throw new BadUserInputError(error.message, error.reason);
    }
    throw error;
  }
}
