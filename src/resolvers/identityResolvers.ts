import { mayKnowInvolvement } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError, NotFoundError } from '../errors/errors';
import type { MutationResolvers, QueryResolvers } from '../generated/graphql';
import { IdentityChangeRefused, type PersonView, type RecordRef } from '../persons/PersonDirectory';

const MIN_REASON = 5;

function requireReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < MIN_REASON) throw new BadUserInputError(`reason must say why, in at least ${MIN_REASON} characters`, 'REASON_REQUIRED');
  return trimmed;
}

/** Identity links are between person records; DMS holds documents, not people. */
function toRecordRef(input: { system: string; sourceId: string }): RecordRef {
  if (input.system === 'DMS') throw new BadUserInputError('DMS holds documents, not person records', 'BAD_RECORD');
  return { system: input.system as RecordRef['system'], sourceId: input.sourceId };
}

/** Runs an identity change and returns the affected person; a refused change is BAD_USER_INPUT and writes nothing. */
async function change(context: GatewayContext, run: () => Promise<string>): Promise<PersonView> {
  let personId: string;
  try {
    personId = await run();
  } catch (error) {
    if (error instanceof IdentityChangeRefused) throw new BadUserInputError(error.message, 'IDENTITY_CHANGE_REFUSED');
    throw error;
  }
  const [person] = await context.services.persons.personsByIds([personId]);
  if (!person || person instanceof Error) throw new NotFoundError('No young person has that ID');
  return person;
}

export const identityQueryResolvers: Pick<QueryResolvers, 'identityHistory'> = {
  // Knowing a record exists in a system is that system's tier: events about records the caller may not know of are left out.
  identityHistory: async (_parent, { personId }, context) =>
    (await context.services.identity.history(personId)).filter((event) => event.system === null || mayKnowInvolvement(context.authz, event.system)),
};

export const identityMutationResolvers: MutationResolvers = {
  confirmLink: (_parent, { personId, record, reason }, context) =>
    change(context, () => context.services.identity.confirm(personId, toRecordRef(record), context.principal.sub, requireReason(reason))),
  rejectLink: (_parent, { personId, record, reason }, context) =>
    change(context, () => context.services.identity.reject(personId, toRecordRef(record), context.principal.sub, requireReason(reason))),
  splitPerson: (_parent, { personId, records, reason }, context) =>
    change(context, () => context.services.identity.split(personId, records.map(toRecordRef), context.principal.sub, requireReason(reason))),
  undoIdentityChange: (_parent, { eventId, reason }, context) =>
    change(context, () => context.services.identity.undo(eventId, context.principal.sub, requireReason(reason))),
};
