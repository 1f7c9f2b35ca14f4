import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { ForbiddenError } from '../errors/errors';
import type { GatewayContext } from '../context/GatewayContext';
import { schemaFieldFacts, type FieldGate } from './compilePolicy';

/**
 * The access rule of one field: the request's authorization (the policy version in force for this
 * request) decides it. Role-and-tier rules (`gate: 'NONE'`) are decided once per request and then
 * answered without a promise; need-to-know (`PERSON`) and per-document classification (`CLASSIFIED`)
 * rules are judged per item, synchronously once the person's allocation has been read.
 */
export interface FieldRule {
  readonly coordinate: string;
  readonly gate: FieldGate;
}

/**
 * One rule per field of every object type, generated from the schema (the schema-walk test checks that
 * none is missing and none names a field the schema lacks). These used to be graphql-shield rules under
 * graphql-middleware; the guard below enforces the same rules with the same answers without a promise
 * and a middleware layer per field (README "Authorization: how it is enforced").
 */
export function fieldRules(schema: GraphQLSchema): Record<string, Record<string, FieldRule>> {
  const tree: Record<string, Record<string, FieldRule>> = {};
  for (const facts of schemaFieldFacts(schema).values()) {
    (tree[facts.typeName] ??= {})[facts.fieldName] = { coordinate: facts.coordinate, gate: facts.gate };
  }
  return tree;
}

export const NO_RULE_ERROR = new ForbiddenError('Not authorized: this field has no access rule', 'NO_RULE');

/**
 * Guards every field of every object type with its rule, in place. Traps avoided (as with shield before):
 * - Fallback deny: a field of an object type without a rule is refused with NO_RULE (the schema-walk test also fails).
 * - A resolver's own error (SOURCE_UNAVAILABLE, NOT_FOUND) reaches the client as it is: the guard never
 *   catches what the resolver throws. Rules never throw: they return the error, which becomes the field's error.
 * - Rules sit on object types, so fields reached through interfaces and unions are guarded where they resolve.
 * - Fields without a resolver of their own (property reads) are guarded too: the default resolver is wrapped.
 */
export function guardFields(schema: GraphQLSchema): GraphQLSchema {
  const rules = fieldRules(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const rule = rules[type.name]?.[field.name];
      const resolve: GraphQLFieldResolver<unknown, GatewayContext> = field.resolve ?? defaultFieldResolver;
      if (!rule) {
        field.resolve = () => NO_RULE_ERROR;
        continue;
      }
      const { coordinate } = rule;
      field.resolve = (source, args, context: GatewayContext, info) => {
        const verdict = context.authz.checkNow(coordinate, source);
        if (verdict === true) return resolve(source, args, context, info);
        if (verdict instanceof Error) return verdict;
        return verdict.then((answer) => (answer === true ? resolve(source, args, context, info) : answer));
      };
    }
  }
  return schema;
}

/** The schema with every field guarded by its generated rule. */
export function withAuthorization(schema: GraphQLSchema): GraphQLSchema {
  return guardFields(schema);
}
