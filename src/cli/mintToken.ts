import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { mintDevelopmentToken } from '../auth/mintToken';
import type { Tier } from '../auth/Principal';

const USAGE = `Mints a development token signed with AUTH_JWT_SECRET (or the built-in development secret).

  npm run token -- --role practitioner --tier 2 --unit CU1 [--role ...] [--unit ...]
                   [--sub u123] [--name "Ada Worker"] [--expires 8h]

Prints the token; use it as "Authorization: Bearer <token>".`;

async function main(): Promise<void> {
  const { values } = parseArgs({
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
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadConfig();
  if (config.auth.mode !== 'hs256') throw new Error('AUTH_MODE=oidc: tokens come from the identity provider, not this tool');
  const roles = values.role ?? [];
  if (roles.length === 0) throw new Error('give at least one --role');
  const tier = Number(values.tier ?? '1');
  if (!Number.isInteger(tier) || tier < 0 || tier > 3) throw new Error('--tier must be 0, 1, 2 or 3');
  const token = await mintDevelopmentToken(
    config.auth.secret,
    {
      sub: values.sub ?? `dev-${roles[0]}`,
      name: values.name ?? `Development ${roles.join(' and ')}`,
      roles,
      tier: tier as Tier,
      units: values.unit ?? [],
    },
    { expiresIn: values.expires ?? '8h', issuer: config.auth.issuer, audience: config.auth.audience },
  );
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(2);
});
