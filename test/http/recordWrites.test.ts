import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DmsTables } from '../../adapters/dms/tables';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { UmisTables } from '../../adapters/umis/tables';
import type { YoisTables } from '../../adapters/yois/tables';
import { testEngines } from '../support/testDatabases';
import { startTestGateway, type GraphQLBody, type TestGateway } from '../support/startTestGateway';

const CONTACT = `mutation($key: String!, $id: ID!, $c: ContactInput!) {
  recordContact(idempotencyKey: $key, personId: $id, contact: $c) { system recordType recordId personId replayed } }`;
const ASSESSMENT = `mutation($key: String!, $id: ID!, $a: AssessmentInput!) {
  recordAssessment(idempotencyKey: $key, personId: $id, assessment: $a) { system recordType recordId personId replayed } }`;
const PLAN_REVIEW = `mutation($key: String!, $id: ID!, $r: PlanReviewInput!) {
  recordPlanReview(idempotencyKey: $key, personId: $id, review: $r) { system recordId } }`;
const OUTCOME = `mutation($key: String!, $id: ID!, $o: AppointmentOutcomeInput!) {
  recordAppointmentOutcome(idempotencyKey: $key, personId: $id, outcome: $o) { system recordId } }`;
const NOTE = `mutation($key: String!, $id: ID!, $n: OrderProgressNoteInput!) {
  recordOrderProgressNote(idempotencyKey: $key, personId: $id, note: $n) { system recordId } }`;
const SESSION = `mutation($key: String!, $s: GroupSessionInput!) {
  recordGroupSession(idempotencyKey: $key, session: $s) { system recordType recordId personId } }`;
const UPLOAD = `mutation($key: String!, $id: ID!, $d: DocumentUploadInput!) {
  uploadDocument(idempotencyKey: $key, personId: $id, document: $d) { system recordId } }`;

const casework = { 'x-purpose': 'allocated_casework' };
const contact = (notes = 'Met at the youth hub; talked about college.') => ({ contactDate: '2026-01-10T15:30:00Z', contactType: 'FACE', durationMinutes: 45, notes });
const errorOf = (body: GraphQLBody) => body.errors?.[0];
const count = async (db: Kysely<never>, table: string): Promise<number> =>
  Number(((await (db as unknown as Kysely<Record<string, Record<string, unknown>>>).selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()) as { n: unknown }).n);

