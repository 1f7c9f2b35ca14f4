import type { SourceSystem } from '../../adapters/types';
import type { NotCheckedCause } from '../generated/graphql';

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

/** Why a system did not take part in a search or check (the schema's enum). */
export type { NotCheckedCause };

/** A system a search or check could not look in, and why: never to be read as "not known there". */
export interface SourceCheck {
  system: PersonSystem;
  reason: string;
  cause: NotCheckedCause;
}

export const ABOVE_CLEARANCE_REASON = 'Not searched: above your clearance';

/**
 * The systems a search by this caller does not look in because they are above the tier the caller
 * reaches. Saying so is about the caller, not about any child, so it discloses nothing; leaving it
 * out would let an empty result read as "no agency knows this child".
 */
export function systemsAboveClearance(access: AccessLevel): SourceCheck[] {
  return PERSON_SYSTEMS.filter((system) => SYSTEM_TIER[system] > access.tier).map((system) => ({
    system,
    reason: ABOVE_CLEARANCE_REASON,
    cause: 'ABOVE_CLEARANCE',
  }));
}

/** Every system not checked, one entry each, in the fixed system order (a failure wins over clearance: it says more). */
export function mergeNotChecked(lists: ReadonlyArray<readonly SourceCheck[]>): SourceCheck[] {
  const bySystem = new Map<PersonSystem, SourceCheck>();
  for (const check of lists.flat()) {
    const known = bySystem.get(check.system);
    if (!known || (known.cause === 'ABOVE_CLEARANCE' && check.cause === 'SOURCE_UNAVAILABLE')) bySystem.set(check.system, check);
  }
  return PERSON_SYSTEMS.flatMap((system) => {
    const check = bySystem.get(system);
    return check ? [check] : [];
  });
}

/** Whether the caller may learn if `system` holds a record of someone (else the answer is WITHHELD). */
export function mayKnowInvolvement(access: AccessLevel, system: PersonSystem): boolean {
  return access.seesInvolvement(system);
}
