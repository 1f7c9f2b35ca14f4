import { isObjectType, type GraphQLSchema } from 'graphql';
import { findNodeAtLocation, parse as parseJson, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { fieldSensitivities } from '../audit/fieldSensitivity';
import { policyDocumentSchema, type PolicyDocument } from './PolicyDocument';
import { AGGREGATES_ONLY_ROLE, isRoleName, ROLE_NAMES } from './roles';

/** One thing wrong with a policy document, with where it is (1-based line and column, and the JSON path). */
export interface PolicyProblem {
  line: number;
  column: number;
  path: string;
  message: string;
}

export type PolicyParseResult = { ok: true; policy: PolicyDocument } | { ok: false; problems: PolicyProblem[] };

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const printPath = (path: ReadonlyArray<PropertyKey>) =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '') || '(document)';

/**
 * Parses and validates a policy document against the policy's own shape and the live schema:
 * unknown roles, types, fields, purposes and out-of-range tiers are problems, each naming its line.
 */
export function parsePolicy(text: string, schema: GraphQLSchema): PolicyParseResult {
  const syntaxErrors: ParseError[] = [];
  const value: unknown = parseJson(text, syntaxErrors, { disallowComments: true, allowTrailingComma: false });
  if (syntaxErrors.length) {
    return {
      ok: false,
      problems: syntaxErrors.map((error) => ({
        ...positionOf(text, error.offset),
        path: '(syntax)',
        message: `JSON syntax error: ${printParseErrorCode(error.error)}`,
      })),
    };
  }
  const tree = parseTree(text);
  const at = (path: ReadonlyArray<PropertyKey>, message: string): PolicyProblem => {
    let node: Node | undefined;
    // The deepest node that exists along the path (a missing property is reported at its parent).
    for (let length = path.length; length >= 0 && !node; length--) {
      node = tree ? findNodeAtLocation(tree, path.slice(0, length) as Array<string | number>) : undefined;
    }
    // A property key's position reads better than its value's.
    const offset = node?.parent?.type === 'property' ? node.parent.offset : (node?.offset ?? 0);
    return { ...positionOf(text, offset), path: printPath(path), message };
  };

  const shape = policyDocumentSchema.safeParse(value);
  if (!shape.success) {
    return { ok: false, problems: shape.error.issues.map((issue) => at(issue.path, issue.message)) };
  }
  const policy = shape.data;
  const problems: PolicyProblem[] = [];
  const sensitivity = fieldSensitivities(schema);
  const types = schema.getTypeMap();

  for (const [role, rules] of Object.entries(policy.roles)) {
    if (!isRoleName(role)) {
      problems.push(at(['roles', role], `unknown role "${role}"; known roles: ${ROLE_NAMES.join(', ')}`));
      continue;
    }
    for (const list of ['grants', 'denies'] as const) {
      rules[list].forEach((pattern, index) => {
        const [typeName = '', fieldName = ''] = pattern.split('.');
        const type = types[typeName];
        if (!type || !isObjectType(type) || typeName.startsWith('__')) {
          problems.push(at(['roles', role, list, index], `unknown type "${typeName}" in ${pattern}`));
        } else if (fieldName !== '*' && !type.getFields()[fieldName]) {
          problems.push(at(['roles', role, list, index], `type ${typeName} has no field "${fieldName}"`));
        } else if (list === 'grants' && role === AGGREGATES_ONLY_ROLE && fieldName !== '*' && sensitivity.get(pattern)?.identifying) {
          problems.push(at(['roles', role, list, index], `${pattern} is identifying; report writers never see identifying fields`));
        }
      });
    }
    rules.purposes.forEach((purpose, index) => {
      if (!Object.prototype.hasOwnProperty.call(policy.purposes, purpose)) {
        problems.push(at(['roles', role, 'purposes', index], `purpose "${purpose}" is not declared under "purposes"`));
      }
    });
  }
  return problems.length ? { ok: false, problems: problems.sort((a, b) => a.line - b.line) } : { ok: true, policy };
}
