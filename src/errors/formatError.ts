import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode } from './ErrorCode';

/** Codes whose messages were written for clients. Anything else is masked. */
const CLIENT_SAFE = new Set<string>([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * The last step before an error reaches a client: known errors keep their message and typed
 * extensions; anything unexpected becomes a generic INTERNAL_SERVER_ERROR (the real error is logged
 * under the request id), so no stack, SQL or hostname ever leaves the gateway.
 */
export function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = String(formatted.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR);
  if (CLIENT_SAFE.has(code)) {
    const { code: _code, source, reason, problems, field } = formatted.extensions ?? {};
    void _code;
    return {
      message: formatted.message,
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      // `field`: the input field a BAD_USER_INPUT is about (writes). `problems`: each problem of an invalid policy document, with its line (proposePolicy).
      extensions: { code, ...(source ? { source } : {}), ...(reason ? { reason } : {}), ...(typeof field === 'string' ? { field } : {}), ...(Array.isArray(problems) ? { problems } : {}) },
    };
  }
  return {
    message: 'Internal error: the gateway could not complete this part of the request. Quote the x-request-id header when reporting it.',
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}
