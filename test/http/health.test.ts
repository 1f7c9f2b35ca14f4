import { startTestGateway, type TestGateway } from '../support/startTestGateway';

describe('health and readiness', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 50 });
  });
  afterAll(() => gateway.stop());

  it('answers /healthz with 200 and a request id', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a well-formed caller request id', async () => {
    const response = await fetch(`${gateway.url}/healthz`, { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-abc.123');
  });

  it('reports ready with per-source status while the store answers', async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      store: { status: 'ok' },
      sources: {
        IYSS: { status: 'ok', breaker: 'closed' },
        UMIS: { status: 'ok', breaker: 'closed' },
        YOIS: { status: 'ok', breaker: 'closed' },
        DMS: { status: 'ok', breaker: 'closed' },
      },
    });
  });

  it('answers unknown routes with a JSON error, not an HTML page', async () => {
    const response = await fetch(`${gateway.url}/admin`);
    expect(response.status).toBe(404);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  // Last: it closes the store, which nothing reopens.
  it('reports not ready (503) once the gateway store is gone, naming the failed component', async () => {
    await gateway.services.store.close();
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; store: { status: string }; sources: { IYSS: { status: string } } };
    expect(body.status).toBe('not_ready');
    expect(body.store.status).toBe('unavailable');
    expect(body.sources.IYSS.status).toBe('ok');
  });
});
