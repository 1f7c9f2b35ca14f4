/**
 * Benchmark: the gateway against its SQL floor, side by side in one run, on SQLite and on MariaDB when
 * MYSQL_URL is set. Not part of `npm test`.
 *
 *   npm run bench                                             # SQLite
 *   MYSQL_URL=mysql://root@127.0.0.1:3306/test npm run bench  # SQLite and MariaDB
 *   BENCH_QUICK=1 npm run bench                               # a few minutes: 3 short rounds
 *   BENCH_ENGINES=mysql BENCH_VOLUME=20000 BENCH_ROUNDS=7 BENCH_SECONDS=5 npm run bench
 *   BENCH_WORKLOADS=500-person,typename npm run bench         # only workloads whose names contain these
 *
 * The servers run in their own process (test/bench/benchServers.ts); this process only generates load
 * with autocannon. Per engine and workload it runs, in interleaved rounds (the order rotates each
 * round): the gateway; the SQL floor (test/bench/floor.ts, its output checked equal to the gateway's);
 * the gateway with authorization off; the gateway with DataLoader batching off; and for `{__typename}`
 * a bare Apollo Server. Ratios are taken within each round and their median reported, so a noisy
 * moment on the machine moves both sides of a ratio. Also: SQL statements per request (each of several
 * single requests counted, to show whether it is constant), peak RSS of the server process, and audit
 * events written against personal-data responses served (must be equal).
 *
 * Prints one JSON document, then a table.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import type { SetupMessage, StatsMessage, Target } from './benchServers';
import type { BenchWorkload } from './workloads';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 3 : 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 1 : 4));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const VOLUME = Number(process.env.BENCH_VOLUME ?? 2_000);
const ENGINES = (process.env.BENCH_ENGINES?.split(',') ?? (process.env.MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'])) as Array<'sqlite' | 'mysql'>;
const STATEMENT_SAMPLES = 5;

const TARGETS: readonly Target[] = ['gateway', 'floor', 'noAuthz', 'noBatch', 'bareApollo'];

interface Measurement {
  p50Ms: number;
  meanMs: number;
  p99Ms: number;
  requestsPerSecond: number;
  requests: number;
  non2xx: number;
  errors: number;
  statementsPerRequest: number | null;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const r2 = (n: number) => Math.round(n * 100) / 100;
const r1 = (n: number) => Math.round(n * 10) / 10;

class Servers {
  private waiting: Array<(message: StatsMessage) => void> = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly setup: SetupMessage,
  ) {
    child.on('message', (message: StatsMessage) => {
      if (message.type === 'stats') this.waiting.shift()?.(message);
    });
  }

  static start(engine: string): Promise<Servers> {
    const child = fork(path.join(__dirname, 'benchServers.ts'), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_ENGINE: engine, BENCH_VOLUME: String(VOLUME) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
      child.once('message', (message: SetupMessage) => resolve(new Servers(child, message)));
    });
  }

  stats(): Promise<StatsMessage> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.send({ type: 'stats' });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.removeAllListeners('exit');
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' });
    });
  }
}

function request(servers: Servers, target: Target, workload: BenchWorkload) {
  const { urls } = servers.setup;
  if (target === 'floor') return { url: `${urls.floor}/`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(workload.floor) };
  if (target === 'bareApollo') return { url: `${urls.bareApollo}/`, headers: { 'content-type': 'application/json' }, body: workload.body };
  return { url: `${urls[target]}/graphql`, headers: workload.headers, body: workload.body };
}

const targetsOf = (workload: BenchWorkload): Target[] =>
  TARGETS.filter((target) => (target === 'floor' ? workload.floor !== null : target === 'bareApollo' ? Boolean(workload.bareApollo) : true));

async function post(servers: Servers, target: Target, workload: BenchWorkload): Promise<{ status: number; body: { data?: unknown; errors?: unknown[] } }> {
  const { url, headers, body } = request(servers, target, workload);
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

/** One checked request per target: every target must answer the same JSON as the gateway, without errors. */
async function verify(servers: Servers, workload: BenchWorkload): Promise<void> {
  const reference = await post(servers, 'gateway', workload);
  if (reference.status !== 200 || reference.body.errors) {
    throw new Error(`${workload.name}: the gateway answered ${reference.status} ${JSON.stringify(reference.body.errors?.slice(0, 2))}`);
  }
  for (const target of targetsOf(workload)) {
    if (target === 'gateway' || target === 'bareApollo') continue;
    const other = await post(servers, target, workload);
    if (other.status !== 200 || !isDeepStrictEqual(other.body.data, reference.body.data)) {
      const a = JSON.stringify(reference.body.data);
      const b = JSON.stringify(other.body);
      let at = 0;
      while (at < a.length && a[at] === b[at + 8]) at += 1;
      throw new Error(`${workload.name}: ${target} does not answer what the gateway answers (${other.status}); near ${a.slice(Math.max(0, at - 80), at + 80)}\nvs ${b.slice(Math.max(0, at - 72), at + 88)}`);
    }
  }
}

