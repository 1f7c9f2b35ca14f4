import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { projectRoot } from '../schema/buildSchema';
import { compilePolicy, type CompiledPolicy } from './compilePolicy';
import { parsePolicy } from './parsePolicy';

/** The policy in force. The store-backed service (versions, two-officer approval) implements more; requests need only this. */
export interface PolicySource {
  /** The active policy, compiled. Cheap: cached and refreshed from the store at most every few seconds. */
  current(): Promise<CompiledPolicy>;
}

/** The policy shipped with the gateway: version 1 when the store holds none. */
export function defaultPolicyText(): string {
  return fs.readFileSync(path.join(projectRoot(), 'policy', 'default-policy.json'), 'utf8');
}

/** Parses and compiles a policy text, or throws naming every problem (used for the shipped default). */
export function compilePolicyText(text: string, schema: GraphQLSchema, version: number): CompiledPolicy {
  const parsed = parsePolicy(text, schema);
  if (!parsed.ok) {
    throw new Error(`policy version ${version} is invalid:\n${parsed.problems.map((p) => `  line ${p.line}: ${p.path}: ${p.message}`).join('\n')}`);
  }
  return compilePolicy(parsed.policy, schema, version);
}
