import { loadConfig } from '../config/config';
import { mintDevelopmentToken } from '../auth/mintToken';
import { TOKEN_USAGE, tokenRequestFromArguments } from '../auth/tokenArguments';

async function main(): Promise<void> {
  const request = tokenRequestFromArguments(process.argv.slice(2));
  if (request.help) {
    process.stdout.write(`${TOKEN_USAGE}\n`);
    return;
  }
  const config = loadConfig();
  if (config.auth.mode !== 'hs256') throw new Error('AUTH_MODE=oidc: tokens come from the identity provider, not this tool');
  const token = await mintDevelopmentToken(config.auth.secret, request.claims, {
    expiresIn: request.expiresIn,
    issuer: config.auth.issuer,
    audience: config.auth.audience,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${TOKEN_USAGE}\n`);
  process.exit(2);
});
