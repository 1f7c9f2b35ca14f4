import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startGatewayOnEngine, type AdminConnection, type GatewayOnEngine } from '../support/gatewayOnEngine';
import type { TestGateway } from '../support/startTestGateway';
import { rejectionMessage } from '../support/rejectionMessage';
import { testEngines } from '../support/testDatabases';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const STATUS = '{ auditChainStatus { events firstBrokenSeq reason } }';
const VIEW = 'query($id: ID!) { youngPerson(id: $id) { id forename surname dateOfBirth } }';
const RENAME = `mutation Rename($key: String!, $id: ID!, $knownAs: String!) {
  changeDemographics(idempotencyKey: $key, personId: $id, change: { knownAs: $knownAs }) { id deliveries { system status } } }`;

/** `npm run audit:verify` against a store, as an auditor would run it. */
async function verifyCommand(storeUrl: string): Promise<{ code: number; report: unknown }> {
  try {
    const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/cli/verifyAudit.ts'], {
      cwd: ROOT,
      env: { ...process.env, GATEWAY_DB_URL: storeUrl, LOG_LEVEL: 'silent', NODE_ENV: 'test' },
    });
    return { code: 0, report: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, report: JSON.parse(failed.stdout) };
  }
}

describe.each(testEngines())('the audit chain and fail-closed audit over HTTP, store on %s', (engine) => {
  let running: GatewayOnEngine;
  let gateway: TestGateway;
  let admin: AdminConnection;
  let worker: string;
  let auditor: string;
  let personId: string;
  let iyssId: number;
  /** A tier-1 youth worker, who may change a child's IYSS details. */
  let youthWorker: string;
  const knownAsInIyss = async () =>
    (await gateway.databases.iyss.db.selectFrom('tblYoungPerson').select('KnownAs').where('YoungPersonID', '=', iyssId).executeTakeFirstOrThrow()).KnownAs;

  beforeAll(async () => {
    running = await startGatewayOnEngine(engine, { volume: 300 });
    gateway = running.gateway;
    admin = await running.admin();
    worker = await gateway.token({ sub: 'worker-ada', roles: ['practitioner'], tier: 1 });
    auditor = await gateway.token({ sub: 'auditor-ola', roles: ['auditor'], tier: 1, units: [] });
    youthWorker = await gateway.token({ sub: 'youth-worker-bo', roles: ['youth_worker'], tier: 1, units: [] });
    const row = gateway.dataset.iyss.rows.tblYoungPerson.find((r) => r.IsDeleted === 0)!;
    iyssId = row.YoungPersonID;
    personId = await gateway.personIdOf('IYSS', row.YoungPersonID);
  });
  afterAll(async () => {
    await admin.close();
    await running.stop();
  });

  it('verifies an intact chain, and the store refuses to change or delete events', async () => {
    for (let i = 0; i < 4; i++) expect((await gateway.graphql(VIEW, { id: personId }, worker)).body.errors).toBeUndefined();
    const status = await gateway.graphql(STATUS, {}, auditor);
    expect(status.body.data.auditChainStatus).toEqual({ events: expect.any(Number), firstBrokenSeq: null, reason: null });
    expect(status.body.data.auditChainStatus.events).toBeGreaterThanOrEqual(4);
    expect(await rejectionMessage(admin.exec("UPDATE audit_event SET sub = 'someone-else' WHERE seq = 2"))).toMatch(/append-only/);
    expect(await rejectionMessage(admin.exec('DELETE FROM audit_event WHERE seq = 2'))).toMatch(/append-only/);
    expect(await rejectionMessage(admin.exec('DELETE FROM audit_event_person'))).toMatch(/append-only/);
    expect((await gateway.graphql(STATUS, {}, auditor)).body.data.auditChainStatus.firstBrokenSeq).toBeNull();
  });

  it('fails verification at the event someone changed around the triggers, over the API and on the command line', async () => {
    // A database administrator can drop the trigger; the chain still gives them away.
    await admin.exec('DROP TRIGGER audit_event_no_update');
    await admin.exec("UPDATE audit_event SET sub = 'someone-else' WHERE seq = 2");
    const broken = { firstBrokenSeq: 2, reason: 'its content does not match its hash (the event was changed)' };
    expect((await gateway.graphql(STATUS, {}, auditor)).body.data.auditChainStatus).toEqual({ events: 1, ...broken });
    expect(await gateway.services.audit.verify()).toEqual({ events: 1, ...broken });
    expect(await verifyCommand(gateway.services.config.gatewayStoreUrl)).toEqual({ code: 1, report: { events: 1, ...broken } });
    // Put it back and the chain verifies again; then cut an event off the end, and the head gives it away.
    await admin.exec("UPDATE audit_event SET sub = 'worker-ada' WHERE seq = 2");
    expect(await gateway.services.audit.verify()).toEqual({ events: expect.any(Number), firstBrokenSeq: null, reason: null });
    const { events } = await gateway.services.audit.verify();
    await admin.exec('DROP TRIGGER audit_event_no_delete');
    await admin.exec('DROP TRIGGER audit_event_person_no_delete');
    await admin.exec(`DELETE FROM audit_event_person WHERE seq = ${events}`);
    await admin.exec(`DELETE FROM audit_event WHERE seq = ${events}`);
    expect(await gateway.services.audit.verify()).toMatchObject({ events: events - 1, firstBrokenSeq: events, reason: expect.stringMatching(/chain head records/) });
  }, 60_000);

  it('records a mutation before it runs (STARTED, with its root fields), then how it ended, under one request id', async () => {
    const { body } = await gateway.graphql(RENAME, { key: `audit-${engine}-1`, id: personId, knownAs: 'Ade' }, youthWorker);
    expect(body.errors).toBeUndefined();
    expect(await knownAsInIyss()).toBe('Ade');
    const [ended, started] = (await gateway.services.audit.query({ sub: 'youth-worker-bo' }, { first: 2 })).events;
    expect(started).toMatchObject({ outcome: 'STARTED', operation: 'mutation Rename [changeDemographics]', people: [], returned: [], denied: [] });
    expect(ended).toMatchObject({ outcome: 'RETURNED', operation: 'mutation Rename', requestId: started!.requestId });
    expect(ended!.seq).toBeGreaterThan(started!.seq);
    expect(ended!.people.map((p) => p.personId)).toContain(personId);
  });

  it('fails closed: when the audit store refuses writes, the data request returns AUDIT_UNAVAILABLE and no data', async () => {
    const refuseInserts =
      engine === 'mysql'
        ? "CREATE TRIGGER audit_event_refuse_insert BEFORE INSERT ON audit_event FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full'"
        : "CREATE TRIGGER audit_event_refuse_insert BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'disk full'); END";
    await admin.exec(refuseInserts);
    try {
      const before = await gateway.services.audit.query({}, { first: 1 });
      const { status, body } = await gateway.graphql(VIEW, { id: personId }, worker);
      expect(status).toBe(503);
      expect(body).toEqual({
        data: null,
        errors: [
          {
            message: 'Access could not be recorded, so no personal data was returned. Try again; if it persists, quote the x-request-id header.',
            extensions: { code: 'AUDIT_UNAVAILABLE' },
          },
        ],
      });
      expect(JSON.stringify(body)).not.toContain(personId);
      // The same for a search, and for several people at once.
      const search = await gateway.graphql('{ searchYoungPeople(criteria: { postcode: "E8" }, first: 3) { edges { node { id surname } } } }', {}, worker);
      expect(search.body).toEqual({ data: null, errors: [expect.objectContaining({ extensions: { code: 'AUDIT_UNAVAILABLE' } })] });
      // A request that touches no personal data needs no audit, so it still works.
      const info = await gateway.graphql('{ gatewayInfo { version } }', {}, worker);
      expect(info.status).toBe(200);
      expect(info.body.data.gatewayInfo.version).toMatch(/\d+\.\d+\.\d+/);
      expect((await gateway.services.audit.query({}, { first: 1 })).events[0]?.seq).toBe(before.events[0]?.seq);
      // A mutation does not run at all: it could not be recorded before it changed anything.
      const change = await gateway.graphql(RENAME, { key: `audit-${engine}-2`, id: personId, knownAs: 'Unrecorded' }, youthWorker);
      expect(change.status).toBe(503);
      expect(change.body).toEqual({ data: null, errors: [{ message: expect.stringMatching(/nothing was changed/), extensions: { code: 'AUDIT_UNAVAILABLE' } }] });
      expect(await knownAsInIyss()).toBe('Ade');
    } finally {
      await admin.exec('DROP TRIGGER audit_event_refuse_insert');
    }
    const again = await gateway.graphql(VIEW, { id: personId }, worker);
    expect(again.status).toBe(200);
    expect(again.body.data.youngPerson.id).toBe(personId);
  });

  it('loses no event under concurrent load: one event per request, in one unbroken chain', async () => {
    // Start from an intact chain (the previous tests cut its end off on purpose).
    // One caller sends all 120 at once: admission would answer 429 past MAX_REQUESTS_PER_CALLER and 503 after a
    // second's wait, which is not what this test is about (test/http/overload.test.ts is).
    const fresh = await startGatewayOnEngine(engine, { volume: 100, env: { MAX_REQUESTS_PER_CALLER: '200', MAX_QUEUE_WAIT_MS: '60000' } });
    try {
      const token = await fresh.gateway.token({ sub: 'load', roles: ['practitioner'], tier: 1 });
      const id = await fresh.gateway.personIdOf('IYSS', fresh.gateway.dataset.iyss.rows.tblYoungPerson.find((r) => r.IsDeleted === 0)!.YoungPersonID);
      const before = (await fresh.gateway.services.audit.verify()).events;
      const responses = await Promise.all(
        Array.from({ length: 120 }, (_, i) => fresh.gateway.graphql(VIEW, { id }, token, { 'x-request-id': `load-${i}` })),
      );
      expect(responses.every((r) => r.status === 200 && !r.body.errors)).toBe(true);
      expect(await fresh.gateway.services.audit.verify()).toEqual({ events: before + 120, firstBrokenSeq: null, reason: null });
      const page = await fresh.gateway.services.audit.query({ sub: 'load' }, { first: 100 });
      expect(page.totalCount).toBe(120);
      expect(new Set(page.events.map((e) => e.requestId)).size).toBe(100);
    } finally {
      await fresh.stop();
    }
  });
});
