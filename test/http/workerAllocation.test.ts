import type { Kysely } from 'kysely';
import { testEngines } from '../support/testDatabases';
import { startTestGateway, type GraphQLBody, type TestGateway } from '../support/startTestGateway';

const DAY = 86_400_000;
const CASEWORK = { 'x-purpose': 'allocated_casework' };
const FIELDS = 'id worker workerName startsOn endsOn reason allocatedBy allocatorName allocatedAt inForce ended { endedBy enderName reason }';
const ALLOCATE = `mutation($p: ID!, $a: WorkerAllocationInput!) { allocateWorker(personId: $p, allocation: $a) { personId ${FIELDS} } }`;
const END = `mutation($id: ID!, $r: String!) { endWorkerAllocation(allocationId: $id, reason: $r) { ${FIELDS} } }`;
const DETAIL = 'query($id: ID!) { youngPerson(id: $id) { id forename umisRecords { sourceId } offences { id } } }';
const LIST = `query($id: ID!) { youngPerson(id: $id) { id workerAllocations { ${FIELDS} } } }`;
const REASON = 'Stays with her through the move from early help to the youth justice service';

const day = (at: Date, plus = 0) => new Date(at.getTime() + plus * DAY).toISOString().slice(0, 10);
const extensionsOf = (body: GraphQLBody) => body.errors?.map((e) => e.extensions);

