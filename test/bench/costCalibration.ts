/**
 * Calibrates the query cost model (src/limits): how long one field resolution for one item, one
 * batched source call and one search take on the real gateway over HTTP, so the weights
 * QUERY_COST_SOURCE_CALL and QUERY_COST_SEARCH say what a call and a search really cost in units of
 * one field resolution. Prints one JSON object per engine. Not part of `npm test`.
 *
 *   npx tsx test/bench/costCalibration.ts
 *   MYSQL_URL=mysql://root@127.0.0.1:3306/test npx tsx test/bench/costCalibration.ts
 */
import { startTestGateway, type TestGateway } from '../support/startTestGateway';
import { testEngines } from '../support/testDatabases';

const ROUNDS = Number(process.env.CALIBRATION_ROUNDS ?? 15);
const UNLIMITED = {
  MAX_QUERY_TOKENS: '1000000',
  MAX_QUERY_DEPTH: '100',
  MAX_ALIASES: '10000',
  MAX_ROOT_FIELDS: '1000',
  MAX_QUERY_COMPLEXITY: '10000000',
  MAX_IDS_PER_LOOKUP: '5000',
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median wall time of one request, over ROUNDS runs after a warm-up. */
async function timed(gateway: TestGateway, token: string, query: string, variables: Record<string, unknown> = {}): Promise<number> {
  const run = async () => {
    const started = performance.now();
    const { body } = await gateway.graphql(query, variables, token);
    if (body.errors?.length) throw new Error(`calibration query failed: ${body.errors[0]!.message}`);
    return performance.now() - started;
  };
  await run();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) times.push(await run());
  return median(times);
}

async function calibrate(engine: 'sqlite' | 'mysql') {
  const gateway = await startTestGateway({ engine, volume: 2_000, env: UNLIMITED });
  try {
    const token = await gateway.token({ sub: 'calibration', roles: ['youth_worker'], tier: 1, units: [] });
    const live = gateway.dataset.iyss.rows.tblYoungPerson.filter((row) => row.IsDeleted === 0);
    const ids = live.slice(0, 500).map((row) => `yp:IYSS:${row.YoungPersonID}`);

    // Field resolutions: the same 500 people, with 20 more aliases of a field already loaded (no new source call).
    const ALIASES = 20;
    const plain = await timed(gateway, token, 'query($ids: [ID!]!) { youngPeople(ids: $ids) { id surname } }', { ids });
    const extra = Array.from({ length: ALIASES }, (_, i) => `s${i}: surname`).join(' ');
    const wide = await timed(gateway, token, `query($ids: [ID!]!) { youngPeople(ids: $ids) { id surname ${extra} } }`, { ids });
    const perField = (wide - plain) / (ids.length * ALIASES);

    // One batched source call: the same person with and without one more loader (IYSS group work).
    const one = { id: ids[0] };
    const bare = await timed(gateway, token, 'query($id: ID!) { youngPerson(id: $id) { id surname } }', one);
    const withCall = await timed(gateway, token, 'query($id: ID!) { youngPerson(id: $id) { id surname contacts { contactType } } }', one);
    const sourceCall = Math.max(0, withCall - bare);

    // Searches: N aliased searches for different names in one request against one.
    const SEARCHES = 20;
    const names = live.slice(0, SEARCHES).map((row) => `${row.Forename} ${row.Surname}`);
    const searchesText = (n: number) =>
      `{ ${names
        .slice(0, n)
        .map((name, i) => `s${i}: searchYoungPeople(criteria: { name: ${JSON.stringify(name)} }, first: 5) { totalCount }`)
        .join(' ')} }`;
    const oneSearch = await timed(gateway, token, searchesText(1));
    const manySearches = await timed(gateway, token, searchesText(SEARCHES));
    const perSearch = (manySearches - oneSearch) / (SEARCHES - 1);

    return {
      engine,
      people: 2_000,
      msPerFieldResolution: Number(perField.toFixed(5)),
      msPerSourceCall: Number(sourceCall.toFixed(3)),
      msPerSearch: Number(perSearch.toFixed(3)),
      sourceCallInFieldUnits: Math.round(sourceCall / perField),
      searchInFieldUnits: Math.round(perSearch / perField),
    };
  } finally {
    await gateway.stop();
  }
}

async function main() {
  for (const engine of testEngines()) process.stdout.write(`${JSON.stringify(await calibrate(engine))}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
