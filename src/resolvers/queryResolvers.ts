import { PERSON_SYSTEMS } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import { BadUserInputError, NotFoundError } from '../errors/errors';
import type { QueryResolvers } from '../generated/graphql';
import { decodePersonId } from '../ids/personId';
import { findPeople } from '../persons/findPeople';
import type { PersonView } from '../persons/PersonDirectory';
import { checkPage, paginate } from '../search/searchYoungPeople';
import { triageSearch } from '../triage/triageSearch';
import { loadRecords, visibleLinks } from './personRecords';
import { toApiError } from './sourceErrors';

const PERSON_ID = /^P-[0-9A-Z]{6,32}$/;
const NOT_FOUND = 'No young person has that ID';

/**
 * Resolves a gateway person ID, or a record reference `yp:<SYSTEM>:<id>`, to a person the caller may
 * see. A person none of whose records the caller may see is NOT_FOUND, exactly like an unknown ID.
 */
async function loadPerson(context: GatewayContext, id: string): Promise<PersonView> {
  let person: PersonView;
  const ref = decodePersonId(id);
  if (ref) {
    if (ref.source === 'DMS') throw new BadUserInputError('A DMS document ID is not a young person ID', 'BAD_ID');
    person = await context.loaders.personForRecord.load(`${ref.source}:${ref.sourceId}`);
    if (!visibleLinks(person, context).some((link) => link.system === ref.source && link.sourceId === ref.sourceId)) {
      throw new NotFoundError(NOT_FOUND);
    }
  } else if (PERSON_ID.test(id)) {
    const loaded = await context.loaders.person.load(id).catch((error: unknown) => error as Error);
    if (loaded instanceof Error) throw new NotFoundError(NOT_FOUND);
    person = loaded;
  } else {
    throw new BadUserInputError(`"${id.slice(0, 80)}" is not a young person ID`, 'BAD_ID');
  }
  if (visibleLinks(person, context).length === 0) throw new NotFoundError(NOT_FOUND);
  // The person exists for this caller only if some visible record still exists (or its system is down).
  const { records, failures } = await loadRecords(person, context);
  if (records.length === 0 && failures.length === 0) throw new NotFoundError(NOT_FOUND);
  if (records.length === 0) throw toApiError(failures[0]!);
  return person;
}

export const queryResolvers: QueryResolvers = {
  gatewayInfo: (_parent, _args, { services, authz, principal }) => {
    const mine = new Set(principal.roles.flatMap((role) => [...(authz.policy.roles.get(role)?.purposes ?? [])]));
    return {
      version: services.version,
      sources: [...PERSON_SYSTEMS, 'DMS'],
      maxPageSize: services.config.limits.maxPageSize,
      yourPurposes: Object.entries(authz.policy.document.purposes)
        .filter(([id]) => mine.has(id))
        .map(([id, description]) => ({ id, description })),
      yourTier: authz.tier,
      policyVersion: authz.policy.version,
    };
  },

  youngPerson: (_parent, { id }, context) => loadPerson(context, id),

  youngPeople: (_parent, { ids }, context) => {
    const limit = context.services.config.limits.maxIdsPerLookup;
    if (ids.length > limit) {
      throw new BadUserInputError(`ids may list at most ${limit} young people per request, got ${ids.length}`, 'ID_LIMIT');
    }
    // One promise per item: a failed item becomes null at its own path, with its own error, and the rest still resolve.
    return ids.map((id) => loadPerson(context, id));
  },

  searchYoungPeople: async (_parent, { criteria, first, after }, context) => {
    const cursor = checkPage({ first, after }, context.services.config.limits.maxPageSize);
    const found = await findPeople(context, criteria);
    return { ...paginate(found.matches, first, cursor), notChecked: found.notChecked };
  },

  triageSearch: (_parent, { referral, first }, context) => triageSearch(context, referral, first),
};
