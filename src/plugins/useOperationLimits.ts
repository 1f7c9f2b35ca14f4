import type { ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, Kind, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context/GatewayContext';
import { QueryTooComplexError } from '../errors/errors';
import { operationCost, type CostWeights } from '../limits/operationCost';
import { operationShape } from '../limits/operationShape';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxComplexity: number;
  cost: CostWeights;
}

/**
 * Refuses an operation that asks for too much, after it is parsed and validated and before any
 * resolver runs: too many top-level fields (the alias bomb: 1,000 aliased searches), too many
 * aliases anywhere, nesting too deep, or an estimated cost over the limit. HTTP 400 with
 * QUERY_TOO_COMPLEX and a `reason` naming the limit. The query text's length in tokens is limited
 * earlier, before parsing (src/limits/refuseLongQueries).
 */
export function useOperationLimits(options: { schema: () => GraphQLSchema; limits: OperationLimits }): ApolloServerPlugin<GatewayContext> {
  const { limits } = options;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          const shape = operationShape(operation, fragments);
          if (shape.rootFields > limits.maxRootFields) throw new QueryTooComplexError('ROOT_FIELD_LIMIT', shape.rootFields, limits.maxRootFields);
          if (shape.aliases > limits.maxAliases) throw new QueryTooComplexError('ALIAS_LIMIT', shape.aliases, limits.maxAliases);
          if (shape.depth > limits.maxDepth) throw new QueryTooComplexError('DEPTH_LIMIT', shape.depth, limits.maxDepth);

          const schema = options.schema();
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not coerce: execution refuses them as BAD_USER_INPUT, naming the variable, before any resolver runs.
          if (variables.errors) return;
          const cost = operationCost(schema, operation, fragments, variables.coerced, limits.cost);
          if (cost > limits.maxComplexity) throw new QueryTooComplexError('COST_LIMIT', cost, limits.maxComplexity);
        },
      };
    },
  };
}
