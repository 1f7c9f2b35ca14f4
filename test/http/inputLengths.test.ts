/**
 * Text the gateway store cannot keep is refused at the API, naming the limit, instead of failing in
 * SQL (SQLite keeps any length; MariaDB in strict mode and SQL Server, error 2628, fail the statement
 * and the caller saw INTERNAL_SERVER_ERROR). At the limit the text is kept whole: on MariaDB that
 * shows the column holds it.
 */
import { CLAIM_LIMITS } from '../../src/auth/Principal';
import { BREAK_GLASS_TEXT_MAX } from '../../src/authz/breakGlassStore';
import { POLICY_REASON_MAX } from '../../src/authz/policyStore';
import { testEngines } from '../support/testDatabases';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const OPEN = 'mutation($id: ID!, $why: String!) { openBreakGlass(personId: $id, reason: $why, minutes: 30) { id reason } }';
const REVIEW = 'mutation($g: ID!, $n: String!) { reviewBreakGlass(grantId: $g, outcome: JUSTIFIED, notes: $n) { id } }';
const CLOSE = 'mutation($g: ID!, $r: String!) { closeBreakGlass(grantId: $g, reason: $r) { id } }';
const PROPOSE = 'mutation($d: String!, $r: String!) { proposePolicy(document: $d, reason: $r) { version reason } }';
const ME = '{ gatewayInfo { version } }';

/** Text of exactly `length` characters that reads as a reason. */
const text = (length: number) => 'Emergency: child reported missing overnight. '.repeat(Math.ceil(length / 45)).slice(0, length);

describe.each(testEngines())('input lengths against the store on %s', (engine) => {
  let gateway: TestGateway;
  let personId: string;
  let worker: string;
  let officer: string;
  let reviewer: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 60 });
    personId = await gateway.personIdOf('YOIS', gateway.dataset.yois.truth[0]!.sourceId);
    worker = await gateway.token({ sub: 'worker-len', name: 'Len Worker', roles: ['practitioner'], tier: 3, units: ['CU-OTHER'] });
    officer = await gateway.token({ sub: 'officer-len', name: 'Len Officer', roles: ['security_officer'], tier: 0, units: [] });
    reviewer = await gateway.token({ sub: 'reviewer-len', name: 'Len Reviewer', roles: ['security_officer'], tier: 1, units: [] });
  });
  afterAll(() => gateway.stop());

  it(`break-glass: a reason, notes or closing reason over ${BREAK_GLASS_TEXT_MAX} characters is BAD_USER_INPUT naming the limit; at the limit it is kept whole`, async () => {
    const over = await gateway.graphql(OPEN, { id: personId, why: text(BREAK_GLASS_TEXT_MAX + 1) }, worker);
    expect(over.body.errors![0]).toMatchObject({ message: `reason is longer than ${BREAK_GLASS_TEXT_MAX} characters`, extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_LONG' } });

    const opened = await gateway.graphql(OPEN, { id: personId, why: text(BREAK_GLASS_TEXT_MAX) }, worker);
    expect(opened.body.errors).toBeUndefined();
    expect(opened.body.data.openBreakGlass.reason).toBe(text(BREAK_GLASS_TEXT_MAX));
    const grantId = opened.body.data.openBreakGlass.id as string;

    const review = await gateway.graphql(REVIEW, { g: grantId, n: text(BREAK_GLASS_TEXT_MAX + 1) }, reviewer);
    expect(review.body.errors![0]).toMatchObject({ message: `notes is longer than ${BREAK_GLASS_TEXT_MAX} characters`, extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_LONG' } });
    const close = await gateway.graphql(CLOSE, { g: grantId, r: text(BREAK_GLASS_TEXT_MAX + 1) }, worker);
    expect(close.body.errors![0]).toMatchObject({ message: `reason is longer than ${BREAK_GLASS_TEXT_MAX} characters`, extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_LONG' } });
    expect((await gateway.graphql(CLOSE, { g: grantId, r: text(BREAK_GLASS_TEXT_MAX) }, worker)).body.errors).toBeUndefined();
  });

  it(`policy: a reason over ${POLICY_REASON_MAX} characters is BAD_USER_INPUT naming the limit; at the limit it is kept whole`, async () => {
    const active = (await gateway.graphql('{ activePolicy { document } }', {}, officer)).body.data.activePolicy.document as string;
    const over = await gateway.graphql(PROPOSE, { d: active, r: text(POLICY_REASON_MAX + 1) }, officer);
    expect(over.body.errors![0]).toMatchObject({ message: `reason is longer than ${POLICY_REASON_MAX} characters`, extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_LONG' } });
    const proposed = await gateway.graphql(PROPOSE, { d: active, r: text(POLICY_REASON_MAX) }, officer);
    expect(proposed.body.errors).toBeUndefined();
    expect(proposed.body.data.proposePolicy.reason).toBe(text(POLICY_REASON_MAX));
  });

  it('a token whose sub, name, roles or units the store cannot keep is refused, naming the claim and its limit', async () => {
    const cases: Array<[Parameters<TestGateway['token']>[0], string]> = [
      [{ sub: 's'.repeat(CLAIM_LIMITS.sub + 1) }, `Token's "sub" claim is longer than ${CLAIM_LIMITS.sub} characters`],
      [{ name: 'n'.repeat(CLAIM_LIMITS.name + 1) }, `Token's "name" claim is longer than ${CLAIM_LIMITS.name} characters`],
      [{ roles: Array.from({ length: 100 }, (_, i) => `practitioner-${i}`) }, `Token's "roles" claim is longer than ${CLAIM_LIMITS.rolesJson} characters as JSON`],
      [{ units: Array.from({ length: 300 }, (_, i) => `CU-${i}`) }, `Token's "units" claim is longer than ${CLAIM_LIMITS.unitsJson} characters as JSON`],
    ];
    for (const [claims, message] of cases) {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await gateway.token(claims)}` },
        body: JSON.stringify({ query: ME }),
      });
      const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
      expect({ status: response.status, message: body.errors[0]!.message, code: body.errors[0]!.extensions.code }).toEqual({ status: 401, message, code: 'UNAUTHENTICATED' });
    }
    // At the limits the token is accepted.
    const atLimit = await gateway.token({ sub: 's'.repeat(CLAIM_LIMITS.sub), name: 'n'.repeat(CLAIM_LIMITS.name) });
    expect((await gateway.graphql(ME, {}, atLimit)).body.errors).toBeUndefined();
  });
});
