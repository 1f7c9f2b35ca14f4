import type { StoredAuditEvent } from '../../src/audit/AuditEvent';
import { startGatewayOnEngine, type GatewayOnEngine } from '../support/gatewayOnEngine';
import type { TestGateway } from '../support/startTestGateway';
import { testEngines } from '../support/testDatabases';

/** The events written since `afterSeq`, oldest first. */
async function eventsSince(gateway: TestGateway, afterSeq: number): Promise<StoredAuditEvent[]> {
  const page = await gateway.services.audit.query({}, { first: 100 });
  return page.events.filter((event) => event.seq > afterSeq).reverse();
}

async function lastSeq(gateway: TestGateway): Promise<number> {
  return (await gateway.services.audit.query({}, { first: 1 })).events[0]?.seq ?? 0;
}

describe.each(testEngines())('the access audit over HTTP, store on %s', (engine) => {
  let running: GatewayOnEngine;
  let gateway: TestGateway;
  let practitioner: string;
  let auditor: string;
  /** A gateway person with IYSS group work. */
  let personId: string;

  beforeAll(async () => {
    running = await startGatewayOnEngine(engine, { volume: 400 });
    gateway = running.gateway;
    practitioner = await gateway.token({ sub: 'worker-ada', roles: ['practitioner'], tier: 1, units: ['CU1'] });
    auditor = await gateway.token({ sub: 'auditor-ola', name: 'Ola Auditor', roles: ['auditor'], tier: 1, units: [] });
    const ids = gateway.dataset.iyss.rows.tblYoungPerson.filter((row) => row.IsDeleted === 0).slice(0, 40).map((row) => `yp:IYSS:${row.YoungPersonID}`);
    const { body } = await gateway.graphql('query($ids: [ID!]!) { youngPeople(ids: $ids) { id groupWork { title } } }', { ids }, practitioner);
    personId = body.data.youngPeople.find((p: { groupWork: unknown[] } | null) => p && p.groupWork.length > 0).id;
  });
  afterAll(() => running.stop());

  it('records one person view: who, when, why, the person, and exactly the coordinates returned', async () => {
    const before = await lastSeq(gateway);
    const { body } = await gateway.graphql(
      'query PersonView($id: ID!) { youngPerson(id: $id) { id forename knownAs groupWork { title } } }',
      { id: personId },
      practitioner,
      { 'x-request-id': `view-${engine}`, 'x-purpose': 'allocated_casework' },
    );
    expect(body.errors).toBeUndefined();
    const events = await eventsSince(gateway, before);
    expect(events).toHaveLength(1);
    const [event] = events;
    // knownAs is asked for but null for most people: only values actually returned count.
    const returned = ['GroupAttendance.title', 'Query.youngPerson', 'YoungPerson.forename', 'YoungPerson.groupWork', 'YoungPerson.id'];
    if (body.data.youngPerson.knownAs !== null) returned.push('YoungPerson.knownAs');
    returned.sort();
    expect(event).toMatchObject({
      seq: before + 1,
      at: gateway.clock.now().toISOString(),
      requestId: `view-${engine}`,
      principal: { sub: 'worker-ada', roles: ['practitioner'], tier: 1, units: ['CU1'] },
      operation: 'query PersonView',
      purpose: 'allocated_casework',
      breakGlassIds: [],
      people: [{ personId, breakGlassId: null, returned, denied: [] }],
      returned,
      denied: [],
      outcome: 'RETURNED',
    });
  });

  it('records a search: exactly the people on the page returned, not every candidate ranked', async () => {
    const before = await lastSeq(gateway);
    const { body } = await gateway.graphql(
      '{ searchYoungPeople(criteria: { postcode: "E8" }, first: 5) { totalCount edges { score node { id surname } } } }',
      {},
      practitioner,
    );
    expect(body.errors).toBeUndefined();
    const shown = body.data.searchYoungPeople.edges.map((edge: { node: { id: string } }) => edge.node.id).sort();
    expect(shown).toHaveLength(5);
    expect(body.data.searchYoungPeople.totalCount).toBeGreaterThan(5);
    const [event, ...more] = await eventsSince(gateway, before);
    expect(more).toEqual([]);
    expect(event!.operation).toBe('query');
    expect(event!.purpose).toBeNull();
    expect(event!.people.map((p) => p.personId)).toEqual(shown);
    for (const person of event!.people) {
      expect(person.returned).toEqual(['YoungPerson.id', 'YoungPerson.surname', 'YoungPersonEdge.node']);
    }
    // The connection itself (a count, a page) belongs to no one person.
    expect(event!.returned).toEqual(['Query.searchYoungPeople', 'YoungPerson.id', 'YoungPerson.surname', 'YoungPersonEdge.node']);
  });

  it('records refused coordinates, and judges "returned" on the response as sent (a refusal that nulls the data returns nothing)', async () => {
    const before = await lastSeq(gateway);
    // auditTrail is non-null, so refusing it nulls the whole response: the person resolved but was never sent.
    const refused = await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { id } auditTrail { totalCount } }', { id: personId }, practitioner);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: ['auditTrail'], extensions: { code: 'FORBIDDEN', reason: 'NOT_GRANTED' } })]);
    const events = await eventsSince(gateway, before);
    expect(events.map((e) => ({ outcome: e.outcome, returned: e.returned, denied: e.denied, people: e.people }))).toEqual([
      { outcome: 'DENIED', returned: [], denied: ['Query.auditTrail'], people: [] },
    ]);
  });

  it('writes nothing for a request that returns no personal data', async () => {
    const before = await lastSeq(gateway);
    await gateway.graphql('{ gatewayInfo { version } }', {}, practitioner);
    const unknown = await gateway.graphql('{ youngPerson(id: "P-ZZZZZZZZZZ") { id forename } }', {}, practitioner);
    expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    await gateway.graphql('{ youngPerson(id: "P-1") { notAField } }', {}, practitioner);
    expect(await eventsSince(gateway, before)).toEqual([]);
  });

  it('lets an auditor (and only an auditor) read the trail by young person, caller, time range and break-glass', async () => {
    const TRAIL = `query($f: ID, $sub: String, $from: DateTime, $to: DateTime, $bg: ID, $first: Int, $after: String) {
      auditTrail(personId: $f, sub: $sub, from: $from, to: $to, breakGlassId: $bg, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor }
        edges { node { seq requestId principal { sub } purpose people { personId returned } outcome breakGlassIds } } } }`;
    const forPerson = await gateway.graphql(TRAIL, { f: personId }, auditor);
    expect(forPerson.body.errors).toBeUndefined();
    const nodes = forPerson.body.data.auditTrail.edges.map((e: { node: unknown }) => e.node);
    expect(nodes.map((n: { requestId: string }) => n.requestId)).toContain(`view-${engine}`);
    expect(nodes.every((n: { people: Array<{ personId: string }> }) => n.people.some((p) => p.personId === personId))).toBe(true);
    const seqs = nodes.map((n: { seq: number }) => n.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));

    const bySub = await gateway.graphql(TRAIL, { sub: 'worker-ada', first: 2 }, auditor);
    const firstPage = bySub.body.data.auditTrail;
    expect(firstPage.edges).toHaveLength(2);
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    const secondPage = (await gateway.graphql(TRAIL, { sub: 'worker-ada', first: 2, after: firstPage.pageInfo.endCursor }, auditor)).body.data.auditTrail;
    expect(secondPage.edges[0].node.seq).toBeLessThan(firstPage.edges[1].node.seq);
    expect(secondPage.totalCount).toBe(firstPage.totalCount);

    // A time range: move the clock a day on, access, and ask for that day only.
    gateway.clock.advance(24 * 3600_000);
    const from = gateway.clock.now().toISOString();
    await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { id } }', { id: personId }, practitioner, { 'x-request-id': `tomorrow-${engine}` });
    gateway.clock.advance(60_000);
    const window = await gateway.graphql(TRAIL, { from, to: gateway.clock.now().toISOString() }, auditor);
    expect(window.body.data.auditTrail.edges.map((e: { node: { requestId: string } }) => e.node.requestId)).toEqual([`tomorrow-${engine}`]);

    // Break-glass: recorded per person once authorization grants it; stored and queried here.
    await gateway.services.audit.record({
      at: gateway.clock.now().toISOString(),
      requestId: `glass-${engine}`,
      principal: { sub: 'worker-bo', roles: ['practitioner'], tier: 3, units: ['CU2'] },
      operation: 'query Emergency',
      purpose: 'section 47 enquiry',
      people: [{ personId, breakGlassId: 'BG-42', returned: ['YoungPerson.offences'], denied: [] }],
      returned: ['Query.youngPerson', 'YoungPerson.offences'],
      denied: [],
      outcome: 'RETURNED',
    });
    const glass = await gateway.graphql(TRAIL, { bg: 'BG-42' }, auditor);
    expect(glass.body.data.auditTrail.edges.map((e: { node: { requestId: string; breakGlassIds: string[] } }) => e.node)).toEqual([
      expect.objectContaining({ requestId: `glass-${engine}`, breakGlassIds: ['BG-42'] }),
    ]);

    const refused = await gateway.graphql(TRAIL, {}, practitioner);
    expect(refused.body.data).toBeNull();
    expect(refused.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });

    const bad = await gateway.graphql(TRAIL, { after: 'not-a-cursor' }, auditor);
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_CURSOR' });
  });

  it('audits the auditors: reading the trail of a young person is itself recorded against that person', async () => {
    const before = await lastSeq(gateway);
    await gateway.graphql('query($f: ID) { auditTrail(personId: $f, first: 1) { edges { node { seq people { personId } } } } }', { f: personId }, auditor);
    const [event] = await eventsSince(gateway, before);
    expect(event).toMatchObject({ principal: { sub: 'auditor-ola', roles: ['auditor'] }, outcome: 'RETURNED' });
    expect(event!.people).toEqual([{ personId, breakGlassId: null, returned: ['AuditEvent.people', 'AuditedPerson.personId'], denied: [] }]);
  });

  it("shows a young person's access history to the leader of a Core Unit they are allocated to, and to no other leader", async () => {
    let allocated: { id: string; units: string[] } | undefined;
    for (const record of gateway.dataset.umis.truth.slice(0, 60)) {
      const id = await gateway.personIdOf('UMIS', record.sourceId);
      const units = await gateway.allocatedUnitsOf(id);
      if (units.length) {
        allocated = { id, units };
        break;
      }
    }
    const unit = allocated!.units[0]!;
    const tier3 = await gateway.token({ sub: 'yot-worker', roles: ['practitioner'], tier: 3, units: [unit] });
    await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { id forename offences { id } } }', { id: allocated!.id }, tier3, {
      'x-purpose': 'allocated_casework',
    });

    const HISTORY = 'query($id: ID!) { personAccessHistory(personId: $id) { personId sub purpose breakGlass returned returnedAboveYourClearance outcome } }';
    const leader = await gateway.token({ sub: 'leader-rahima', roles: ['core_unit_leader'], tier: 2, units: [unit] });
    const seen = await gateway.graphql(HISTORY, { id: allocated!.id }, leader);
    expect(seen.body.errors).toBeUndefined();
    const latest = seen.body.data.personAccessHistory[0];
    expect(latest).toEqual({
      personId: allocated!.id,
      sub: 'yot-worker',
      purpose: 'allocated_casework',
      breakGlass: false,
      returned: ['Query.youngPerson', 'YoungPerson.forename', 'YoungPerson.id'],
      // YoungPerson.offences (tier 3), and Offence.id when the person has offences, are above a tier-2 leader.
      returnedAboveYourClearance: expect.any(Number),
      outcome: 'RETURNED',
    });
    expect(latest.returnedAboveYourClearance).toBeGreaterThanOrEqual(1);

    const otherUnit = ['CU1', 'CU2', 'CU3', 'CU4', 'CU5', 'CU6', 'CU7', 'CU8'].find((u) => !allocated!.units.includes(u))!;
    const otherLeader = await gateway.token({ sub: 'leader-other', roles: ['core_unit_leader'], tier: 2, units: [otherUnit] });
    const refused = await gateway.graphql(HISTORY, { id: allocated!.id }, otherLeader);
    expect(refused.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED_TO_YOUR_UNIT' });
    const notLeader = await gateway.graphql(HISTORY, { id: allocated!.id }, await gateway.token({ roles: ['practitioner'], tier: 3, units: [unit] }));
    expect(notLeader.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });
});
