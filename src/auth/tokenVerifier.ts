import { createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { ZodError } from 'zod';
import type { AuthConfig } from '../config/config';
import { principalFromClaims, type Principal } from './Principal';

/** Why a token was refused; logged, and summarised for the client without detail an attacker could use. */
export class TokenRejected extends Error {
  constructor(
    readonly clientMessage: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'TokenRejected';
  }
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const CLOCK_TOLERANCE_SECONDS = 30;
/** How long a verified token is taken on trust (a rotated-out JWKS key stops being accepted within this). */
const VERIFIED_TOKEN_TTL_MS = 60_000;
const VERIFIED_TOKENS_KEPT = 10_000;

/** Builds the verifier the configuration asks for. Tokens must carry `exp`; a little clock skew is tolerated. */
export function createTokenVerifier(auth: AuthConfig): TokenVerifier {
  const options: JWTVerifyOptions = { clockTolerance: CLOCK_TOLERANCE_SECONDS, requiredClaims: ['exp', 'sub'] };
  let key: KeyObject | JWTVerifyGetKey;
  if (auth.mode === 'hs256') {
    // A key object made once: given the secret's bytes, jose would import a new key on every request.
    key = createSecretKey(Buffer.from(auth.secret, 'utf8'));
    options.algorithms = ['HS256'];
    if (auth.issuer) options.issuer = auth.issuer;
    if (auth.audience) options.audience = auth.audience;
  } else {
    key = createRemoteJWKSet(new URL(auth.jwksUrl));
    options.algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];
    options.issuer = auth.issuer;
    options.audience = auth.audience;
  }
  // Verified tokens, by their exact text (signature included), for a minute at most and never past their
  // expiry (with the same tolerance): a caller sending the same token on every request is verified once a
  // minute, not on every request. Failures are never remembered. Bounded: the oldest entry goes first.
  const verified = new Map<string, { principal: Principal; until: number }>();
  return async (token) => {
    const now = Date.now();
    const known = verified.get(token);
    if (known && now < known.until) return known.principal;
    if (known) verified.delete(token);
    try {
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      const principal = principalFromClaims(payload);
      const expiresAt = (Number(payload.exp) + CLOCK_TOLERANCE_SECONDS) * 1000;
      if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value!);
      verified.set(token, { principal, until: Math.min(now + VERIFIED_TOKEN_TTL_MS, expiresAt) });
      return principal;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new TokenRejected('Token has expired: sign in again', error.message);
      if (error instanceof ZodError) {
        const issue = error.issues[0];
        const claim = String(issue?.path[0] ?? 'claims');
        // A claim over its limit says which limit (the message is ours, naming no internals); other problems stay general.
        const tooLong = issue && (issue.code === 'too_big' || issue.code === 'custom') && issue.message.startsWith('longer than');
        if (tooLong) throw new TokenRejected(`Token's "${claim}" claim is ${issue.message}`, error.message);
        throw new TokenRejected(`Token is missing or has an invalid "${claim}" claim`, error.message);
      }
      if (error instanceof joseErrors.JOSEError) throw new TokenRejected('Token is invalid', `${error.code}: ${error.message}`);
      throw error;
    }
  };
}

/** Extracts the token from an `Authorization: Bearer ...` header; undefined when there is none. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new TokenRejected('Authorization header must be "Bearer <token>"', 'malformed authorization header');
  return match[1];
}
