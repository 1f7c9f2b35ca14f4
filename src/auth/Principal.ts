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

/**
 * The longest claims the gateway can record, from the gateway store's columns: `sub` as the actor of
 * identity decisions (128), the name as holder, proposer or reviewer (256), the roles as JSON on a
 * break-glass grant (1,000) and the units as JSON on an audit event (2,000). A longer claim would
 * fail its first write in SQL (SQL Server error 2628); the token is refused at once instead.
 */
export const CLAIM_LIMITS = { sub: 128, name: 256, rolesJson: 1000, unitsJson: 2000 } as const;

const jsonAtMost = (max: number) => (list: string[]) => JSON.stringify(list).length <= max;

/** The claims the gateway relies on (DESIGN.md section 4); anything else in the token is ignored. */
export const principalClaims = z.object({
  sub: z.string().min(1).max(CLAIM_LIMITS.sub, `longer than ${CLAIM_LIMITS.sub} characters`),
  name: z.string().min(1).max(CLAIM_LIMITS.name, `longer than ${CLAIM_LIMITS.name} characters`),
  roles: z
    .array(z.string().min(1))
    .min(1)
    .refine(jsonAtMost(CLAIM_LIMITS.rolesJson), `longer than ${CLAIM_LIMITS.rolesJson} characters as JSON`),
  tier: z.number().int().min(0).max(3),
  units: z
    .array(z.string().min(1))
    .default([])
    .refine(jsonAtMost(CLAIM_LIMITS.unitsJson), `longer than ${CLAIM_LIMITS.unitsJson} characters as JSON`),
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
