import { SignJWT } from 'jose';
import { startTestGateway, TEST_SECRET, type TestGateway } from '../support/startTestGateway';

const PERSON_QUERY = '{ searchYoungPeople(criteria: { postcode: "E8" }, first: 5) { edges { node { forename surname } } } }';

describe('authentication over HTTP', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 100 });
  });
  afterAll(() => gateway.stop());

  async function expectUnauthenticated(token: string | null, headers: Record<string, string> = {}) {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: JSON.stringify({ query: PERSON_QUERY }),
    });
    const body = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions: { code: string } }> };
    expect(response.status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    return body.errors[0]!.message;
  }

  it('returns data to a caller with a valid token', async () => {
    const { status, body } = await gateway.graphql(PERSON_QUERY);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.searchYoungPeople.edges.length).toBeGreaterThan(0);
  });

  it('refuses a request with no token, and returns no personal data', async () => {
    expect(await expectUnauthenticated(null)).toMatch(/bearer token/i);
  });

  it('refuses an expired token and says so', async () => {
    const expired = await gateway.token({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    expect(await expectUnauthenticated(expired)).toMatch(/expired/i);
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new SignJWT({ name: 'Mallory', roles: ['practitioner'], tier: 3, units: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    expect(await expectUnauthenticated(forged)).toBe('Token is invalid');
  });

  it('refuses an unsigned (alg none) token', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'x', name: 'X', roles: ['practitioner'], tier: 3, units: [], exp: Math.floor(Date.now() / 1000) + 600 }),
    ).toString('base64url');
    await expectUnauthenticated(`${header}.${payload}.`);
  });

  it('refuses a token without the claims the gateway relies on', async () => {
    const noRoles = await new SignJWT({ name: 'No Roles', tier: 1, units: [] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(TEST_SECRET));
    expect(await expectUnauthenticated(noRoles)).toMatch(/"roles" claim/);
  });

  it('refuses a malformed Authorization header', async () => {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' },
      body: JSON.stringify({ query: PERSON_QUERY }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]!.message).toMatch(/Bearer/);
  });
});
