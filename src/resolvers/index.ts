import type { Resolvers } from '../generated/graphql';
import { contactResolvers } from './iyssResolvers';
import { queryResolvers } from './queryResolvers';
import { DateScalar, DateTimeScalar } from './scalars';
import { youngPersonConnectionResolvers, youngPersonEdgeResolvers, youngPersonResolvers } from './youngPersonResolvers';

/** Every resolver of the schema. Thin by design: they ask loaders and shape results. */
export const resolvers: Resolvers = {
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Query: queryResolvers,
  YoungPerson: youngPersonResolvers,
  YoungPersonEdge: youngPersonEdgeResolvers,
  YoungPersonConnection: youngPersonConnectionResolvers,
  Contact: contactResolvers,
};
