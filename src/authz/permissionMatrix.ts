import { stringify } from 'csv-stringify/sync';
import type { CompiledPolicy, FieldFacts } from './compilePolicy';
import { decideField, type Entitlement } from './decideField';
import { ROLE_NAMES } from './roles';

/** How a field stands for a principal: always visible, visible under conditions checked per request, or hidden. */
export type FieldAccess = 'VISIBLE' | 'CONDITIONAL' | 'HIDDEN';

export interface FieldPermission {
  coordinate: string;
  typeName: string;
  fieldName: string;
  tier: number;
  identifying: boolean;
  specialCategory: boolean;
  access: FieldAccess;
  /** What must also hold per request for a CONDITIONAL field. */
  conditions: string[];
  /** Why: the rule that grants it, or what refuses it. */
  reason: string;
}

/** The access a principal with these roles and clearance has to one field, and why. */
export function fieldPermission(policy: CompiledPolicy, who: Entitlement, field: FieldFacts): FieldPermission {
  const decision = decideField(policy, who, field.coordinate);
  const base = {
    coordinate: field.coordinate,
    typeName: field.typeName,
    fieldName: field.fieldName,
    tier: field.tier,
    identifying: field.identifying,
    specialCategory: field.specialCategory,
  };
  if (!decision.allowed) return { ...base, access: 'HIDDEN', conditions: [], reason: `${decision.reason}: ${decision.message}` };
  const conditions: string[] = [];
  if (decision.gate === 'CLASSIFIED') {
    conditions.push(`each item's own classification: visible up to tier ${decision.reach}; above tier 1 also a stated purpose and the young person allocated to your Core Unit (or break-glass)`);
  } else {
    if (decision.needsPurpose) conditions.push(`states a purpose (X-Purpose): ${[...decision.purposes].sort().join(', ') || 'none allowed'}`);
    if (decision.gate === 'PERSON') conditions.push('the young person is allocated to one of your Core Units, or you hold break-glass for them');
  }
  return { ...base, access: conditions.length ? 'CONDITIONAL' : 'VISIBLE', conditions, reason: decision.because };
}

/** Every field of the schema for one principal, in schema order of types then fields. */
export function effectivePermissions(policy: CompiledPolicy, who: Entitlement): FieldPermission[] {
  return [...policy.fields.values()].sort(byCoordinate).map((field) => fieldPermission(policy, who, field));
}

const byCoordinate = (a: FieldFacts, b: FieldFacts) => (a.coordinate < b.coordinate ? -1 : a.coordinate > b.coordinate ? 1 : 0);

/** Each role alone with full clearance (the role's own maxTier then caps it): the policy's role x field matrix. */
export function roleMatrix(policy: CompiledPolicy): Map<string, Map<string, FieldPermission>> {
  const matrix = new Map<string, Map<string, FieldPermission>>();
  for (const role of ROLE_NAMES) {
    const row = new Map<string, FieldPermission>();
    for (const permission of effectivePermissions(policy, { roles: [role], tier: 3 })) row.set(permission.coordinate, permission);
    matrix.set(role, row);
  }
  return matrix;
}

/** The whole role x field matrix as CSV: one row per field, one column per role. */
export function roleMatrixCsv(policy: CompiledPolicy): string {
  const matrix = roleMatrix(policy);
  const fields = [...policy.fields.values()].sort(byCoordinate);
  const rows = fields.map((field) => [
    field.coordinate,
    String(field.tier),
    String(field.identifying),
    String(field.specialCategory),
    ...ROLE_NAMES.map((role) => matrix.get(role)!.get(field.coordinate)!.access),
  ]);
  return stringify([['coordinate', 'tier', 'identifying', 'specialCategory', ...ROLE_NAMES], ...rows]);
}

export interface PermissionChange {
  role: string;
  coordinate: string;
  before: FieldAccess;
  after: FieldAccess;
  /** The conditions before and after, when they differ (e.g. a purpose added) even if the access does not. */
  conditionsBefore: string[];
  conditionsAfter: string[];
}

/** What a new policy would change in the role x field matrix (access, or the conditions on it). */
export function matrixDiff(before: CompiledPolicy, after: CompiledPolicy): PermissionChange[] {
  const from = roleMatrix(before);
  const to = roleMatrix(after);
  const changes: PermissionChange[] = [];
  for (const role of ROLE_NAMES) {
    for (const [coordinate, now] of to.get(role)!) {
      const was = from.get(role)!.get(coordinate);
      const wasAccess = was?.access ?? 'HIDDEN';
      const wasConditions = was?.conditions ?? [];
      if (wasAccess !== now.access || wasConditions.join('\n') !== now.conditions.join('\n')) {
        changes.push({ role, coordinate, before: wasAccess, after: now.access, conditionsBefore: wasConditions, conditionsAfter: now.conditions });
      }
    }
  }
  return changes;
}
