/** Every `extensions.code` a client can receive from the gateway. Part of the public API (DESIGN.md section 4). */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  SOURCE_UNAVAILABLE = 'SOURCE_UNAVAILABLE',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** The gateway is at capacity (HTTP 503, or 429 for one caller's excess, with Retry-After): try again shortly. Never means a source is down. */
  OVERLOADED = 'OVERLOADED',
  /** The access audit could not be written, so the personal data it covers was withheld (fail closed). */
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  /** A persisted operation id that the deployed manifest does not hold (HTTP 400). */
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  /** Only the front-ends' persisted operations may run here, and the request sent other text (HTTP 400). */
  PERSISTED_QUERY_REQUIRED = 'PERSISTED_QUERY_REQUIRED',
  /** The HTTP request itself was unusable (malformed JSON, wrong content type). */
  BAD_REQUEST = 'BAD_REQUEST',
  /** Anything unexpected: details go to the log under the request id, never to the client. */
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/** Whether `error` (a GraphQLError, or anything thrown) carries this `extensions.code`. */
export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  return (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === code;
}
