import type { RequestHandler } from 'express';
import { ErrorCode } from '../errors/ErrorCode';
import { QueryTooComplexError } from '../errors/errors';
import { countTokens } from './countTokens';

/**
 * Express middleware in front of /graphql: refuses a query text with more than `maxTokens` lexical
 * tokens before it is parsed (parsing and validating 100,000 tokens blocks the event loop for more
 * than a second). Counting stops at the limit, so a huge query costs what its first tokens cost.
 * Answers 400 with QUERY_TOO_COMPLEX, reason TOKEN_LIMIT, in the same shape as GraphQL errors.
 */
export function refuseLongQueries(maxTokens: number): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    const fromBody = body && typeof body === 'object' && 'query' in body ? (body as { query: unknown }).query : undefined;
    const query = typeof fromBody === 'string' ? fromBody : typeof req.query.query === 'string' ? req.query.query : undefined;
    if (query === undefined) return next();
    const tokens = countTokens(query, maxTokens);
    if (tokens <= maxTokens) return next();
    const error = new QueryTooComplexError('TOKEN_LIMIT', tokens, maxTokens);
    res.status(400).json({ errors: [{ message: error.message, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, reason: 'TOKEN_LIMIT' } }] });
  };
}
