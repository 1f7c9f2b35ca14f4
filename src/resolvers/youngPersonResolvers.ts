import type { PersonSystem } from '../access/systemVisibility';
import type { GatewayContext } from '../context/GatewayContext';
import type { NotCheckedCause, SourceCheckResolvers, YoungPersonConnectionResolvers, YoungPersonEdgeResolvers, YoungPersonResolvers } from '../generated/graphql';
import { involvementOf } from '../persons/involvement';
import type { LinkedRecord, PersonView } from '../persons/PersonDirectory';
import { loadGolden, visibleLinks } from './personRecords';
import { fromSource } from './sourceErrors';

/** Whole years between an ISO date of birth and today (UTC). */
export function ageOn(dateOfBirth: string, today: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const beforeBirthday =
    today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  return today.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}

/** Loads a list for each of the person's records in one system and concatenates them. */
export async function listAcross<T>(
  person: PersonView,
  context: GatewayContext,
  system: PersonSystem,
  load: (link: LinkedRecord) => Promise<T[]>,
): Promise<T[]> {
  const lists = await Promise.all(visibleLinks(person, context, system).map((link) => fromSource(load(link))));
  return lists.flat();
}

const golden = (parent: PersonView, context: GatewayContext) => loadGolden(parent, context);

export const youngPersonResolvers: YoungPersonResolvers = {
  id: (parent) => parent.personId,
  forename: async (parent, _args, context) => (await golden(parent, context)).forename,
  surname: async (parent, _args, context) => (await golden(parent, context)).surname,
  knownAs: async (parent, _args, context) => (await golden(parent, context)).knownAs,
  dateOfBirth: async (parent, _args, context) => (await golden(parent, context)).dateOfBirth,
  age: async (parent, _args, context) => {
    const { dateOfBirth } = await golden(parent, context);
    return dateOfBirth ? ageOn(dateOfBirth, new Date()) : null;
  },
  gender: async (parent, _args, context) => (await golden(parent, context)).gender,
  ethnicity: async (parent, _args, context) => (await golden(parent, context)).ethnicity,
  address: async (parent, _args, context) => (await golden(parent, context)).address,
  upn: async (parent, _args, context) => (await golden(parent, context)).upn,
  aliases: async (parent, _args, context) => (await golden(parent, context)).aliases,
  addresses: async (parent, _args, context) => (await golden(parent, context)).addresses,

  involvement: (parent, _args, context) => involvementOf(context, parent),
};

export const youngPersonEdgeResolvers: YoungPersonEdgeResolvers = {
  node: (parent) => parent.person,
};

export const youngPersonConnectionResolvers: YoungPersonConnectionResolvers = {
  pageInfo: (parent) => ({ hasNextPage: parent.hasNextPage, endCursor: parent.edges.at(-1)?.cursor ?? null }),
};

export const sourceCheckResolvers: SourceCheckResolvers = {
  // Referral snapshots frozen before the cause was recorded only ever listed failed sources.
  cause: (parent) => (parent as { cause?: NotCheckedCause }).cause ?? 'SOURCE_UNAVAILABLE',
};
