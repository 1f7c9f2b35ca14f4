import type { PersonRecord } from '../../adapters/types';
import { BadUserInputError, NotFoundError } from '../errors/errors';
import type { QueryResolvers } from '../generated/graphql';
import { decodePersonId } from '../ids/personId';
import type { GatewayContext } from '../context/GatewayContext';
import { searchYoungPeople } from '../search/searchYoungPeople';
import { callSource } from '../sources/sourceGuard';
import { fromSource, toApiError } from './sourceErrors';

/** Loads one person by gateway ID; only IYSS records exist until the other adapters arrive. */
function loadPerson(context: GatewayContext, id: string): Promise<PersonRecord> {
  const key = decodePersonId(id);
  if (!key) return Promise.reject(new BadUserInputError(`"${id.slice(0, 80)}" is not a young person ID`, 'BAD_ID'));
  if (key.source !== 'IYSS') return Promise.reject(new NotFoundError('No young person has that ID'));
  return fromSource(context.loaders.iyssPerson.load(key.sourceId));
}

export const queryResolvers: QueryResolvers = {
  gatewayInfo: (_parent, _args, { services }) => ({
    version: services.version,
    sources: ['IYSS'],
    maxPageSize: services.config.limits.maxPageSize,
  }),

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
    const { config, sources } = context.services;
    const page = await searchYoungPeople(
      criteria,
      { first, after },
      { maxPageSize: config.limits.maxPageSize, maxCandidates: config.limits.maxSearchCandidates },
      (filter) => callSource('IYSS', config.sourceTimeoutMs, context.log, () => sources.iyss.findCandidates(filter)),
    ).catch((error: unknown) => {
      throw toApiError(error);
    });
    // The records are already in hand: prime the loader so fields resolved later don't fetch them again.
    for (const edge of page.edges) context.loaders.iyssPerson.prime(edge.record.sourceId, edge.record);
    return page;
  },
};