/** SQL statements of single requests, one at a time: whether the count is the same every time. */
async function statementsOf(servers: Servers, target: Target, workload: BenchWorkload, samples: number): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < samples; i++) {
    const before = await servers.stats();
    const response = await post(servers, target, workload);
    if (response.status !== 200) throw new Error(`${workload.name} on ${target}: ${response.status}`);
    const after = await servers.stats();
    counts.push(after.statements - before.statements);
  }
  return counts;
}

async function load(servers: Servers, target: Target, workload: BenchWorkload): Promise<Measurement & { auditEvents: number; okResponses: number }> {
  const { url, headers, body } = request(servers, target, workload);
  const before = await servers.stats();
  const times: number[] = [];
  const run = (limit: { duration: number } | { amount: number }) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, ...limit }, (error, done) =>
        error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done),
      );
      instance.on('response', (_client: unknown, status: number, _bytes: number, responseTime: number) => {
        if (status === 200) times.push(responseTime);
      });
    });
  const startedAt = Date.now();
  let result = await run({ duration: SECONDS });
  // Too slow to answer a request per connection in the time (batching off on a long list): one each, however long.
  if (times.length < CONNECTIONS) result = await run({ amount: CONNECTIONS });
  const seconds = (Date.now() - startedAt) / 1000;
  // Requests autocannon gave up on at the end still finish (and are audited) in the server: wait until the
  // server has answered everything, and count per request over what it answered.
  let after = await servers.stats();
  for (let settled = 0; settled < 2; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await servers.stats();
    settled = now.ok[target] === after.ok[target] && now.statements === after.statements ? settled + 1 : 0;
    after = now;
  }
  times.sort((a, b) => a - b);
  const completed = times.length;
  const answered = target === 'bareApollo' ? completed : (after.ok[target] ?? 0) - (before.ok[target] ?? 0);
  return {
    p50Ms: r2(quantile(times, 0.5)),
    meanMs: r2(times.reduce((a, b) => a + b, 0) / Math.max(1, times.length)),
    p99Ms: r2(quantile(times, 0.99)),
    requestsPerSecond: r1(times.length / seconds),
    requests: completed,
    non2xx: result.non2xx,
    errors: result.errors,
    statementsPerRequest: answered && target !== 'bareApollo' ? r1((after.statements - before.statements) / answered) : null,
    auditEvents: after.auditEvents - before.auditEvents,
    okResponses: answered,
  };
}

interface WorkloadReport {
  workload: string;
  rounds: Array<Partial<Record<Target, Measurement>>>;
  median: Partial<Record<Target, { p50Ms: number; requestsPerSecond: number; statementsPerRequest: number | null }>>;
  ratios: Record<string, number>;
  statementsPerSingleRequest: Partial<Record<Target, number[]>>;
  audit: { personalDataResponses: number; auditEventsWritten: number } | null;
}

