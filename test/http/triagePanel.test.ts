import type { Kysely } from 'kysely';
import type { ReferralTables } from '../../src/referrals/referralStore';
import type { TriagePanelTables } from '../../src/referrals/triagePanelSchema';
import { startGatewayOnEngine, type GatewayOnEngine } from '../support/gatewayOnEngine';
import type { TestGateway } from '../support/startTestGateway';
import { testEngines } from '../support/testDatabases';

const REFERRAL = `
  id kind requestedBy neededBy source familyConsented status allowedNextSteps panelDate
  checks { bestCandidate { personId } }
  decision { decision }
  handOff { kind toUnit toPerson acknowledgedAt acknowledgedBy }
  panelReviews { panelDate decision referringAgencyAttended allocatedTo { id name active } }
  panelBriefings { panelDate notes briefedBy }
  recalls { reason panelDate recalledBy }
  checksReturned { returnedTo notes returnedBy }
  earlierReferrals { connectedBy id status decision { decision } panelReviews { decision } subject { forename } }
  trail { seq kind actor statusAfter panelDate briefing { notes } recall { reason panelDate } checksReturned { returnedTo }
    handOff { kind toUnit acknowledgedBy } panelReview { decision referringAgencyAttended allocatedTo { id } } }`;

const RECEIVE = `mutation($input: ReceiveReferralInput!) { receiveReferral(input: $input) { ${REFERRAL} } }`;
const CHECKS = `mutation($id: ID!) { runReferralChecks(referralId: $id) { ${REFERRAL} } }`;
const DECIDE = `mutation($id: ID!, $d: ReferralDecisionKind!, $why: String!) { decideReferral(referralId: $id, decision: $d, reason: $why) { ${REFERRAL} } }`;
const HAND_OFF = `mutation($id: ID!, $unit: String, $to: String) { handOffReferral(referralId: $id, toUnit: $unit, toPerson: $to) { ${REFERRAL} } }`;
const ACK = `mutation Ack($id: ID!) { acknowledgeHandOff(referralId: $id) { ${REFERRAL} } }`;
const LIST = `mutation($id: ID!, $date: Date) { listForPanel(referralId: $id, panelDate: $date) { ${REFERRAL} } }`;
const BRIEF = `mutation($id: ID!, $notes: String!) { recordPanelBriefing(referralId: $id, notes: $notes) { ${REFERRAL} } }`;
const REVIEW = `mutation($id: ID!, $r: PanelReviewInput!) { recordPanelReview(referralId: $id, review: $r) { ${REFERRAL} } }`;
const RECALL = `mutation Recall($id: ID!, $why: String!, $date: Date) { recallCase(referralId: $id, reason: $why, panelDate: $date) { ${REFERRAL} } }`;
const RETURN = `mutation($id: ID!, $to: String!, $notes: String) { returnChecks(referralId: $id, returnedTo: $to, notes: $notes) { ${REFERRAL} } }`;
const GET = `query($id: ID!) { referral(id: $id) { ${REFERRAL} } }`;
const AGENCIES = `query($all: Boolean) { panelAgencies(includeRetired: $all) { id name active changedBy } }`;
const ADD_AGENCY = `mutation Add($id: ID!, $name: String!) { addPanelAgency(id: $id, name: $name) { id name active changedBy } }`;
const RETIRE_AGENCY = `mutation($id: ID!) { retirePanelAgency(id: $id) { id active } }`;
const PERSON_REFERRALS = `query Person($id: ID!) { youngPerson(id: $id) { id referrals { id status kind } } }`;

