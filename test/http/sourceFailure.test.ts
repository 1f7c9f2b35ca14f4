import net from 'node:net';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

/** A loopback port with nothing listening: a real refused connection, not a mock. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('one legacy source down (IYSS on a refused connection), the others up', () => {
  let gateway: TestGateway;
  let tier2: string;
  beforeAll(async () => {
    const port = await closedPort();
    gateway = await startTestGateway({
      volume: 300,
      urls: { IYSS_DB_URL: `mysql://root@127.0.0.1:${port}/iyss` },
      env: { DB_CONNECT_TIMEOUT_MS: '1000' },
    });
    tier2 = await gateway.token({ sub: 'u-tier2', roles: ['practitioner'], tier: 2 });
  });
  afterAll(() => gateway.stop());

  it('a search still returns the other systems\u2019 people, with SOURCE_UNAVAILABLE naming IYSS and no internals', async () => {
    const client = gateway.dataset.umis.rows.client.find((row) => row.is_active === 1)!;
    const { status, body } = await gateway.graphql(
      `query($s: String) { searchYoungPeople(criteria: { surname: $s }, first: 50) {
         totalCount notChecked { system reason cause } edges { node { id surname } } } }`,
      { s: client.family_name },
      tier2,
    );
    expect(status).toBe(200);
    const search = body.data.searchYoungPeople;
    expect(search.totalCount).toBeGreaterThan(0);
    expect(search.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(await gateway.personIdOf('UMIS', client.client_id));
    // The failed source and the one above the caller's clearance are both named, and told apart.
    expect(search.notChecked).toEqual([
      { system: 'IYSS', reason: 'connection refused', cause: 'SOURCE_UNAVAILABLE' },
      { system: 'YOIS', reason: 'Not searched: above your clearance', cause: 'ABOVE_CLEARANCE' },
    ]);
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'SOURCE_UNAVAILABLE', source: 'IYSS', reason: 'connection refused' } }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|mysql/i);
  });

  it('involvement says NOT_CHECKED for the unreachable system, never NOT_KNOWN', async () => {
    const client = gateway.dataset.umis.rows.client.find((row) => row.is_active === 1)!;
    const id = await gateway.personIdOf('UMIS', client.client_id);
    const { body } = await gateway.graphql(`{ youngPerson(id: "${id}") { id involvement { system status reason } } }`, {}, tier2);
    expect(body.errors).toBeUndefined();
    const involvement = body.data.youngPerson.involvement as Array<{ system: string; status: string; reason: string | null }>;
    expect(involvement.find((entry) => entry.system === 'IYSS')).toEqual({ system: 'IYSS', status: 'NOT_CHECKED', reason: 'connection refused' });
    expect(involvement.find((entry) => entry.system === 'UMIS')!.status).toBe('KNOWN');
  });

  it('a caller who can only see IYSS gets SOURCE_UNAVAILABLE, not an empty "nobody found"', async () => {
    const { body } = await gateway.graphql('{ gatewayInfo { version } youngPerson(id: "yp:IYSS:10001") { id } }');
    expect(body.data.gatewayInfo.version).toMatch(/\d+\.\d+\.\d+/);
    expect(body.data.youngPerson).toBeNull();
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'IYSS' });
  });

  it('stays ready (the store answers) while reporting the source as unavailable', async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      sources: { IYSS: { status: 'unavailable', reason: 'connection refused' }, UMIS: { status: 'ok' } },
    });
  });
});

describe('need to know while a source holding allocations is down', () => {
  let gateway: TestGateway;
  let personId: string;
  /** A unit the child is allocated to in YOIS, which stays up. */
  let yoisUnit: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 300 });
    // A child known to UMIS and YOIS, with an open allocation in YOIS.
    const umisKeys = new Set(gateway.dataset.umis.truth.map((t) => t.personKey));
    const today = gateway.clock.now().toISOString().slice(0, 10);
    for (const record of gateway.dataset.yois.truth.filter((t) => umisKeys.has(t.personKey))) {
      const [allocations] = await gateway.services.sources.yois.allocationsByPersonIds([record.sourceId]);
      const open = Array.isArray(allocations) ? allocations.find((a) => a.endDate === null || a.endDate >= today) : undefined;
      const id = await gateway.personIdOf('YOIS', record.sourceId);
      const linked = await gateway.services.persons.personsByIds([id]);
      if (open && linked[0] && !(linked[0] instanceof Error) && linked[0].records.some((r) => r.system === 'UMIS')) {
        personId = id;
        yoisUnit = open.unitId;
        break;
      }
    }
    expect(personId).toBeDefined();
    // UMIS goes away after start: its allocations can no longer be read.
    await gateway.databases.umis.close();
  });
  afterAll(() => gateway.stop());

  it('answers SOURCE_UNAVAILABLE naming UMIS, not FORBIDDEN, when no readable allocation settles it', async () => {
    const outsider = await gateway.token({ sub: 'u-out', roles: ['practitioner'], tier: 3, units: ['CU-NONE'] });
    const { body } = await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { id offences { id } } }', { id: personId }, outsider, {
      'x-purpose': 'allocated_casework',
    });
    expect(body.data.youngPerson).toEqual({ id: personId, offences: null });
    expect(body.errors).toEqual([
      expect.objectContaining({ path: ['youngPerson', 'offences'], extensions: expect.objectContaining({ code: 'SOURCE_UNAVAILABLE', source: 'UMIS' }) }),
    ]);
  });

  it('still lets a caller in through the allocation YOIS can read', async () => {
    const member = await gateway.token({ sub: 'u-in', roles: ['practitioner'], tier: 3, units: [yoisUnit] });
    const { body } = await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { offences { id } } }', { id: personId }, member, {
      'x-purpose': 'allocated_casework',
    });
    expect(Array.isArray(body.data.youngPerson.offences)).toBe(true);
    // The response still says UMIS could not be read (the child's UMIS record), but nothing is refused.
    expect(body.errors?.map((e) => [e.extensions?.code, e.extensions?.source, e.path ?? null])).toEqual([['SOURCE_UNAVAILABLE', 'UMIS', null]]);
  });
});

