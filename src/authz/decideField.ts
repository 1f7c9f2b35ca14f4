import type { CompiledPolicy, CompiledRole, FieldFacts, FieldGate } from './compilePolicy';
import { AGGREGATES_ONLY_ROLE } from './roles';

/** Why a field is refused; sent to clients as `extensions.reason`. */
export type DenyReason =
  | 'NOT_GRANTED'
  | 'DENIED_BY_POLICY'
  | 'TIER_TOO_LOW'
  | 'AGGREGATES_ONLY'
  | 'PURPOSE_REQUIRED'
  | 'PURPOSE_NOT_ALLOWED'
  | 'NOT_ALLOCATED'
  | 'CLASSIFIED_ABOVE_CLEARANCE';

/** The part of a principal that role-and-tier decisions depend on. */
export interface Entitlement {
  roles: readonly string[];
  /** Clearance from the token. */
  tier: number;
}

export type FieldDecision =
  | {
      allowed: true;
      /** The rule that allows it, for effective-permission answers. */
      because: string;
      gate: FieldGate;
      /** Tier 2+ data: the request must state one of `purposes`. */
      needsPurpose: boolean;
      purposes: ReadonlySet<string>;
      /** The highest tier the allowing roles reach (for per-object classification). */
      reach: number;
    }
  | { allowed: false; reason: DenyReason; message: string; because: string };

const STRUCTURAL = 'structural: tier 0 field, visible wherever its parent is';

/** The highest tier a principal reaches through any of its roles in this policy. */
export function effectiveTier(policy: CompiledPolicy, who: Entitlement): number {
  return who.roles.reduce((max, role) => {
    const compiled = policy.roles.get(role);
    return compiled ? Math.max(max, Math.min(who.tier, compiled.maxTier)) : max;
  }, 0);
}

type RoleVerdict = { role: CompiledRole; ok: true } | { role: CompiledRole; ok: false; reason: DenyReason; message: string; because: string };

function judge(role: CompiledRole, field: FieldFacts, tokenTier: number): RoleVerdict {
  const denied = role.denies.get(field.coordinate);
  if (denied) return { role, ok: false, reason: 'DENIED_BY_POLICY', message: `${field.coordinate} is denied to ${role.name} by policy`, because: denied };
  const granted = role.grants.get(field.coordinate);
  if (!granted) return { role, ok: false, reason: 'NOT_GRANTED', message: `${field.coordinate} is not granted to ${role.name}`, because: `no grant for ${role.name}` };
  if (role.name === AGGREGATES_ONLY_ROLE && field.identifying) {
    return { role, ok: false, reason: 'AGGREGATES_ONLY', message: `report writers see aggregates only; ${field.coordinate} identifies a person`, because: 'built-in: report writers never see identifying fields' };
  }
  const reach = Math.min(tokenTier, role.maxTier);
  if (reach < field.tier) {
    return { role, ok: false, reason: 'TIER_TOO_LOW', message: `${field.coordinate} requires tier ${field.tier}; ${role.name} with your clearance reaches tier ${reach}`, because: `${granted}, but tier ${field.tier} > ${reach}` };
  }
  return { role, ok: true };
}

/** The most useful refusal to show when every role fails: the one closest to being allowed. */
const REFUSAL_ORDER: DenyReason[] = ['TIER_TOO_LOW', 'AGGREGATES_ONLY', 'DENIED_BY_POLICY', 'NOT_GRANTED'];

/**
 * Whether a principal with these roles and clearance may resolve a field, from role, tier, grants and
 * denies alone. Per-object conditions (need to know, a document's own classification) and the stated
 * purpose are applied per request on top of an allowed decision.
 */
export function decideField(policy: CompiledPolicy, who: Entitlement, coordinate: string): FieldDecision {
  const field = policy.fields.get(coordinate);
  if (!field) return { allowed: false, reason: 'NOT_GRANTED', message: `${coordinate} is not part of the schema`, because: 'fallback: deny' };
  // A classified type's fields are never structural: each item's own tier applies to all of them.
  if (!field.root && field.tier === 0 && field.gate === 'NONE') {
    return { allowed: true, because: STRUCTURAL, gate: 'NONE', needsPurpose: false, purposes: new Set(), reach: 0 };
  }
  const verdicts = who.roles.flatMap((name) => {
    const role = policy.roles.get(name);
    return role ? [judge(role, field, who.tier)] : [];
  });
  const allowing = verdicts.filter((v) => v.ok).map((v) => v.role);
  if (allowing.length) {
    const purposes = new Set(allowing.flatMap((role) => [...role.purposes]));
    const first = allowing[0]!;
    return {
      allowed: true,
      because: first.grants.get(coordinate)!,
      gate: field.gate,
      needsPurpose: field.tier >= 2,
      purposes,
      reach: Math.max(...allowing.map((role) => Math.min(who.tier, role.maxTier))),
    };
  }
  const refusals = verdicts.filter((v): v is Extract<RoleVerdict, { ok: false }> => !v.ok);
  refusals.sort((a, b) => REFUSAL_ORDER.indexOf(a.reason) - REFUSAL_ORDER.indexOf(b.reason));
  const best = refusals[0];
  if (!best) {
    const roles = who.roles.length ? who.roles.join(', ') : 'none';
    return { allowed: false, reason: 'NOT_GRANTED', message: `${coordinate} is not granted to any of your roles (${roles})`, because: 'fallback: deny (no known role)' };
  }
  return { allowed: false, reason: best.reason, message: best.message, because: best.because };
}
