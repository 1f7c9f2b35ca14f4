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

/** Builds the verifier the configuration asks for. Tokens must carry `exp`; a little clock skew is tolerated. */
export function createTokenVerifier(auth: AuthConfig): TokenVerifier {
  const options: JWTVerifyOptions = { clockTolerance: 30, requiredClaims: ['exp', 'sub'] };
  let key: Uint8Array | JWTVerifyGetKey;
  if (auth.mode === 'hs256') {
    key = new TextEncoder().encode(auth.secret);
    options.algorithms = ['HS256'];
    if (auth.issuer) options.issuer = auth.issuer;
    if (auth.audience) options.audience = auth.audience;
  } else {
    key = createRemoteJWKSet(new URL(auth.jwksUrl));
    options.algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];
    options.issuer = auth.issuer;
    options.audience = auth.audience;
  }
  return async (token) => {
    try {
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      return principalFromClaims(payload);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new TokenRejected('Token has expired: sign in again', error.message);
      if (error instanceof ZodError) {
        const claim = String(error.issues[0]?.path[0] ?? 'claims');
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
