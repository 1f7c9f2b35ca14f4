import { isObjectType, type GraphQLSchema } from 'graphql';
import { fieldSensitivities, type FieldSensitivity } from '../audit/fieldSensitivity';
import type { PolicyDocument } from './PolicyDocument';
import { isRoleName, type RoleName } from './roles';

/**
 * What guards a field beyond role and tier, read from the schema:
 * - `PERSON`: tier 2+ detail on a young person: need to know (allocation or break-glass) for that person.
 * - `CLASSIFIED`: a field of a type marked `@classified`: each object's own tier, and need to know above tier 1.
 * - `NONE`: role and tier decide alone (once per request).
 */
export type FieldGate = 'NONE' | 'PERSON' | 'CLASSIFIED';

export interface FieldFacts extends FieldSensitivity {
  coordinate: string;
  typeName: string;
  fieldName: string;
  /** A Query or Mutation field: always needs an explicit grant, whatever its tier. */
  root: boolean;
  gate: FieldGate;
  /** For CLASSIFIED: the field of the parent object holding its tier. */
  classifiedBy: string | null;
}

/** Where a grant or deny came from, for "why" answers: `roles.practitioner.grants[2] (YoungPerson.*)`. */
type RuleSource = string;

export interface CompiledRole {
  name: RoleName;
  maxTier: number;
  grants: ReadonlyMap<string, RuleSource>;
  denies: ReadonlyMap<string, RuleSource>;
  purposes: ReadonlySet<string>;
  breakGlass: boolean;
  seesInvolvement: boolean;
}

export interface CompiledPolicy {
  readonly version: number;
  readonly document: PolicyDocument;
  readonly roles: ReadonlyMap<string, CompiledRole>;
  readonly fields: ReadonlyMap<string, FieldFacts>;
}

/** The young person's type: tier 2+ fields on it are guarded by need to know. */
export const PERSON_TYPE = 'YoungPerson';

/**
 * Types whose objects each belong to one young person (they carry `personId`), so their tier 2+
 * fields are guarded by need to know for that person, as YoungPerson's are: a review item's record.
 */
export const PERSON_SCOPED_TYPES: ReadonlySet<string> = new Set([PERSON_TYPE, 'IdentityReviewRecord']);

/** Every object field of the schema with its sensitivity and gate. */
export function schemaFieldFacts(schema: GraphQLSchema): Map<string, FieldFacts> {
  const sensitivity = fieldSensitivities(schema);
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name].filter(Boolean));
  const facts = new Map<string, FieldFacts>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const classified = type.astNode?.directives?.find((d) => d.name.value === 'classified');
    const by = classified?.arguments?.find((a) => a.name.value === 'by')?.value;
    const classifiedBy = by?.kind === 'StringValue' ? by.value : null;
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      const declared = sensitivity.get(coordinate) ?? { tier: 0, identifying: false, specialCategory: false };
      const gate: FieldGate = classifiedBy ? 'CLASSIFIED' : PERSON_SCOPED_TYPES.has(type.name) && declared.tier >= 2 ? 'PERSON' : 'NONE';
      facts.set(coordinate, { coordinate, typeName: type.name, fieldName: field.name, root: roots.has(type.name), gate, classifiedBy, ...declared });
    }
  }
  return facts;
}

function expand(patterns: readonly string[], fields: ReadonlyMap<string, FieldFacts>, role: string, list: string): Map<string, RuleSource> {
  const out = new Map<string, RuleSource>();
  patterns.forEach((pattern, index) => {
    const source = `roles.${role}.${list}[${index}] (${pattern})`;
    const [typeName, fieldName] = pattern.split('.');
    for (const facts of fields.values()) {
      if (facts.typeName === typeName && (fieldName === '*' || facts.fieldName === fieldName) && !out.has(facts.coordinate)) {
        out.set(facts.coordinate, source);
      }
    }
  });
  return out;
}

/** Turns a validated policy document into lookup tables; roles the gateway does not know are dropped (validation reports them). */
export function compilePolicy(document: PolicyDocument, schema: GraphQLSchema, version: number): CompiledPolicy {
  const fields = schemaFieldFacts(schema);
  const roles = new Map<string, CompiledRole>();
  for (const [name, rules] of Object.entries(document.roles)) {
    if (!isRoleName(name)) continue;
    roles.set(name, {
      name,
      maxTier: rules.maxTier,
      grants: expand(rules.grants, fields, name, 'grants'),
      denies: expand(rules.denies, fields, name, 'denies'),
      purposes: new Set(rules.purposes),
      breakGlass: rules.breakGlass,
      seesInvolvement: rules.seesInvolvement,
    });
  }
  return { version, document, roles, fields };
}