describe('IYSS goes down after start: a child known to IYSS and UMIS keeps everything else', () => {
  let gateway: TestGateway;
  let personId: string;
  let tier2: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 300 });
    const iyssKeys = new Map(gateway.dataset.iyss.truth.map((t) => [t.personKey, t.youngPersonId]));
    for (const record of gateway.dataset.umis.truth.filter((t) => iyssKeys.has(t.personKey))) {
      const id = await gateway.personIdOf('UMIS', record.sourceId);
      const [person] = await gateway.services.persons.personsByIds([id]);
      if (person && !(person instanceof Error) && person.records.some((r) => r.system === 'IYSS')) {
        personId = id;
        break;
      }
    }
    expect(personId).toBeDefined();
    tier2 = await gateway.token({ sub: 'u-iyss-down', roles: ['practitioner'], tier: 2 });
    await gateway.databases.iyss.close();
  });
  afterAll(() => gateway.stop());

  it('nulls only the IYSS fields, each with SOURCE_UNAVAILABLE naming IYSS, and returns the UMIS and DMS data', async () => {
    const { status, body } = await gateway.graphql(
      `query($id: ID!) { youngPerson(id: $id) {
         id forename surname involvement { system status }
         iyssRecords { sourceId } groupWork { sessionId } contacts { id } educationStatus { category } educationHistory { category }
         documents { id } } }`,
      { id: personId },
      tier2,
    );
    expect(status).toBe(200);
    const person = body.data.youngPerson;
    expect(person).toMatchObject({ id: personId, iyssRecords: null, groupWork: null, contacts: null, educationStatus: null, educationHistory: null });
    expect(person.forename).toEqual(expect.any(String));
    expect(Array.isArray(person.documents)).toBe(true);
    expect(person.involvement).toEqual(
      expect.arrayContaining([
        { system: 'IYSS', status: 'NOT_CHECKED' },
        { system: 'UMIS', status: 'KNOWN' },
      ]),
    );
    const failed = body.errors!.map((e) => [e.path?.join('.') ?? null, e.extensions?.code, e.extensions?.source]);
    for (const field of ['iyssRecords', 'groupWork', 'contacts', 'educationStatus', 'educationHistory']) {
      expect(failed).toContainEqual([`youngPerson.${field}`, 'SOURCE_UNAVAILABLE', 'IYSS']);
    }
    // Nothing else failed: the only other errors are need-to-know refusals of single documents, as with IYSS up.
    const others = failed.filter(([, code, source]) => !(code === 'SOURCE_UNAVAILABLE' && source === 'IYSS'));
    expect(others.filter(([path, code]) => !(code === 'FORBIDDEN' && /^youngPerson\.documents\.\d+/.test(String(path))))).toEqual([]);
  });
});
