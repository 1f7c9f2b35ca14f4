import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { createDatabase } from '../../adapters/drivers/createDatabase';
import { installSyntheticData } from '../../adapters/synthetic/installSyntheticData';
import type { IyssTables } from '../../adapters/iyss/tables';
import { mintDevelopmentToken } from '../../src/auth/mintToken';
import { createDatabaseOn, mariadbBinary, startPrivateMariadb, type PrivateMariadb } from '../support/privateMariadb';
import { startTestGateway, TEST_SECRET, type GraphQLBody, type TestGateway } from '../support/startTestGateway';

/**
 * IYSS on a MariaDB server of the test's own, which the test stops, hangs (SIGSTOP) and restarts
 * while clients keep asking for a child known to IYSS and UMIS. UMIS, YOIS and DMS stay up (SQLite).
 */
const PRNG_SEED = 4242; // startTestGateway's seed: the IYSS rows here must be the ones it links.
const VOLUME = 200;
const METRICS_TOKEN = 'metrics-token-for-the-fault-test-0123456789';
/** Short timeouts so each fault plays out in a second or two; their order is what production uses. */
const FAST_FAULTS = {
  DB_CONNECT_TIMEOUT_MS: '400',
  DB_ACQUIRE_TIMEOUT_MS: '400',
  DB_STATEMENT_TIMEOUT_MS: '600',
  SOURCE_TIMEOUT_MS: '800',
  REQUEST_DEADLINE_MS: '2000',
  BREAKER_FAILURES: '5',
  BREAKER_HALF_OPEN_MS: '1000',
};
const QUERY = `query($id: ID!) { youngPerson(id: $id) { id forename involvement { system status } contacts { id } } }`;

interface Answer {
  startedAt: number;
  endedAt: number;
  status: number;
  body: GraphQLBody | null;
  requestId: string;
  /** Set when no HTTP answer came (connection refused or reset). */
  networkError?: string;
}

/** `clients` loops asking the same query until stopped. */
function startLoad(url: string, token: string, variables: Record<string, unknown>, clients: number) {
  let running = true;
  const answers: Answer[] = [];
  let sequence = 0;
  const loop = async (client: number) => {
    while (running) {
      const requestId = `fault-${client}-${(sequence += 1)}`;
      const startedAt = Date.now();
      try {
        const response = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId, 'x-purpose': 'allocated_casework' },
          body: JSON.stringify({ query: QUERY, variables }),
        });
        answers.push({ startedAt, endedAt: Date.now(), status: response.status, body: (await response.json()) as GraphQLBody, requestId });
      } catch (error) {
        answers.push({ startedAt, endedAt: Date.now(), status: 0, body: null, requestId, networkError: String((error as Error).cause ?? error) });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const loops = Array.from({ length: clients }, (_, i) => loop(i));
  return {
    answers,
    async stop(): Promise<Answer[]> {
      running = false;
      await Promise.all(loops);
      return answers;
    },
  };
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 8_000): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hasContacts = (answer: Answer) => Array.isArray(answer.body?.data?.youngPerson?.contacts);

