/**
 * Benchmarks: drives the real gateway over loopback HTTP with autocannon and prints one JSON object
 * per scenario and engine, side by side, plus SQL statements per request. Not part of `npm test`.
 *
 *   npm run bench                         # SQLite
 *   MYSQL_URL=mysql://root@127.0.0.1:3306/test npm run bench   # SQLite and MariaDB side by side
 *   BENCH_SECONDS=10 BENCH_VOLUME=10000 npm run bench
 *
 * The authorization section runs 1,000-person queries with and without the graphql-shield rules, side
 * by side: in process (graphql `execute`, same data, same context, alternating) and over HTTP (two
 * identically seeded gateways, one serving the schema without rules), and counts field resolutions
 * against rule evaluations and role-and-tier decisions per request.
 *
 *   BENCH_AUTHZ_ITERATIONS=15 BENCH_AUTHZ_HTTP_SECONDS=8 BENCH_AUTHZ_HTTP_CONNECTIONS=2 npm run bench
 */
import { execute, parse, type GraphQLSchema } from 'graphql';
import autocannon from 'autocannon';
import { applyMiddleware } from 'graphql-middleware';
import type { Principal } from '../../src/auth/Principal';
import { buildGatewaySchema } from '../../src/schema/buildSchema';
import { createRequestContext } from '../../src/server/requestContext';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';
import { testEngines } from '../support/testDatabases';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const VOLUME = Number(process.env.BENCH_VOLUME ?? 5_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Scenario {
  name: string;
  query: string;
  variables: (gateway: TestGateway) => Record<string, unknown>;
}

const liveIds = (gateway: TestGateway, count: number) =>
  gateway.dataset.iyss.rows.tblYoungPerson
    .filter((row) => row.IsDeleted === 0)
    .slice(0, count)
    .map((row) => `yp:IYSS:${row.YoungPersonID}`);

const SCENARIOS: Scenario[] = [
  {
    name: 'person by id',
    query: 'query($id: ID!) { youngPerson(id: $id) { id forename surname dateOfBirth address { postcode } } }',
    variables: (gateway) => ({ id: liveIds(gateway, 1)[0] }),
  },
  {
    name: 'search name + postcode outward code',
    query:
      'query($c: YoungPersonSearchInput!) { searchYoungPeople(criteria: $c, first: 20) { totalCount edges { score node { id surname } } } }',
    variables: (gateway) => {
      const row = gateway.dataset.iyss.rows.tblYoungPerson.find((r) => r.IsDeleted === 0 && r.Postcode)!;
      return { c: { surname: row.Surname, postcode: row.Postcode!.replace(/\s+/g, '').slice(0, -3) } };
    },
  },
  {
    name: '100 people with group work, contacts, education',
    query:
      'query($ids: [ID!]!) { youngPeople(ids: $ids) { id surname groupWork { title status } contacts { contactType } educationStatus { category } } }',
    variables: (gateway) => ({ ids: liveIds(gateway, 100) }),
  },
];

async function runScenario(gateway: TestGateway, scenario: Scenario, token: string) {
  const body = JSON.stringify({ query: scenario.query, variables: scenario.variables(gateway) });
  // One checked request first: a benchmark of error responses would measure nothing useful.
  const check = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  const checked = (await check.json()) as { errors?: unknown[] };
  if (checked.errors) throw new Error(`${scenario.name}: ${JSON.stringify(checked.errors)}`);
  const statementsBefore = gateway.statements();
  const result = await autocannon({
    url: `${gateway.url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const requests = result.requests.total;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
    sqlStatementsPerRequest: requests ? Math.round(((gateway.statements() - statementsBefore) / requests) * 100) / 100 : null,
  };
}

type Mode = 'on' | 'off' | 'passThrough';
const AUTHZ_ITERATIONS = Number(process.env.BENCH_AUTHZ_ITERATIONS ?? 15);
const AUTHZ_HTTP_SECONDS = Number(process.env.BENCH_AUTHZ_HTTP_SECONDS ?? 8);
const AUTHZ_HTTP_CONNECTIONS = Number(process.env.BENCH_AUTHZ_HTTP_CONNECTIONS ?? 2);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;
const overhead = (on: number, off: number) => round(((on - off) / off) * 100);

interface AuthorizationCase {
  name: string;
  query: string;
  principal: Principal;
  purpose: string | undefined;
}

/** One side of the HTTP comparison: autocannon against a gateway with or without its shield rules. */
async function httpSide(gateway: TestGateway, benchCase: AuthorizationCase, body: string, expectRefusals: boolean) {
  const { principal } = benchCase;
  const token = await gateway.token({ ...principal, roles: [...principal.roles], units: [...principal.units] });
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    ...(benchCase.purpose ? { 'x-purpose': benchCase.purpose } : {}),
  };
  const check = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers, body });
  const checked = (await check.json()) as { data?: { youngPeople?: unknown[] }; errors?: unknown[] };
  if (check.status !== 200 || checked.data?.youngPeople?.length !== 1_000 || (!expectRefusals && checked.errors)) {
    throw new Error(`${benchCase.name} over HTTP: ${check.status} ${JSON.stringify(checked.errors?.slice(0, 2))}`);
  }
  const result = await autocannon({ url: `${gateway.url}/graphql`, method: 'POST', headers, body, connections: AUTHZ_HTTP_CONNECTIONS, duration: AUTHZ_HTTP_SECONDS });
  return {
    meanMs: round(result.latency.mean),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSecond: round(result.requests.total / AUTHZ_HTTP_SECONDS),
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    responseBytes: JSON.stringify(checked).length,
    fieldsRefused: checked.errors?.length ?? 0,
  };
}

/**
 * Authorization on vs off for one query over 1,000 young people, side by side: (a) in process with
 * graphql `execute` on the schema with and without its shield rules (same data, same context),
 * alternating; (b) over HTTP against two gateways on identically seeded data, one serving the schema
 * without rules (a createGateway option only benchmark code passes).
 */
async function authorizationCost() {
  // One benchmark token drives every connection: the per-caller admission limit would answer 429 past 10.
  const env = { LOG_LEVEL: 'silent', MAX_IDS_PER_LOOKUP: '1000', MAX_QUERY_COMPLEXITY: '10000000', MAX_REQUESTS_PER_CALLER: '1000' };
  const gateway = await startTestGateway({ volume: VOLUME, env });
  const unguarded = await startTestGateway({ volume: VOLUME, env, authorization: false });
  try {
    const ids = liveIds(gateway, 1_000);
    const off = buildGatewaySchema({ authorization: false });
    // The same middleware layer with no rule in it: what graphql-middleware's wrapping alone costs.
    // It also counts field resolutions, to set against rule evaluations and decisions.
    let resolutions = 0;
    const passThrough = applyMiddleware(off, (resolve, parent, args, context, info) => {
      resolutions += 1;
      return resolve(parent, args, context, info);
    });
    const schemas: Record<Mode, GraphQLSchema> = { on: buildGatewaySchema(), off, passThrough };
    const someUnit = (await gateway.allocatedUnitsOf(await gateway.personIdOf('UMIS', gateway.dataset.umis.truth[0]!.sourceId)))[0] ?? 'CU1';
    const cases: AuthorizationCase[] = [
      {
        name: '1,000 people, tier-1 fields, youth worker',
        query: 'query($ids: [ID!]!) { youngPeople(ids: $ids) { id forename surname dateOfBirth involvement { system status } groupWork { title status } } }',
        principal: { sub: 'bench-yw', name: 'Bench', roles: ['youth_worker'], tier: 1, units: [] },
        purpose: undefined,
      },
      {
        name: '1,000 people, tier-2/3 detail (need to know per person), practitioner',
        query: 'query($ids: [ID!]!) { youngPeople(ids: $ids) { id forename assessments { status } plans { title } offences { offenceCode } } }',
        principal: { sub: 'bench-p', name: 'Bench', roles: ['practitioner'], tier: 3, units: [someUnit] },
        purpose: 'allocated_casework',
      },
    ];
    const report: Record<string, unknown> = {};
    for (const [index, benchCase] of cases.entries()) {
      const document = parse(benchCase.query);
      const times: Record<Mode, number[]> = { on: [], off: [], passThrough: [] };
      let stats = { checks: 0, decisions: 0 };
      let refusals = 0;
      let fieldResolutions = 0;
      for (let i = 0; i < AUTHZ_ITERATIONS + 3; i++) {
        for (const mode of i % 2 === 0 ? (['on', 'off', 'passThrough'] as const) : (['passThrough', 'off', 'on'] as const)) {
          const context = await createRequestContext(gateway.services, benchCase.principal, benchCase.purpose, `bench-${i}`, gateway.services.log);
          resolutions = 0;
          const started = process.hrtime.bigint();
          const result = await execute({ schema: schemas[mode], document, variableValues: { ids }, contextValue: context });
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          if (mode === 'on') {
            stats = { ...context.authz.stats };
            refusals = result.errors?.length ?? 0;
          } else if (result.errors?.length) throw new Error(`${benchCase.name} without authorization failed: ${result.errors[0]!.message}`);
          if (mode === 'passThrough') fieldResolutions = resolutions;
          if (i >= 3) times[mode].push(ms); // the first rounds warm caches and the JIT
        }
      }
      const summary = (list: number[]) => {
        const sorted = [...list].sort((a, b) => a - b);
        const meanMs = list.reduce((a, b) => a + b, 0) / list.length;
        // One request at a time: the in-process rate is 1,000 ms over the mean.
        return { meanMs: round(meanMs), p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)), requestsPerSecond: round(1_000 / meanMs) };
      };
      const on = summary(times.on);
      const without = summary(times.off);
      const wrapped = summary(times.passThrough);

      const body = JSON.stringify({ query: benchCase.query, variables: { ids } });
      // Alternate which side goes first, so neither always runs on a warmer (or more tired) process.
      const sides = index % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      const http: Partial<Record<'on' | 'off', Awaited<ReturnType<typeof httpSide>>>> = {};
      for (const side of sides) http[side] = await httpSide(side === 'on' ? gateway : unguarded, benchCase, body, side === 'on');

      report[benchCase.name] = {
        inProcess: {
          authorizationOn: on,
          authorizationOff: without,
          middlewarePassThroughOnly: wrapped,
          overheadPercent: overhead(on.meanMs, without.meanMs),
          overheadOfMiddlewareWrappingAlonePercent: overhead(wrapped.meanMs, without.meanMs),
        },
        http: {
          authorizationOn: http.on,
          authorizationOff: http.off,
          overheadPercent: overhead(http.on!.meanMs, http.off!.meanMs),
          throughputLossPercent: round(((http.off!.requestsPerSecond - http.on!.requestsPerSecond) / http.off!.requestsPerSecond) * 100),
        },
        // "Once per field per request": field resolutions (every field of every item) against rule evaluations
        // (graphql-shield calling a rule function: contextual-cached rules once per request, need-to-know rules
        // per person) against role-and-tier decisions (decideField, memoized per request).
        fieldResolutionsPerRequest: fieldResolutions,
        ruleEvaluationsPerRequest: stats.checks,
        roleAndTierDecisionsPerRequest: stats.decisions,
        fieldsRefusedPerRequest: refusals,
      };
    }
    return {
      people: ids.length,
      inProcessIterations: AUTHZ_ITERATIONS,
      http: { seconds: AUTHZ_HTTP_SECONDS, connections: AUTHZ_HTTP_CONNECTIONS },
      cases: report,
    };
  } finally {
    await gateway.stop();
    await unguarded.stop();
  }
}

async function main() {
  const results: Record<string, Record<string, unknown>> = {};
  for (const engine of testEngines()) {
    const gateway = await startTestGateway({ engine, volume: VOLUME, env: { LOG_LEVEL: 'silent', MAX_REQUESTS_PER_CALLER: '1000' } });
    try {
      const token = await gateway.token();
      for (const scenario of SCENARIOS) {
        results[scenario.name] ??= {};
        results[scenario.name]![engine] = await runScenario(gateway, scenario, token);
      }
    } finally {
      await gateway.stop();
    }
  }
  const authorization = await authorizationCost();
  process.stdout.write(
    `${JSON.stringify({ node: process.version, volume: VOLUME, seconds: SECONDS, connections: CONNECTIONS, results, authorization }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
