import { PoolError } from '../../adapters/drivers/guardedMysqlPool';
import type { IyssAdapter } from '../../adapters/types';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const METRICS_TOKEN = 'metrics-token-for-jest-0123456789abcdef';

/** Makes every IYSS call take `ms` longer, and records how many run at once. */
function slowIyss(gateway: TestGateway, ms: number): { maxConcurrent: () => number } {
  const iyss = gateway.services.sources.iyss;
  let running = 0;
  let most = 0;
  const slow =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      running += 1;
      most = Math.max(most, running);
      try {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return await call(...args);
      } finally {
        running -= 1;
      }
    };
  const slowed: IyssAdapter = {
    ...iyss,
    peopleByIds: slow((ids) => iyss.peopleByIds(ids)),
    findCandidates: slow((filter) => iyss.findCandidates(filter)),
  };
  gateway.services.sources.iyss = slowed;
  return { maxConcurrent: () => most };
}

describe('overload is answered as overload, before any work', () => {
  let gateway: TestGateway;
  let personRef: string;
  let probe: { maxConcurrent: () => number };
  beforeAll(async () => {
    gateway = await startTestGateway({
      volume: 50,
      env: {
        MAX_CONCURRENT_REQUESTS: '3',
        MAX_QUEUED_REQUESTS: '0',
        MAX_REQUESTS_PER_CALLER: '2',
        MAX_SOURCE_CALLS_PER_REQUEST: '3',
        DB_POOL_QUEUE_LIMIT: '9',
        METRICS_TOKEN,
      },
    });
    personRef = `yp:IYSS:${gateway.dataset.iyss.rows.tblYoungPerson.find((row) => row.IsDeleted === 0)!.YoungPersonID}`;
    probe = slowIyss(gateway, 400);
  });
  afterAll(() => gateway.stop());

  const ask = async (sub: string) => {
    const token = await gateway.token({ sub });
    const started = Date.now();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ youngPerson(id: "${personRef}") { id forename } }` }),
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> }, ms: Date.now() - started };
  };

  it('admits MAX_CONCURRENT_REQUESTS and answers the rest 503 OVERLOADED with Retry-After at once, never SOURCE_UNAVAILABLE', async () => {
    const answers = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((sub) => ask(`u-${sub}`)));
    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 503);
    expect(served).toHaveLength(3);
    expect(refused).toHaveLength(3);
    for (const answer of refused) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.body.errors!.map((e) => e.extensions?.code)).toEqual(['OVERLOADED']);
      // Refused at the door: answered before the admitted ones, which each wait 400 ms for IYSS.
      expect(answer.ms).toBeLessThan(Math.min(...served.map((a) => a.ms)));
    }
    expect(Math.min(...served.map((a) => a.ms))).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(answers)).not.toContain('SOURCE_UNAVAILABLE');
  });

  it('answers one caller\u2019s excess 429 OVERLOADED while their other requests go on', async () => {
    const answers = await Promise.all([1, 2, 3, 4].map(() => ask('u-greedy')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429, 429]);
    for (const answer of answers.filter((a) => a.status === 429)) {
      expect(answer.retryAfter).toBe('1');
      expect(answer.body.errors!.map((e) => e.extensions?.code)).toEqual(['OVERLOADED']);
    }
  });

  it('lets one request hold at most MAX_SOURCE_CALLS_PER_REQUEST calls to a source at once', async () => {
    const searches = Array.from({ length: 9 }, (_, i) => `s${i}: searchYoungPeople(criteria: { surname: "${'abcdefghi'[i]}z" }, first: 1) { totalCount }`).join('\n');
    const { status, body } = await gateway.graphql(`{ ${searches} }`, {}, await gateway.token({ sub: 'u-searcher' }));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(probe.maxConcurrent()).toBe(3);
  });

  it('serves Prometheus metrics only with the metrics token', async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^gateway_requests_refused_total\{reason="overloaded"\} 3$/m);
    expect(text).toMatch(/^gateway_requests_refused_total\{reason="caller_limit"\} 2$/m);
    expect(text).toMatch(/^gateway_graphql_requests_total\{operation="anonymous",status="503"\} 3$/m);
    expect(text).toMatch(/^gateway_graphql_request_duration_seconds_count\{operation="anonymous"\} \d+$/m);
    expect(text).toMatch(/^gateway_source_calls_total\{source="IYSS",outcome="ok"\} \d+$/m);
    expect(text).toMatch(/^gateway_source_breaker_state\{source="IYSS"\} 0$/m);
    expect(Number(/^gateway_audit_events_written_total (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/^gateway_audit_failures_total 0$/m);
    expect(text).toMatch(/^gateway_graphql_requests_in_flight 0$/m);
  });
});

describe('/metrics without a configured token', () => {
  it('does not exist', async () => {
    const gateway = await startTestGateway({ volume: 10 });
    try {
      expect((await fetch(`${gateway.url}/metrics`)).status).toBe(404);
    } finally {
      await gateway.stop();
    }
  });
});

describe('a full connection-pool queue mid-request', () => {
  it('is answered 503 OVERLOADED with Retry-After, not SOURCE_UNAVAILABLE, and does not trip the breaker', async () => {
    const gateway = await startTestGateway({ volume: 20, env: { BREAKER_FAILURES: '1' } });
    try {
      const iyss = gateway.services.sources.iyss;
      gateway.services.sources.iyss = {
        ...iyss,
        peopleByIds: async () => {
          throw new PoolError('POOL_QUEUE_FULL', 'too many callers waiting for a connection');
        },
      };
      const ref = `yp:IYSS:${gateway.dataset.iyss.rows.tblYoungPerson.find((row) => row.IsDeleted === 0)!.YoungPersonID}`;
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await gateway.token()}` },
        body: JSON.stringify({ query: `{ youngPerson(id: "${ref}") { id } }` }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect(body.errors.map((e) => e.extensions.code)).toContain('OVERLOADED');
      expect(body.errors.map((e) => e.extensions.code)).not.toContain('SOURCE_UNAVAILABLE');
      expect(gateway.services.breakers.IYSS.state()).toBe('closed');
    } finally {
      await gateway.stop();
    }
  });
});
