import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readCheckpoints } from '../../src/audit/auditCheckpoints';
import { startGatewayOnEngine, type AdminConnection, type GatewayOnEngine } from '../support/gatewayOnEngine';
import { TEST_SECRET, type TestGateway } from '../support/startTestGateway';
import { testEngines } from '../support/testDatabases';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const STATUS = '{ auditChainStatus { events firstBrokenSeq reason } }';
const VIEW = 'query($id: ID!) { youngPerson(id: $id) { id forename surname } }';
/** The development checkpoint key the test gateway derives from its JWT secret (no AUDIT_CHECKPOINT_SECRET set). */
const CHECKPOINT_SECRET = `audit-checkpoints:${TEST_SECRET}`;

interface VerifyReport {
  events: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  checkpoints?: { verified: number; latestSeq: number; rejected: Array<{ file: string; line: number }> };
}

/** `npm run audit:verify [-- --checkpoints <file>]`, as an auditor runs it, with the gateway's settings. */
async function verifyCommand(storeUrl: string, checkpointFiles: string[]): Promise<{ code: number; report: VerifyReport }> {
  const args = ['src/cli/verifyAudit.ts', ...checkpointFiles.flatMap((file) => ['--checkpoints', file])];
  const env = { ...process.env, GATEWAY_DB_URL: storeUrl, AUTH_JWT_SECRET: TEST_SECRET, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
  try {
    const { stdout } = await run(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, env });
    return { code: 0, report: JSON.parse(stdout) as VerifyReport };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, report: JSON.parse(failed.stdout) as VerifyReport };
  }
}

async function waitFor<T>(probe: () => T | null | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(testEngines())('signed audit checkpoints outside the store catch a truncated tail with the head rewritten, store on %s', (engine) => {
  let running: GatewayOnEngine;
  let gateway: TestGateway;
  let admin: AdminConnection;
  let dir: string;
  let checkpointFile: string;
  let auditor: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-checkpoints-'));
    checkpointFile = path.join(dir, 'checkpoints.jsonl');
    running = await startGatewayOnEngine(engine, {
      volume: 100,
      env: { AUDIT_CHECKPOINT_FILE: checkpointFile, AUDIT_CHECKPOINT_INTERVAL_MS: '100' },
    });
    gateway = running.gateway;
    admin = await running.admin();
    auditor = await gateway.token({ sub: 'auditor-ola', roles: ['auditor'], tier: 1, units: [] });
  });
  afterAll(async () => {
    await admin.close();
    await running.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('detects the tampering the chain alone cannot, on the command line and over the API', async () => {
    const worker = await gateway.token({ sub: 'worker-ada', roles: ['practitioner'], tier: 1 });
    const row = gateway.dataset.iyss.rows.tblYoungPerson.find((r) => r.IsDeleted === 0)!;
    const personId = await gateway.personIdOf('IYSS', row.YoungPersonID);
    for (let i = 0; i < 6; i++) expect((await gateway.graphql(VIEW, { id: personId }, worker)).body.errors).toBeUndefined();
    const { events } = await gateway.services.audit.verify();
    expect(events).toBeGreaterThanOrEqual(6);

    // The gateway writes a signed checkpoint of the chain's end within its interval: to the file and to the log.
    const anchored = await waitFor(() => {
      const text = fs.existsSync(checkpointFile) ? fs.readFileSync(checkpointFile, 'utf8') : '';
      return readCheckpoints(text, CHECKPOINT_SECRET).checkpoints.find((checkpoint) => checkpoint.seq === events);
    });
    const intact = await verifyCommand(gateway.services.config.gatewayStoreUrl, [checkpointFile]);
    expect(intact).toEqual({
      code: 0,
      report: { events, firstBrokenSeq: null, reason: null, checkpoints: { verified: expect.any(Number), latestSeq: events, rejected: [] } },
    });

    // Behind the gateway's back: drop the triggers, cut the last three events off, and rewrite the head to match.
    const keep = events - 3;
    const [kept] = (await gateway.services.audit.query({}, { first: 1, beforeSeq: keep + 1 })).events;
    expect(kept!.seq).toBe(keep);
    await admin.exec('DROP TRIGGER audit_event_no_delete');
    await admin.exec('DROP TRIGGER audit_event_person_no_delete');
    await admin.exec(`DELETE FROM audit_event_person WHERE seq > ${keep}`);
    await admin.exec(`DELETE FROM audit_event WHERE seq > ${keep}`);
    await admin.exec(`UPDATE audit_chain_head SET last_seq = ${keep}, last_hash = '${kept!.hash}' WHERE id = 1`);

    // The chain alone is consistent again: without the checkpoints, verification passes.
    const fooled = await verifyCommand(gateway.services.config.gatewayStoreUrl, []);
    expect(fooled).toEqual({ code: 0, report: { events: keep, firstBrokenSeq: null, reason: null } });

    // With them, it fails and says what happened.
    const caught = await verifyCommand(gateway.services.config.gatewayStoreUrl, [checkpointFile]);
    expect(caught.code).toBe(1);
    expect(caught.report).toMatchObject({ events: keep, firstBrokenSeq: keep + 1 });
    expect(caught.report.reason).toMatch(new RegExp(`signed checkpoint of .* records event ${anchored.seq}, but the chain ends at event ${keep} \\(events were removed from the end and the head rewritten\\)`));

    // The gateway reads its own checkpoint file too: the auditor's status over the API says the same.
    const status = await gateway.graphql(STATUS, {}, auditor);
    expect(status.body.data.auditChainStatus).toMatchObject({ firstBrokenSeq: keep + 1, reason: expect.stringMatching(/events were removed from the end/) });
  }, 60_000);

  it('refuses a checkpoint written without the key (a forged or edited line)', async () => {
    const forged = path.join(dir, 'forged.jsonl');
    const [real] = readCheckpoints(fs.readFileSync(checkpointFile, 'utf8'), CHECKPOINT_SECRET).checkpoints;
    fs.writeFileSync(forged, `${JSON.stringify({ ...real, seq: real!.seq + 1 })}\n`); // moved on by one event, signature kept
    const { code, report } = await verifyCommand(gateway.services.config.gatewayStoreUrl, [forged]);
    expect(code).toBe(1);
    expect(report.checkpoints).toEqual({ verified: 0, latestSeq: 0, rejected: [{ file: forged, line: 1 }] });
  }, 30_000);

  it('accepts the gateway log as it is: its "audit checkpoint" lines are the same signed checkpoints', () => {
    const lines = fs.readFileSync(checkpointFile, 'utf8').trim().split('\n');
    const asLog = lines.map((line) => JSON.stringify({ level: 30, msg: 'audit checkpoint', requestId: undefined, ...JSON.parse(line) })).join('\n');
    const noise = JSON.stringify({ level: 30, msg: 'graphql request', status: 200 });
    const read = readCheckpoints(`${noise}\n${asLog}\n${noise}\n`, CHECKPOINT_SECRET);
    expect(read.rejectedLines).toEqual([]);
    expect(read.checkpoints).toHaveLength(lines.length);
  });
});
