import type { ApolloServerPlugin } from '@apollo/server';
import { getNullableType, isListType, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { QueryTooComplexError } from '../errors/errors';
import type { GatewayContext } from '../context/GatewayContext';

/** Lists without a size argument are assumed to hold this many items when estimating cost. */
const ASSUMED_LIST_LENGTH = 5;

/** Cost = 1 per field, multiplied by how many items a list can return (`first`, the number of `ids`, or an assumption). */
const listAwareEstimator: ComplexityEstimator = ({ args, childComplexity, field }) => {
  // A connection's `edges` are already counted by the `first` of the field that returned the connection.
  const items =
    field.name === 'edges'
      ? 1
      : typeof args.first === 'number'
      ? args.first
      : Array.isArray(args.ids)
        ? args.ids.length
        : isListType(getNullableType(field.type))
          ? ASSUMED_LIST_LENGTH
          : 1;
  return 1 + Math.max(1, items) * childComplexity;
};

/** Refuses an operation whose estimated cost exceeds the limit, before any resolver runs. */
export function useQueryComplexityLimit(options: { schema: () => GraphQLSchema; maxComplexity: number }): ApolloServerPlugin<GatewayContext> {
  const { maxComplexity } = options;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema: options.schema(),
              query: document,
              operationName: request.operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [listAwareEstimator],
            });
          } catch {
            // Variables that do not coerce: execution reports them as BAD_USER_INPUT, naming the variable.
            return;
          }
          if (complexity > maxComplexity) throw new QueryTooComplexError(complexity, maxComplexity);
        },
      };
    },
  };
}
