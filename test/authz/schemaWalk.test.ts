import { getNamedType, getNullableType, isInterfaceType, isListType, isNonNullType, isObjectType, isUnionType, type GraphQLField } from 'graphql';
import { PERSON_TYPE, schemaFieldFacts } from '../../src/authz/compilePolicy';
import { fieldRules } from '../../src/authz/fieldGuards';
import { schemaFromSdl } from '../../src/schema/buildSchema';

const schema = schemaFromSdl();
const objectTypes = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && !type.name.startsWith('__')).filter(isObjectType);
const facts = schemaFieldFacts(schema);
const rules = fieldRules(schema) as Record<string, Record<string, unknown>>;

describe('every field of the schema has an explicit rule and a declared sensitivity', () => {
  it('walks all object types and fields', () => {
    const missingRule: string[] = [];
    const missingSensitivity: string[] = [];
    let fields = 0;
    for (const type of objectTypes) {
      for (const field of Object.values(type.getFields())) {
        fields += 1;
        if (typeof rules[type.name]?.[field.name] !== 'object') missingRule.push(`${type.name}.${field.name}`);
        if (!field.astNode?.directives?.some((d) => d.name.value === 'sensitivity')) missingSensitivity.push(`${type.name}.${field.name}`);
      }
    }
    process.stdout.write(`schema walk: ${fields} fields on ${objectTypes.length} object types, all ruled\n`);
    expect(missingRule).toEqual([]);
    expect(missingSensitivity).toEqual([]);
    expect(fields).toBeGreaterThan(300);
    // The rule tree names no type or field the schema does not have (a typo would leave the real one to the fallback).
    for (const [typeName, byField] of Object.entries(rules)) {
      for (const fieldName of Object.keys(byField)) expect(facts.has(`${typeName}.${fieldName}`)).toBe(true);
    }
  });

  it('rules the object types behind any interface or union (shield ignores rules on those)', () => {
    for (const type of Object.values(schema.getTypeMap())) {
      if (isInterfaceType(type) || isUnionType(type)) {
        for (const member of schema.getPossibleTypes(type)) expect(rules[member.name]).toBeDefined();
      }
    }
  });
});

describe('need to know at the young person covers everything below it', () => {
  /** Each field with the name of the type it returns. */
  const returnType = new Map(objectTypes.flatMap((type) => Object.values(type.getFields()).map((field) => [`${type.name}.${field.name}`, getNamedType(field.type).name])));
  const returning = (typeName: string) => [...facts.values()].filter((f) => returnType.get(f.coordinate) === typeName);

  it('reaches every type holding tier 2+ data only through tier 2+ fields gated at YoungPerson (or a classified type)', () => {
    const sensitiveTypes = new Set(
      // A type whose tier 2+ fields are each gated by need to know (YoungPerson, a review item's record) is a gate, not a type to reach through one.
      [...facts.values()].filter((f) => f.tier >= 2 && f.gate !== 'PERSON' && f.gate !== 'CLASSIFIED').map((f) => f.typeName),
    );
    const problems: string[] = [];
    for (const typeName of sensitiveTypes) {
      for (const field of returning(typeName)) {
        const guarded = field.tier >= 2 && (field.gate === 'PERSON' || sensitiveTypes.has(field.typeName));
        if (!guarded) problems.push(`${field.coordinate} returns ${typeName} without need to know above it`);
      }
    }
    process.stdout.write(`need-to-know cover: ${sensitiveTypes.size} types with tier-2/3 fields, all below YoungPerson gates\n`);
    expect(sensitiveTypes.size).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });

  it('keeps per-person and per-document refusals local: gated person fields and classified list items are nullable', () => {
    const person = schema.getType(PERSON_TYPE);
    if (!isObjectType(person)) throw new Error('no YoungPerson type');
    const notNullable = Object.values(person.getFields())
      .filter((field) => facts.get(`${PERSON_TYPE}.${field.name}`)!.gate === 'PERSON')
      .filter((field) => isNonNullType(field.type))
      .map((field) => field.name);
    expect(notNullable).toEqual([]);
    const classified = new Set([...facts.values()].filter((f) => f.gate === 'CLASSIFIED').map((f) => f.typeName));
    const strictItems: string[] = [];
    for (const type of objectTypes) {
      for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, unknown>>) {
        const list = getNullableType(field.type);
        if (isListType(list) && classified.has(getNamedType(list).name) && isNonNullType(list.ofType)) strictItems.push(`${type.name}.${field.name}`);
      }
    }
    expect(classified.size).toBeGreaterThan(0);
    expect(strictItems).toEqual([]);
  });
});