describe.each(testEngines())('check requests, repeat referrals, the panel and the social-care hand-off over HTTP, store on %s', (engine) => {
  let running: GatewayOnEngine;
  let gateway: TestGateway;
  let officer: string;
  let lowOfficer: string;
  let manager: string;
  let chair: string;
  let leader: string;
  let liaison: string;
  /** A child known to YOIS but not IYSS, whom a cleared officer's search finds by name alone as well as by name and date of birth. */
  let child: { forename: string; surname: string; dateOfBirth: string; personId: string };
  const triage = { 'x-purpose': 'triage' };

  const store = () => gateway.services.store.database.db as unknown as Kysely<ReferralTables & TriagePanelTables>;
  const today = () => gateway.clock.now().toISOString().slice(0, 10);
  const day = (offset: number) => new Date(gateway.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);

  async function ok(query: string, variables: Record<string, unknown>, token: string, headers?: Record<string, string>) {
    const { body } = await gateway.graphql(query, variables, token, headers);
    expect(body.errors).toBeUndefined();
    return Object.values(body.data as Record<string, Record<string, unknown>>)[0]!;
  }
  async function error(query: string, variables: Record<string, unknown>, token: string) {
    const { body } = await gateway.graphql(query, variables, token);
    expect(body.data?.[Object.keys(body.data ?? {})[0] ?? ''] ?? null).toBeNull();
    return body.errors![0]!;
  }
  const stepCount = async () => Number((await store().selectFrom('referral_step').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  /** A police referral about the child, checked and decided. */
  async function decided(decision: string, subject: Record<string, unknown> = { forename: child.forename, surname: child.surname, dateOfBirth: child.dateOfBirth }) {
    const received = await ok(RECEIVE, { input: { source: 'POLICE_NOTIFICATION', information: 'Police notification.', subject } }, officer);
    const id = received.id as string;
    await ok(CHECKS, { id }, officer);
    await ok(DECIDE, { id, d: decision, why: 'Decided for the test' }, manager);
    return id;
  }

  beforeAll(async () => {
    running = await startGatewayOnEngine(engine, { volume: 400 });
    gateway = running.gateway;
    officer = await gateway.token({ sub: 'triage-tom', name: 'Tom Triage', roles: ['triage_officer'], tier: 3, units: [] });
    lowOfficer = await gateway.token({ sub: 'triage-tia', name: 'Tia Triage', roles: ['triage_officer'], tier: 1, units: [] });
    manager = await gateway.token({ sub: 'manager-mia', name: 'Mia Manager', roles: ['triage_manager'], tier: 3, units: [] });
    chair = await gateway.token({ sub: 'chair-cal', name: 'Cal Chair', roles: ['panel_chair'], tier: 2, units: [] });
    leader = await gateway.token({ sub: 'leader-rahima', name: 'Rahima Khanom', roles: ['core_unit_leader'], tier: 3, units: ['CU3'] });
    liaison = await gateway.token({ sub: 'csc-sam', name: 'Sam Liaison', roles: ['social_care_liaison'], tier: 1, units: [] });
    const { iyss, yois, population } = gateway.dataset;
    const inIyss = new Set(iyss.truth.map((t) => t.personKey));
    const byKey = new Map(population.map((p) => [p.personKey, p]));
    const SEARCH = `query($r: TriageReferralInput!) { triageSearch(referral: $r) { candidates { person { id } } } }`;
    for (const record of yois.truth.filter((t) => !inIyss.has(t.personKey))) {
      const person = byKey.get(record.personKey)!;
      const personId = await gateway.personIdOf('YOIS', record.sourceId);
      const full = await gateway.graphql(SEARCH, { r: { forename: person.forename, surname: person.surname, dateOfBirth: person.dateOfBirth } }, officer, triage);
      const named = await gateway.graphql(SEARCH, { r: { forename: person.forename, surname: person.surname } }, officer, triage);
      if (full.body.data?.triageSearch.candidates[0]?.person.id === personId && named.body.data?.triageSearch.candidates[0]?.person.id === personId) {
        child = { forename: person.forename, surname: person.surname, dateOfBirth: person.dateOfBirth, personId };
        break;
      }
    }
    expect(child).toBeDefined();
  });
  afterAll(() => running.stop());

  it('runs checks for a multi-agency meeting and for a pre-sentence report, trails them, and returns them to whoever asked: no decision, no consent asked', async () => {
    const subject = { forename: child.forename, surname: child.surname, dateOfBirth: child.dateOfBirth };
    const noRequester = await error(RECEIVE, { input: { kind: 'PRE_SENTENCE_REPORT', source: 'COURT', information: 'PSR requested.', subject } }, officer);
    expect(noRequester.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'REQUIRED' });

    for (const [kind, requestedBy, returnedTo] of [
      ['MULTI_AGENCY_MEETING', 'MARAC', 'MARAC coordinator'],
      ['PRE_SENTENCE_REPORT', 'Stratford Youth Court', 'Report writer, Young Hackney YOT'],
    ] as const) {
      const received = await ok(
        RECEIVE,
        { input: { kind, requestedBy, neededBy: day(10), source: kind === 'PRE_SENTENCE_REPORT' ? 'COURT' : 'SOCIAL_CARE', information: `Checks for ${requestedBy}.`, subject } },
        officer,
      );
      expect(received).toMatchObject({ kind, requestedBy, neededBy: day(10), familyConsented: null, status: 'RECEIVED', allowedNextSteps: ['runReferralChecks'] });
      const id = received.id as string;
      const checked = await ok(CHECKS, { id }, officer);
      expect(checked).toMatchObject({ status: 'CHECKED', allowedNextSteps: ['runReferralChecks', 'recordAgencyShare', 'returnChecks'], checks: { bestCandidate: { personId: child.personId } } });
      // A check request is not decided: the results go back to whoever asked.
      const before = await stepCount();
      const noDecision = await error(DECIDE, { id, d: 'NO_FURTHER_ACTION', why: 'Not a referral' }, manager);
      expect(noDecision.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
      expect(await stepCount()).toBe(before);
      const returned = await ok(RETURN, { id, to: returnedTo, notes: 'Known to YOIS' }, officer);
      expect(returned).toMatchObject({ status: 'CHECKS_RETURNED', allowedNextSteps: [], checksReturned: { returnedTo, notes: 'Known to YOIS', returnedBy: 'triage-tom' } });
      const { trail } = await ok(GET, { id }, manager);
      expect((trail as Array<{ kind: string; actor: string; statusAfter: string }>).map((step) => `${step.kind}>${step.statusAfter}:${step.actor}`)).toEqual([
        'RECEIVED>RECEIVED:triage-tom',
        'CHECKS_RUN>CHECKED:triage-tom',
        'CHECKS_RETURNED>CHECKS_RETURNED:triage-tom',
      ]);
    }
    // Returning checks is a referral step only for check requests, and only for the roles the policy grants it.
    const referral = await decided('NO_FURTHER_ACTION');
    expect((await error(RETURN, { id: referral, to: 'Someone' }, officer)).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });
    expect((await error(RETURN, { id: referral, to: 'Someone' }, chair)).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });
  });

  it('records the named sources: a court needs no consent, an out-of-borough YOT, a walk-in and proactive identification do', async () => {
    const subject = { forename: 'Amara', surname: 'Synthetic', dateOfBirth: '2012-05-01' };
    const court = await ok(RECEIVE, { input: { source: 'COURT', information: 'Bail conditions; youth court.', subject } }, officer);
    expect(court).toMatchObject({ source: 'COURT', familyConsented: null, allowedNextSteps: ['runReferralChecks'] });
    for (const source of ['OUT_OF_BOROUGH_YOT', 'SELF_OR_WALK_IN', 'PROACTIVE_IDENTIFICATION']) {
      const missing = await error(RECEIVE, { input: { source, information: 'Referral.', subject } }, officer);
      expect(missing.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'CONSENT_REQUIRED' });
      const received = await ok(RECEIVE, { input: { source, information: 'Referral.', subject, familyConsented: false } }, officer);
      expect(received).toMatchObject({ source, familyConsented: false, allowedNextSteps: ['decideReferral'] });
    }
  });

  it('shows a repeat referral the earlier ones and their outcomes: by the details given on receipt, through identity links once checked, never through a record the reader may not see', async () => {
    // The first referral: checked (the child is found through their YOIS record) and decided.
    const first = await decided('NO_FURTHER_ACTION');
    // A second, naming the child without a date of birth: nothing connects it on receipt...
    const second = await ok(RECEIVE, { input: { source: 'POLICE_NOTIFICATION', information: 'Second notification.', subject: { forename: child.forename, surname: child.surname } } }, officer);
    expect(second.earlierReferrals).toEqual([]);
    // ...and once its checks find the same child, the first is connected through identity links, with its outcome.
    const checked = await ok(CHECKS, { id: second.id }, officer);
    expect(checked.checks).toEqual({ bestCandidate: { personId: child.personId } });
    const connected = (checked.earlierReferrals as Array<{ connectedBy: string; id: string }>).find((e) => e.id === first);
    expect(connected).toEqual({ connectedBy: 'IDENTITY_LINK', id: first, status: 'NO_FURTHER_ACTION', decision: { decision: 'NO_FURTHER_ACTION' }, panelReviews: [], subject: { forename: child.forename } });
    // A tier-1 officer may read both referrals, but the connection runs through a YOIS record above their clearance: not shown.
    const low = await ok(GET, { id: second.id }, lowOfficer);
    expect((low.earlierReferrals as Array<{ id: string }>).map((e) => e.id)).not.toContain(first);

    // A third, with the same details given differently (case, spacing): connected on receipt, before any checks.
    const third = await ok(
      RECEIVE,
      { input: { source: 'POLICE_NOTIFICATION', information: 'Third notification.', subject: { forename: ` ${child.forename.toUpperCase()} `, surname: child.surname.toLowerCase(), dateOfBirth: child.dateOfBirth } } },
      lowOfficer,
    );
    const onReceipt = third.earlierReferrals as Array<{ connectedBy: string; id: string }>;
    expect(onReceipt.find((e) => e.id === first)).toMatchObject({ connectedBy: 'SAME_DETAILS_AS_GIVEN' });
    expect(onReceipt.map((e) => e.id)).not.toContain(second.id as string);
    // Newest first.
    const numbers = onReceipt.map((e) => Number(e.id.slice(2)));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));

    // The person's view lists the referrals whose checks found them, for a cleared triage officer, audited with the person.
    const person = await ok(PERSON_REFERRALS, { id: child.personId }, officer, triage);
    const ids = (person.referrals as Array<{ id: string }>).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([first, second.id]));
    expect(ids).not.toContain(third.id);
    const event = (await gateway.services.audit.query({ sub: 'triage-tom' }, { first: 1 })).events[0]!;
    expect(event).toMatchObject({ operation: 'query Person', outcome: 'RETURNED' });
    expect(event.people.find((p) => p.personId === child.personId)!.returned).toEqual(expect.arrayContaining(['YoungPerson.referrals', 'Referral.id']));
    // The tier-1 officer cannot see the child at all: the same answer as an unknown ID.
    const hidden = await gateway.graphql(PERSON_REFERRALS, { id: child.personId }, lowOfficer, triage);
    const unknown = await gateway.graphql(PERSON_REFERRALS, { id: 'P-ZZZZZZZZZZ' }, lowOfficer, triage);
    expect(hidden.body.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND' });
    expect(hidden.body).toEqual(unknown.body);
    // A practitioner allocated the child may see them, not their referrals (the policy grants referrals to triage, panel and leaders).
    const units = await gateway.allocatedUnitsOf(child.personId);
    expect(units.length).toBeGreaterThan(0);
    const practitioner = await gateway.token({ sub: 'prac-pat', roles: ['practitioner'], tier: 3, units: [units[0]!] });
    const casework = { 'x-purpose': 'allocated_casework' };
    expect((await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { id } }', { id: child.personId }, practitioner, casework)).body.errors).toBeUndefined();
    const denied = await gateway.graphql(PERSON_REFERRALS, { id: child.personId }, practitioner, casework);
    expect(denied.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'DENIED_BY_POLICY' });
    expect(JSON.stringify(denied.body.data ?? null)).not.toContain(first);
  });

  it('keeps the panel: a briefing, the referring agency\u2019s attendance, allocations from the maintained list, no review before the panel date, and a closed case recalled', async () => {
    const id = await decided('REFER_TO_PANEL');
    const nextWeek = day(7);
    await ok(LIST, { id, date: nextWeek }, officer);
    const briefed = await ok(BRIEF, { id, notes: 'Known to YOIS: two arrests this year; school reports exclusions.' }, officer);
    expect(briefed).toMatchObject({ status: 'LISTED_FOR_PANEL', panelBriefings: [{ panelDate: nextWeek, notes: 'Known to YOIS: two arrests this year; school reports exclusions.', briefedBy: 'triage-tom' }] });
    const review = { leadAgency: 'Young Hackney', leadProfessional: 'Liam Doherty', decision: 'CLOSE', referringAgencyAttended: true, allocatedTo: ['IGIP'] };
    const before = await stepCount();
    const early = await error(REVIEW, { id, r: review }, chair);
    expect(early).toMatchObject({
      message: `Referral ${id} is listed for the panel of ${nextWeek}; its review cannot be recorded before then`,
      extensions: { code: 'BAD_USER_INPUT', reason: 'BEFORE_PANEL_DATE' },
    });
    expect(await stepCount()).toBe(before);
    // Listed for today's panel instead (no date: today's).
    expect(await ok(LIST, { id }, officer)).toMatchObject({ panelDate: today() });
    const unknownAgency = await error(REVIEW, { id, r: { ...review, allocatedTo: ['IGIP', 'NOT_AN_AGENCY'] } }, chair);
    expect(unknownAgency).toMatchObject({ message: "Not on the panel's list of agencies (see panelAgencies): NOT_AN_AGENCY", extensions: { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_PANEL_AGENCY' } });
    expect(await stepCount()).toBe(before + 1);
    const closed = await ok(REVIEW, { id, r: review }, chair);
    expect(closed).toMatchObject({
      status: 'CLOSED',
      allowedNextSteps: ['recallCase'],
      panelReviews: [{ panelDate: today(), decision: 'CLOSE', referringAgencyAttended: true, allocatedTo: [{ id: 'IGIP', name: 'Integrated Gangs Intervention Project', active: true }] }],
    });
    const counted = await store().selectFrom('panel_allocation').selectAll().where('referral_id', '=', id).execute();
    expect(counted.map((row) => [row.agency_id, row.panel_date])).toEqual([['IGIP', today()]]);

    // "Cases can be recalled at any time": by the chair, with a reason, listed again; the trail shows it.
    expect((await error(RECALL, { id, why: 'Further concerns raised by the school' }, officer)).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });
    expect((await error(RECALL, { id, why: 'No' }, chair)).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'REASON_REQUIRED' });
    expect((await error(RECALL, { id, why: 'Further concerns', date: day(-7) }, chair)).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'PAST_DATE' });
    const recalled = await ok(RECALL, { id, why: 'Further concerns raised by the school', date: nextWeek }, chair);
    expect(recalled).toMatchObject({ status: 'LISTED_FOR_PANEL', panelDate: nextWeek, recalls: [{ reason: 'Further concerns raised by the school', panelDate: nextWeek, recalledBy: 'chair-cal' }] });
    const again = await error(RECALL, { id, why: 'Recalled twice' }, chair);
    expect(again.message).toBe(`Cannot recall referral ${id}: it is listed for the panel of ${nextWeek}. Allowed next steps: recordAgencyShare, listForPanel, recordPanelBriefing, recordPanelReview`);
    const { trail } = await ok(GET, { id }, chair);
    expect((trail as Array<{ kind: string; statusAfter: string }>).map((step) => `${step.kind}>${step.statusAfter}`)).toEqual([
      'RECEIVED>RECEIVED',
      'CHECKS_RUN>CHECKED',
      'DECIDED>AWAITING_PANEL',
      'LISTED_FOR_PANEL>LISTED_FOR_PANEL',
      'PANEL_BRIEFED>LISTED_FOR_PANEL',
      'LISTED_FOR_PANEL>LISTED_FOR_PANEL',
      'PANEL_REVIEWED>CLOSED',
      'RECALLED>LISTED_FOR_PANEL',
    ]);
    expect((trail as Array<Record<string, unknown>>)[7]).toMatchObject({ actor: 'chair-cal', panelDate: nextWeek, recall: { reason: 'Further concerns raised by the school', panelDate: nextWeek } });
    expect((trail as Array<Record<string, unknown>>)[6]).toMatchObject({ panelReview: { decision: 'CLOSE', referringAgencyAttended: true, allocatedTo: [{ id: 'IGIP' }] } });
  });

  it('keeps the agencies the panel allocates to as a list the chair maintains, validated', async () => {
    const listed = (await gateway.graphql(AGENCIES, {}, officer)).body.data.panelAgencies as Array<{ id: string }>;
    expect(listed.map((a) => a.id)).toEqual(['IGIP', 'NIA', 'SAFER_LONDON', 'YOUNG_HACKNEY']);
    expect((await error(ADD_AGENCY, { id: 'ST_GILES', name: 'St Giles Trust' }, officer)).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });
    expect((await error(ADD_AGENCY, { id: 'st giles', name: 'St Giles Trust' }, chair)).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'BAD_ID' });
    expect((await error(ADD_AGENCY, { id: 'ST_GILES', name: '  ' }, chair)).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'REQUIRED' });
    expect(await ok(ADD_AGENCY, { id: 'ST_GILES', name: 'St Giles Trust' }, chair)).toEqual({ id: 'ST_GILES', name: 'St Giles Trust', active: true, changedBy: 'chair-cal' });
    // Changes to the list are audited like any operation: who, what, and the refusals.
    const lastBy = async (sub: string) => (await gateway.services.audit.query({ sub }, { first: 1 })).events[0]!;
    expect(await lastBy('chair-cal')).toMatchObject({ operation: 'mutation Add', outcome: 'RETURNED' });
    expect(await lastBy('triage-tom')).toMatchObject({ operation: 'mutation Add', outcome: 'DENIED', denied: ['Mutation.addPanelAgency'] });
    expect((await error(ADD_AGENCY, { id: 'ST_GILES', name: 'Again' }, chair)).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_LISTED' });
    expect(await ok(RETIRE_AGENCY, { id: 'ST_GILES' }, chair)).toEqual({ id: 'ST_GILES', active: false });
    expect((await error(RETIRE_AGENCY, { id: 'NO_SUCH' }, chair)).extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(((await gateway.graphql(AGENCIES, {}, chair)).body.data.panelAgencies as Array<{ id: string }>).map((a) => a.id)).not.toContain('ST_GILES');
    expect((await gateway.graphql(AGENCIES, { all: true }, chair)).body.data.panelAgencies).toContainEqual({ id: 'ST_GILES', name: 'St Giles Trust', active: false, changedBy: 'chair-cal' });
    // A retired agency cannot be allocated to.
    const id = await decided('REFER_TO_PANEL');
    await ok(LIST, { id }, officer);
    const retired = await error(REVIEW, { id, r: { leadAgency: 'YH', leadProfessional: 'A. Worker', decision: 'CLOSE', referringAgencyAttended: false, allocatedTo: ['ST_GILES'] } }, chair);
    expect(retired.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_PANEL_AGENCY' });
    expect(await ok(ADD_AGENCY, { id: 'ST_GILES', name: 'St Giles Trust (London)' }, chair)).toMatchObject({ active: true, name: 'St Giles Trust (London)' });
    const allocated = await ok(REVIEW, { id, r: { leadAgency: 'YH', leadProfessional: 'A. Worker', decision: 'CLOSE', referringAgencyAttended: false, allocatedTo: ['ST_GILES', 'NIA', 'ST_GILES'] } }, chair);
    expect((allocated.panelReviews as Array<{ referringAgencyAttended: boolean; allocatedTo: Array<{ id: string }> }>)[0]).toMatchObject({
      referringAgencyAttended: false,
      allocatedTo: [{ id: 'ST_GILES' }, { id: 'NIA' }],
    });
  });

  it('hands a REFER_TO_SOCIAL_CARE decision to children\u2019s social care, which a social care liaison acknowledges, and no one else', async () => {
    const id = await decided('REFER_TO_SOCIAL_CARE');
    const handedOff = await ok(HAND_OFF, { id, to: 'Duty social worker' }, officer);
    expect(handedOff).toMatchObject({ status: 'HANDED_OFF', handOff: { kind: 'SOCIAL_CARE', toUnit: "Children's Social Care", toPerson: 'Duty social worker', acknowledgedAt: null } });
    const unitsBefore = await gateway.allocatedUnitsOf(child.personId);
    const before = await stepCount();
    // A Core Unit leader does not acknowledge for social care; a triage officer is not granted it at all.
    expect((await error(ACK, { id }, leader)).extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_RECEIVING_TEAM' });
    expect((await error(ACK, { id }, officer)).extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });
    expect(await stepCount()).toBe(before);
    const acknowledged = await ok(ACK, { id }, liaison);
    expect(acknowledged).toMatchObject({ status: 'ACKNOWLEDGED', handOff: { kind: 'SOCIAL_CARE', acknowledgedBy: 'csc-sam' } });
    // Social care works in its own systems: no Core Unit gains need to know.
    expect(await gateway.allocatedUnitsOf(child.personId)).toEqual(unitsBefore);
    const { trail } = await ok(GET, { id }, liaison);
    expect((trail as Array<Record<string, unknown>>).slice(-2)).toMatchObject([
      { kind: 'HANDED_OFF', handOff: { kind: 'SOCIAL_CARE', toUnit: "Children's Social Care" } },
      { kind: 'ACKNOWLEDGED', actor: 'csc-sam', handOff: { kind: 'SOCIAL_CARE', acknowledgedBy: 'csc-sam' } },
    ]);

    // A Core Unit hand-off names its unit, and a liaison does not acknowledge it.
    const core = await decided('HAND_OFF_TO_CORE_UNIT');
    expect((await error(HAND_OFF, { id: core }, officer)).extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'REQUIRED' });
    expect(await ok(HAND_OFF, { id: core, unit: 'CU3' }, officer)).toMatchObject({ handOff: { kind: 'CORE_UNIT', toUnit: 'CU3' } });
    expect((await error(ACK, { id: core }, liaison)).extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_RECEIVING_UNIT' });
    expect(await ok(ACK, { id: core }, leader)).toMatchObject({ handOff: { kind: 'CORE_UNIT', acknowledgedBy: 'leader-rahima' } });
    // An unknown referral reads as unknown to the liaison too.
    expect((await error(ACK, { id: 'R-99999' }, liaison)).extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});
