import { isEnumType, isInputObjectType, isObjectType } from 'graphql';
import { buildGatewaySchema } from '../../schema/buildSchema';
import { fieldSensitivities, tierOf } from '../fieldSensitivity';

describe('field sensitivity, read from the schema', () => {
  const schema = buildGatewaySchema();
  const index = fieldSensitivities(schema);

  it('knows every object field of the schema (every field declares @sensitivity)', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (!index.has(`${type.name}.${field.name}`)) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('reads tiers and flags as declared', () => {
    expect(index.get('YoungPerson.forename')).toEqual({ tier: 1, identifying: true, specialCategory: false });
    expect(tierOf(schema, 'YoungPerson.offences')).toBe(3);
    expect(tierOf(schema, 'PageInfo.hasNextPage')).toBe(0);
    expect(tierOf(schema, 'Query.auditTrail')).toBe(1);
    expect(tierOf(schema, 'No.such')).toBe(0);
  });

  it('describes every type, field, input field and enum value of the audit and referral schema, and every root field', () => {
    const ours = /^(Audit|PersonAccess|Referral|AgencyCheck|AgencyShare|PanelReview|PanelDecision|ReceiveReferral)/;
    const undocumented: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!ours.test(type.name)) continue;
      if (!type.description) undocumented.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) if (!field.description) undocumented.push(`${type.name}.${field.name}`);
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) undocumented.push(`${type.name}.${value.name}`);
    }
    for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(root.getFields())) if (!field.description) undocumented.push(`${root.name}.${field.name}`);
    }
    expect(undocumented).toEqual([]);
  });
});
