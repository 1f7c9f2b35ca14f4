import { startTestGateway, type TestGateway } from '../support/startTestGateway';

interface LogLine {
  msg: string;
  requestId?: string;
  status?: number;
  path?: string;
  level: number;
}

describe('every request leaves one log line, including those refused before GraphQL', () => {
  let gateway: TestGateway;
  const lines: LogLine[] = [];
  beforeAll(async () => {
    gateway = await startTestGateway({
      volume: 50,
      env: { LOG_LEVEL: 'info' },
      logDestination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
    });
  });
  afterAll(() => gateway.stop());

  async function send(init: RequestInit & { path?: string }) {
    const response = await fetch(`${gateway.url}${init.path ?? '/graphql'}`, init);
    await response.arrayBuffer();
    const requestId = response.headers.get('x-request-id')!;
    // The line is written when the response finishes; give the event loop a turn.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { status: response.status, logged: lines.filter((line) => line.requestId === requestId) };
  }

  const json = { 'content-type': 'application/json' };

  it.each([
    ['no token (401)', { method: 'POST', headers: json, body: JSON.stringify({ query: '{ gatewayInfo { version } }' }) }, 401],
    ['a bad token (401)', { method: 'POST', headers: { ...json, authorization: 'Bearer not.a.jwt' }, body: JSON.stringify({ query: '{ gatewayInfo { version } }' }) }, 401],
    ['malformed JSON (400)', { method: 'POST', headers: json, body: '{"query": ' }, 400],
    ['a body over 256 kB (413)', { method: 'POST', headers: json, body: JSON.stringify({ query: `{ ${'x'.repeat(300_000)} }` }) }, 413],
    ['a query over the token limit (400)', { method: 'POST', headers: json, body: JSON.stringify({ query: `{ ${'a '.repeat(5_000)}}` }) }, 400],
    ['an unknown route (404)', { method: 'GET', path: '/admin' }, 404],
  ])('%s: one line with the request id and status', async (_name, init, expected) => {
    const { status, logged } = await send(init as RequestInit & { path?: string });
    expect(status).toBe(expected);
    const http = logged.filter((line) => line.msg === 'http request');
    expect(http).toHaveLength(1);
    expect(http[0]).toMatchObject({ status: expected });
  });

  it('a GraphQL request is logged once, by GraphQL, with its outcome (no second line)', async () => {
    const token = await gateway.token();
    const { status, logged } = await send({
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ gatewayInfo { version } }' }),
    });
    expect(status).toBe(200);
    expect(logged.map((line) => line.msg)).toEqual(['graphql request']);
  });

  it('successful health probes are not logged; a failing one would be', async () => {
    const { status, logged } = await send({ method: 'GET', path: '/healthz' });
    expect(status).toBe(200);
    expect(logged).toHaveLength(0);
  });
});
