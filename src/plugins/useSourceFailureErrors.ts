import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode } from '../errors/ErrorCode';
import { SourceOverloaded } from '../sources/sourceGuard';

/** Seconds a client should wait before retrying an overloaded request. */
export const OVERLOAD_RETRY_AFTER_SECONDS = 1;

/**
 * Adds one SOURCE_UNAVAILABLE error per failed source to a response that still carries the other
 * sources' data. Resolvers report failures they absorbed (a search that went on without a system)
 * through `context.reportSourceFailure`; without this, "not checked" could read as "nothing found".
 * A source refused because the gateway itself was saturated is reported as OVERLOADED instead, and
 * the whole response becomes HTTP 503 with Retry-After: overload is never passed off as an outage.
 */
export function useSourceFailureErrors(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const failures = contextValue.sourceFailures;
          const already = new Set(
            (result.errors ?? []).filter((e) => e.extensions?.code === ErrorCode.SOURCE_UNAVAILABLE).map((e) => e.extensions?.source),
          );
          let overloaded = (result.errors ?? []).some((e) => e.extensions?.code === ErrorCode.OVERLOADED);
          const added: GraphQLFormattedError[] = [];
          for (const [source, failure] of failures) {
            if (failure instanceof SourceOverloaded) {
              overloaded = true;
              continue;
            }
            if (already.has(source)) continue;
            added.push({
              message: `${source} is unavailable: ${failure.reason}. Data from other systems is unaffected; ${source} was not checked.`,
              extensions: { code: ErrorCode.SOURCE_UNAVAILABLE, source, reason: failure.reason },
            });
          }
          if (overloaded && !(result.errors ?? []).some((e) => e.extensions?.code === ErrorCode.OVERLOADED)) {
            added.push({
              message: 'The gateway is at capacity: some data was not read. Try again in a few seconds.',
              extensions: { code: ErrorCode.OVERLOADED },
            });
          }
          if (added.length) result.errors = [...(result.errors ?? []), ...added];
          if (overloaded) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS));
          }
        },
      };
    },
  };
}
