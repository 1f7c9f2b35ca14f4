import { SignJWT } from 'jose';
import type { Tier } from './Principal';

export interface DevelopmentTokenClaims {
  sub: string;
  name: string;
  roles: string[];
  tier: Tier;
  units: string[];
}

/** Signs an HS256 token for development and tests. Production tokens come from the OIDC issuer. */
export async function mintDevelopmentToken(
  secret: string,
  claims: DevelopmentTokenClaims,
  options: { expiresIn?: string | number; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({ name: claims.name, roles: claims.roles, tier: claims.tier, units: claims.units })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '8h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
