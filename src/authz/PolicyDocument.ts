import { z } from 'zod';

/**
 * A policy document: the data a security officer writes (policy/default-policy.json is the first
 * version). Field patterns are schema coordinates: `Type.field`, or `Type.*` for every field of a type.
 * See README "For security officers".
 */
const coordinatePattern = z.string().regex(/^[A-Z][A-Za-z0-9]*\.(\*|[a-z][A-Za-z0-9]*)$/, 'expected Type.field or Type.*');

const purposeId = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'expected a purpose id such as allocated_casework');

export const roleRulesSchema = z
  .object({
    /** The highest tier this role reaches, whatever the token's clearance (effective tier = the lower of the two). */
    maxTier: z.number().int().min(0).max(3),
    /** Fields this role may resolve (still subject to tier, purpose and need to know). */
    grants: z.array(coordinatePattern).default([]),
    /** Fields this role may never resolve; a deny beats any grant of the same role. */
    denies: z.array(coordinatePattern).default([]),
    /** Purposes this role may state (X-Purpose) for tier 2 and 3 data. */
    purposes: z.array(purposeId).default([]),
    /** May open break-glass access to a young person outside their Core Units. */
    breakGlass: z.boolean().default(false),
    /** Learns which systems know a young person (involvement), even above their clearance, without detail. */
    seesInvolvement: z.boolean().default(false),
  })
  .strict();

export const policyDocumentSchema = z
  .object({
    /** A note for humans on what this version is for. */
    description: z.string().max(2_000).optional(),
    /** Every purpose a request may state, with what it means. */
    purposes: z.record(purposeId, z.string().min(1).max(500)),
    breakGlass: z
      .object({
        /** Longest a break-glass grant may last, in minutes. */
        maxMinutes: z.number().int().min(1).max(24 * 60),
      })
      .strict(),
    roles: z.record(z.string(), roleRulesSchema),
    /** Disclosure control for reports; absent means the defaults (threshold 5). */
    reports: z
      .object({
        /** Counts from 1 to this minus one are suppressed in every report. */
        suppressionThreshold: z.number().int().min(2).max(100),
      })
      .strict()
      .optional(),
  })
  .strict();

export type PolicyDocument = z.infer<typeof policyDocumentSchema>;
export type RoleRules = z.infer<typeof roleRulesSchema>;
