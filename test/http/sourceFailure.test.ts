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

describe('a legacy source that is down', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    const port = await closedPort();
    gateway = await startTestGateway({ iyssUrl: `mysql://root@127.0.0.1:${port}/iyss`, env: { DB_CONNECT_TIMEOUT_MS: '1000' } });
  });
  afterAll(() => gateway.stop());

  it('answers with SOURCE_UNAVAILABLE naming the source, and no internals', async () => {
    const { status, body } = await gateway.graphql('{ searchYoungPeople(criteria: { surname: "Smith" }) { totalCount } }');
    expect(status).toBe(200);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      extensions: { code: 'SOURCE_UNAVAILABLE', source: 'IYSS', reason: 'connection refused' },
      path: ['searchYoungPeople'],
    });
    expect(body.errors![0]!.message).toMatch(/IYSS was not checked/);
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|mysql/i);
  });

  it('keeps the rest of the response: fields not needing the source still resolve', async () => {
    const { body } = await gateway.graphql('{ gatewayInfo { sources } youngPerson(id: "yp:IYSS:10001") { id } }');
    expect(body.data.gatewayInfo).toEqual({ sources: ['IYSS'] });
    expect(body.data.youngPerson).toBeNull();
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'SOURCE_UNAVAILABLE', source: 'IYSS' });
  });

  it('stays ready (the store answers) while reporting the source as unavailable', async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', sources: { IYSS: { status: 'unavailable', reason: 'connection refused' } } });
  });
});
