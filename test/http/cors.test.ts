import { loadConfig } from '../../src/config/config';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

/** CORS over real HTTP: what a browser's preflight and request get, from an allowed origin and another. */
const ALLOWED = 'https://caseload.example.org';

describe('CORS', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 50, env: { CORS_ORIGINS: `${ALLOWED}, http://localhost:*` } });
  });
  afterAll(() => gateway.stop());

  const preflight = (origin: string) =>
    fetch(`${gateway.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-purpose' },
    });

  test('a preflight from a configured origin is answered with that origin and the headers a client sends', async () => {
    const response = await preflight(ALLOWED);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')!.split(', ')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'x-purpose']));
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  test('any port of a host configured with :* is allowed, another host or scheme is not', async () => {
    expect((await preflight('http://localhost:5173')).headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    for (const origin of ['https://evil.example', 'http://caseload.example.org', 'https://caseload.example.org.evil.example', 'http://localhost.evil.example:80']) {
      const response = await preflight(origin);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('FORBIDDEN');
    }
  });

  test('the request itself carries the allow header only for a configured origin; the token is still required', async () => {
    const token = await gateway.token();
    const ask = (origin: string, bearer: string | null) =>
      fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ query: '{ gatewayInfo { version } }' }),
      });
    const allowed = await ask(ALLOWED, token);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('x-request-id');
    const other = await ask('https://evil.example', token);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await ask(ALLOWED, null)).status).toBe(401);
  });

  test('CSRF prevention stays on: a request a browser sends without a preflight is refused', async () => {
    const response = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent('{ gatewayInfo { version } }')}`, {
      headers: { origin: ALLOWED, authorization: `Bearer ${await gateway.token()}` },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Cross-Site Request Forgery/);
  });
});

describe('CORS configuration', () => {
  const production = {
    NODE_ENV: 'production',
    AUTH_JWT_SECRET: 'p'.repeat(40),
    DOCUMENT_LINK_SECRET: 'd'.repeat(40),
    AUDIT_CHECKPOINT_SECRET: 'a'.repeat(40),
  };
  test('no origin in production unless configured; localhost on any port in development', () => {
    expect(loadConfig(production).corsOrigins).toEqual([]);
    expect(loadConfig({ ...production, CORS_ORIGINS: 'https://a.example.org' }).corsOrigins).toEqual(['https://a.example.org']);
    expect(loadConfig({}).corsOrigins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
  });
  test('a wildcard or a path is refused at start', () => {
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://*.example.org' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: 'https://a.example.org/app' })).toThrow(/CORS_ORIGINS/);
  });
});
