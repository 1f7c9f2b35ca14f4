import { parseArgs } from 'node:util';
import type { Tier } from './Principal';
import type { DevelopmentTokenClaims } from './mintToken';

export const TOKEN_USAGE = `Mints a development token signed with AUTH_JWT_SECRET (or the built-in development secret).

  npm run token -- --role practitioner --tier 2 --unit CU1 [--role ...] [--unit ...]
                   [--sub u123] [--name "Ada Worker"] [--expires 8h]

Prints the token; use it as "Authorization: Bearer <token>".`;

export interface TokenRequest {
  claims: DevelopmentTokenClaims;
  expiresIn: string;
  help: boolean;
}

/**
 * The claims `npm run token -- <args>` mints, from its arguments. Shared with the README test, so the
 * tokens the README's examples name are exactly the ones a newcomer gets.
 */
export function tokenRequestFromArguments(args: string[]): TokenRequest {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string', multiple: true },
      tier: { type: 'string' },
      unit: { type: 'string', multiple: true },
      sub: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const roles = values.role ?? [];
  if (!values.help && roles.length === 0) throw new Error('give at least one --role');
  const tier = Number(values.tier ?? '1');
  if (!Number.isInteger(tier) || tier < 0 || tier > 3) throw new Error('--tier must be 0, 1, 2 or 3');
  return {
    claims: {
      sub: values.sub ?? `dev-${roles[0]}`,
      name: values.name ?? `Development ${roles.join(' and ')}`,
      roles,
      tier: tier as Tier,
      units: values.unit ?? [],
    },
    expiresIn: values.expires ?? '8h',
    help: values.help ?? false,
  };
}
