import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { installSyntheticData, type SyntheticDataset } from '../../adapters/synthetic/installSyntheticData';
import { mintDevelopmentToken, type DevelopmentTokenClaims } from '../../src/auth/mintToken';
import { loadConfig } from '../../src/config/config';
import { openSourceDatabases } from '../../src/server/createServices';
import { startGatewayProcess, startRoundRobinProxy, type GatewayProcess } from '../support/gatewayProcess';
import { TEST_SECRET, type GraphQLBody } from '../support/startTestGateway';
import { createScratchMysqlDatabase } from '../support/testDatabases';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const POLICY_REFRESH_MS = 500;
const VIEW = 'query($id: ID!) { youngPerson(id: $id) { id forename surname } }';
const CONTACTS = 'query($id: ID!) { youngPerson(id: $id) { id contacts { contactType } } }';
const OFFENCES = 'query($id: ID!) { youngPerson(id: $id) { id offences { id offenceCode } } }';

async function graphql(url: string, query: string, variables: Record<string, unknown>, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

const token = (claims: Partial<DevelopmentTokenClaims> & { sub: string }) =>
  mintDevelopmentToken(TEST_SECRET, { name: claims.sub, roles: ['practitioner'], tier: 1, units: [], ...claims });

/**
 * Two gateway processes on one MariaDB gateway store, behind one port: nothing a replica needs is
 * kept only in another's memory. Runs when MYSQL_URL is set (a SQLite store is one process's).
 */
const describeOnMariaDb = process.env.MYSQL_URL ? describe : describe.skip;

describeOnMariaDb('two gateway replicas on one MariaDB store behind one port', () => {
  let dir: string;
  let dropSources: () => Promise<void>;
  let dropStore: () => Promise<void>;
  let storeUrl: string;
  let replicas: GatewayProcess[] = [];
  let proxy: { url: string; close(): Promise<void> };
  let dataset: SyntheticDataset;
  let checkpointFiles: string[];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replicas-'));
    const sources = await createScratchMysqlDatabase('replica_sources');
    const store = await createScratchMysqlDatabase('replica_store');
    dropSources = sources.drop;
    dropStore = store.drop;
    storeUrl = store.url;
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      AUTH_JWT_SECRET: TEST_SECRET,
      DATA_DIR: dir,
      IYSS_DB_URL: sources.url,
      UMIS_DB_URL: sources.url,
      YOIS_DB_URL: sources.url,
      DMS_DB_URL: sources.url,
      DMS_FILES_DIR: path.join(dir, 'dms-files'),
      // The load test below sends 20 at a time as one caller; the per-caller admission limit (10) is not what it tests.
      MAX_REQUESTS_PER_CALLER: '100',
      GATEWAY_DB_URL: store.url,
      SEED_ON_START: 'false',
      POLICY_REFRESH_MS: String(POLICY_REFRESH_MS),
      AUDIT_CHECKPOINT_INTERVAL_MS: '200',
      SHUTDOWN_GRACE_MS: '1000',
    };
    // The legacy systems, seeded once; the gateway store is left empty for the replicas to create.
    const databases = openSourceDatabases(loadConfig(env));
    dataset = await installSyntheticData(databases, databases.files, { prngSeed: 4242, volume: 300 });
    await Promise.all([databases.iyss, databases.umis, databases.yois, databases.dms].map((database) => database.close()));

    checkpointFiles = [1, 2].map((n) => path.join(dir, `checkpoints-r${n}.jsonl`));
    // Both start at the same moment on the empty store: they must not race on creating tables or on the first match.
    replicas = await Promise.all(checkpointFiles.map((file) => startGatewayProcess({ ...env, AUDIT_CHECKPOINT_FILE: file })));
    proxy = await startRoundRobinProxy(replicas.map((replica) => replica.port));
  }, 240_000);

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await dropSources?.();
    await dropStore?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('both start together on an empty store: tables created once, the first match run once', async () => {
    for (const replica of replicas) {
      expect(replica.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    }
    const connection = await mysql.createConnection({ uri: storeUrl });
    try {
      const [[links]] = (await connection.query(
        'SELECT COUNT(*) AS n, COUNT(DISTINCT source_system, source_id) AS records FROM identity_link WHERE active = 1',
      )) as unknown as [[{ n: number; records: number }]];
      // Every record linked to exactly one person: a second full match would have linked each again.
      expect(Number(links.n)).toBe(Number(links.records));
      expect(Number(links.records)).toBeGreaterThan(300);
      const [policies] = (await connection.query('SELECT version FROM policy_version')) as unknown as [Array<{ version: number }>];
      expect(policies.map((p) => Number(p.version))).toEqual([1]);
    } finally {
      await connection.end();
    }
  });

  it('keeps one unbroken audit chain with both replicas writing under load', async () => {
    const worker = await token({ sub: 'load-worker' });
    const ids = dataset.iyss.rows.tblYoungPerson.filter((row) => row.IsDeleted === 0).map((row) => `yp:IYSS:${row.YoungPersonID}`);
    const REQUESTS = 200;
    const CONCURRENCY = 20;
    let sent = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < REQUESTS) {
          const id = ids[sent % ids.length]!;
          sent += 1;
          const { status, body } = await graphql(proxy.url, VIEW, { id }, worker);
          expect(body.errors).toBeUndefined();
          statuses.push(status);
        }
      }),
    );
    expect(statuses).toHaveLength(REQUESTS);
    expect(new Set(statuses)).toEqual(new Set([200]));

    const connection = await mysql.createConnection({ uri: storeUrl });
    let rows: Array<{ seq: number; request_id: string }>;
    try {
      [rows] = (await connection.query("SELECT seq, request_id FROM audit_event WHERE sub = 'load-worker' ORDER BY seq")) as unknown as [
        Array<{ seq: number; request_id: string }>,
      ];
    } finally {
      await connection.end();
    }
    // One event per request, half written by each replica, interleaved in one sequence.
    expect(rows).toHaveLength(REQUESTS);
    const byReplica = rows.map((row) => row.request_id.split('-')[0]);
    expect(byReplica.filter((r) => r === 'r1')).toHaveLength(REQUESTS / 2);
    expect(byReplica.filter((r) => r === 'r2')).toHaveLength(REQUESTS / 2);
    const switches = byReplica.filter((r, i) => i > 0 && r !== byReplica[i - 1]).length;
    expect(switches).toBeGreaterThan(20);

    // The auditor's check over the API (through either replica) and on the command line with both replicas' checkpoints.
    const auditor = await token({ sub: 'auditor-ola', roles: ['auditor'] });
    for (const replica of replicas) {
      const { body } = await graphql(replica.url, '{ auditChainStatus { events firstBrokenSeq reason } }', {}, auditor);
      expect(body.data.auditChainStatus).toMatchObject({ firstBrokenSeq: null, reason: null });
      expect(body.data.auditChainStatus.events).toBeGreaterThanOrEqual(REQUESTS);
    }
    // Each replica has anchored its own writes outside the store by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { stdout } = await run(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['src/cli/verifyAudit.ts', ...checkpointFiles.flatMap((file) => ['--checkpoints', file])],
      { cwd: ROOT, env: { ...process.env, GATEWAY_DB_URL: storeUrl, AUTH_JWT_SECRET: TEST_SECRET, NODE_ENV: 'test' } },
    );
    const report = JSON.parse(stdout) as { events: number; firstBrokenSeq: null; checkpoints: { verified: number; latestSeq: number } };
    expect(report).toMatchObject({ firstBrokenSeq: null, reason: null, checkpoints: { rejected: [] } });
    expect(report.checkpoints.verified).toBeGreaterThanOrEqual(2);
    expect(report.checkpoints.latestSeq).toBeGreaterThanOrEqual(rows.at(-1)!.seq);
  }, 120_000);

  it('a policy approved on one replica applies on the other within the refresh interval', async () => {
    const [one, two] = replicas as [GatewayProcess, GatewayProcess];
    const alice = await token({ sub: 'officer-alice', roles: ['security_officer'], tier: 0 });
    const bob = await token({ sub: 'officer-bob', roles: ['security_officer'], tier: 0 });
    const youthWorker = await token({ sub: 'yw-kemi', roles: ['youth_worker'] });
    const id = `yp:IYSS:${dataset.iyss.rows.tblYoungPerson.find((row) => row.IsDeleted === 0)!.YoungPersonID}`;
    expect((await graphql(two.url, CONTACTS, { id }, youthWorker)).body.errors).toBeUndefined();

    const active = (await graphql(one.url, '{ activePolicy { document } }', {}, alice)).body.data.activePolicy.document as string;
    const policy = JSON.parse(active) as { roles: Record<string, { denies?: string[] }> };
    policy.roles.youth_worker!.denies = [...(policy.roles.youth_worker!.denies ?? []), 'YoungPerson.contacts'];
    const proposed = await graphql(
      one.url,
      'mutation($d: String!, $r: String!) { proposePolicy(document: $d, reason: $r) { version } }',
      { d: JSON.stringify(policy), r: 'Contact notes for casework staff only' },
      alice,
    );
    const version = proposed.body.data.proposePolicy.version as number;
    const approved = await graphql(one.url, 'mutation($v: Int!) { approvePolicy(version: $v, reason: "Agreed") { status } }', { v: version }, bob);
    expect(approved.body.data.approvePolicy.status).toBe('ACTIVE');
    const approvedAt = performance.now();

    // Replica one applies it at once; replica two by its next refresh.
    expect((await graphql(one.url, CONTACTS, { id }, youthWorker)).body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    let appliedAfterMs = Number.POSITIVE_INFINITY;
    while (performance.now() - approvedAt < POLICY_REFRESH_MS * 6) {
      const { body } = await graphql(two.url, CONTACTS, { id }, youthWorker);
      if (body.errors?.[0]?.extensions?.code === 'FORBIDDEN') {
        appliedAfterMs = performance.now() - approvedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(appliedAfterMs).toBeLessThan(POLICY_REFRESH_MS + 500);
    const info = await graphql(two.url, '{ gatewayInfo { policyVersion } }', {}, youthWorker);
    expect(info.body.data.gatewayInfo.policyVersion).toBe(version);
  }, 60_000);

  it('a break-glass grant opened on one replica is honoured on the other at once', async () => {
    const [one, two] = replicas as [GatewayProcess, GatewayProcess];
    const withOffences = new Set(dataset.yois.rows.YP_OFFENCE.filter((o) => o.DELETED_FLAG === 'N').map((o) => String(o.PERSON_ID)));
    const record = dataset.yois.truth.find((t) => withOffences.has(t.sourceId))!;
    const id = `yp:YOIS:${record.sourceId}`;
    const worker = await token({ sub: 'worker-bo', roles: ['practitioner'], tier: 3, units: ['CU-OTHER'] });
    const emergency = { 'x-purpose': 'emergency' };

    const before = await graphql(two.url, OFFENCES, { id }, worker, emergency);
    expect(before.body.data.youngPerson.offences).toBeNull();
    expect(before.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });

    const personId = before.body.data.youngPerson.id as string;
    const opened = await graphql(
      one.url,
      'mutation($id: ID!) { openBreakGlass(personId: $id, reason: "Reported missing overnight; checking known associates", minutes: 30) { id } }',
      { id: personId },
      worker,
    );
    expect(opened.body.errors).toBeUndefined();
    const grantId = opened.body.data.openBreakGlass.id as string;

    const during = await graphql(two.url, OFFENCES, { id }, worker, { ...emergency, 'x-request-id': 'glass-on-r2' });
    expect(during.body.errors).toBeUndefined();
    expect(during.body.data.youngPerson.offences.length).toBeGreaterThan(0);
    // Replica two audited the read under the grant replica one opened.
    const auditor = await token({ sub: 'auditor-ola', roles: ['auditor'] });
    const trail = await graphql(one.url, 'query($g: ID!) { auditTrail(breakGlassId: $g, first: 5) { edges { node { requestId breakGlassIds } } } }', { g: grantId }, auditor);
    expect(trail.body.data.auditTrail.edges.map((e: { node: { requestId: string } }) => e.node.requestId)).toContain('glass-on-r2');
  }, 60_000);
});
