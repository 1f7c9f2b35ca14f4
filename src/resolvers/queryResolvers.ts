import { PERSON_SYSTEMS } from '../access/systemVisibility';
import { BadUserInputError } from '../errors/errors';
import type { QueryResolvers } from '../generated/graphql';
import { findCaseload } from '../persons/findCaseload';
import { findPeople } from '../persons/findPeople';
import { checkPage, paginate } from '../search/searchYoungPeople';
import { triageSearch } from '../triage/triageSearch';
import { loadVisiblePerson } from './visiblePerson';

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

  youngPerson: (_parent, { id }, context) => loadVisiblePerson(context, id),

  youngPeople: (_parent, { ids }, context) => {
    const limit = context.services.config.limits.maxIdsPerLookup;
    if (ids.length > limit) {
      throw new BadUserInputError(`ids may list at most ${limit} young people per request, got ${ids.length}`, 'ID_LIMIT');
    }
    // One promise per item: a failed item becomes null at its own path, with its own error, and the rest still resolve.
    return ids.map((id) => loadVisiblePerson(context, id));
  },

  searchYoungPeople: async (_parent, { criteria, first, after }, context) => {
    const cursor = checkPage({ first, after }, context.services.config.limits.maxPageSize);
    const found = await findPeople(context, criteria);
    return { ...paginate(found.matches, first, cursor), notChecked: found.notChecked };
  },

  myCaseload: async (_parent, { first, after, filter }, context) => {
    const cursor = checkPage({ first, after }, context.services.config.limits.maxPageSize);
    const found = await findCaseload(context, filter ?? {});
    return { ...paginate(found.matches, first, cursor), notChecked: found.notChecked };
  },

  triageSearch: (_parent, { referral, first }, context) => triageSearch(context, referral, first),
};
