import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode } from '../errors/ErrorCode';

/**
 * Adds one SOURCE_UNAVAILABLE error per failed source to a response that still carries the other
 * sources' data. Resolvers report failures they absorbed (a search that went on without a system)
 * through `context.reportSourceFailure`; without this, "not checked" could read as "nothing found".
 */
export function useSourceFailureErrors(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const failures = contextValue.sourceFailures;
          if (failures.size === 0 || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const already = new Set(
            (result.errors ?? []).filter((e) => e.extensions?.code === ErrorCode.SOURCE_UNAVAILABLE).map((e) => e.extensions?.source),
          );
          const added: GraphQLFormattedError[] = [];
          for (const [source, reason] of failures) {
            if (already.has(source)) continue;
            added.push({
              message: `${source} is unavailable: ${reason}. Data from other systems is unaffected; ${source} was not checked.`,
              extensions: { code: ErrorCode.SOURCE_UNAVAILABLE, source, reason },
            });
          }
          if (added.length) result.errors = [...(result.errors ?? []), ...added];
        },
      };
    },
  };
}
