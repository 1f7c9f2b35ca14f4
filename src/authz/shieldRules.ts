import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { deny, rule, shield } from 'graphql-shield';
import { ForbiddenError } from '../errors/errors';
import type { GatewayContext } from '../context/GatewayContext';
import { schemaFieldFacts } from './compilePolicy';

/**
 * One graphql-shield rule per field of every object type, generated from the schema. The rule asks
 * the request's authorization (the policy version in force for this request) and returns true or the
 * error to show. Traps avoided:
 * - `fallbackRule: deny`: a field the generator missed is refused (the schema-walk test also fails).
 * - `allowExternalErrors`: a resolver's own error (SOURCE_UNAVAILABLE, NOT_FOUND) reaches the client
 *   as it is, not as the fallback error. Rules never throw: they return the error.
 * - No `not()`: it would turn a thrown error into access.
 * - `contextual` cache (one answer per request, keyed by rule name) only for fields decided by role
 *   and tier alone; per-person and per-document fields use `no_cache` so every item is judged.
 * - Rules sit on object types only; shield ignores rules on interfaces and unions.
 */
export function fieldRules(schema: GraphQLSchema): Parameters<typeof shield>[0] {
  const tree: Record<string, Record<string, ReturnType<ReturnType<typeof rule>>>> = {};
  for (const facts of schemaFieldFacts(schema).values()) {
    const cache = facts.gate === 'NONE' ? 'contextual' : 'no_cache';
    (tree[facts.typeName] ??= {})[facts.fieldName] = rule(`authz:${facts.coordinate}`, { cache })(
      (parent: unknown, _args: unknown, context: GatewayContext) => context.authz.check(facts.coordinate, parent),
    );
  }
  return tree;
}

export const NO_RULE_ERROR = new ForbiddenError('Not authorized: this field has no access rule', 'NO_RULE');

/** The schema with every field guarded by its generated rule. */
export function withAuthorization(schema: GraphQLSchema): GraphQLSchema {
  return applyMiddleware(
    schema,
    shield(fieldRules(schema), { fallbackRule: deny, fallbackError: NO_RULE_ERROR, allowExternalErrors: true, debug: false }),
  );
}
