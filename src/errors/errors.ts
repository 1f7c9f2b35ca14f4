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

export class QueryTooComplexError extends GraphQLError {
  constructor(complexity: number, limit: number) {
    super(`Query is too complex: cost ${complexity} exceeds the limit of ${limit}. Ask for fewer items or fewer nested lists.`, {
      extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, reason: `cost ${complexity} > ${limit}` },
    });
  }
}
