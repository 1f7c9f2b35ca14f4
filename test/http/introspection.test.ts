import { loadConfig } from '../../src/config/config';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const SCHEMA_QUERY = '{ __schema { queryType { name } types { name } } }';

describe('introspection and field suggestions are off unless configured', () => {
  it('defaults: off in production, on in development (GRAPHQL_INTROSPECTION overrides either way)', () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: 'p'.repeat(40),
      DOCUMENT_LINK_SECRET: 'd'.repeat(40),
      AUDIT_CHECKPOINT_SECRET: 'a'.repeat(40),
    };
    expect(loadConfig(production).introspection).toBe(false);
    expect(loadConfig({ ...production, GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({}).introspection).toBe(true);
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).introspection).toBe(false);
  });

  describe('with GRAPHQL_INTROSPECTION=false, for a valid token', () => {
    let gateway: TestGateway;
    beforeAll(async () => {
      gateway = await startTestGateway({ volume: 30, env: { GRAPHQL_INTROSPECTION: 'false' } });
    });
    afterAll(() => gateway.stop());

    it('refuses __schema and __type with a validation error (400)', async () => {
      const token = await gateway.token({ roles: ['security_officer'], tier: 3 });
      for (const query of [SCHEMA_QUERY, '{ __type(name: "YoungPerson") { fields { name } } }']) {
        const { status, body } = await gateway.graphql(query, {}, token);
        expect(status).toBe(400);
        expect(body.data).toBeUndefined();
        expect(body.errors![0]!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect(body.errors![0]!.message).toMatch(/introspection/i);
      }
    });

    it('names no field in "Did you mean" suggestions', async () => {
      const { status, body } = await gateway.graphql('{ youngPerso(id: "P-1") { id } }');
      expect(status).toBe(400);
      expect(body.errors![0]!.message).toMatch(/Cannot query field "youngPerso"/);
      expect(JSON.stringify(body)).not.toMatch(/Did you mean|youngPerson\b/);
    });

    it('__typename still works (clients use it to read unions and caches)', async () => {
      const { status, body } = await gateway.graphql('{ gatewayInfo { __typename version } }');
      expect(status).toBe(200);
      expect(body.data.gatewayInfo.__typename).toBe('GatewayInfo');
    });
  });

  describe('when enabled (the development default)', () => {
    let gateway: TestGateway;
    beforeAll(async () => {
      gateway = await startTestGateway({ volume: 30 });
    });
    afterAll(() => gateway.stop());

    it('answers introspection and suggests the field meant', async () => {
      const { body } = await gateway.graphql(SCHEMA_QUERY);
      expect(body.data.__schema.queryType.name).toBe('Query');
      const typo = await gateway.graphql('{ youngPerso(id: "P-1") { id } }');
      expect(typo.body.errors![0]!.message).toMatch(/Did you mean "youngPerson"/);
    });
  });
});
