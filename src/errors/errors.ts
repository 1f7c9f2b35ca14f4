import { GraphQLError } from 'graphql';
import type { SourceSystem } from '../../adapters/types';
import { ErrorCode } from './ErrorCode';

declare module 'graphql' {
  interface GraphQLErrorExtensions {
    code?: ErrorCode | string;
    /** With SOURCE_UNAVAILABLE: which legacy system failed. */
    source?: SourceSystem;
    /** A machine-readable reason a client can act on (e.g. which limit was exceeded). */
    reason?: string;
    /** With BAD_USER_INPUT from a write: the input field at fault, as a path (`contact.contactDate`). */
    field?: string;
    requestId?: string;
  }
}

/** No valid bearer token: missing, malformed, badly signed or expired. */
export class UnauthenticatedError extends GraphQLError {
  constructor(message = 'Authentication required: send a valid bearer token') {
    super(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
  }
}

/** The caller is known but not entitled. The message says what would be needed, never whether a record exists. */
export class ForbiddenError extends GraphQLError {
  constructor(message: string, reason?: string) {
    super(message, { extensions: { code: ErrorCode.FORBIDDEN, ...(reason ? { reason } : {}) } });
  }
}

/** The request's arguments are unusable; the message says which and why. */
export class BadUserInputError extends GraphQLError {
  constructor(message: string, reason?: string) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, ...(reason ? { reason } : {}) } });
  }
}

/** One input field of a write is unusable; `field` names it (`contact.contactDate`), the message says why. Nothing was written. */
export class InvalidFieldError extends GraphQLError {
  constructor(field: string, message: string, reason = 'INVALID_VALUE') {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, reason, field } });
  }
}

export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.NOT_FOUND } });
  }
}

/** A legacy system could not answer; the rest of the response still carries the other sources' data. */
export class SourceUnavailableError extends GraphQLError {
  constructor(source: SourceSystem, reason: string) {
    super(`${source} is unavailable: ${reason}. Data from other systems is unaffected; ${source} was not checked.`, {
      extensions: { code: ErrorCode.SOURCE_UNAVAILABLE, source, reason },
    });
  }
}

/** The gateway is saturated; the message says to retry, and the response carries HTTP 503 with Retry-After. */
export class OverloadedError extends GraphQLError {
  constructor(message = 'The gateway is at capacity: nothing was read. Try again in a few seconds.') {
    super(message, { extensions: { code: ErrorCode.OVERLOADED } });
  }
}

/** Which limit on one operation was exceeded: the `reason` of a QUERY_TOO_COMPLEX error. */
export type OperationLimit = 'TOKEN_LIMIT' | 'DEPTH_LIMIT' | 'ALIAS_LIMIT' | 'ROOT_FIELD_LIMIT' | 'COST_LIMIT';

const LIMIT_WORDING: Record<OperationLimit, { what: (actual: number, max: number) => string; advice: string }> = {
  TOKEN_LIMIT: { what: (_actual, max) => `the query text has more than ${max} tokens`, advice: 'Send a shorter query.' },
  DEPTH_LIMIT: { what: (actual) => `fields are nested ${actual} levels deep`, advice: 'Ask for less deeply nested data.' },
  ALIAS_LIMIT: { what: (actual) => `${actual} aliased fields`, advice: 'Use fewer aliases, or split the work into several requests.' },
  ROOT_FIELD_LIMIT: {
    what: (actual) => `${actual} top-level fields`,
    advice: 'Ask for fewer top-level fields per request (youngPeople(ids:) fetches many people at once).',
  },
  COST_LIMIT: { what: (actual) => `its estimated cost is ${actual}`, advice: 'Ask for fewer items, searches or nested lists.' },
};

/**
 * An operation over one of the limits that bound what a single request may do. Refused before it
 * runs, with HTTP 400: the request is the client's to fix, like a validation failure.
 */
export class QueryTooComplexError extends GraphQLError {
  constructor(limit: OperationLimit, actual: number, max: number) {
    const { what, advice } = LIMIT_WORDING[limit];
    super(`Query is too complex: ${what(actual, max)}, over the limit of ${max} (${limit}). ${advice}`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, reason: limit, http: { status: 400 } },
    });
  }
}
