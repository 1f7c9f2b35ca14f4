import { startTestGateway } from '../support/startTestGateway';

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then refuses new connections', async () => {
    const gateway = await startTestGateway({ volume: 50 });
    const { iyss } = gateway.services.sources;
    // Slow the source down so the request is surely still running when shutdown begins.
    gateway.services.sources.iyss = {
      ...iyss,
      peopleByIds: async (ids) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return iyss.peopleByIds(ids);
      },
    };
    const id = `yp:IYSS:${gateway.dataset.iyss.rows.tblYoungPerson.find((row) => row.IsDeleted === 0)!.YoungPersonID}`;
    const inFlight = gateway.graphql(`{ youngPerson(id: "${id}") { id } }`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = gateway.stop();
    const { status, body } = await inFlight;
    await stopping;
    expect(status).toBe(200);
    expect(body.data.youngPerson.id).toMatch(/^P-/);
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  });
});