/** The child is never lost: UMIS's answer is there, and IYSS's part is either there or null with SOURCE_UNAVAILABLE naming IYSS. */
function expectOnlyIyssLost(answers: Answer[]): void {
  for (const answer of answers) {
    expect({ requestId: answer.requestId, status: answer.status }).toEqual({ requestId: answer.requestId, status: 200 });
    const person = answer.body!.data.youngPerson;
    expect(person.forename).toEqual(expect.any(String));
    expect(person.involvement).toContainEqual({ system: 'UMIS', status: 'KNOWN' });
    const errors = answer.body!.errors ?? [];
    // Any error names IYSS; an IYSS call can fail while another in the same request succeeds (a fault starting or ending).
    expect(errors.filter((e) => !(e.extensions?.code === 'SOURCE_UNAVAILABLE' && e.extensions?.source === 'IYSS'))).toEqual([]);
    if (!hasContacts(answer)) {
      expect(person.contacts).toBeNull();
      expect(errors.map((e) => e.path?.join('.'))).toContain('youngPerson.contacts');
    }
  }
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

// Skipped only where neither a mariadbd binary nor MYSQL_URL exists: the faults need a real MariaDB server.
const describeWithMariadb = mariadbBinary() || process.env.MYSQL_URL ? describe : describe.skip;

describeWithMariadb('a MariaDB-backed source stopped, hung and restarted under load', () => {
  let server: PrivateMariadb;
  let iyssUrl: string;
  let gateway: TestGateway;
  let personId: string;
  let token: string;

  beforeAll(async () => {
    server = await startPrivateMariadb();
    iyssUrl = await createDatabaseOn(server, 'iyss');
    const iyss = createDatabase<IyssTables>(iyssUrl);
    await installSyntheticData({ iyss }, undefined, { prngSeed: PRNG_SEED, volume: VOLUME });
    await iyss.close();
    gateway = await startTestGateway({ volume: VOLUME, urls: { IYSS_DB_URL: iyssUrl }, env: { ...FAST_FAULTS, METRICS_TOKEN } });
    const iyssKeys = new Set(gateway.dataset.iyss.truth.map((t) => t.personKey));
    for (const record of gateway.dataset.umis.truth.filter((t) => iyssKeys.has(t.personKey))) {
      const id = await gateway.personIdOf('UMIS', record.sourceId);
      const [person] = await gateway.services.persons.personsByIds([id]);
      if (person && !(person instanceof Error) && person.records.some((r) => r.system === 'IYSS')) {
        personId = id;
        break;
      }
    }
    expect(personId).toBeDefined();
    token = await gateway.token({ sub: 'u-fault', roles: ['practitioner'], tier: 2 });
  }, 60_000);

  afterAll(async () => {
    await gateway?.stop();
    await server?.destroy();
  });

  const breaker = () => gateway.services.breakers.IYSS.state();
  const metric = async (pattern: RegExp) => {
    const text = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    return pattern.exec(text)?.[1];
  };

  it('stopped, then refusing: only IYSS fields go null; the breaker opens, and closes again once it is back, without a restart', async () => {
    const load = startLoad(gateway.url, token, { id: personId }, 6);
    let stopped = false;
    try {
      await until('a first answer with IYSS contacts', () => load.answers.some(hasContacts));
      stopped = true;
      await server.stop();
      const openedAt = await until('the IYSS breaker to open', () => breaker() === 'open');
      expect(await metric(/^gateway_source_breaker_state\{source="IYSS"\} (\d)$/m)).toBe('2');
      const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as { status: string; sources: { IYSS: { breaker: string; status: string } } };
      expect(ready).toMatchObject({ status: 'ready', sources: { IYSS: { status: 'unavailable', breaker: expect.stringMatching(/^(open|half_open)$/) } } });
      await sleep(500); // refused connections, breaker open
      await server.start();
      stopped = false;
      const backAt = Date.now();
      await until('IYSS contacts again', () => load.answers.some((a) => a.startedAt > backAt && hasContacts(a)));
      await until('the IYSS breaker to close', () => breaker() === 'closed');
      const answers = await load.stop();

      expectOnlyIyssLost(answers);
      const lost = answers.filter((a) => !hasContacts(a));
      expect(lost.length).toBeGreaterThan(5);
      // While the breaker was open, IYSS was not asked at all: no answer waited for a connection attempt.
      const whileOpen = answers.filter((a) => a.startedAt > openedAt + 50 && a.endedAt < backAt);
      expect(whileOpen.length).toBeGreaterThan(10);
      const ms = whileOpen.map((a) => a.endedAt - a.startedAt);
      if (process.env.FAULT_STATS) console.log('stopped', { n: answers.length, lost: lost.length, whileOpen: whileOpen.length, p50: percentile(ms, 50), p90: percentile(ms, 90) });
      expect(percentile(ms, 90)).toBeLessThan(800);
      expect(Number(await metric(/^gateway_source_calls_total\{source="IYSS",outcome="breaker_open"\} (\d+)$/m))).toBeGreaterThan(0);
      const readyAgain = (await (await fetch(`${gateway.url}/readyz`)).json()) as { sources: { IYSS: unknown } };
      expect(readyAgain.sources.IYSS).toEqual({ status: 'ok', breaker: 'closed' });
    } finally {
      await load.stop();
      if (stopped) await server.start();
    }
  });

  it('hung (SIGSTOP): answers keep coming within the request deadline, fast once the breaker opens, and IYSS is back after SIGCONT', async () => {
    const load = startLoad(gateway.url, token, { id: personId }, 6);
    await until('a first answer with IYSS contacts', () => load.answers.some(hasContacts));
    const hungAt = Date.now();
    server.hang();
    let resumed = false;
    try {
      const openedAt = await until('the IYSS breaker to open', () => breaker() === 'open');
      const iyssCalls = async (outcome: string) => Number((await metric(new RegExp(`^gateway_source_calls_total\\{source="IYSS",outcome="${outcome}"\\} (\\d+)$`, 'm'))) ?? 0);
      const [errorsAtOpen, fastAtOpen] = [await iyssCalls('error'), await iyssCalls('breaker_open')];
      // At least one half-open trial against the hung server (after 1 s), and enough answers to judge.
      await sleep(1_200);
      await until('20 answers with the breaker open', () => load.answers.filter((a) => a.startedAt > openedAt + 50).length >= 20, 15_000);
      const [errorsAtResume, fastAtResume] = [await iyssCalls('error'), await iyssCalls('breaker_open')];
      const openMs = Date.now() - openedAt;
      server.resume();
      resumed = true;
      const resumedAt = Date.now();
      await until('IYSS contacts again', () => load.answers.some((a) => a.startedAt > resumedAt && hasContacts(a)), 10_000);
      const answers = await load.stop();

      expectOnlyIyssLost(answers);
      const duringHang = answers.filter((a) => a.startedAt >= hungAt && a.startedAt < resumedAt);
      const afterOpen = duringHang.filter((a) => a.startedAt > openedAt + 50 && a.endedAt < resumedAt);
      const ms = afterOpen.map((a) => a.endedAt - a.startedAt);
      const before = answers.filter((a) => a.endedAt < hungAt).map((a) => a.endedAt - a.startedAt);
      if (process.env.FAULT_STATS) {
        console.log('hung', { baselineP50: percentile(before, 50), afterOpen: afterOpen.length, p50: percentile(ms, 50), p90: percentile(ms, 90), max: Math.max(...duringHang.map((a) => a.endedAt - a.startedAt)), openAfterMs: openedAt - hungAt, triedWhileOpen: errorsAtResume - errorsAtOpen, failedFast: fastAtResume - fastAtOpen });
      }
      // Nobody waits on IYSS beyond the request's 2 s deadline (1 s more allowed for a loaded machine).
      expect(Math.max(...duringHang.map((a) => a.endedAt - a.startedAt))).toBeLessThan(3_000);
      // With the breaker open IYSS is not asked: every answer failed fast at least once, and the only
      // calls that reached the hung server are those already under way (6 clients x 3 slots) and one trial a second.
      expect(fastAtResume - fastAtOpen).toBeGreaterThanOrEqual(afterOpen.length);
      expect(errorsAtResume - errorsAtOpen).toBeLessThanOrEqual(18 + Math.ceil(openMs / 1_000));
      // A hung attempt costs 800 ms (SOURCE_TIMEOUT_MS); most answers do not wait for one.
      expect(percentile(ms, 50)).toBeLessThan(800);
    } finally {
      if (!resumed) server.resume();
      await load.stop();
    }
  });
});

describeWithMariadb('SIGTERM to the real server process under load', () => {
  let server: PrivateMariadb;
  let dataDir: string;

  beforeAll(async () => {
    server = await startPrivateMariadb();
    const url = await createDatabaseOn(server, 'iyss');
    const iyss = createDatabase<IyssTables>(url);
    await installSyntheticData({ iyss }, undefined, { prngSeed: PRNG_SEED, volume: 100 });
    await iyss.close();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-sigterm-'));
  }, 60_000);

  afterAll(async () => {
    await server?.destroy();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('drains the requests in flight, audits every answered read, closes every pool and exits 0', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'info',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        AUTH_JWT_SECRET: TEST_SECRET,
        IYSS_DB_URL: server.url('iyss'),
        GATEWAY_DB_URL: '',
        SEED_PRNG_SEED: String(PRNG_SEED),
        SEED_VOLUME: '100',
        ...FAST_FAULTS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
    try {
      const url = `http://127.0.0.1:${port}`;
      // Startup compiles TypeScript with tsx: on a loaded 2-core machine that alone can take most of a minute.
      await until('the gateway to listen', async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok === true, 100_000).catch((error: Error) => {
        throw new Error(`${error.message}; its log:\n${log.slice(-4_000)}`);
      });
      const token = await mintDevelopmentToken(TEST_SECRET, { sub: 'u-drain', name: 'Drain Test', roles: ['practitioner'], tier: 1, units: ['CU1'] });
      const load = startLoad(url, token, { id: 'yp:IYSS:10001' }, 8);
      await until('answers', () => load.answers.filter((a) => a.status === 200).length >= 16, 20_000);
      // Hold IYSS so that every client's request is surely in flight when the signal comes.
      server.hang();
      await sleep(200);
      const signalledAt = Date.now();
      child.kill('SIGTERM');
      await sleep(300);
      server.resume();
      const { code, at } = await exited;
      const answers = await load.stop();

      expect({ code, log: code === 0 ? '' : log }).toEqual({ code: 0, log: '' });
      expect(at - signalledAt).toBeLessThan(3_000);
      expect(log).toContain('"msg":"stopped"');
      const inFlight = answers.filter((a) => a.startedAt < signalledAt && a.endedAt > signalledAt);
      expect(inFlight.length).toBeGreaterThanOrEqual(6);
      // Drained: each got its full answer (IYSS's part may be SOURCE_UNAVAILABLE, IYSS was held), none a reset.
      expect(inFlight.map((a) => [a.status, a.networkError ?? null])).toEqual(inFlight.map(() => [200, null]));
      expect(inFlight.every((a) => a.body?.data && 'youngPerson' in a.body.data)).toBe(true);
      const served = answers.filter((a) => a.status === 200);
      const store = new SqliteDatabase(path.join(dataDir, 'gateway.db'), { readonly: true });
      const audited = new Set((store.prepare('SELECT request_id FROM audit_event').all() as Array<{ request_id: string }>).map((row) => row.request_id));
      store.close();
      expect(served.filter((a) => !audited.has(a.requestId))).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      server.resume();
    }
  }, 150_000);
});
