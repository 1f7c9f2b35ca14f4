import { mayKnowInvolvement } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError, NotFoundError } from '../errors/errors';
import type { MutationResolvers, QueryResolvers } from '../generated/graphql';
import { IdentityChangeRefused, type PersonView, type RecordRef } from '../persons/PersonDirectory';
import { guardLinkChange, guardUndo, TARGET_NOT_FOUND, type GuardedChange } from './identityChangeGuard';
import { loadVisiblePerson } from './visiblePerson';

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

/**
 * Runs an identity change the guard allowed and returns the affected person. A refused change is
 * BAD_USER_INPUT and writes nothing. The change is audited against every person it concerned.
 */
async function change(context: GatewayContext, coordinate: string, guarded: GuardedChange, run: () => Promise<string>): Promise<PersonView> {
  let personId: string;
  try {
    personId = await run();
  } catch (error) {
    if (error instanceof IdentityChangeRefused) throw new BadUserInputError(error.message, 'IDENTITY_CHANGE_REFUSED');
    throw error;
  }
  for (const id of new Set([...guarded.involved, personId])) {
    if (id.startsWith('P-')) context.involved.push({ personId: id, coordinate, refused: false });
  }
  const [person] = await context.services.persons.personsByIds([personId]);
  if (!person || person instanceof Error) throw new NotFoundError(TARGET_NOT_FOUND);
  return person;
}

export const identityQueryResolvers: Pick<QueryResolvers, 'identityHistory'> = {
  // The person must be one the caller may see at all (else NOT_FOUND, as for an unknown ID); knowing a
  // record exists in a system is that system's tier, so events about records the caller may not know of are left out.
  identityHistory: async (_parent, { personId }, context) => {
    const person = await loadVisiblePerson(context, personId);
    return (await context.services.identity.history(person.personId)).filter(
      (event) => event.system === null || mayKnowInvolvement(context.authz, event.system),
    );
  },
};

export const identityMutationResolvers: MutationResolvers = {
  confirmLink: async (_parent, { personId, record, reason }, context) => {
    const why = requireReason(reason);
    const ref = toRecordRef(record);
    const guarded = await guardLinkChange(context, 'Mutation.confirmLink', personId, [ref]);
    return change(context, 'Mutation.confirmLink', guarded, async () =>
      context.services.identity.confirm(await context.services.identity.place(guarded.person.personId), ref, context.principal.sub, why),
    );
  },
  rejectLink: async (_parent, { personId, record, reason }, context) => {
    const why = requireReason(reason);
    const ref = toRecordRef(record);
    const guarded = await guardLinkChange(context, 'Mutation.rejectLink', personId, [ref]);
    return change(context, 'Mutation.rejectLink', guarded, async () =>
      context.services.identity.reject(await context.services.identity.place(guarded.person.personId), ref, context.principal.sub, why),
    );
  },
  splitPerson: async (_parent, { personId, records, reason }, context) => {
    const why = requireReason(reason);
    const refs = records.map(toRecordRef);
    const guarded = await guardLinkChange(context, 'Mutation.splitPerson', personId, refs);
    return change(context, 'Mutation.splitPerson', guarded, async () =>
      context.services.identity.split(await context.services.identity.place(guarded.person.personId), refs, context.principal.sub, why),
    );
  },
  undoIdentityChange: async (_parent, { eventId, reason }, context) => {
    const why = requireReason(reason);
    const guarded = await guardUndo(context, 'Mutation.undoIdentityChange', eventId);
    return change(context, 'Mutation.undoIdentityChange', guarded, () => context.services.identity.undo(eventId, context.principal.sub, why));
  },
};
