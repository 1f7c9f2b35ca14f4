import { getIntrospectionQuery } from 'graphql';
import { startTestGateway, type GraphQLBody, type TestGateway } from '../support/startTestGateway';

/** 1,000 aliased searches: the request that stalled every other user for 12 s (issue 11). */
const aliasBomb = (count: number) =>
  `{ ${Array.from({ length: count }, (_, i) => `s${i}: searchYoungPeople(criteria: { name: "mohamed ozturk" }, first: 5) { totalCount edges { node { id } } }`).join('\n')} }`;

async function post(gateway: TestGateway, body: unknown, token: string | null) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody, requestId: response.headers.get('x-request-id') };
}

/** SQL statements sent to the legacy sources so far (the store is read to build the caller's context). */
const sourceStatements = (gateway: TestGateway) =>
  [gateway.databases.iyss, gateway.databases.umis, gateway.databases.yois, gateway.databases.dms].reduce((sum, db) => sum + db.stats.statements, 0);

/** Times /healthz while `work` runs: it must keep answering (the event loop is free). */
async function healthLatencyDuring<T>(gateway: TestGateway, work: Promise<T>): Promise<{ result: T; worstMs: number }> {
  let done = false;
  let worstMs = 0;
  const probing = (async () => {
    while (!done) {
      const started = performance.now();
      await fetch(`${gateway.url}/healthz`);
      worstMs = Math.max(worstMs, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const result = await work;
  done = true;
  await probing;
  return { result, worstMs };
}

describe('limits on what one operation may do, over HTTP', () => {
  let gateway: TestGateway;
  let token: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 200 });
    token = await gateway.token({ sub: 'u-limits', roles: ['youth_worker'], tier: 1, units: [] });
  });
  afterAll(() => gateway.stop());

  it('the alias bomb (1,000 aliased searchYoungPeople) is refused before anything runs: 400, QUERY_TOO_COMPLEX naming the limit', async () => {
    const before = gateway.statements();
    const started = performance.now();
    const { result, worstMs } = await healthLatencyDuring(gateway, post(gateway, { query: aliasBomb(1000) }, token));
    const elapsed = performance.now() - started;
    expect(result.status).toBe(400);
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toHaveLength(1);
    expect(result.body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'TOKEN_LIMIT' });
    expect(result.body.errors![0]!.message).toMatch(/more than 3000 tokens, over the limit of 3000 \(TOKEN_LIMIT\)/);
    expect(gateway.statements()).toBe(before);
    expect(elapsed).toBeLessThan(1_000);
    expect(worstMs).toBeLessThan(500);
  });

  it('a 100,000-token query is refused before parsing, and /healthz keeps answering meanwhile', async () => {
    const query = `{ gatewayInfo { ${'a '.repeat(100_000)}} }`; // 200 kB, under the body limit
    const { result, worstMs } = await healthLatencyDuring(gateway, post(gateway, { query }, token));
    expect(result.status).toBe(400);
    expect(result.body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'TOKEN_LIMIT' });
    expect(worstMs).toBeLessThan(500);
    // The same limit holds for a GET request's query string.
    const get = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent(`{ gatewayInfo { ${'a '.repeat(3_000)}} }`)}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(get.status).toBe(400);
    expect(((await get.json()) as GraphQLBody).errors![0]!.extensions?.reason).toBe('TOKEN_LIMIT');
  });

  it('too many top-level fields: 21 refused with ROOT_FIELD_LIMIT, 20 answered', async () => {
    const roots = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `g${i}: gatewayInfo { version }`).join(' ')} }`;
    const refused = await post(gateway, { query: roots(21) }, token);
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'ROOT_FIELD_LIMIT' });
    expect(refused.body.errors![0]!.message).toMatch(/21 top-level fields, over the limit of 20 \(ROOT_FIELD_LIMIT\)/);
    const answered = await post(gateway, { query: roots(20) }, token);
    expect(answered.status).toBe(200);
    expect(answered.body.data.g19.version).toEqual(expect.any(String));
  });

  it('too many aliases anywhere (here inside one person, through a fragment): 51 refused with ALIAS_LIMIT, 50 answered', async () => {
    const id = `yp:IYSS:${gateway.dataset.iyss.rows.tblYoungPerson.find((row) => row.IsDeleted === 0)!.YoungPersonID}`;
    const aliases = (n: number) =>
      `query($id: ID!) { youngPerson(id: $id) { id ...Names } } fragment Names on YoungPerson { ${Array.from({ length: n }, (_, i) => `n${i}: surname`).join(' ')} }`;
    const before = gateway.statements();
    const refused = await post(gateway, { query: aliases(51), variables: { id } }, token);
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'ALIAS_LIMIT' });
    expect(refused.body.errors![0]!.message).toMatch(/51 aliased fields, over the limit of 50/);
    expect(gateway.statements()).toBe(before);
    const answered = await post(gateway, { query: aliases(50), variables: { id } }, token);
    expect(answered.status).toBe(200);
    expect(answered.body.data.youngPerson.n49).toEqual(answered.body.data.youngPerson.n0);
  });

  it('nesting deeper than 15 is refused with DEPTH_LIMIT; the standard introspection query (15 deep) is answered', async () => {
    let nested = 'name';
    for (let i = 0; i < 13; i += 1) nested = `ofType { ${nested} }`;
    const refused = await post(gateway, { query: `{ __schema { types { ${nested} } } }` }, token);
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'DEPTH_LIMIT' });
    expect(refused.body.errors![0]!.message).toMatch(/nested 16 levels deep, over the limit of 15/);
    const introspection = await post(gateway, { query: getIntrospectionQuery() }, token);
    expect(introspection.status).toBe(200);
    expect(introspection.body.data.__schema.types.length).toBeGreaterThan(50);
  });
});

describe('the cost model prices searches and source calls at what they cost', () => {
  let gateway: TestGateway;
  let token: string;
  beforeAll(async () => {
    // Only the cost limit stands: the shape limits are opened up so the alias bomb reaches the cost model.
    gateway = await startTestGateway({
      volume: 200,
      env: { MAX_QUERY_TOKENS: '100000', MAX_ROOT_FIELDS: '5000', MAX_ALIASES: '5000' },
    });
    token = await gateway.token({ sub: 'u-cost', roles: ['youth_worker'], tier: 1, units: [] });
  });
  afterAll(() => gateway.stop());

  it('1,000 aliased searches cost 1,000 searches (over 50,000, was about 3,000): refused with 400 COST_LIMIT, nothing run', async () => {
    const before = sourceStatements(gateway);
    const { status, body } = await post(gateway, { query: aliasBomb(1000) }, token);
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'COST_LIMIT' });
    // 300 per search, plus the search field, totalCount, edges, and node and id for 5 items.
    expect(body.errors![0]!.message).toMatch(/its estimated cost is 313000, over the limit of 50000 \(COST_LIMIT\)/);
    expect(sourceStatements(gateway)).toBe(before);
  });

  it('ten searches in one request are within the limit and answered', async () => {
    const { status, body } = await post(gateway, { query: aliasBomb(10) }, token);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.s9.totalCount).toBe(body.data.s0.totalCount);
  });

  it('a batched source call is priced once, not per person: 200 people with their contacts are within the limit', async () => {
    const ids = gateway.dataset.iyss.rows.tblYoungPerson
      .filter((row) => row.IsDeleted === 0)
      .slice(0, 200)
      .map((row) => `yp:IYSS:${row.YoungPersonID}`);
    const { status, body } = await post(
      gateway,
      { query: 'query($ids: [ID!]!) { youngPeople(ids: $ids) { id surname contacts { contactType contactDate } } }', variables: { ids } },
      token,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.youngPeople.length).toBeGreaterThan(100); // records linked to one person come back once
  });
});
