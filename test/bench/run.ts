/**
 * Benchmarks: drives the real gateway over loopback HTTP with autocannon and prints one JSON object
 * per scenario and engine, side by side, plus SQL statements per request. Not part of `npm test`.
 *
 *   npm run bench                         # SQLite
 *   MYSQL_URL=mysql://root@127.0.0.1:3306/test npm run bench   # SQLite and MariaDB side by side
 *   BENCH_SECONDS=10 BENCH_VOLUME=10000 npm run bench
 */
import autocannon from 'autocannon';
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

async function main() {
  const results: Record<string, Record<string, unknown>> = {};
  for (const engine of testEngines()) {
    const gateway = await startTestGateway({ engine, volume: VOLUME, env: { LOG_LEVEL: 'silent' } });
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
  process.stdout.write(
    `${JSON.stringify({ node: process.version, volume: VOLUME, seconds: SECONDS, connections: CONNECTIONS, results }, null, 2)}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
