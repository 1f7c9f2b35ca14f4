import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from '../config';

describe('loadConfig', () => {
  it('needs no configuration at all: embedded SQLite, port 4000, development secret', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.sources.iyss).toBe(`sqlite:${path.join('data', 'iyss.db')}`);
    expect(config.gatewayStoreUrl).toBe(`sqlite:${path.join('data', 'gateway.db')}`);
    expect(config.auth).toMatchObject({ mode: 'hs256', secret: DEVELOPMENT_JWT_SECRET, usingDevelopmentSecret: true });
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ IYSS_DB_URL: 'postgres://x/y' }, 'IYSS_DB_URL'],
    [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MAX_PAGE_SIZE: '0' }, 'MAX_PAGE_SIZE'],
    [{ AUTH_MODE: 'oidc', AUTH_ISSUER: 'https://id.example' }, 'AUTH_AUDIENCE'],
    [{ NODE_ENV: 'production' }, 'AUTH_JWT_SECRET'],
    [{ NODE_ENV: 'production', AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET }, 'AUTH_JWT_SECRET'],
    [{ NODE_ENV: 'production', AUTH_JWT_SECRET: 'p'.repeat(40), DOCUMENT_LINK_SECRET: 'd'.repeat(40) }, 'AUDIT_CHECKPOINT_SECRET'],
    [{ MAX_ALIASES: '-1' }, 'MAX_ALIASES'],
    [{ MAX_QUERY_TOKENS: 'lots' }, 'MAX_QUERY_TOKENS'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^Invalid configuration: ${variable} `));
  });

  it('chooses JWKS verification for AUTH_MODE=oidc', () => {
    const config = loadConfig({
      AUTH_MODE: 'oidc',
      AUTH_ISSUER: 'https://id.example/',
      AUTH_AUDIENCE: 'youth-gateway',
      AUTH_JWKS_URL: 'https://id.example/.well-known/jwks.json',
    });
    expect(config.auth).toEqual({
      mode: 'oidc',
      issuer: 'https://id.example/',
      audience: 'youth-gateway',
      jwksUrl: 'https://id.example/.well-known/jwks.json',
    });
  });

  it('refuses driver timeouts that would outlast the source guard, and a pool queue admitted requests could overflow', () => {
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: '5000' })).toThrow(/^Invalid configuration: DB_STATEMENT_TIMEOUT_MS must be below SOURCE_TIMEOUT_MS \(4000\)/);
    expect(() => loadConfig({ DB_CONNECT_TIMEOUT_MS: '4000' })).toThrow(/^Invalid configuration: DB_CONNECT_TIMEOUT_MS must be below SOURCE_TIMEOUT_MS/);
    expect(() => loadConfig({ SOURCE_TIMEOUT_MS: '9000' })).toThrow(/^Invalid configuration: SOURCE_TIMEOUT_MS must not exceed REQUEST_DEADLINE_MS \(8000\)/);
    expect(() => loadConfig({ MAX_CONCURRENT_REQUESTS: '100' })).toThrow(
      /^Invalid configuration: DB_POOL_QUEUE_LIMIT must be at least MAX_CONCURRENT_REQUESTS x MAX_SOURCE_CALLS_PER_REQUEST \(300\)/,
    );
    const config = loadConfig({});
    expect(config.pool.statementTimeoutMs).toBeLessThan(config.sourceTimeoutMs);
    expect(config.metricsToken).toBeNull();
  });

  it('stops the process with one clear line naming the bad variable', () => {
    const root = path.resolve(__dirname, '../../..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'not-a-port', NODE_ENV: 'development' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: PORT /);
  });
});
