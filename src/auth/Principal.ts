import { z } from 'zod';

/** Security tiers: 0 public, 1 IYSS (shared across London), 2 UMIS, 3 YOIS (most secure). */
export type Tier = 0 | 1 | 2 | 3;

/** Who is asking, from a verified token. Immutable for the request. */
export interface Principal {
  readonly sub: string;
  readonly name: string;
  readonly roles: readonly string[];
  readonly tier: Tier;
  readonly units: readonly string[];
}

/** The claims the gateway relies on (DESIGN.md section 4); anything else in the token is ignored. */
export const principalClaims = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(z.string().min(1)).min(1),
  tier: z.number().int().min(0).max(3),
  units: z.array(z.string().min(1)).default([]),
});

export function principalFromClaims(claims: unknown): Principal {
  const parsed = principalClaims.parse(claims);
  return Object.freeze({
    sub: parsed.sub,
    name: parsed.name,
    roles: Object.freeze([...parsed.roles]),
    tier: parsed.tier as Tier,
    units: Object.freeze([...parsed.units]),
  });
}
