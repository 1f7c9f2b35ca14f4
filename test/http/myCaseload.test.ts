import type { Kysely } from 'kysely';
import { renameTable, testEngines } from '../support/testDatabases';
import { startTestGateway, type GraphQLBody, type TestGateway } from '../support/startTestGateway';

const CASELOAD = `query($first: Int, $after: String, $filter: CaseloadFilter) { myCaseload(first: $first, after: $after, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor } notChecked { system cause } edges { node { id surname } } } }`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  notChecked: Array<{ system: string; cause: string }>;
  edges: Array<{ node: { id: string; surname: string } }>;
}

/**
 * "My caseload" (issue 15): a screen starts from the young people allocated to the worker's units. The
 * expected caseload is computed another way, person by person, from the allocations need to know reads.
 */
describe.each(testEngines())('my caseload over HTTP on %s', (engine) => {
  let gateway: TestGateway;
  /** Every gateway person in the seed, with the Core Units need to know finds for them. */
  const unitsOf = new Map<string, string[]>();
  /** A unit with a caseload of several young people, some allocated in YOIS only. */
  let unit: string;
  const purpose = { 'x-purpose': 'allocated_casework' };

  async function caseload(token: string, first = 7, filter: Record<string, unknown> | null = null): Promise<{ ids: string[]; pages: Page[]; errors: GraphQLBody['errors'] }> {
    const pages: Page[] = [];
    let after: string | null = null;
    for (;;) {
      const { body } = await gateway.graphql(CASELOAD, { first, after, filter }, token, purpose);
      if (body.errors) return { ids: [], pages, errors: body.errors };
      const page = body.data.myCaseload as Page;
      pages.push(page);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    return { ids: pages.flatMap((page) => page.edges.map((edge) => edge.node.id)), pages, errors: undefined };
  }

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 400 });
    const { dataset } = gateway;
    const records = [
      ...dataset.iyss.truth.map((t) => ['IYSS', String(t.youngPersonId)] as const),
      ...dataset.umis.truth.map((t) => ['UMIS', t.sourceId] as const),
      ...dataset.yois.truth.map((t) => ['YOIS', t.sourceId] as const),
    ];
    for (const [system, sourceId] of records) {
      const personId = await gateway.personIdOf(system, sourceId);
      if (!unitsOf.has(personId)) unitsOf.set(personId, await gateway.allocatedUnitsOf(personId));
    }
    const byUnit = new Map<string, number>();
    for (const units of unitsOf.values()) for (const u of units) byUnit.set(u, (byUnit.get(u) ?? 0) + 1);
    unit = [...byUnit.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  }, 300_000);
  afterAll(() => gateway.stop());

  const expectedFor = (units: string[]) => [...unitsOf.entries()].filter(([, allocated]) => allocated.some((u) => units.includes(u))).map(([id]) => id).sort();

  it('lists exactly the young people allocated to the caller\u2019s units, paged, for a tier-3 practitioner', async () => {
    const expected = expectedFor([unit]);
    expect(expected.length).toBeGreaterThan(7);
    const token = await gateway.token({ sub: 'u-case', roles: ['practitioner'], tier: 3, units: [unit] });
    const { ids, pages, errors } = await caseload(token);
    expect(errors).toBeUndefined();
    expect(pages.length).toBeGreaterThan(1);
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pages[0]!.totalCount).toBe(expected.length);
    expect(pages[0]!.notChecked).toEqual([]);
  });

  it('asks only the allocating systems within clearance: tier 2 gets UMIS allocations, tier 1 none, and says so', async () => {
    const tier3 = new Set(expectedFor([unit]));
    const tier2 = await caseload(await gateway.token({ sub: 'u-case2', roles: ['support_officer'], tier: 2, units: [unit] }));
    expect(tier2.errors).toBeUndefined();
    expect(tier2.pages[0]!.notChecked).toEqual([{ system: 'YOIS', cause: 'ABOVE_CLEARANCE' }]);
    expect(tier2.ids.length).toBeGreaterThan(0);
    for (const id of tier2.ids) expect(tier3.has(id)).toBe(true);
    // Somebody allocated to the unit in YOIS only is not on the tier-2 list: it would tell of a youth-offending case.
    const umisAllocated = new Set<string>();
    for (const id of tier3) {
      const view = (await gateway.services.persons.personsByIds([id]))[0]!;
      if (view instanceof Error) continue;
      const umis = view.records.filter((r) => r.system === 'UMIS').map((r) => r.sourceId);
      const lists = await gateway.services.sources.umis.allocationsByPersonIds(umis);
      const today = new Date().toISOString().slice(0, 10);
      if (lists.some((l) => Array.isArray(l) && l.some((a) => a.unitId === unit && (a.endDate === null || a.endDate >= today)))) umisAllocated.add(id);
    }
    expect(tier2.ids).toEqual([...umisAllocated].sort());
    expect(tier3.size).toBeGreaterThan(umisAllocated.size);

    const tier1 = await caseload(await gateway.token({ sub: 'u-case1', roles: ['youth_worker'], tier: 1, units: [unit] }));
    expect(tier1.errors).toBeUndefined();
    expect(tier1.ids).toEqual([]);
    expect(tier1.pages[0]!.notChecked).toEqual([
      { system: 'UMIS', cause: 'ABOVE_CLEARANCE' },
      { system: 'YOIS', cause: 'ABOVE_CLEARANCE' },
    ]);
  });

  it('shows another unit\u2019s worker none of these children, a token without units nobody, and refuses roles without a caseload', async () => {
    const mine = new Set(expectedFor([unit]));
    const elsewhere = await caseload(await gateway.token({ sub: 'u-else', roles: ['practitioner'], tier: 3, units: ['CU-ELSEWHERE'] }));
    expect(elsewhere).toMatchObject({ ids: [], errors: undefined });
    const other = [...new Set([...unitsOf.values()].flat())].find((u) => u !== unit)!;
    const theirs = await caseload(await gateway.token({ sub: 'u-other', roles: ['practitioner'], tier: 3, units: [other] }));
    expect(theirs.ids).toEqual(expectedFor([other]));
    expect(theirs.ids.filter((id) => mine.has(id) && !unitsOf.get(id)!.includes(other))).toEqual([]);
    const none = await caseload(await gateway.token({ sub: 'u-none', roles: ['practitioner'], tier: 3, units: [] }));
    expect(none).toMatchObject({ ids: [], errors: undefined });
    const { body } = await gateway.graphql(CASELOAD, { first: 5 }, await gateway.token({ sub: 'u-rw', roles: ['report_writer'], tier: 1, units: [unit] }));
    expect(body.data?.myCaseload ?? null).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('narrows a worker’s caseload to one of their units, and refuses a unit that is not theirs or two filters at once', async () => {
    const other = [...new Set([...unitsOf.values()].flat())].find((u) => u !== unit)!;
    const token = await gateway.token({ sub: 'u-two', roles: ['practitioner'], tier: 3, units: [unit, other] });
    const both = await caseload(token);
    expect(both.ids).toEqual(expectedFor([unit, other]));
    const one = await caseload(token, 7, { unit: other });
    expect(one).toMatchObject({ ids: expectedFor([other]), errors: undefined });
    expect(one.ids.length).toBeLessThan(both.ids.length);
    const notMine = await caseload(token, 7, { unit: 'CU-ELSEWHERE' });
    expect(notMine.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', reason: 'NOT_YOUR_UNIT' }]);
    const twice = await caseload(token, 7, { unit, allocatedToMeByName: true });
    expect(twice.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', reason: 'BAD_CASELOAD_FILTER' }]);
    // Nobody is allocated to this worker by name: that list is empty, and asks no system.
    const named = await caseload(token, 7, { allocatedToMeByName: true });
    expect(named).toMatchObject({ ids: [], errors: undefined });
    expect(named.pages[0]!.notChecked).toEqual([]);
  });

  it('includes a child handed to the unit by an acknowledged referral, and still answers with UMIS down', async () => {
    const outside = [...unitsOf.entries()].find(([, units]) => units.length === 0 || !units.includes(unit))![0];
    const store = gateway.services.store.database.db as unknown as Kysely<{ referral_allocation: { referral_id: string; person_id: string; unit_id: string; acknowledged_at: string } }>;
    await store.insertInto('referral_allocation').values({ referral_id: 'R-CASELOAD1', person_id: outside, unit_id: unit, acknowledged_at: gateway.clock.now().toISOString() }).execute();
    const token = await gateway.token({ sub: 'u-case', roles: ['practitioner'], tier: 3, units: [unit] });
    const withHandOff = await caseload(token);
    expect(withHandOff.ids).toContain(outside);

    const umis = gateway.databases.umis.db as never;
    await renameTable(umis, engine, 'client_worker_assignment', 'client_worker_assignment_away');
    try {
      const { body } = await gateway.graphql(CASELOAD, { first: 100 }, token, purpose);
      const page = body.data.myCaseload as Page;
      expect(page.notChecked).toEqual([expect.objectContaining({ system: 'UMIS', cause: 'SOURCE_UNAVAILABLE' })]);
      expect(body.errors?.map((e) => e.extensions?.code)).toContain('SOURCE_UNAVAILABLE');
      expect(page.edges.map((e) => e.node.id)).toContain(outside);
      expect(page.edges.length).toBeGreaterThan(1);
    } finally {
      await renameTable(umis, engine, 'client_worker_assignment_away', 'client_worker_assignment');
    }
  });

  it('audits the people on the page it returned', async () => {
    const token = await gateway.token({ sub: 'u-audited', roles: ['practitioner'], tier: 3, units: [unit] });
    const { body } = await gateway.graphql(CASELOAD, { first: 3 }, token, purpose);
    const listed = (body.data.myCaseload as Page).edges.map((e) => e.node.id);
    expect(listed).toHaveLength(3);
    const events = await gateway.services.audit.query({ sub: 'u-audited' }, { first: 5 });
    const named = events.events.flatMap((e) => e.people.map((p) => p.personId));
    expect(named.sort()).toEqual([...listed].sort());
  });
});
