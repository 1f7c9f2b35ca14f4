import { startGatewayOnEngine, type AdminConnection, type GatewayOnEngine } from '../support/gatewayOnEngine';
import type { TestGateway } from '../support/startTestGateway';
import { testEngines } from '../support/testDatabases';

const DOCUMENTS = 'query($id: ID!) { youngPerson(id: $id) { id documents { id title classificationTier downloadUrl } } }';
const TRAIL = `query($id: ID) { auditTrail(personId: $id, first: 5) { edges { node {
  seq requestId operation purpose outcome returned denied breakGlassIds principal { sub }
  people { personId breakGlassId returned denied } } } } }`;
const CASEWORK = { 'x-purpose': 'allocated_casework' };
const BANNER = 'SYNTHETIC TEST DOCUMENT';

type Doc = { id: string; title: string; classificationTier: number; downloadUrl: string };

describe.each(testEngines())('document downloads as audited reads over HTTP, store on %s', (engine) => {
  let running: GatewayOnEngine;
  let gateway: TestGateway;
  let admin: AdminConnection;
  let personId: string;
  let units: string[];
  /** The allocated practitioner the links are issued to. */
  let holder: string;
  let auditor: string;
  /** A tier-2/3 document about the child, and its link issued to the holder. */
  let doc: Doc;

  const download = (link: string, token: string | null, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${link}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });

  /** The newest audit event's sequence number (what a refusal without an audited attempt must leave alone). */
  const head = async () => (await gateway.services.audit.query({}, { first: 1 })).events[0]?.seq ?? 0;

  /** A refusal: the status and JSON error given, and no content, title or person ID anywhere in it. */
  async function refused(response: Response, status: number, extensions: Record<string, unknown>) {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await response.text();
    expect(text).not.toContain(BANNER);
    expect(text).not.toContain(doc.title);
    expect(text).not.toContain(personId);
    expect(text).not.toMatch(/at \w+ \(|SELECT|sqlite|mysql/i);
    const body = JSON.parse(text) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]!.extensions).toEqual(extensions);
    return body.errors[0]!.message;
  }

  async function linkFor(token: string, headers: Record<string, string> = CASEWORK): Promise<string> {
    const { body } = await gateway.graphql(DOCUMENTS, { id: personId }, token, headers);
    return (body.data.youngPerson.documents as Array<Doc | null>).find((d) => d?.id === doc.id)!.downloadUrl;
  }

  beforeAll(async () => {
    running = await startGatewayOnEngine(engine, { volume: 400 });
    gateway = running.gateway;
    admin = await running.admin();
    auditor = await gateway.token({ sub: 'auditor-ann', roles: ['auditor'], tier: 1, units: [] });
    // A child known to IYSS and YOIS, allocated to a Core Unit, with a document above tier 1.
    const inIyss = new Set(gateway.dataset.iyss.truth.map((t) => t.personKey));
    for (const record of gateway.dataset.yois.truth.filter((t) => inIyss.has(t.personKey)).slice(0, 150)) {
      const id = await gateway.personIdOf('YOIS', record.sourceId);
      const allocated = await gateway.allocatedUnitsOf(id);
      if (!allocated.length) continue;
      const token = await gateway.token({ sub: 'u-holder', name: 'Hana Holder', roles: ['practitioner'], tier: 3, units: allocated });
      const { body } = await gateway.graphql(DOCUMENTS, { id }, token, CASEWORK);
      const above = (body.data.youngPerson.documents as Doc[]).find((d) => d.classificationTier >= 2);
      if (above) {
        personId = id;
        units = allocated;
        holder = token;
        doc = above;
        break;
      }
    }
    expect(doc).toBeDefined();
  });
  afterAll(async () => {
    await admin.close();
    await running.stop();
  });

  it('serves the content to the user the link was issued to, as an audited read in the chain against the child', async () => {
    const response = await download(doc.downloadUrl, holder, { ...CASEWORK, 'x-request-id': `dl-${engine}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toMatch(new RegExp(`^${BANNER}`));

    const { body } = await gateway.graphql(TRAIL, { id: personId }, auditor);
    expect(body.errors).toBeUndefined();
    const event = body.data.auditTrail.edges[0].node;
    expect(event).toMatchObject({
      requestId: `dl-${engine}`,
      operation: `download document ${doc.id}`,
      purpose: 'allocated_casework',
      outcome: 'RETURNED',
      returned: ['Document.content'],
      denied: [],
      principal: { sub: 'u-holder' },
      people: [{ personId, breakGlassId: null, returned: ['Document.content'], denied: [] }],
    });
    const status = await gateway.graphql('{ auditChainStatus { events firstBrokenSeq reason } }', {}, auditor);
    expect(status.body.data.auditChainStatus).toMatchObject({ firstBrokenSeq: null, reason: null });
    expect(status.body.data.auditChainStatus.events).toBeGreaterThanOrEqual(event.seq);
  });

  it('refuses a link with no token or a bad one (401), and records nothing', async () => {
    const before = await head();
    const anonymous = await download(doc.downloadUrl, null, CASEWORK);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(await refused(anonymous, 401, { code: 'UNAUTHENTICATED' })).toMatch(/bearer token/);
    await refused(await download(doc.downloadUrl, 'not-a-jwt', CASEWORK), 401, { code: 'UNAUTHENTICATED' });
    await refused(await download(doc.downloadUrl, null, { ...CASEWORK, authorization: 'Basic dTpw' }), 401, { code: 'UNAUTHENTICATED' });
    const expiredToken = await gateway.token({ sub: 'u-holder', roles: ['practitioner'], tier: 3, units }, { expiresIn: -120 });
    await refused(await download(doc.downloadUrl, expiredToken, CASEWORK), 401, { code: 'UNAUTHENTICATED' });
    expect(await head()).toBe(before);
  });

  it('refuses a link presented by another user, even one entitled to the document, and audits the attempt against the child', async () => {
    const colleague = await gateway.token({ sub: 'u-colleague', roles: ['practitioner'], tier: 3, units });
    const message = await refused(await download(doc.downloadUrl, colleague, CASEWORK), 403, { code: 'FORBIDDEN', reason: 'LINK_NOT_YOURS' });
    expect(message).toMatch(/issued to someone else/);
    const [attempt] = (await gateway.services.audit.query({ sub: 'u-colleague' }, { first: 1 })).events;
    expect(attempt).toMatchObject({ operation: `download document ${doc.id}`, outcome: 'DENIED', returned: [], denied: ['Document.content'] });
    expect(attempt!.people).toEqual([{ personId, breakGlassId: null, returned: [], denied: ['Document.content'] }]);
    // Their own link works: the document was never the problem.
    expect((await download(await linkFor(colleague), colleague, CASEWORK)).status).toBe(200);
  });

  it('refuses a tampered link: another signature, subject, document or expiry (403 LINK_INVALID), and records nothing', async () => {
    const colleague = await gateway.token({ sub: 'u-colleague', roles: ['practitioner'], tier: 3, units });
    const url = new URL(doc.downloadUrl, gateway.url);
    const other = (await gateway.graphql(DOCUMENTS, { id: personId }, holder, CASEWORK)).body.data.youngPerson.documents.find((d: Doc) => d.id !== doc.id) as Doc | undefined;
    const edits: Array<[string, string]> = [
      [url.pathname + url.search.replace(/sig=[^&]+/, 'sig=AAAA'), holder],
      [url.pathname + url.search.replace(/sub=[^&]+/, 'sub=u-colleague'), colleague],
      [url.pathname + url.search.replace(/expires=(\d+)/, (_m, e: string) => `expires=${Number(e) + 86_400}`), holder],
      [url.pathname + url.search.replace(/&?sig=[^&]+/, ''), holder],
    ];
    if (other) edits.push([`/documents/${encodeURIComponent(other.id)}/content${url.search}`, holder]);
    const before = await head();
    for (const [link, token] of edits) {
      await refused(await download(link, token, CASEWORK), 403, { code: 'FORBIDDEN', reason: 'LINK_INVALID' });
    }
    expect(await head()).toBe(before);
  });

  it('refuses an expired link (403 LINK_EXPIRED)', async () => {
    const link = await linkFor(holder);
    gateway.clock.advance(gateway.services.config.documentLinks.ttlSeconds * 1000 + 1000);
    try {
      const message = await refused(await download(link, holder, CASEWORK), 403, { code: 'FORBIDDEN', reason: 'LINK_EXPIRED' });
      expect(message).toMatch(/expired/);
    } finally {
      gateway.clock.advance(-(gateway.services.config.documentLinks.ttlSeconds * 1000 + 1000));
    }
  });

  it('re-checks access when the link is used: moved to another unit, a lower clearance or no purpose is refused, and audited', async () => {
    const link = await linkFor(holder);
    const moved = await gateway.token({ sub: 'u-holder', roles: ['practitioner'], tier: 3, units: ['CU-ELSEWHERE'] });
    await refused(await download(link, moved, CASEWORK), 403, { code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
    const lowered = await gateway.token({ sub: 'u-holder', roles: ['practitioner'], tier: 1, units });
    await refused(await download(link, lowered, CASEWORK), 403, { code: 'FORBIDDEN', reason: 'CLASSIFIED_ABOVE_CLEARANCE' });
    await refused(await download(link, holder), 403, { code: 'FORBIDDEN', reason: 'PURPOSE_REQUIRED' });
    const youthWorker = await gateway.token({ sub: 'u-holder', roles: ['youth_worker'], tier: 3, units });
    await refused(await download(link, youthWorker, CASEWORK), 403, { code: 'FORBIDDEN', reason: 'CLASSIFIED_ABOVE_CLEARANCE' });
    const refusals = (await gateway.services.audit.query({ sub: 'u-holder' }, { first: 4 })).events;
    expect(refusals.map((e) => e.outcome)).toEqual(['DENIED', 'DENIED', 'DENIED', 'DENIED']);
    expect(refusals.every((e) => e.people[0]?.personId === personId && e.operation === `download document ${doc.id}`)).toBe(true);
    // Still allocated, still allowed.
    expect((await download(link, holder, CASEWORK)).status).toBe(200);
  });

  it('serves under break-glass with the grant in the audit, and refuses once the grant is closed', async () => {
    const outsider = await gateway.token({ sub: 'u-outsider', name: 'Oz Outsider', roles: ['practitioner'], tier: 3, units: ['CU-ELSEWHERE'] });
    const emergency = { 'x-purpose': 'emergency' };
    const opened = await gateway.graphql(
      'mutation($id: ID!) { openBreakGlass(personId: $id, reason: "Child missing overnight; reading the latest court report", minutes: 60) { id } }',
      { id: personId },
      outsider,
    );
    const grantId = opened.body.data.openBreakGlass.id as string;
    const link = await linkFor(outsider, emergency);
    expect((await download(link, outsider, emergency)).status).toBe(200);
    const [read] = (await gateway.services.audit.query({ sub: 'u-outsider' }, { first: 1 })).events;
    expect(read).toMatchObject({ operation: `download document ${doc.id}`, purpose: 'emergency', breakGlassIds: [grantId], outcome: 'RETURNED' });

    const closed = await gateway.graphql('mutation($g: ID!) { closeBreakGlass(grantId: $g, reason: "Child found safe") { active } }', { g: grantId }, outsider);
    expect(closed.body.data.closeBreakGlass.active).toBe(false);
    await refused(await download(link, outsider, emergency), 403, { code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
  });

  it('fails closed: when the audit cannot be written, no content is served (503 AUDIT_UNAVAILABLE)', async () => {
    const link = await linkFor(holder);
    const refuseInserts =
      engine === 'mysql'
        ? "CREATE TRIGGER audit_event_refuse_insert BEFORE INSERT ON audit_event FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk full'"
        : "CREATE TRIGGER audit_event_refuse_insert BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'disk full'); END";
    await admin.exec(refuseInserts);
    try {
      const before = await head();
      const message = await refused(await download(link, holder, CASEWORK), 503, { code: 'AUDIT_UNAVAILABLE' });
      expect(message).toMatch(/not sent/);
      expect(await head()).toBe(before);
    } finally {
      await admin.exec('DROP TRIGGER audit_event_refuse_insert');
    }
    expect((await download(link, holder, CASEWORK)).status).toBe(200);
    expect((await gateway.services.audit.verify()).firstBrokenSeq).toBeNull();
  });
});
