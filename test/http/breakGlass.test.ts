import { rejectionMessage } from '../support/rejectionMessage';
import { testEngines } from '../support/testDatabases';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const OFFENCES = 'query Emergency($id: ID!) { youngPerson(id: $id) { id offences { id offenceCode } } }';
const OPEN = `mutation($id: ID!, $why: String!, $minutes: Int) {
  openBreakGlass(personId: $id, reason: $why, minutes: $minutes) { id personId holder holderName reason openedAt expiresAt active review { outcome } } }`;
const GRANTS = 'query($id: ID!) { breakGlassGrants(personId: $id) { id holder reason active review { outcome reviewedBy notes } } }';
const QUEUE = '{ breakGlassReviewQueue { id personId holder active } }';
const REVIEW = `mutation($g: ID!, $o: BreakGlassReviewOutcome!, $n: String!) { reviewBreakGlass(grantId: $g, outcome: $o, notes: $n) { id review { outcome reviewedBy notes } } }`;
const CLOSURE = 'active review { outcome } closure { cause closedBy closerName reason }';
const REVIEW_CLOSURE = `mutation($g: ID!, $o: BreakGlassReviewOutcome!, $n: String!) { reviewBreakGlass(grantId: $g, outcome: $o, notes: $n) { id ${CLOSURE} } }`;
const CLOSE = `mutation($g: ID!, $r: String!) { closeBreakGlass(grantId: $g, reason: $r) { id ${CLOSURE} } }`;
const EMERGENCY = { 'x-purpose': 'emergency' };
const REASON = 'Police report the child missing overnight; checking known associates and addresses';