describe.each(testEngines({ sqlServer: true }))('recording once, in the system that owns the record, over HTTP on %s', (engine) => {
  let gateway: TestGateway;
  let iyss: Kysely<IyssTables>;
  let umis: Kysely<UmisTables>;
  let yois: Kysely<YoisTables>;
  let dms: Kysely<DmsTables>;
  /** Known to IYSS, UMIS and YOIS, with an open plan and an order with a past appointment; allocated to `units`. */
  let child: { personId: string; iyss: string; umis: string; yois: string; planId: string; orderId: string; appointmentId: string };
  /** Another child known to all three, allocated to none of `units`. */
  let other: { personId: string; planId: string; orderId: string };
  let units: string[];
  let otherPersonId: string | undefined;
  let worker: string;
  let tier1: string;
  let outsider: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 1000 });
    iyss = gateway.databases.iyss.db;
    umis = gateway.databases.umis.db;
    yois = gateway.databases.yois.db;
    dms = gateway.databases.dms.db;
    const { dataset } = gateway;
    const iyssOf = new Map(dataset.iyss.truth.map((t) => [t.personKey, String(t.youngPersonId)]));
    const umisOf = new Map(dataset.umis.truth.map((t) => [t.personKey, t.sourceId]));
    const insider = (u: string[]) => gateway.token({ sub: 'fixture', roles: ['practitioner'], tier: 3, units: u });
    const look = `query($id: ID!) { youngPerson(id: $id) { iyssRecords { sourceId } umisRecords { sourceId } yoisRecords { sourceId }
      plans { id status } orders { id status appointments { id scheduledAt } } } }`;
    const now = new Date().toISOString();
    for (const t of dataset.yois.truth) {
      if (!iyssOf.has(t.personKey) || !umisOf.has(t.personKey)) continue;
      const personId = await gateway.personIdOf('YOIS', t.sourceId);
      const allocated = await gateway.allocatedUnitsOf(personId);
      if (child && !allocated.some((u) => units.includes(u))) {
        otherPersonId ??= personId;
        continue;
      }
      if (child || allocated.length === 0) continue;
      const { body } = await gateway.graphql(look, { id: personId }, await insider(allocated), casework);
      const p = body.data?.youngPerson;
      if (!p || p.iyssRecords?.length !== 1 || p.umisRecords?.length !== 1 || p.yoisRecords?.length !== 1) continue;
      const plan = p.plans.find((x: { status: string }) => x.status === 'ACTIVE');
      const order = p.orders.find((o: { appointments: Array<{ scheduledAt: string }> }) => o.appointments.some((a) => a.scheduledAt < now));
      if (!plan || !order) continue;
      units = allocated;
      const appointment = order.appointments.find((a: { scheduledAt: string }) => a.scheduledAt < now);
      child = { personId, planId: plan.id, orderId: order.id, iyss: p.iyssRecords[0].sourceId, umis: p.umisRecords[0].sourceId, yois: p.yoisRecords[0].sourceId, appointmentId: appointment.id };
    }
    // Another child's plan and order, straight from the seed: any that are not this child's.
    const otherPlan = dataset.umis.rows.plan.find((plan) => plan.client_id !== child?.umis && plan.is_active === 1)!;
    const otherOrder = dataset.yois.rows.YP_ORDER.find((order) => String(order.PERSON_ID) !== child?.yois && order.DELETED_FLAG === 'N')!;
    other = { personId: otherPersonId!, planId: otherPlan.plan_id, orderId: String(otherOrder.ORDER_ID) };
    expect(child).toBeDefined();
    expect(other.personId).toBeDefined();
    worker = await gateway.token({ sub: 'u-worker', name: 'Ada Worker', roles: ['practitioner'], tier: 3, units });
    tier1 = await gateway.token({ sub: 'u-youth', name: 'Yusuf Youth', roles: ['youth_worker'], tier: 1, units });
    outsider = await gateway.token({ sub: 'u-outsider', roles: ['practitioner'], tier: 3, units: ['CU-ELSEWHERE'] });
  }, 300_000);
  afterAll(() => gateway.stop());

  it('records a contact in IYSS tblContact, shows it on the person, audits it, and a retry writes nothing', async () => {
    const key = randomUUID();
    const before = await count(iyss as never, 'tblContact');
    const first = await gateway.graphql(CONTACT, { key, id: child.personId, c: contact() }, tier1);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.recordContact).toMatchObject({ system: 'IYSS', recordType: 'IYSS contact', personId: child.personId, replayed: false });
    const row = await iyss.selectFrom('tblContact').selectAll().where('ContactID', '=', Number(first.body.data.recordContact.recordId)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ YoungPersonID: Number(child.iyss), ContactTypeCode: 'FACE', DurationMins: 45, WorkerName: 'Yusuf Youth', IsDeleted: 0 });
    const contactDate = row.ContactDate as unknown;
    expect(contactDate instanceof Date ? contactDate.toISOString() : String(contactDate)).toMatch(/^2026-01-10[ T]15:30:00/);
    const again = await gateway.graphql(CONTACT, { key, id: child.personId, c: contact() }, tier1);
    expect(again.body.data.recordContact).toEqual({ ...first.body.data.recordContact, replayed: true });
    expect(await count(iyss as never, 'tblContact')).toBe(before + 1);
    const seen = await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { contacts { id contactType workerName notes } } }', { id: child.personId }, tier1);
    expect(seen.body.data.youngPerson.contacts).toContainEqual({ id: first.body.data.recordContact.recordId, contactType: 'Face to face', workerName: 'Yusuf Youth', notes: contact().notes });
    const audit = await gateway.services.audit.query({ personId: child.personId, sub: 'u-youth' }, { first: 10 });
    expect(audit.events.some((e) => e.operation === 'mutation' && e.people.some((p) => p.personId === child.personId && p.returned.includes('Mutation.recordContact')))).toBe(true);
  });

  it('writes once when the same request is retried eight times at once', async () => {
    const key = randomUUID();
    const before = await count(iyss as never, 'tblContact');
    const answers = await Promise.all(Array.from({ length: 8 }, () => gateway.graphql(CONTACT, { key, id: child.personId, c: contact('Concurrent retry') }, tier1)));
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    const results = answers.map((a) => a.body.data.recordContact);
    expect(new Set(results.map((r) => r.recordId)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await count(iyss as never, 'tblContact')).toBe(before + 1);
  });

  it('refuses a key reused for a different write, and writes nothing', async () => {
    const key = randomUUID();
    await gateway.graphql(CONTACT, { key, id: child.personId, c: contact('First') }, tier1);
    const before = await count(iyss as never, 'tblContact');
    const { body } = await gateway.graphql(CONTACT, { key, id: child.personId, c: contact('Something else') }, tier1);
    expect(errorOf(body)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(await count(iyss as never, 'tblContact')).toBe(before);
  });

  it('names the field at fault and writes nothing: a future date, an unknown code, a bad duration', async () => {
    const before = await count(iyss as never, 'tblContact');
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...contact(), contactDate: '2099-01-01T10:00:00Z' }, 'contact.contactDate', 'FUTURE_DATE'],
      [{ ...contact(), contactType: 'TELEPATHY' }, 'contact.contactType', 'UNKNOWN_CODE'],
      [{ ...contact(), durationMinutes: 0 }, 'contact.durationMinutes', 'OUT_OF_RANGE'],
    ];
    for (const [input, field, reason] of cases) {
      const { body } = await gateway.graphql(CONTACT, { key: randomUUID(), id: child.personId, c: input }, tier1);
      expect(body.data.recordContact).toBeNull();
      expect(errorOf(body)?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason, field });
      expect(errorOf(body)?.message).toContain(field.split('.')[1]);
    }
    expect(await count(iyss as never, 'tblContact')).toBe(before);
  });

  it('records a group-work session with its register in IYSS, in one transaction', async () => {
    const register = [{ personId: child.personId, status: 'PRESENT' }, { personId: other.personId, status: 'LATE' }];
    const session = { title: 'Friday football', activityType: 'SPRT', sessionDate: '2026-01-09T18:00:00Z', venue: 'Concorde Youth Centre', register };
    const { body } = await gateway.graphql(SESSION, { key: randomUUID(), s: session }, tier1);
    expect(body.errors).toBeUndefined();
    const id = Number(body.data.recordGroupSession.recordId);
    expect(await iyss.selectFrom('tblGroupSession').select(['SessionTitle', 'ActivityTypeCode', 'Venue']).where('GroupSessionID', '=', id).executeTakeFirst()).toEqual({
      SessionTitle: 'Friday football', ActivityTypeCode: 'SPRT', Venue: 'Concorde Youth Centre',
    });
    const rows = await iyss.selectFrom('tblAttendance').select(['YoungPersonID', 'AttendanceCode']).where('GroupSessionID', '=', id).orderBy('AttendanceID').execute();
    expect(rows.map((r) => r.AttendanceCode)).toEqual(['P', 'L']);
    expect(rows[0]!.YoungPersonID).toBe(Number(child.iyss));
    // An unknown activity code: neither the session nor any attendance row is written.
    const sessions = await count(iyss as never, 'tblGroupSession');
    const refused = await gateway.graphql(SESSION, { key: randomUUID(), s: { ...session, activityType: 'NOPE' } }, tier1);
    expect(errorOf(refused.body)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_CODE', field: 'session.activityType' });
    expect(await count(iyss as never, 'tblGroupSession')).toBe(sessions);
    // A register naming a child the worker may not see reads exactly like one naming nobody.
    const answers = [];
    for (const hidden of ['P-0000000000', `yp:YOIS:${child.yois}`, `yp:UMIS:${child.umis}`]) {
      const { body: refusal } = await gateway.graphql(SESSION, { key: randomUUID(), s: { ...session, register: [...register, { personId: hidden, status: 'ABSENT' }] } }, tier1);
      answers.push(JSON.stringify({ data: refusal.data, errors: refusal.errors?.map((e) => [e.message, e.extensions]) }));
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain('NOT_FOUND');
    expect(await count(iyss as never, 'tblGroupSession')).toBe(sessions);
  });

  it('records an assessment with its domain scores in UMIS for an allocated child', async () => {
    const assessment = {
      assessmentType: 'EHA', status: 'COMPLETED', startedOn: '2026-01-05', completedOn: '2026-01-08', summary: 'Settled at home; school attendance improving.',
      domains: [{ domain: 'FAMILY', score: 1, analysis: 'Supportive mother.' }, { domain: 'EDUCATION', score: 2 }],
    };
    const { body } = await gateway.graphql(ASSESSMENT, { key: randomUUID(), id: child.personId, a: assessment }, worker, casework);
    expect(body.errors).toBeUndefined();
    const id = body.data.recordAssessment.recordId as string;
    const row = await umis.selectFrom('assessment').selectAll().where('assessment_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ client_id: child.umis, assessment_type_code: 'EHA', status_code: 'C', summary: assessment.summary });
    const scores = await umis.selectFrom('assessment_domain_score').select(['domain_code', 'score']).where('assessment_id', '=', id).orderBy('domain_code').execute();
    expect(scores).toEqual([{ domain_code: 'EDU', score: 2 }, { domain_code: 'FAM', score: 1 }]);
    const seen = await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { assessments { id status domains { domain score } } } }', { id: child.personId }, worker, casework);
    expect(seen.body.data.youngPerson.assessments).toContainEqual({ id, status: 'COMPLETED', domains: expect.arrayContaining([{ domain: 'FAMILY', score: 1 }]) });
  });

  it('refuses a tier-1 worker a UMIS or YOIS write by tier, before anything is looked up', async () => {
    const { body } = await gateway.graphql(OUTCOME, { key: randomUUID(), id: child.personId, o: { appointmentId: child.appointmentId, attendance: 'ATTENDED' } }, tier1);
    expect(errorOf(body)?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: expect.stringMatching(/NOT_GRANTED|TIER_TOO_LOW/) });
    const tier1Practitioner = await gateway.token({ sub: 'u-p1', roles: ['practitioner'], tier: 1, units });
    const second = await gateway.graphql(OUTCOME, { key: randomUUID(), id: child.personId, o: { appointmentId: child.appointmentId, attendance: 'ATTENDED' } }, tier1Practitioner);
    expect(errorOf(second.body)?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TIER_TOO_LOW' });
  });

  it('answers a child without need to know, an unknown ID and another child\u2019s plan, order or appointment alike, writing nothing', async () => {
    const counts = async () => [await count(umis as never, 'plan_review'), await count(umis as never, 'assessment'), await count(yois as never, 'YP_ORDER_NOTE')];
    const before = await counts();
    const assessment = { assessmentType: 'EHA', status: 'DRAFT', startedOn: '2026-01-05', domains: [] };
    const review = (planId: string) => ({ planId, reviewedOn: '2026-01-06', outcome: 'PROG' });
    const note = (orderId: string) => ({ orderId, noteDate: '2026-01-06', text: 'Phoned mother about Tuesday.' });
    const probes: Array<[string, string, Record<string, unknown>, string]> = [
      ['unknown ID', ASSESSMENT, { id: 'P-0000000000', a: assessment }, worker],
      ['not allocated', ASSESSMENT, { id: child.personId, a: assessment }, outsider],
      ['other child, unallocated', ASSESSMENT, { id: other.personId, a: assessment }, worker],
      ['another child\u2019s plan', PLAN_REVIEW, { id: child.personId, r: review(other.planId) }, worker],
      ['unknown plan', PLAN_REVIEW, { id: child.personId, r: review(randomUUID()) }, worker],
      ['another child\u2019s order', NOTE, { id: child.personId, n: note(other.orderId) }, worker],
      ['note, not allocated', NOTE, { id: child.personId, n: note(child.orderId) }, outsider],
    ];
    for (const [label, text, vars, token] of probes) {
      const { body } = await gateway.graphql(text, { key: randomUUID(), ...vars }, token, casework);
      expect([label, body.errors?.map((e) => ({ message: e.message, extensions: e.extensions }))]).toEqual([
        label,
        [{ message: 'No young person or record that you may write to has that reference', extensions: { code: 'NOT_FOUND' } }],
      ]);
    }
    expect(await counts()).toEqual(before);
  });

  it('records a plan review in UMIS and moves the plan\u2019s next review date', async () => {
    const { body } = await gateway.graphql(PLAN_REVIEW, { key: randomUUID(), id: child.personId, r: { planId: child.planId, reviewedOn: '2026-01-06', outcome: 'PROG', notes: 'Good term.', nextReviewDate: '2026-04-06' } }, worker, casework);
    expect(body.errors).toBeUndefined();
    const row = await umis.selectFrom('plan_review').select(['plan_id', 'review_outcome_code', 'notes']).where('plan_review_id', '=', body.data.recordPlanReview.recordId).executeTakeFirstOrThrow();
    expect(row).toEqual({ plan_id: child.planId, review_outcome_code: 'PROG', notes: 'Good term.' });
    const plan = await umis.selectFrom('plan').select('next_review_date').where('plan_id', '=', child.planId).executeTakeFirstOrThrow();
    expect(String(plan.next_review_date instanceof Date ? plan.next_review_date.toISOString() : plan.next_review_date).slice(0, 10)).toBe('2026-04-06');
  });

  it('records an appointment outcome and an order progress note in YOIS; an appointment still to come takes no outcome', async () => {
    const { body } = await gateway.graphql(OUTCOME, { key: randomUUID(), id: child.personId, o: { appointmentId: child.appointmentId, attendance: 'FAILED_TO_ATTEND' } }, worker, casework);
    expect(body.errors).toBeUndefined();
    const flag = await yois.selectFrom('YP_APPOINTMENT').select('ATTENDED_FLAG').where('APPOINTMENT_ID', '=', Number(child.appointmentId)).executeTakeFirstOrThrow();
    expect(flag.ATTENDED_FLAG).toBe('N');
    // Seen from a clock ten years back, the same appointment has not happened yet.
    gateway.clock.advance(-10 * 365 * 86_400_000);
    try {
      const early = await gateway.graphql(OUTCOME, { key: randomUUID(), id: child.personId, o: { appointmentId: child.appointmentId, attendance: 'ATTENDED' } }, worker, casework);
      expect(errorOf(early.body)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'outcome.appointmentId' });
    } finally {
      gateway.clock.advance(10 * 365 * 86_400_000);
    }
    expect((await yois.selectFrom('YP_APPOINTMENT').select('ATTENDED_FLAG').where('APPOINTMENT_ID', '=', Number(child.appointmentId)).executeTakeFirstOrThrow()).ATTENDED_FLAG).toBe('N');
    const noted = await gateway.graphql(NOTE, { key: randomUUID(), id: child.personId, n: { orderId: child.orderId, noteDate: '2026-01-07', text: 'Şule phoned: he will come on Tuesday.' } }, worker, casework);
    expect(noted.body.errors).toBeUndefined();
    const row = await yois.selectFrom('YP_ORDER_NOTE').selectAll().where('NOTE_ID', '=', Number(noted.body.data.recordOrderProgressNote.recordId)).executeTakeFirstOrThrow();
    // YOIS's columns hold Windows-1252: Ş is kept as S, the screens' upper-case worker name.
    expect(row).toMatchObject({ ORDER_ID: Number(child.orderId), NOTE_DATE: '20260107', NOTE_TEXT: 'Sule phoned: he will come on Tuesday.', WORKER_NAME: 'ADA WORKER', DELETED_FLAG: 'N' });
  });

  it('files a document in the DMS with its classification and content, and refuses one too large or of a type not allowed', async () => {
    const content = Buffer.from('Letter: appointment on Tuesday at 4pm.');
    const document = { title: 'Appointment letter', documentType: 'LTRAPT', classificationTier: 1, contentType: 'text/plain', contentBase64: content.toString('base64') };
    const { body } = await gateway.graphql(UPLOAD, { key: randomUUID(), id: child.personId, d: document }, tier1);
    expect(body.errors).toBeUndefined();
    const row = await dms.selectFrom('dm_document').selectAll().where('doc_id', '=', Number(body.data.uploadDocument.recordId)).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject_system: 'YS', subject_ref: child.iyss, security_class: 'OFFICIAL', doc_type_cd: 'LTRAPT', mime_type: 'text/plain', byte_size: content.length, purged: '0' });
    expect(await gateway.databases.files.read(row.storage_path)).toEqual(content);
    const restricted = await gateway.graphql(UPLOAD, { key: randomUUID(), id: child.personId, d: { ...document, documentType: 'PSR', classificationTier: 3 } }, worker, casework);
    expect(restricted.body.errors).toBeUndefined();
    const filed = await dms.selectFrom('dm_document').select(['subject_system', 'subject_ref', 'security_class']).where('doc_id', '=', Number(restricted.body.data.uploadDocument.recordId)).executeTakeFirstOrThrow();
    expect(filed).toEqual({ subject_system: 'YO', subject_ref: child.yois, security_class: 'RESTRICTED' });
    const before = await count(dms as never, 'dm_document');
    const tooBig = await gateway.graphql(UPLOAD, { key: randomUUID(), id: child.personId, d: { ...document, contentBase64: Buffer.alloc(140_000, 65).toString('base64') } }, tier1);
    expect(errorOf(tooBig.body)?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'TOO_LARGE', field: 'document.contentBase64' });
    const html = await gateway.graphql(UPLOAD, { key: randomUUID(), id: child.personId, d: { ...document, contentType: 'text/html' } }, tier1);
    expect(errorOf(html.body)?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'CONTENT_TYPE_NOT_ALLOWED', field: 'document.contentType' });
    const above = await gateway.graphql(UPLOAD, { key: randomUUID(), id: child.personId, d: { ...document, classificationTier: 2 } }, tier1);
    expect(errorOf(above.body)?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CLASSIFIED_ABOVE_CLEARANCE' });
    expect(await count(dms as never, 'dm_document')).toBe(before);
  });
});
