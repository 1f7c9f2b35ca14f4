import { isObjectType, Kind, type GraphQLSchema } from 'graphql';

/** A field's declared sensitivity (the `@sensitivity` directive of schema/common.graphql). */
export interface FieldSensitivity {
  tier: number;
  identifying: boolean;
  specialCategory: boolean;
}

const cache = new WeakMap<GraphQLSchema, ReadonlyMap<string, FieldSensitivity>>();

/**
 * Every object field's sensitivity by schema coordinate (`Type.field`), read from the SDL's
 * `@sensitivity` directives. A field without one counts as tier 0; the schema test requires one on
 * every field, so that does not happen in practice.
 */
export function fieldSensitivities(schema: GraphQLSchema): ReadonlyMap<string, FieldSensitivity> {
  const known = cache.get(schema);
  if (known) return known;
  const index = new Map<string, FieldSensitivity>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const directive = field.astNode?.directives?.find((d) => d.name.value === 'sensitivity');
      if (!directive) continue;
      const arg = (name: string) => directive.arguments?.find((a) => a.name.value === name)?.value;
      const tier = arg('tier');
      const flag = (name: string) => {
        const value = arg(name);
        return value?.kind === Kind.BOOLEAN ? value.value : false;
      };
      index.set(`${type.name}.${field.name}`, {
        tier: tier?.kind === Kind.INT ? Number(tier.value) : 0,
        identifying: flag('identifying'),
        specialCategory: flag('specialCategory'),
      });
    }
  }
  cache.set(schema, index);
  return index;
}

/** The tier of a coordinate: 0 when it holds no personal data. */
export function tierOf(schema: GraphQLSchema, coordinate: string): number {
  return fieldSensitivities(schema).get(coordinate)?.tier ?? 0;
}