describe.each(testEngines())('a named worker allocated across services, over HTTP, store on %s', (engine) => {
  let gateway: TestGateway;
  /** A child UMIS and YOIS know, with offences, allocated to a Core Unit. */
  let personId: string;
  /** Another child, of another Core Unit. */
  let other: string;
  let unit: string;
  let leader: string;
  let otherLeader: string;
  /** Named workers outside the child's Core Unit: tier 2 and tier 3. */
  let amal: string;
  let deniz: string;
  let bystander: string;

  const rows = async () => {
    const db = gateway.services.store.database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const count = async (table: string) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { allocations: await count('worker_allocation'), ends: await count('worker_allocation_end') };
  };
  const allocate = (token: string, p: string, a: Record<string, unknown>) => gateway.graphql(ALLOCATE, { p, a }, token);

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 400 });
    const inUmis = new Set(gateway.dataset.umis.truth.map((t) => t.personKey));
    const withOffences = new Set(gateway.dataset.yois.rows.YP_OFFENCE.filter((o) => o.DELETED_FLAG === 'N').map((o) => String(o.PERSON_ID)));
    for (const record of gateway.dataset.yois.truth.filter((t) => withOffences.has(t.sourceId) && inUmis.has(t.personKey))) {
      const id = await gateway.personIdOf('YOIS', record.sourceId);
      const units = await gateway.allocatedUnitsOf(id);
      if (units.length === 0) continue;
      if (!personId) {
        personId = id;
        unit = units[0]!;
      } else if (!units.includes(unit)) {
        other = id;
        break;
      }
    }
    expect(personId).toBeDefined();
    expect(other).toBeDefined();
    leader = await gateway.token({ sub: 'leader-rahima', name: 'Rahima Khanom', roles: ['core_unit_leader'], tier: 3, units: [unit] });
    otherLeader = await gateway.token({ sub: 'leader-other', name: 'Olu Other', roles: ['core_unit_leader'], tier: 3, units: ['CU-ELSEWHERE'] });
    amal = await gateway.token({ sub: 'worker-amal', name: 'Amal Hussein', roles: ['practitioner'], tier: 2, units: ['CU-YOT'] });
    deniz = await gateway.token({ sub: 'worker-deniz', name: 'Deniz Kaya', roles: ['practitioner'], tier: 3, units: ['CU-YOT'] });
    bystander = await gateway.token({ sub: 'worker-bystander', name: 'Bea Stander', roles: ['practitioner'], tier: 3, units: ['CU-YOT'] });
  });
  afterAll(() => gateway.stop());

  it('gives a named worker outside the child\u2019s unit what their tier allows, audited, until the end date passes', async () => {
    const today = gateway.clock.now();
    // Before: outside the child's unit, no need to know.
    const before = await gateway.graphql(DETAIL, { id: personId }, amal, CASEWORK);
    expect(before.body.data.youngPerson.umisRecords).toBeNull();
    expect(extensionsOf(before.body)).toContainEqual({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });

    const made = await allocate(leader, personId, { worker: 'worker-amal', workerName: 'Amal Hussein', endsOn: day(today, 30), reason: REASON });
    expect(made.body.errors).toBeUndefined();
    const allocation = made.body.data.allocateWorker;
    expect(allocation).toMatchObject({
      personId,
      worker: 'worker-amal',
      workerName: 'Amal Hussein',
      startsOn: day(today),
      endsOn: day(today, 30),
      reason: REASON,
      allocatedBy: 'leader-rahima',
      allocatorName: 'Rahima Khanom',
      inForce: true,
      ended: null,
    });
    expect(allocation.id).toMatch(/^WA-/);
    // The allocation itself is audited against the young person.
    const [allocatedEvent] = (await gateway.services.audit.query({ sub: 'leader-rahima' }, { first: 1 })).events;
    expect(allocatedEvent!.people).toEqual([expect.objectContaining({ personId, returned: expect.arrayContaining(['Mutation.allocateWorker']) })]);

    // Tier 2: UMIS detail, not YOIS offences (tier 3), whatever the allocation.
    const during = await gateway.graphql(DETAIL, { id: personId }, amal, { ...CASEWORK, 'x-request-id': `wa-read-${engine}` });
    expect(during.body.data.youngPerson.umisRecords.length).toBeGreaterThan(0);
    expect(during.body.data.youngPerson.offences).toBeNull();
    expect(extensionsOf(during.body)).toEqual([{ code: 'FORBIDDEN', reason: 'TIER_TOO_LOW' }]);
    // Reads through it are audited as usual: who, which child, what, why; not as break-glass.
    const [read] = (await gateway.services.audit.query({ sub: 'worker-amal' }, { first: 1 })).events;
    expect(read).toMatchObject({ requestId: `wa-read-${engine}`, purpose: 'allocated_casework', breakGlassIds: [] });
    expect(read!.people).toEqual([expect.objectContaining({ personId, breakGlassId: null, returned: expect.arrayContaining(['YoungPerson.umisRecords']), denied: ['YoungPerson.offences'] })]);
    // Purpose still applies.
    const noPurpose = await gateway.graphql(DETAIL, { id: personId }, amal);
    expect(extensionsOf(noPurpose.body)).toContainEqual({ code: 'FORBIDDEN', reason: 'PURPOSE_REQUIRED' });
    // Only that child: another stays closed to her.
    const closed = await gateway.graphql(DETAIL, { id: other }, amal, CASEWORK);
    expect(extensionsOf(closed.body)).toContainEqual({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
    // Only that worker: a colleague in her unit has no need to know.
    const colleague = await gateway.graphql(DETAIL, { id: personId }, bystander, CASEWORK);
    expect(colleague.body.data.youngPerson.offences).toBeNull();

    // A tier-3 worker allocated the same way (a moment later) reaches the offences too.
    gateway.clock.advance(1);
    const second = await allocate(leader, personId, { worker: 'worker-deniz', workerName: 'Deniz Kaya', endsOn: day(today, 30), reason: REASON });
    expect(second.body.errors).toBeUndefined();
    const tier3 = await gateway.graphql(DETAIL, { id: personId }, deniz, CASEWORK);
    expect(tier3.body.errors).toBeUndefined();
    expect(tier3.body.data.youngPerson.offences.length).toBeGreaterThan(0);

    // The child's allocations are a person field with need to know: the worker and the unit see them, others do not.
    const listed = await gateway.graphql(LIST, { id: personId }, amal, CASEWORK);
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.youngPerson.workerAllocations.map((a: { worker: string }) => a.worker)).toEqual(['worker-deniz', 'worker-amal']);
    const outsider = await gateway.graphql(LIST, { id: personId }, bystander, CASEWORK);
    expect(outsider.body.data.youngPerson.workerAllocations).toBeNull();
    expect(extensionsOf(outsider.body)).toEqual([{ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' }]);
    const triage = await gateway.token({ sub: 'triage-tom', roles: ['triage_officer'], tier: 3, units: [] });
    const triageList = await gateway.graphql(LIST, { id: personId }, triage, { 'x-purpose': 'triage' });
    expect(extensionsOf(triageList.body)).toEqual([{ code: 'FORBIDDEN', reason: 'NOT_GRANTED' }]);

    // The same worker twice over the same days is refused, and nothing is written.
    const counts = await rows();
    const twice = await allocate(leader, personId, { worker: 'worker-amal', workerName: 'Amal Hussein', endsOn: day(today, 10), reason: REASON });
    expect(extensionsOf(twice.body)).toEqual([{ code: 'BAD_USER_INPUT', reason: 'ALREADY_ALLOCATED' }]);
    expect(await rows()).toEqual(counts);

    // The end date is the last day in force; the day after, need to know is gone.
    gateway.clock.advance(30 * DAY);
    try {
      expect((await gateway.graphql(DETAIL, { id: personId }, amal, CASEWORK)).body.data.youngPerson.umisRecords.length).toBeGreaterThan(0);
      gateway.clock.advance(DAY);
      const lapsed = await gateway.graphql(DETAIL, { id: personId }, amal, CASEWORK);
      expect(lapsed.body.data.youngPerson.umisRecords).toBeNull();
      expect(extensionsOf(lapsed.body)).toContainEqual({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
      const afterwards = await gateway.graphql(LIST, { id: personId }, deniz, CASEWORK);
      expect(extensionsOf(afterwards.body)).toEqual([{ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' }]);
      // An allocation past its end date cannot be ended: it already has.
      const late = await gateway.graphql(END, { id: allocation.id, r: 'Moved on' }, leader);
      expect(extensionsOf(late.body)).toEqual([{ code: 'BAD_USER_INPUT', reason: 'ALREADY_ENDED' }]);
    } finally {
      gateway.clock.advance(-31 * DAY);
    }
  });

  it('takes need to know away at once when the allocation is ended, recorded and audited', async () => {
    const today = gateway.clock.now();
    // Without an end date it runs for 90 days.
    const made = await allocate(leader, personId, { worker: 'worker-ends', workerName: 'Ezgi Ends', startsOn: day(today), reason: REASON });
    expect(made.body.errors).toBeUndefined();
    expect(made.body.data.allocateWorker).toMatchObject({ startsOn: day(today), endsOn: day(today, 90) });
    const id = made.body.data.allocateWorker.id as string;
    const ends = await gateway.token({ sub: 'worker-ends', name: 'Ezgi Ends', roles: ['practitioner'], tier: 3, units: [] });
    expect((await gateway.graphql(DETAIL, { id: personId }, ends, CASEWORK)).body.errors).toBeUndefined();
    // A worker with no unit finds the child on their caseload while the allocation is in force.
    const caseloadOf = async (token: string) =>
      ((await gateway.graphql('{ myCaseload(first: 50) { edges { node { id } } } }', {}, token, CASEWORK)).body.data.myCaseload.edges as Array<{ node: { id: string } }>).map((e) => e.node.id);
    expect(await caseloadOf(ends)).toEqual([personId]);
    // The leader's own named list holds nobody; the worker's holds the child, as the filter asks.
    const namedOf = async (token: string) =>
      ((await gateway.graphql('{ myCaseload(first: 50, filter: { allocatedToMeByName: true }) { edges { node { id } } } }', {}, token, CASEWORK)).body.data.myCaseload.edges as Array<{ node: { id: string } }>).map((e) => e.node.id);
    expect(await namedOf(ends)).toEqual([personId]);
    expect(await namedOf(leader)).toEqual([]);

    // Only the leader who made it, or a leader of the child's unit, ends it; anyone else reads NOT_FOUND, as for no allocation.
    const stranger = await gateway.graphql(END, { id, r: 'Not mine to end' }, otherLeader);
    const nobody = await gateway.graphql(END, { id: 'WA-00000000-0000-0000-0000-000000000000', r: 'Not mine to end' }, otherLeader);
    expect(extensionsOf(stranger.body)).toEqual([{ code: 'NOT_FOUND' }]);
    expect(stranger.body).toEqual(nobody.body);
    const worker = await gateway.graphql(END, { id, r: 'Stepping off' }, ends);
    expect(extensionsOf(worker.body)).toEqual([{ code: 'FORBIDDEN', reason: 'NOT_GRANTED' }]);

    const ended = await gateway.graphql(END, { id, r: 'Case closed by the panel' }, leader);
    expect(ended.body.errors).toBeUndefined();
    expect(ended.body.data.endWorkerAllocation).toMatchObject({ inForce: false, endsOn: day(today, 90), ended: { endedBy: 'leader-rahima', enderName: 'Rahima Khanom', reason: 'Case closed by the panel' } });
    const [event] = (await gateway.services.audit.query({ sub: 'leader-rahima' }, { first: 1 })).events;
    expect(event!.people).toEqual([expect.objectContaining({ personId, returned: expect.arrayContaining(['Mutation.endWorkerAllocation']) })]);

    const after = await gateway.graphql(DETAIL, { id: personId }, ends, CASEWORK);
    expect(after.body.data.youngPerson.offences).toBeNull();
    expect(extensionsOf(after.body)).toContainEqual({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
    expect(await caseloadOf(ends)).toEqual([]);
    const again = await gateway.graphql(END, { id, r: 'Case closed by the panel' }, leader);
    expect(extensionsOf(again.body)).toEqual([{ code: 'BAD_USER_INPUT', reason: 'ALREADY_ENDED' }]);
    // The unit still sees the record of it.
    const listed = await gateway.graphql(LIST, { id: personId }, leader, CASEWORK);
    expect(listed.body.data.youngPerson.workerAllocations).toContainEqual(expect.objectContaining({ id, inForce: false, ended: expect.objectContaining({ reason: 'Case closed by the panel' }) }));
  });

  it('refuses anyone but a leader of the child\u2019s unit, and answers a child they may not allocate for like nobody, writing nothing', async () => {
    const endsOn = day(gateway.clock.now(), 30);
    const input = { worker: 'worker-probe', workerName: 'Pat Probe', endsOn, reason: REASON };
    const counts = await rows();
    for (const roles of [['practitioner'], ['triage_manager'], ['triage_officer'], ['panel_chair'], ['security_officer'], ['auditor']]) {
      const token = await gateway.token({ sub: `refused-${roles[0]}`, roles, tier: 3, units: [unit] });
      const refused = await allocate(token, personId, input);
      expect(extensionsOf(refused.body)).toEqual([{ code: 'FORBIDDEN', reason: 'NOT_GRANTED' }]);
    }
    // A leader of another unit: the child exists and is visible at tier 1, yet the answer is the one for nobody.
    const nobody = await allocate(otherLeader, 'P-0000000000', input);
    expect(extensionsOf(nobody.body)).toEqual([{ code: 'NOT_FOUND' }]);
    const [view] = await gateway.services.persons.personsByIds([personId]);
    if (!view || view instanceof Error) throw new Error('no view of the child');
    const yoisRef = `yp:YOIS:${view.records.find((r) => r.system === 'YOIS')!.sourceId}`;
    for (const target of [personId, yoisRef]) {
      const refused = await allocate(otherLeader, target, input);
      expect(refused.body).toEqual(nobody.body);
      expect(JSON.stringify(refused.body)).not.toContain(personId);
    }
    // The attempt is audited against the child, though the caller is told nothing.
    const [attempt] = (await gateway.services.audit.query({ sub: 'leader-other' }, { first: 2 })).events;
    expect(attempt!.people).toEqual([expect.objectContaining({ personId, denied: ['Mutation.allocateWorker'] })]);
    // A tier-2 leader of the child's unit may not reach a YOIS reference (above their clearance): the same answer.
    const tier2Leader = await gateway.token({ sub: 'leader-t2', roles: ['core_unit_leader'], tier: 2, units: [unit] });
    expect((await allocate(tier2Leader, yoisRef, input)).body).toEqual((await allocate(tier2Leader, 'P-0000000000', input)).body);
    // A leader who knows the child only through an allocation by name cannot pass the child on.
    const byName = await allocate(leader, personId, { ...input, worker: 'leader-byname' });
    expect(byName.body.errors).toBeUndefined();
    const namedLeader = await gateway.token({ sub: 'leader-byname', roles: ['core_unit_leader'], tier: 3, units: ['CU-ELSEWHERE'] });
    expect((await allocate(namedLeader, personId, input)).body).toEqual((await allocate(namedLeader, 'P-0000000000', input)).body);
    // Nobody allocates themselves; dates and reasons are checked before the child is looked at.
    expect(extensionsOf((await allocate(leader, personId, { ...input, worker: 'leader-rahima' })).body)).toEqual([{ code: 'FORBIDDEN', reason: 'OWN_ALLOCATION' }]);
    const today = gateway.clock.now();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...input, startsOn: day(today, -1) }, 'START_IN_PAST'],
      [{ ...input, startsOn: day(today, 5), endsOn: day(today, 4) }, 'END_BEFORE_START'],
      [{ ...input, endsOn: day(today, 366) }, 'ALLOCATION_TOO_LONG'],
      [{ ...input, reason: 'short' }, 'REASON_REQUIRED'],
      [{ ...input, worker: '  ' }, 'WORKER_REQUIRED'],
      [{ ...input, worker: 'w'.repeat(129) }, 'TOO_LONG'],
      [{ ...input, reason: 'r'.repeat(2001) }, 'TOO_LONG'],
    ];
    for (const [allocation, reason] of bad) {
      for (const target of [personId, 'P-0000000000']) {
        expect(extensionsOf((await allocate(leader, target, allocation)).body)).toEqual([{ code: 'BAD_USER_INPUT', reason }]);
      }
    }
    // Only the allocation by name above was written.
    expect(await rows()).toEqual({ ...counts, allocations: counts.allocations + 1 });
  });
});
