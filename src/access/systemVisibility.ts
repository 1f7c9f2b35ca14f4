import type { SourceSystem } from '../../adapters/types';

/** The tier of a system's person records: knowing a person is in YOIS is itself tier-3 information. */
export const SYSTEM_TIER: Readonly<Record<Exclude<SourceSystem, 'DMS'>, number>> = { IYSS: 1, UMIS: 2, YOIS: 3 };

export const PERSON_SYSTEMS = ['IYSS', 'UMIS', 'YOIS'] as const;
export type PersonSystem = (typeof PERSON_SYSTEMS)[number];

/** What the request's authorization says about the caller's reach (src/authz/requestAuthorization.ts). */
export interface AccessLevel {
  /** The highest tier the caller reaches through their roles. */
  readonly tier: number;
  /** Whether the caller may learn if a system holds a record of someone (policy: `seesInvolvement`, or clearance). */
  seesInvolvement(system: PersonSystem): boolean;
}

/**
 * The systems whose person records may shape what this caller sees (search, golden view): only
 * those at or below the tier the caller reaches, so a search never reveals a record the caller could
 * not open.
 */
export function visiblePersonSystems(access: AccessLevel): PersonSystem[] {
  return PERSON_SYSTEMS.filter((system) => SYSTEM_TIER[system] <= access.tier);
}

/** Whether the caller may learn if `system` holds a record of someone (else the answer is WITHHELD). */
export function mayKnowInvolvement(access: AccessLevel, system: PersonSystem): boolean {
  return access.seesInvolvement(system);
}
