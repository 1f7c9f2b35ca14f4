import type { GatewayContext } from '../context/GatewayContext';
import type { YoungPersonConnectionResolvers, YoungPersonEdgeResolvers, YoungPersonResolvers } from '../generated/graphql';
import { encodePersonId } from '../ids/personId';
import { fromSource } from './sourceErrors';

/** Whole years between an ISO date of birth and today (UTC). */
export function ageOn(dateOfBirth: string, today: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const beforeBirthday =
    today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  return today.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}

/** IYSS-held lists are only asked of IYSS records; another system's record has none there. */
function fromIyss<T>(parent: { source: string; sourceId: string }, load: (id: string) => Promise<T>, empty: T) {
  return parent.source === 'IYSS' ? fromSource(load(parent.sourceId)) : Promise.resolve(empty);
}

export const youngPersonResolvers: YoungPersonResolvers = {
  id: (parent) => encodePersonId(parent),
  sourceRecordId: (parent) => parent.sourceId,
  age: (parent) => (parent.dateOfBirth ? ageOn(parent.dateOfBirth, new Date()) : null),
  groupWork: (parent, _args, { loaders }: GatewayContext) =>
    fromIyss(parent, (id) => loaders.iyssAttendance.load(id), []),
  contacts: (parent, _args, { loaders }: GatewayContext) => fromIyss(parent, (id) => loaders.iyssContacts.load(id), []),
  educationHistory: (parent, _args, { loaders }: GatewayContext) =>
    fromIyss(parent, (id) => loaders.iyssEducation.load(id), []),
  educationStatus: async (parent, _args, { loaders }: GatewayContext) =>
    (await fromIyss(parent, (id) => loaders.iyssEducation.load(id), []))[0] ?? null,
};

export const youngPersonEdgeResolvers: YoungPersonEdgeResolvers = {
  node: (parent) => parent.record,
};

export const youngPersonConnectionResolvers: YoungPersonConnectionResolvers = {
  pageInfo: (parent) => ({ hasNextPage: parent.hasNextPage, endCursor: parent.edges.at(-1)?.cursor ?? null }),
};
