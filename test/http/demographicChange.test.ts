import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { UmisTables } from '../../adapters/umis/tables';
import type { YoisTables } from '../../adapters/yois/tables';
import { renameTable, testEngines } from '../support/testDatabases';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const CHANGE = `mutation($key: String!, $id: ID!, $c: DemographicChangeInput!) {
  changeDemographics(idempotencyKey: $key, personId: $id, change: $c) {
    id personId replayed deliveries { system recordId fields status attempts lastError linkMethod } } }`;
const PENDING = `query($id: ID!) { youngPerson(id: $id) { address { line1 postcode }
  pendingChanges { system recordId fields status attempts linkMethod } } }`;
const casework = { 'x-purpose': 'allocated_casework' };

describe.each(testEngines({ sqlServer: true }))('a change of details made once reaches every linked record, over HTTP on %s', (engine) => {
  let gateway: TestGateway;
  let iyss: Kysely<IyssTables>;
  let umis: Kysely<UmisTables>;
  let yois: Kysely<YoisTables>;
  /** Linked across IYSS, UMIS and YOIS (one record each), allocated to `units`. */
  let child: { personId: string; iyss: string; umis: string; yois: string; forename: string };
  let worker: string;

  beforeAll(async () => {
    // Delivery rounds every 100 ms; a failed attempt is retried after 1 s of the gateway's clock.
    gateway = await startTestGateway({ engine, volume: 600, env: { OUTBOX_INTERVAL_MS: '100', OUTBOX_BACKOFF_MS: '1000' } });
    iyss = gateway.databases.iyss.db;
    umis = gateway.databases.umis.db;
    yois = gateway.databases.yois.db;
    const iyssOf = new Map(gateway.dataset.iyss.truth.map((t) => [t.personKey, String(t.youngPersonId)]));
    const umisOf = new Map(gateway.dataset.umis.truth.map((t) => [t.personKey, t.sourceId]));
    for (const t of gateway.dataset.yois.truth) {
      if (!iyssOf.has(t.personKey) || !umisOf.has(t.personKey)) continue;
      const personId = await gateway.personIdOf('YOIS', t.sourceId);
      const [view] = await gateway.services.persons.personsByIds([personId]);
      if (!view || view instanceof Error || view.records.length !== 3 || new Set(view.records.map((r) => r.system)).size !== 3) continue;
      // Need to know from the UMIS allocation, so it still holds while YOIS is down.
      const [allocations] = await gateway.services.sources.umis.allocationsByPersonIds([view.records.find((r) => r.system === 'UMIS')!.sourceId]);
      const units = Array.isArray(allocations) ? allocations.filter((a) => a.endDate === null).map((a) => a.unitId) : [];
      if (units.length === 0) continue;
      const [record] = await gateway.services.sources.iyss.peopleByIds([view.records.find((r) => r.system === 'IYSS')!.sourceId]);
      if (!record || record instanceof Error) continue;
      const of = (system: string) => view.records.find((r) => r.system === system)!.sourceId;
      child = { personId, iyss: of('IYSS'), umis: of('UMIS'), yois: of('YOIS'), forename: record.forename };
      worker = await gateway.token({ sub: 'u-change', roles: ['practitioner'], tier: 3, units });
      break;
    }
    expect(child).toBeDefined();
  }, 300_000);
  afterAll(() => gateway.stop());

  it('applies a new address to IYSS, UMIS and YOIS at once, each in its own shapes, along the links that carried it', async () => {
    const key = randomUUID();
    const { body } = await gateway.graphql(CHANGE, { key, id: child.personId, c: { address: { line1: '12 Amhurst Road', postcode: 'e8 2aa' } } }, worker, casework);
    expect(body.errors).toBeUndefined();
    const result = body.data.changeDemographics;
    expect(result.deliveries.map((d: { system: string; status: string }) => [d.system, d.status])).toEqual([['IYSS', 'APPLIED'], ['UMIS', 'APPLIED'], ['YOIS', 'APPLIED']]);
    for (const delivery of result.deliveries) expect(['DETERMINISTIC', 'PROBABILISTIC', 'CONFIRMED']).toContain(delivery.linkMethod);
    expect(await iyss.selectFrom('tblYoungPerson').select(['AddressLine1', 'Postcode']).where('YoungPersonID', '=', Number(child.iyss)).executeTakeFirst()).toEqual({ AddressLine1: '12 Amhurst Road', Postcode: 'E8 2AA' });
    expect(await umis.selectFrom('client').select(['address_line_1', 'post_code']).where('client_id', '=', child.umis).executeTakeFirst()).toEqual({ address_line_1: '12 Amhurst Road', post_code: 'E8 2AA' });
    expect(await yois.selectFrom('YP_PERSON').select(['ADDRESS_LINE1', 'POSTCODE']).where('PERSON_ID', '=', Number(child.yois)).executeTakeFirst()).toEqual({ ADDRESS_LINE1: '12 AMHURST ROAD', POSTCODE: 'E8 2AA' });
    // The outbox row names the link that carried it.
    const rows = await (gateway.services.store.database.db as unknown as Kysely<{ demographic_outbox: { change_id: string; source_system: string; link_method: string; link_made_by: string } }>)
      .selectFrom('demographic_outbox').select(['source_system', 'link_method', 'link_made_by']).where('change_id', '=', result.id).orderBy('source_system').execute();
    expect(rows.map((r) => r.source_system)).toEqual(['IYSS', 'UMIS', 'YOIS']);
    for (const row of rows) expect(row.link_made_by.length).toBeGreaterThan(0);
    const view = await gateway.graphql(PENDING, { id: child.personId }, worker, casework);
    expect(view.body.data.youngPerson.address).toEqual({ line1: '12 Amhurst Road', postcode: 'E8 2AA' });
    const retry = await gateway.graphql(CHANGE, { key, id: child.personId, c: { address: { line1: '12 Amhurst Road', postcode: 'e8 2aa' } } }, worker, casework);
    expect(retry.body.data.changeDemographics).toMatchObject({ id: result.id, replayed: true });
  });

  it('takes only the fields each system accepts: a new forename reaches IYSS and UMIS, not YOIS (names as the courts know them)', async () => {
    const { body } = await gateway.graphql(CHANGE, { key: randomUUID(), id: child.personId, c: { forename: `${child.forename}a` } }, worker, casework);
    expect(body.errors).toBeUndefined();
    expect(body.data.changeDemographics.deliveries.map((d: { system: string; fields: string[] }) => [d.system, d.fields])).toEqual([['IYSS', ['forename']], ['UMIS', ['forename']]]);
    expect((await iyss.selectFrom('tblYoungPerson').select('Forename').where('YoungPersonID', '=', Number(child.iyss)).executeTakeFirstOrThrow()).Forename).toBe(`${child.forename}a`);
  });

  it('with YOIS down, the change waits in the outbox, shows as pending on the person, and is applied after YOIS returns', async () => {
    // YOIS's person table out of reach: every statement on it fails as a real database would.
    await renameTable(yois as never, engine, 'YP_PERSON', 'YP_PERSON_OFFLINE');
    let changeId: string;
    try {
      const { body } = await gateway.graphql(CHANGE, { key: randomUUID(), id: child.personId, c: { address: { line1: '3 Sandringham Road', postcode: 'E8 2LL' } } }, worker, casework);
      // Reading the person's YOIS record failed too: said, without hiding the change that was made.
      expect(body.errors?.map((e) => e.extensions)).toEqual([{ code: 'SOURCE_UNAVAILABLE', source: 'YOIS', reason: 'query failed' }]);
      changeId = body.data.changeDemographics.id;
      const byStatus = Object.fromEntries(body.data.changeDemographics.deliveries.map((d: { system: string; status: string; attempts: number }) => [d.system, [d.status, d.attempts]]));
      expect(byStatus).toEqual({ IYSS: ['APPLIED', 0], UMIS: ['APPLIED', 0], YOIS: ['PENDING', 1] });
      // Rounds keep running, but the retry is not due yet by the gateway's clock; later ones fail while YOIS is away.
      gateway.clock.advance(2_000);
      await waitFor(async () => (await attemptsOf(changeId)) >= 2);
    } finally {
      await renameTable(yois as never, engine, 'YP_PERSON_OFFLINE', 'YP_PERSON');
    }
    const pending = await gateway.graphql(PENDING, { id: child.personId }, worker, casework);
    expect(pending.body.data.youngPerson.pendingChanges).toContainEqual(expect.objectContaining({ system: 'YOIS', recordId: child.yois, status: 'PENDING', fields: ['address'] }));
    // YOIS is back: the next round after the backoff applies it.
    gateway.clock.advance(10 * 60_000);
    await waitFor(async () => (await yois.selectFrom('YP_PERSON').select('POSTCODE').where('PERSON_ID', '=', Number(child.yois)).executeTakeFirstOrThrow()).POSTCODE === 'E8 2LL');
    const after = await gateway.graphql(PENDING, { id: child.personId }, worker, casework);
    const yoisEntries = after.body.data.youngPerson.pendingChanges.filter((d: { system: string }) => d.system === 'YOIS');
    expect(yoisEntries.every((d: { status: string }) => d.status === 'APPLIED')).toBe(true);
    expect((await yois.selectFrom('YP_PERSON').select('ADDRESS_LINE1').where('PERSON_ID', '=', Number(child.yois)).executeTakeFirstOrThrow()).ADDRESS_LINE1).toBe('3 SANDRINGHAM ROAD');
  });

  it('refuses the whole change, SOURCE_UNAVAILABLE, while need to know for UMIS and YOIS cannot be judged; the same key works once it can', async () => {
    // The records stay writable; only the allocations that say whether the worker needs to know are away.
    await renameTable(umis as never, engine, 'client_worker_assignment', 'client_worker_assignment_away');
    await renameTable(yois as never, engine, 'YP_CASE_ALLOCATION', 'YP_CASE_ALLOCATION_AWAY');
    const key = randomUUID();
    const change = { address: { line1: '7 Navarino Road', postcode: 'E8 1AD' } };
    try {
      const { body } = await gateway.graphql(CHANGE, { key, id: child.personId, c: change }, worker, casework);
      // Not a change that quietly reached IYSS alone, looking done.
      expect(body.data?.changeDemographics ?? null).toBeNull();
      expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['SOURCE_UNAVAILABLE']);
      expect((await iyss.selectFrom('tblYoungPerson').select('Postcode').where('YoungPersonID', '=', Number(child.iyss)).executeTakeFirstOrThrow()).Postcode).not.toBe('E8 1AD');
      const pending = await gateway.graphql(PENDING, { id: child.personId }, worker, casework);
      expect(pending.body.data.youngPerson.pendingChanges).toBeNull();
      expect(pending.body.errors?.map((e) => e.extensions?.code)).toContain('SOURCE_UNAVAILABLE');
    } finally {
      await renameTable(umis as never, engine, 'client_worker_assignment_away', 'client_worker_assignment');
      await renameTable(yois as never, engine, 'YP_CASE_ALLOCATION_AWAY', 'YP_CASE_ALLOCATION');
    }
    const { body } = await gateway.graphql(CHANGE, { key, id: child.personId, c: change }, worker, casework);
    expect(body.errors).toBeUndefined();
    expect(body.data.changeDemographics.replayed).toBe(false);
    expect(body.data.changeDemographics.deliveries.map((d: { system: string; status: string }) => [d.system, d.status])).toEqual([['IYSS', 'APPLIED'], ['UMIS', 'APPLIED'], ['YOIS', 'APPLIED']]);
  });

  it('reaches only the systems the caller may write to, and refuses what is not a postcode by field', async () => {
    const tier1 = await gateway.token({ sub: 'u-t1', roles: ['youth_worker'], tier: 1, units: [] });
    const { body } = await gateway.graphql(CHANGE, { key: randomUUID(), id: child.personId, c: { knownAs: 'Mo' } }, tier1);
    expect(body.errors).toBeUndefined();
    expect(body.data.changeDemographics.deliveries.map((d: { system: string }) => d.system)).toEqual(['IYSS']);
    const bad = await gateway.graphql(CHANGE, { key: randomUUID(), id: child.personId, c: { address: { postcode: 'NOT A CODE' } } }, tier1);
    expect(bad.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_VALUE', field: 'change.address.postcode' });
    const hidden = await gateway.graphql(CHANGE, { key: randomUUID(), id: `yp:YOIS:${child.yois}`, c: { knownAs: 'Mo' } }, tier1);
    const nobody = await gateway.graphql(CHANGE, { key: randomUUID(), id: 'P-0000000000', c: { knownAs: 'Mo' } }, tier1);
    expect(hidden.body).toEqual(nobody.body);
    expect(nobody.body.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it('stops travelling along a link once it is rejected, and the outbox still shows what that link carried', async () => {
    const [allocations] = await gateway.services.sources.umis.allocationsByPersonIds([child.umis]);
    const units = Array.isArray(allocations) ? allocations.map((a) => a.unitId) : [];
    const steward = await gateway.token({ sub: 'u-steward', roles: ['data_steward'], tier: 3, units });
    const rejected = await gateway.graphql('mutation($p: ID!, $r: RecordRefInput!) { rejectLink(personId: $p, record: $r, reason: "Different child at the same school") { id } }',
      { p: child.personId, r: { system: 'IYSS', sourceId: child.iyss } }, steward, { 'x-purpose': 'data_quality' });
    expect(rejected.body.errors).toBeUndefined();
    const { body } = await gateway.graphql(CHANGE, { key: randomUUID(), id: child.personId, c: { address: { line1: '40 Kingsland High Street', postcode: 'E8 2JP' } } }, worker, casework);
    expect(body.data.changeDemographics.deliveries.map((d: { system: string }) => d.system)).toEqual(['UMIS', 'YOIS']);
    expect((await iyss.selectFrom('tblYoungPerson').select('Postcode').where('YoungPersonID', '=', Number(child.iyss)).executeTakeFirstOrThrow()).Postcode).not.toBe('E8 2JP');
    // What the rejected link carried before: traceable by the record and the link's method.
    const carried = await (gateway.services.store.database.db as unknown as Kysely<{ demographic_outbox: { source_system: string; source_id: string; link_method: string; status: string } }>)
      .selectFrom('demographic_outbox').select(['link_method', 'status']).where('source_system', '=', 'IYSS').where('source_id', '=', child.iyss).execute();
    expect(carried.length).toBeGreaterThanOrEqual(2);
  });

  async function attemptsOf(changeId: string): Promise<number> {
    const entries = await gateway.services.outbox.byChange(changeId);
    return entries.find((e) => e.system === 'YOIS')!.attempts;
  }
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
