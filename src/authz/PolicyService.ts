import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../schema/buildSchema';
import type { CompiledPolicy } from './compilePolicy';

/** The policy in force. The store-backed service (src/authz/policyStore.ts) adds versions and two-officer approval; requests need only this. */
export interface PolicySource {
  /** The active policy, compiled. Cheap: cached and refreshed from the store at most every few seconds. */
  current(): Promise<CompiledPolicy>;
}

/** The policy shipped with the gateway: version 1 when the store holds none. */
export function defaultPolicyText(): string {
  return fs.readFileSync(path.join(projectRoot(), 'policy', 'default-policy.json'), 'utf8');
}