describe.each(testEngines())('break-glass over HTTP, store on %s', (engine) => {
  let gateway: TestGateway;
  let personId: string;
  let unit: string;
  let worker: string;
  let leader: string;
  let officer: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 400 });
    // A child YOIS knows, with offences, allocated to a Core Unit.
    const withOffences = new Set(gateway.dataset.yois.rows.YP_OFFENCE.filter((o) => o.DELETED_FLAG === 'N').map((o) => String(o.PERSON_ID)));
    for (const record of gateway.dataset.yois.truth.filter((t) => withOffences.has(t.sourceId))) {
      const id = await gateway.personIdOf('YOIS', record.sourceId);
      const units = await gateway.allocatedUnitsOf(id);
      if (units.length) {
        personId = id;
        unit = units[0]!;
        break;
      }
    }
    expect(personId).toBeDefined();
    // A tier-3 practitioner in a unit no child is allocated to.
    worker = await gateway.token({ sub: 'worker-bo', name: 'Bo Worker', roles: ['practitioner'], tier: 3, units: ['CU-OTHER'] });
    leader = await gateway.token({ sub: 'leader-rahima', name: 'Rahima Khanom', roles: ['core_unit_leader'], tier: 2, units: [unit] });
    officer = await gateway.token({ sub: 'officer-sam', name: 'Sam Officer', roles: ['security_officer'], tier: 1, units: [] });
  });
  afterAll(() => gateway.stop());

  it('opens detail about a child outside the caller\u2019s units for a limited time, audited under the grant, until it expires by itself', async () => {
    const before = await gateway.graphql(OFFENCES, { id: personId }, worker, EMERGENCY);
    expect(before.body.data.youngPerson.offences).toBeNull();
    expect(before.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
    expect(before.body.errors![0]!.message).toMatch(/break-glass/);

    const opened = await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 30 }, worker);
    expect(opened.body.errors).toBeUndefined();
    const grant = opened.body.data.openBreakGlass;
    expect(grant).toMatchObject({ personId, holder: 'worker-bo', holderName: 'Bo Worker', reason: REASON, active: true, review: null });
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.openedAt)).toBe(30 * 60_000);
    // Opening is itself audited, against the young person it opens.
    const [openedEvent] = (await gateway.services.audit.query({ sub: 'worker-bo' }, { first: 1 })).events;
    expect(openedEvent).toMatchObject({ operation: expect.stringMatching(/^mutation/), outcome: 'RETURNED' });
    expect(openedEvent!.returned).toContain('Mutation.openBreakGlass');
    expect(openedEvent!.people).toEqual([expect.objectContaining({ personId })]);

    const during = await gateway.graphql(OFFENCES, { id: personId }, worker, { ...EMERGENCY, 'x-request-id': `glass-${engine}` });
    expect(during.body.errors).toBeUndefined();
    expect(during.body.data.youngPerson.offences.length).toBeGreaterThan(0);
    const [event] = (await gateway.services.audit.query({ sub: 'worker-bo' }, { first: 1 })).events;
    expect(event).toMatchObject({ requestId: `glass-${engine}`, purpose: 'emergency', breakGlassIds: [grant.id], outcome: 'RETURNED' });
    expect(event!.people).toEqual([expect.objectContaining({ personId, breakGlassId: grant.id })]);

    // Only the person it names: another child stays closed.
    const others = await Promise.all(gateway.dataset.yois.truth.slice(0, 5).map((t) => gateway.personIdOf('YOIS', t.sourceId)));
    const other = others.find((id) => id !== personId)!;
    const closed = await gateway.graphql(OFFENCES, { id: other }, worker, EMERGENCY);
    expect(closed.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });

    gateway.clock.advance(30 * 60_000 + 1);
    const after = await gateway.graphql(OFFENCES, { id: personId }, worker, EMERGENCY);
    expect(after.body.data.youngPerson.offences).toBeNull();
    expect(after.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
    const grants = await gateway.graphql(GRANTS, { id: personId }, leader);
    expect(grants.body.data.breakGlassGrants[0]).toMatchObject({ id: grant.id, active: false });
    // The leader also sees the read itself in the child's access history, marked as break-glass.
    const history = await gateway.graphql('query($id: ID!) { personAccessHistory(personId: $id) { sub purpose breakGlass } }', { id: personId }, leader);
    expect(history.body.data.personAccessHistory).toContainEqual({ sub: 'worker-bo', purpose: 'emergency', breakGlass: true });
  });

  it('shows the grant to the leader of the child\u2019s Core Unit and queues it for review by someone other than its holder, once', async () => {
    const grant = (await gateway.graphql(OPEN, { id: personId, why: REASON }, worker)).body.data.openBreakGlass;
    const seen = await gateway.graphql(GRANTS, { id: personId }, leader);
    expect(seen.body.errors).toBeUndefined();
    expect(seen.body.data.breakGlassGrants[0]).toEqual({ id: grant.id, holder: 'worker-bo', reason: REASON, active: true, review: null });
    const otherLeader = await gateway.token({ sub: 'leader-other', roles: ['core_unit_leader'], tier: 2, units: ['CU-NOT-THEIRS'] });
    const hidden = await gateway.graphql(GRANTS, { id: personId }, otherLeader);
    expect(hidden.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const notGranted = await gateway.graphql(GRANTS, { id: personId }, worker);
    expect(notGranted.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });

    const queue = await gateway.graphql(QUEUE, {}, officer);
    expect(queue.body.errors).toBeUndefined();
    expect(queue.body.data.breakGlassReviewQueue.map((g: { id: string }) => g.id)).toContain(grant.id);
    const leaderQueue = await gateway.graphql(QUEUE, {}, leader);
    expect(leaderQueue.body.data.breakGlassReviewQueue.map((g: { id: string }) => g.id)).toContain(grant.id);
    expect((await gateway.graphql(QUEUE, {}, otherLeader)).body.data.breakGlassReviewQueue).toEqual([]);

    // The holder may not review their own grant (they are not a reviewer either, but a leader holding one could be).
    const leaderGrant = (await gateway.graphql(OPEN, { id: personId, why: REASON }, leader)).body.data.openBreakGlass;
    const own = await gateway.graphql(REVIEW, { g: leaderGrant.id, o: 'JUSTIFIED', n: 'It was fine' }, leader);
    expect(own.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'OWN_GRANT' });

    const reviewed = await gateway.graphql(REVIEW, { g: grant.id, o: 'JUSTIFIED', n: 'Missing-child protocol followed' }, officer);
    expect(reviewed.body.errors).toBeUndefined();
    expect(reviewed.body.data.reviewBreakGlass.review).toEqual({ outcome: 'JUSTIFIED', reviewedBy: 'officer-sam', notes: 'Missing-child protocol followed' });
    const twice = await gateway.graphql(REVIEW, { g: grant.id, o: 'NOT_JUSTIFIED', n: 'Changed my mind' }, leader);
    expect(twice.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_REVIEWED' });
    const after = await gateway.graphql(QUEUE, {}, officer);
    expect(after.body.data.breakGlassReviewQueue.map((g: { id: string }) => g.id)).not.toContain(grant.id);
  });

  it('refuses a short reason, a grant longer than the policy allows, an unknown child and a role without break-glass', async () => {
    const short = await gateway.graphql(OPEN, { id: personId, why: 'urgent' }, worker);
    expect(short.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'REASON_REQUIRED' });
    const long = await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 241 }, worker);
    expect(long.body.errors![0]).toMatchObject({ message: expect.stringContaining('240'), extensions: { code: 'BAD_USER_INPUT', reason: 'BREAK_GLASS_TOO_LONG' } });
    const unknown = await gateway.graphql(OPEN, { id: 'P-ZZZZZZZZZZ', why: REASON }, worker);
    expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const youthWorker = await gateway.token({ sub: 'yw', roles: ['youth_worker'], tier: 1, units: [] });
    const refused = await gateway.graphql(OPEN, { id: personId, why: REASON }, youthWorker);
    expect(refused.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });
    expect(await gateway.services.breakGlass.byPerson('P-ZZZZZZZZZZ')).toEqual([]);
  });

  it('ends a grant at once when a review finds it NOT_JUSTIFIED: the holder\u2019s next read is refused, and the review is in the chain against the child', async () => {
    const holder = await gateway.token({ sub: 'worker-cy', name: 'Cy Worker', roles: ['practitioner'], tier: 3, units: ['CU-OTHER'] });
    const grant = (await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 120 }, holder)).body.data.openBreakGlass;
    const during = await gateway.graphql(OFFENCES, { id: personId }, holder, EMERGENCY);
    expect(during.body.errors).toBeUndefined();
    expect(during.body.data.youngPerson.offences.length).toBeGreaterThan(0);

    const judged = await gateway.graphql(REVIEW_CLOSURE, { g: grant.id, o: 'NOT_JUSTIFIED', n: 'No emergency: the child was allocated to another unit that was reachable' }, officer);
    expect(judged.body.errors).toBeUndefined();
    expect(judged.body.data.reviewBreakGlass).toMatchObject({
      id: grant.id,
      active: false,
      review: { outcome: 'NOT_JUSTIFIED' },
      closure: { cause: 'REVIEWED_NOT_JUSTIFIED', closedBy: 'officer-sam', reason: expect.stringMatching(/^No emergency/) },
    });
    // Long before its expiry, the grant no longer opens anything.
    const after = await gateway.graphql(OFFENCES, { id: personId }, holder, EMERGENCY);
    expect(after.body.data.youngPerson.offences).toBeNull();
    expect(after.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
    expect((await gateway.services.breakGlass.activeFor('worker-cy', gateway.clock.now())).size).toBe(0);
    const [event] = (await gateway.services.audit.query({ sub: 'officer-sam' }, { first: 1 })).events;
    expect(event!.returned).toContain('Mutation.reviewBreakGlass');
    expect(event!.people).toEqual([expect.objectContaining({ personId })]);
    // A JUSTIFIED review, by contrast, leaves a grant running.
    const kept = (await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 120 }, holder)).body.data.openBreakGlass;
    const fine = await gateway.graphql(REVIEW_CLOSURE, { g: kept.id, o: 'JUSTIFIED', n: 'Missing-child protocol followed' }, officer);
    expect(fine.body.data.reviewBreakGlass).toMatchObject({ active: true, closure: null });
    expect((await gateway.graphql(OFFENCES, { id: personId }, holder, EMERGENCY)).body.errors).toBeUndefined();
    expect((await gateway.graphql(CLOSE, { g: kept.id, r: 'Tidying up after the test' }, holder)).body.errors).toBeUndefined();
    expect((await gateway.services.audit.verify()).firstBrokenSeq).toBeNull();
  });

  it('lets the holder or a security officer close a grant early, audited against the child; anyone else is told what an unknown ID is told', async () => {
    const holder = await gateway.token({ sub: 'worker-di', name: 'Di Worker', roles: ['practitioner'], tier: 3, units: ['CU-OTHER'] });
    const grant = (await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 120 }, holder)).body.data.openBreakGlass;
    expect((await gateway.graphql(OFFENCES, { id: personId }, holder, EMERGENCY)).body.errors).toBeUndefined();

    // Another practitioner (a role that may close its own grants) and a Core Unit leader who may see the grant.
    const stranger = await gateway.token({ sub: 'worker-ed', roles: ['practitioner'], tier: 3, units: ['CU-OTHER'] });
    const foreign = await gateway.graphql(CLOSE, { g: grant.id, r: 'Not mine but closing it' }, stranger);
    const unknown = await gateway.graphql(CLOSE, { g: 'BG-00000000-0000-0000-0000-000000000000', r: 'Not mine but closing it' }, stranger);
    expect(foreign.body.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND' });
    expect(foreign.body.errors![0]!.message).toBe(unknown.body.errors![0]!.message);
    expect(foreign.body.data).toBeNull();
    const byLeader = await gateway.graphql(CLOSE, { g: grant.id, r: 'Closing from the unit' }, leader);
    expect(byLeader.body.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND' });
    const youthWorker = await gateway.token({ sub: 'yw-close', roles: ['youth_worker'], tier: 1, units: [] });
    expect((await gateway.graphql(CLOSE, { g: grant.id, r: 'Closing it' }, youthWorker)).body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });
    expect((await gateway.graphql(CLOSE, { g: grant.id, r: 'ok' }, holder)).body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'REASON_REQUIRED' });
    expect((await gateway.graphql(OFFENCES, { id: personId }, holder, EMERGENCY)).body.errors).toBeUndefined();

    const closed = await gateway.graphql(CLOSE, { g: grant.id, r: 'Child found safe; emergency over' }, holder, { 'x-request-id': `close-${engine}` });
    expect(closed.body.errors).toBeUndefined();
    expect(closed.body.data.closeBreakGlass).toMatchObject({
      id: grant.id,
      active: false,
      review: null,
      closure: { cause: 'CLOSED_BY_HOLDER', closedBy: 'worker-di', closerName: 'Di Worker', reason: 'Child found safe; emergency over' },
    });
    const refused = await gateway.graphql(OFFENCES, { id: personId }, holder, EMERGENCY);
    expect(refused.body.data.youngPerson.offences).toBeNull();
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
    const again = await gateway.graphql(CLOSE, { g: grant.id, r: 'Closing it twice' }, holder);
    expect(again.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_ENDED' });
    // Closed early, it still waits for its review.
    expect((await gateway.graphql(QUEUE, {}, officer)).body.data.breakGlassReviewQueue.map((g: { id: string }) => g.id)).toContain(grant.id);
    const [event] = (await gateway.services.audit.query({ sub: 'worker-di' }, { first: 5 })).events.filter((e) => e.requestId === `close-${engine}`);
    expect(event).toMatchObject({ operation: expect.stringMatching(/^mutation/), outcome: 'RETURNED' });
    expect(event!.returned).toContain('Mutation.closeBreakGlass');
    expect(event!.people).toEqual([expect.objectContaining({ personId })]);

    // A security officer closes anyone's grant.
    const second = (await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 120 }, holder)).body.data.openBreakGlass;
    const byOfficer = await gateway.graphql(CLOSE, { g: second.id, r: 'Holder on leave; access withdrawn' }, officer);
    expect(byOfficer.body.errors).toBeUndefined();
    expect(byOfficer.body.data.closeBreakGlass.closure).toMatchObject({ cause: 'CLOSED_BY_SECURITY_OFFICER', closedBy: 'officer-sam' });
    expect((await gateway.graphql(OFFENCES, { id: personId }, holder, EMERGENCY)).body.data.youngPerson.offences).toBeNull();
    // An expired grant cannot be closed: it has ended already.
    const short = (await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 1 }, holder)).body.data.openBreakGlass;
    gateway.clock.advance(61_000);
    expect((await gateway.graphql(CLOSE, { g: short.id, r: 'Too late to close' }, holder)).body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_ENDED' });
    // Judged unjustified after it expired, it has nothing left to end: no closure, just the review.
    const late = await gateway.graphql(REVIEW_CLOSURE, { g: short.id, o: 'NOT_JUSTIFIED', n: 'No emergency at all' }, officer);
    expect(late.body.data.reviewBreakGlass).toMatchObject({ active: false, review: { outcome: 'NOT_JUSTIFIED' }, closure: null });
    expect((await gateway.services.audit.verify()).firstBrokenSeq).toBeNull();
  });

  it('keeps grants and reviews append-only in the store', async () => {
    const db = gateway.services.store.database.db as unknown as import('kysely').Kysely<{ break_glass_grant: { reason: string } }>;
    expect(await rejectionMessage(db.updateTable('break_glass_grant').set({ reason: 'rewritten' }).execute())).toMatch(/append-only/);
    expect(await rejectionMessage(db.deleteFrom('break_glass_grant').execute())).toMatch(/append-only/);
    // An ended grant cannot be reopened by deleting its closure.
    const closures = db as unknown as import('kysely').Kysely<{ break_glass_closure: { cause: string } }>;
    expect(await rejectionMessage(closures.deleteFrom('break_glass_closure').execute())).toMatch(/append-only/);
    expect(await rejectionMessage(closures.updateTable('break_glass_closure').set({ cause: 'x' }).execute())).toMatch(/append-only/);
    expect(await gateway.services.breakGlass.byPerson(personId)).not.toEqual([]);
  });

  // Last in the block: it changes the policy in force for this gateway.
  it('follows the policy in force: a role still granted openBreakGlass but no longer `breakGlass: true` is refused, and a lower limit applies at once', async () => {
    const alice = await gateway.token({ sub: 'officer-alice', name: 'Alice Officer', roles: ['security_officer'], tier: 0, units: [] });
    const bob = await gateway.token({ sub: 'officer-bob', name: 'Bob Officer', roles: ['security_officer'], tier: 0, units: [] });
    const current = await gateway.graphql('{ activePolicy { version document } }', {}, alice);
    expect(current.body.errors).toBeUndefined();
    const document = JSON.parse(current.body.data.activePolicy.document) as {
      breakGlass: { maxMinutes: number };
      roles: Record<string, { grants: string[]; breakGlass?: boolean }>;
    };
    document.roles.practitioner!.breakGlass = false;
    expect(document.roles.practitioner!.grants).toContain('Mutation.openBreakGlass');
    document.breakGlass.maxMinutes = 60;
    const proposed = await gateway.graphql(
      'mutation($d: String!, $r: String!) { proposePolicy(document: $d, reason: $r) { version } }',
      { d: JSON.stringify(document, null, 2), r: 'Break-glass for Core Unit leaders and clinicians only, one hour at most' },
      alice,
    );
    expect(proposed.body.errors).toBeUndefined();
    const approved = await gateway.graphql(
      'mutation($v: Int!, $r: String!) { approvePolicy(version: $v, reason: $r) { status } }',
      { v: proposed.body.data.proposePolicy.version, r: 'Agreed at the information governance board' },
      bob,
    );
    expect(approved.body.errors).toBeUndefined();

    const refused = await gateway.graphql(OPEN, { id: personId, why: REASON }, worker);
    expect(refused.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'BREAK_GLASS_NOT_ALLOWED' });
    const clinician = await gateway.token({ sub: 'clinician-ade', name: 'Ade Clinician', roles: ['clinician'], tier: 2, units: ['CU-OTHER'] });
    const tooLong = await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 61 }, clinician);
    expect(tooLong.body.errors![0]).toMatchObject({ message: expect.stringContaining('60'), extensions: { code: 'BAD_USER_INPUT', reason: 'BREAK_GLASS_TOO_LONG' } });
    const hour = await gateway.graphql(OPEN, { id: personId, why: REASON, minutes: 60 }, clinician);
    expect(hour.body.errors).toBeUndefined();
    expect(hour.body.data.openBreakGlass).toMatchObject({ holder: 'clinician-ade', active: true });
    expect((await gateway.services.breakGlass.byPerson(personId)).filter((g) => g.holder === 'worker-bo')).toHaveLength(2);
  });
});
