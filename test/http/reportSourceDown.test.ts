import net from 'node:net';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

/** A loopback port with nothing listening: a real refused connection, not a mock. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a report whose source is down (IYSS on a refused connection)', () => {
  let gateway: TestGateway;
  let writer: string;
  beforeAll(async () => {
    const port = await closedPort();
    gateway = await startTestGateway({ volume: 300, urls: { IYSS_DB_URL: `mysql://root@127.0.0.1:${port}/iyss` }, env: { DB_CONNECT_TIMEOUT_MS: '1000' } });
    writer = await gateway.token({ sub: 'rw-down', roles: ['report_writer'], tier: 1, units: [] });
  });
  afterAll(() => gateway.stop());

  it('answers SOURCE_UNAVAILABLE naming IYSS with no internals, audits nothing as returned, and a YOIS report in the same query still answers', async () => {
    const { body } = await gateway.graphql(
      `{ neet: report(measure: NEET_16_TO_18, from: "2026-01-01", to: "2026-02-01") { cells { count } }
         fte: report(measure: FIRST_TIME_ENTRANTS, from: "2025-11-01", to: "2026-11-01") { cells { count } } }`,
      {},
      writer,
    );
    expect(body.data.neet).toBeNull();
    expect(body.data.fte.cells).toHaveLength(1);
    const error = body.errors!.find((e) => e.path?.[0] === 'neet')!;
    expect(error.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'IYSS' });
    expect(JSON.stringify(body.errors)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|select /i);
    const events = (await gateway.services.audit.query({ sub: 'rw-down' }, { first: 10 })).events.map((e) => e.operation);
    expect(events).toContain('report FIRST_TIME_ENTRANTS 2025-11-01..2026-11-01');
    expect(events).not.toContain('report NEET_16_TO_18 2026-01-01..2026-02-01');
  });
});