async function benchEngine(engine: 'sqlite' | 'mysql') {
  process.stderr.write(`[bench] ${engine}: seeding ${VOLUME} people and starting the servers...\n`);
  const servers = await Servers.start(engine);
  try {
    const only = process.env.BENCH_WORKLOADS?.split(',');
    const workloads = servers.setup.workloads.filter((w) => !only || only.some((name) => w.name.includes(name)));
    for (const workload of workloads) await verify(servers, workload);
    const reports: WorkloadReport[] = [];
    for (const workload of workloads) {
      const statementsPerSingleRequest: WorkloadReport['statementsPerSingleRequest'] = {};
      for (const target of targetsOf(workload)) {
        if (target === 'bareApollo') continue;
        statementsPerSingleRequest[target] = await statementsOf(servers, target, workload, target === 'gateway' ? STATEMENT_SAMPLES : 2);
      }
      reports.push({ workload: workload.name, rounds: [], median: {}, ratios: {}, statementsPerSingleRequest, audit: null });
    }
    const audited: Record<string, { personalDataResponses: number; auditEventsWritten: number }> = {};
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`[bench] ${engine}: round ${round + 1} of ${ROUNDS}\n`);
      for (const [index, workload] of workloads.entries()) {
        const targets = targetsOf(workload);
        // Rotate who goes first, so no target always runs on a warmer (or more tired) process.
        const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
        const measured: Partial<Record<Target, Measurement>> = {};
        for (const target of order) {
          const { auditEvents, okResponses, ...measurement } = await load(servers, target, workload);
          measured[target] = measurement;
          if (target !== 'floor' && target !== 'bareApollo') {
            const entry = (audited[workload.name] ??= { personalDataResponses: 0, auditEventsWritten: 0 });
            if (workload.personalData) entry.personalDataResponses += okResponses;
            entry.auditEventsWritten += auditEvents;
          }
        }
        reports[index]!.rounds.push(measured);
      }
    }
    for (const [index, workload] of workloads.entries()) {
      const report = reports[index]!;
      for (const target of targetsOf(workload)) {
        const of = report.rounds.map((round) => round[target]!);
        report.median[target] = {
          p50Ms: r2(median(of.map((m) => m.p50Ms))),
          requestsPerSecond: r1(median(of.map((m) => m.requestsPerSecond))),
          statementsPerRequest: of[0]!.statementsPerRequest === null ? null : r1(median(of.map((m) => m.statementsPerRequest!))),
        };
      }
      const ratio = (name: string, value: (round: Partial<Record<Target, Measurement>>) => number) => {
        report.ratios[name] = r2(median(report.rounds.map(value)));
      };
      if (workload.floor) ratio('p50 gateway / floor', (r) => r.gateway!.p50Ms / r.floor!.p50Ms);
      ratio('p50 gateway / authorization off', (r) => r.gateway!.p50Ms / r.noAuthz!.p50Ms);
      ratio('p50 batching off / gateway', (r) => r.noBatch!.p50Ms / r.gateway!.p50Ms);
      if (workload.bareApollo) ratio('req/s gateway / bare Apollo', (r) => r.gateway!.requestsPerSecond / r.bareApollo!.requestsPerSecond);
      report.audit = audited[workload.name] ?? null;
    }
    const stats = await servers.stats();
    return { engine, volume: VOLUME, seedSeconds: servers.setup.seedSeconds, serverPeakRssMb: stats.peakRssMb, workloads: reports };
  } finally {
    await servers.stop();
  }
}

type EngineReport = Awaited<ReturnType<typeof benchEngine>>;

function table(reports: EngineReport[]): string {
  const lines = [
    '| engine | workload | gateway p50 ms (req/s) | floor p50 ms (req/s) | gateway/floor | authz off p50 ms | gateway/authz off | batching off p50 ms | statements/request (single requests) | audit events / personal-data responses |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const report of reports) {
    for (const w of report.workloads) {
      const m = w.median;
      const cell = (target: Target) => (m[target] ? `${m[target]!.p50Ms} (${m[target]!.requestsPerSecond})` : '-');
      const floor = w.ratios['p50 gateway / floor'] ?? (w.ratios['req/s gateway / bare Apollo'] !== undefined ? `bare Apollo: ${m.bareApollo!.requestsPerSecond} req/s, gateway ${w.ratios['req/s gateway / bare Apollo']}x of it` : '-');
      const single = w.statementsPerSingleRequest.gateway ?? [];
      const statements = `${Math.min(...single)}${Math.max(...single) !== Math.min(...single) ? `-${Math.max(...single)} (varies)` : ''}`;
      lines.push(
        `| ${report.engine} | ${w.workload} | ${cell('gateway')} | ${m.floor ? cell('floor') : '-'} | ${floor}${typeof floor === 'number' ? 'x' : ''} | ${m.noAuthz!.p50Ms} | ${w.ratios['p50 gateway / authorization off']}x | ${m.noBatch!.p50Ms} | ${statements} | ${w.audit ? `${w.audit.auditEventsWritten} / ${w.audit.personalDataResponses}` : '-'} |`,
      );
    }
    lines.push(`| ${report.engine} | server process peak RSS | ${report.serverPeakRssMb} MB | | | | | | | |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const reports: EngineReport[] = [];
  for (const engine of ENGINES) reports.push(await benchEngine(engine));
  const output = {
    node: process.version,
    volume: VOLUME,
    rounds: ROUNDS,
    secondsPerRun: SECONDS,
    connections: CONNECTIONS,
    quick: QUICK,
    wallSeconds: Math.round((Date.now() - started) / 1000),
    engines: reports,
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n\n${table(reports)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
