import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { YoisTables } from '../../adapters/yois/tables';
import { testEngines } from '../support/testDatabases';
import { startTestGateway, type GraphQLBody, type TestGateway } from '../support/startTestGateway';

const STEP = (name: string, extra = '') => `mutation($key: String!, $id: ID!, $s: BreachStepInput!${extra ? ', $d: BreachPanelDecision!' : ''}) {
  ${name}(idempotencyKey: $key, personId: $id, step: $s${extra}) { system recordId } }`;
const OUTCOME = `mutation($key: String!, $id: ID!, $o: AppointmentOutcomeInput!) {
  recordAppointmentOutcome(idempotencyKey: $key, personId: $id, outcome: $o) { recordId } }`;
const ORDERS = `query($id: ID!) { youngPerson(id: $id) { orders { id status breachWarnings { strike }
  breach { stage strikes missedAppointments contactAttempts allowedNextSteps panelDecision } } } }`;
const casework = { 'x-purpose': 'allocated_casework' };

describe.each(testEngines())('the breach process on a statutory order, over HTTP on %s', (engine) => {
  let gateway: TestGateway;
  let yois: Kysely<YoisTables>;
  let child: { personId: string; orderId: string; first: { id: string; at: string }; second: { id: string; at: string } };
  let worker: string;
  let leader: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 800 });
    yois = gateway.databases.yois.db;
    const { rows } = gateway.dataset.yois;
    const warned = new Set(rows.YP_BREACH_WARNING.map((w) => w.ORDER_ID));
    for (const order of rows.YP_ORDER) {
      if (order.ORDER_STATUS !== 'A' || order.DELETED_FLAG !== 'N' || warned.has(order.ORDER_ID)) continue;
      const appointments = rows.YP_APPOINTMENT.filter((a) => a.ORDER_ID === order.ORDER_ID && a.DELETED_FLAG === 'N').sort((a, b) => (a.APPT_DATETIME < b.APPT_DATETIME ? -1 : 1));
      if (appointments.length < 2) continue;
      const [a1, a2] = appointments as [(typeof appointments)[number], (typeof appointments)[number]];
      const at = (text: string) => new Date(`${text.replace(' ', 'T')}Z`).toISOString();
      if (Date.parse(at(a2.APPT_DATETIME)) - Date.parse(at(a1.APPT_DATETIME)) < 6 * 3_600_000) continue;
      const personId = await gateway.personIdOf('YOIS', order.PERSON_ID);
      const units = await gateway.allocatedUnitsOf(personId);
      if (units.length === 0) continue;
      child = { personId, orderId: String(order.ORDER_ID), first: { id: String(a1.APPOINTMENT_ID), at: at(a1.APPT_DATETIME) }, second: { id: String(a2.APPOINTMENT_ID), at: at(a2.APPT_DATETIME) } };
      worker = await gateway.token({ sub: 'u-yot', name: 'Ola Yot', roles: ['practitioner'], tier: 3, units });
      leader = await gateway.token({ sub: 'u-lead', name: 'Lee Leader', roles: ['core_unit_leader'], tier: 3, units });
      break;
    }
    expect(child).toBeDefined();
  }, 300_000);
  afterAll(() => gateway.stop());

  /** Moves the gateway's clock to an hour after `iso`. */
  const clockTo = (iso: string) => gateway.clock.advance(Date.parse(iso) + 3_600_000 - gateway.clock.now().getTime());
  const breach = async () => {
    const { body } = await gateway.graphql(ORDERS, { id: child.personId }, worker, casework);
    expect(body.errors).toBeUndefined();
    return body.data.youngPerson.orders.find((o: { id: string }) => o.id === child.orderId).breach;
  };
  const step = async (name: string, token = worker, decision?: string): Promise<GraphQLBody> => {
    const date = gateway.clock.now().toISOString().slice(0, 10);
    const vars = { key: randomUUID(), id: child.personId, s: { orderId: child.orderId, date, notes: `${name} by test` }, ...(decision ? { d: decision } : {}) };
    return (await gateway.graphql(STEP(name, decision ? ', decision: $d' : ''), vars, token, casework)).body;
  };
  const refusedAsOutOfOrder = (body: GraphQLBody) => {
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION', field: 'step.orderId' });
    expect(body.errors?.[0]?.message).toMatch(/Allowed next steps: /);
  };

  it('takes an order from a missed appointment through contact, two strikes and the panel, refusing every step out of order', async () => {
    clockTo(child.first.at);
    const missed = await gateway.graphql(OUTCOME, { key: randomUUID(), id: child.personId, o: { appointmentId: child.first.id, attendance: 'FAILED_TO_ATTEND' } }, worker, casework);
    expect(missed.body.errors).toBeUndefined();
    expect(await breach()).toEqual({ stage: 'MISSED_APPOINTMENT', strikes: 0, missedAppointments: 1, contactAttempts: 0, allowedNextSteps: ['recordContactAttempt'], panelDecision: null });
    // No warning before contact has been attempted, no panel before two strikes.
    refusedAsOutOfOrder(await step('issueBreachWarning'));
    refusedAsOutOfOrder(await step('referBreachToPanel'));
    expect((await step('recordContactAttempt')).errors).toBeUndefined();
    expect(await breach()).toMatchObject({ stage: 'CONTACT_ATTEMPTED', contactAttempts: 1, allowedNextSteps: ['recordContactAttempt', 'issueBreachWarning'] });
    expect((await step('issueBreachWarning')).errors).toBeUndefined();
    expect(await breach()).toMatchObject({ stage: 'FIRST_WARNING', strikes: 1, missedAppointments: 0, allowedNextSteps: [] });
    refusedAsOutOfOrder(await step('issueBreachWarning'));

    clockTo(child.second.at);
    await gateway.graphql(OUTCOME, { key: randomUUID(), id: child.personId, o: { appointmentId: child.second.id, attendance: 'FAILED_TO_ATTEND' } }, worker, casework);
    expect((await step('recordContactAttempt')).errors).toBeUndefined();
    expect((await step('issueBreachWarning')).errors).toBeUndefined();
    expect(await breach()).toMatchObject({ stage: 'SECOND_WARNING', strikes: 2, allowedNextSteps: ['referBreachToPanel'] });
    // Two strikes: no third warning; the case goes to the panel.
    refusedAsOutOfOrder(await step('issueBreachWarning'));
    expect((await step('referBreachToPanel')).errors).toBeUndefined();
    expect(await breach()).toMatchObject({ stage: 'REFERRED_TO_PANEL', allowedNextSteps: ['recordBreachPanelDecision'] });

    // The panel's decision is the Core Unit leader's to record, not the practitioner's.
    expect((await step('recordBreachPanelDecision', worker, 'RETURN_TO_COURT')).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });
    expect((await step('recordBreachPanelDecision', leader, 'RETURN_TO_COURT')).errors).toBeUndefined();
    expect(await breach()).toMatchObject({ stage: 'RETURNED_TO_COURT', panelDecision: 'RETURN_TO_COURT', allowedNextSteps: [] });
    refusedAsOutOfOrder(await step('recordContactAttempt'));

    // All of it is in YOIS, in YOIS's own tables and codes.
    const order = Number(child.orderId);
    expect((await yois.selectFrom('YP_BREACH_WARNING').select('STRIKE_NO').where('ORDER_ID', '=', order).orderBy('STRIKE_NO').execute()).map((w) => Number(w.STRIKE_NO))).toEqual([1, 2]);
    expect((await yois.selectFrom('YP_ORDER').select('ORDER_STATUS').where('ORDER_ID', '=', order).executeTakeFirstOrThrow()).ORDER_STATUS).toBe('B');
    const notes = await yois.selectFrom('YP_ORDER_NOTE').select(['NOTE_TYPE', 'WORKER_NAME']).where('ORDER_ID', '=', order).orderBy('NOTE_ID').execute();
    expect(notes.map((n) => n.NOTE_TYPE.trim())).toEqual(['CAT', 'CAT', 'PNL', 'PNL']);
    expect(notes[0]!.WORKER_NAME).toBe('OLA YOT');
  });

  it('answers another unit\u2019s worker and an unknown child alike', async () => {
    const outsider = await gateway.token({ sub: 'u-out', roles: ['practitioner'], tier: 3, units: ['CU-ELSEWHERE'] });
    const answers = [];
    for (const id of [child.personId, 'P-0000000000']) {
      const { body } = await gateway.graphql(STEP('recordContactAttempt'), { key: randomUUID(), id, s: { orderId: child.orderId, date: '2026-01-01', notes: 'Probe' } }, outsider, casework);
      answers.push(body);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND' });
  });
});
