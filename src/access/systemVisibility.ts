import type { SourceSystem } from '../../adapters/types';
import type { Principal } from '../auth/Principal';

/** The tier of a system's person records: knowing a person is in YOIS is itself tier-3 information. */
export const SYSTEM_TIER: Readonly<Record<Exclude<SourceSystem, 'DMS'>, number>> = { IYSS: 1, UMIS: 2, YOIS: 3 };

export const PERSON_SYSTEMS = ['IYSS', 'UMIS', 'YOIS'] as const;
export type PersonSystem = (typeof PERSON_SYSTEMS)[number];

/** Roles whose work is to learn which agencies know a young person, without seeing detail (Partnership Triage, the Panel). */
const INVOLVEMENT_ROLES = new Set(['triage_officer', 'panel_chair']);

/**
 * The systems whose person records may shape what this caller sees (search, golden view): only
 * those at or below the caller's clearance, so a search never reveals a record the caller could
 * not open.
 */
export function visiblePersonSystems(principal: Principal): PersonSystem[] {
  return PERSON_SYSTEMS.filter((system) => SYSTEM_TIER[system] <= principal.tier);
}

/** Whether the caller may learn if `system` holds a record of someone (else the answer is WITHHELD). */
export function mayKnowInvolvement(principal: Principal, system: PersonSystem): boolean {
  return SYSTEM_TIER[system] <= principal.tier || principal.roles.some((role) => INVOLVEMENT_ROLES.has(role));
}
