import type { Kysely } from 'kysely';
import type { ReferralTables } from '../../src/referrals/referralStore';
import { startGatewayOnEngine, type GatewayOnEngine } from '../support/gatewayOnEngine';
import type { TestGateway } from '../support/startTestGateway';
import { rejectionMessage } from '../support/rejectionMessage';
import { testEngines } from '../support/testDatabases';

const REFERRAL = `
  id source receivedAt receivedBy information familyConsented status allowedNextSteps panelDate leadAgency leadProfessional
  subject { forename surname dateOfBirth postcode }
  familyMembers { forename surname relationship }
  checks { checkedAt checkedBy searchedFor { forename surname }
    subjectAgencies { system status reason checkedAt }
    bestCandidate { personId score forename surname dateOfBirth agencies { system status reason checkedAt } }
    familyMatches { personId forename surname } notChecked { system reason } }
  agencyShares { agency sharedAt information recordedBy }
  decision { decision reason decidedBy decidedAt }
  handOff { toUnit toPerson handedOffAt handedOffBy acknowledgedAt acknowledgedBy }
  panelReviews { panelDate leadAgency leadProfessional decision nextReviewDate notes recordedBy referringAgencyAttended }
  trail { seq kind at recordedAt actor actorName statusAfter information
    checks { checkedAt bestCandidate { personId } } share { agency } decision { decision reason }
    handOff { toUnit acknowledgedAt } panelDate panelReview { decision nextReviewDate } }`;

const RECEIVE = `mutation($input: ReceiveReferralInput!) { receiveReferral(input: $input) { ${REFERRAL} } }`;
const CHECKS = `mutation($id: ID!) { runReferralChecks(referralId: $id) { ${REFERRAL} } }`;
const SHARE = `mutation($id: ID!, $agency: String!, $info: String!, $at: DateTime) { recordAgencyShare(referralId: $id, agency: $agency, information: $info, sharedAt: $at) { ${REFERRAL} } }`;
const DECIDE = `mutation Decide($id: ID!, $d: ReferralDecisionKind!, $why: String!) { decideReferral(referralId: $id, decision: $d, reason: $why) { ${REFERRAL} } }`;
const HAND_OFF = `mutation($id: ID!, $unit: String!, $to: String) { handOffReferral(referralId: $id, toUnit: $unit, toPerson: $to) { ${REFERRAL} } }`;
const ACK = `mutation($id: ID!) { acknowledgeHandOff(referralId: $id) { ${REFERRAL} } }`;
const LIST = `mutation($id: ID!, $date: Date!) { listForPanel(referralId: $id, panelDate: $date) { ${REFERRAL} } }`;
const REVIEW = `mutation($id: ID!, $r: PanelReviewInput!) { recordPanelReview(referralId: $id, review: $r) { ${REFERRAL} } }`;
const GET = `query($id: ID!) { referral(id: $id) { ${REFERRAL} } }`;

describe.each(testEngines())('the triage referral workflow over HTTP, store on %s', (engine) => {
  let running: GatewayOnEngine;
  let gateway: TestGateway;
  let officer: string;
  let manager: string;
  let leader: string;
  let chair: string;
  /** A young person only IYSS knows, with a sibling, and their gateway person IDs. */
  let child: { forename: string; surname: string; dateOfBirth: string; postcode: string; iyssId: number; personId: string };
  let sibling: { forename: string; surname: string; dateOfBirth: string; personId: string | null };

  const minutes = (n: number) => gateway.clock.advance(n * 60_000);
  const now = () => gateway.clock.now().toISOString();
  const day = (offset: number) => new Date(gateway.clock.now().getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const store = () => gateway.services.store.database.db as unknown as Kysely<ReferralTables>;

  /** Rows in the referral tables and the referral's version: a refused step must change none of them. */
  async function footprint(referralId: string) {
    const steps = await store().selectFrom('referral_step').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const row = await store().selectFrom('referral').selectAll().where('referral_id', '=', referralId).executeTakeFirstOrThrow();
    return { steps: Number(steps.n), version: Number(row.version), status: row.status, panelDate: row.panel_date };
  }

  async function refused(query: string, variables: Record<string, unknown>, token: string, referralId: string) {
    const before = await footprint(referralId);
    const { body } = await gateway.graphql(query, variables, token);
    expect(body.data).toBeNull();
    expect(await footprint(referralId)).toEqual(before);
    return body.errors![0]!;
  }

  beforeAll(async () => {
    running = await startGatewayOnEngine(engine, { volume: 500 });
    gateway = running.gateway;
    officer = await gateway.token({ sub: 'triage-tom', name: 'Tom Triage', roles: ['triage_officer'], tier: 3, units: [] });
    manager = await gateway.token({ sub: 'manager-mia', name: 'Mia Manager', roles: ['triage_manager'], tier: 3, units: [] });
    leader = await gateway.token({ sub: 'leader-rahima', name: 'Rahima Khanom', roles: ['core_unit_leader'], tier: 2, units: ['CU3'] });
    chair = await gateway.token({ sub: 'chair-cal', name: 'Cal Chair', roles: ['panel_chair'], tier: 2, units: [] });
    const { iyss, umis, yois, population } = gateway.dataset;
    const elsewhere = new Set([...umis.truth, ...yois.truth].map((t) => t.personKey));
    const byKey = new Map(population.map((p) => [p.personKey, p]));
    for (const t of iyss.truth) {
      const person = byKey.get(t.personKey)!;
      const brother = population.find((p) => p.familyId === person.familyId && p.personKey !== person.personKey);
      if (elsewhere.has(t.personKey) || !brother || !person.address.postcode) continue;
      const record = iyss.rows.tblYoungPerson.find((row) => row.YoungPersonID === t.youngPersonId)!;
      if (record.IsDeleted !== 0) continue;
      child = { ...person, postcode: person.address.postcode, iyssId: t.youngPersonId, personId: await gateway.personIdOf('IYSS', t.youngPersonId) };
      const brotherRecord = iyss.truth.find((b) => b.personKey === brother.personKey);
      sibling = { ...brother, personId: brotherRecord ? await gateway.personIdOf('IYSS', brotherRecord.youngPersonId) : null };
      break;
    }
    expect(child).toBeDefined();
  });
  afterAll(() => running.stop());

  it('runs a police referral from received, through checks, an agency share and a decision, to a hand-off and its acknowledgement', async () => {
    const receivedAt = now();
    const received = await gateway.graphql(
      RECEIVE,
      {
        input: {
          source: 'POLICE_NOTIFICATION',
          receivedAt,
          information: 'Merlin PAC: found out late at night near Ridley Road; mother informed.',
          subject: { forename: child.forename, surname: child.surname, dateOfBirth: child.dateOfBirth, postcode: child.postcode },
          familyMembers: [{ forename: sibling.forename, surname: sibling.surname, dateOfBirth: sibling.dateOfBirth, relationship: 'sibling' }],
        },
      },
      officer,
    );
    expect(received.body.errors).toBeUndefined();
    const referral = received.body.data.receiveReferral;
    expect(referral).toMatchObject({
      id: expect.stringMatching(/^R-\d+$/),
      source: 'POLICE_NOTIFICATION',
      receivedAt,
      receivedBy: 'triage-tom',
      familyConsented: null,
      status: 'RECEIVED',
      allowedNextSteps: ['runReferralChecks'],
      checks: null,
      familyMembers: [{ forename: sibling.forename, surname: sibling.surname, relationship: 'sibling' }],
    });
    const id = referral.id as string;

    // No decision before checks; nothing written.
    const early = await refused(DECIDE, { id, d: 'NO_FURTHER_ACTION', why: 'Nothing of concern' }, manager, id);
    expect(early).toMatchObject({
      message: `Cannot decide referral ${id}: its agency checks have not been run yet. Allowed next steps: runReferralChecks`,
      extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' },
    });

    minutes(10);
    const checkedAt = now();
    const checked = await gateway.graphql(CHECKS, { id }, officer);
    expect(checked.body.errors).toBeUndefined();
    const checks = checked.body.data.runReferralChecks.checks;
    expect(checked.body.data.runReferralChecks.status).toBe('CHECKED');
    expect(checks).toMatchObject({ checkedAt, checkedBy: 'triage-tom', searchedFor: { forename: child.forename, surname: child.surname }, notChecked: [] });
    expect(checks.bestCandidate).toMatchObject({ personId: child.personId, dateOfBirth: child.dateOfBirth });
    const agencies = [
      { system: 'IYSS', status: 'KNOWN', reason: null, checkedAt },
      { system: 'UMIS', status: 'NOT_KNOWN', reason: null, checkedAt },
      { system: 'YOIS', status: 'NOT_KNOWN', reason: null, checkedAt },
    ];
    expect(checks.bestCandidate.agencies).toEqual(agencies);
    expect(checks.subjectAgencies).toEqual(agencies);
    if (sibling.personId) expect(checks.familyMatches.map((m: { personId: string }) => m.personId)).toContain(sibling.personId);

    // No hand-off without a decision; nothing written.
    const noDecision = await refused(HAND_OFF, { id, unit: 'CU3' }, officer, id);
    expect(noDecision.message).toBe(`Cannot hand off referral ${id}: it has no decision yet. Allowed next steps: runReferralChecks, recordAgencyShare, decideReferral`);

    minutes(60);
    const shareRecordedAt = now();
    const sharedAt = new Date(gateway.clock.now().getTime() - 30 * 60_000).toISOString();
    const shared = await gateway.graphql(SHARE, { id, agency: 'Stoke Newington School', info: 'Attendance 71% this term; known to the school nurse.', at: sharedAt }, officer);
    expect(shared.body.data.recordAgencyShare.agencyShares).toEqual([
      { agency: 'Stoke Newington School', sharedAt, information: 'Attendance 71% this term; known to the school nurse.', recordedBy: 'triage-tom' },
    ]);

    minutes(30);
    const decidedAt = now();
    const decided = await gateway.graphql(DECIDE, { id, d: 'HAND_OFF_TO_CORE_UNIT', why: 'Early help: family open to support from the local Core Unit' }, manager);
    expect(decided.body.data.decideReferral).toMatchObject({
      status: 'AWAITING_HAND_OFF',
      allowedNextSteps: ['recordAgencyShare', 'handOffReferral'],
      decision: { decision: 'HAND_OFF_TO_CORE_UNIT', reason: 'Early help: family open to support from the local Core Unit', decidedBy: 'manager-mia', decidedAt },
    });
    const twice = await refused(DECIDE, { id, d: 'NO_FURTHER_ACTION', why: 'Changed my mind' }, manager, id);
    expect(twice.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });

    minutes(5);
    const handedOffAt = now();
    const handedOff = await gateway.graphql(HAND_OFF, { id, unit: 'CU3', to: 'Rahima Khanom' }, officer);
    expect(handedOff.body.data.handOffReferral).toMatchObject({
      status: 'HANDED_OFF',
      handOff: { toUnit: 'CU3', toPerson: 'Rahima Khanom', handedOffAt, handedOffBy: 'triage-tom', acknowledgedAt: null, acknowledgedBy: null },
    });

    minutes(120);
    // Another Core Unit's leader may not acknowledge what was handed to CU3.
    const elsewhere = await gateway.token({ sub: 'leader-other', roles: ['core_unit_leader'], tier: 2, units: ['CU4'] });
    const wrongUnit = await gateway.graphql(ACK, { id }, elsewhere);
    expect(wrongUnit.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_RECEIVING_UNIT' });
    // Until the unit acknowledges, its practitioners have no need to know about the child.
    const DETAIL = 'query($id: ID!) { youngPerson(id: $id) { id umisRecords { sourceId } } }';
    const practitioner = await gateway.token({ sub: 'cu3-practitioner', roles: ['practitioner'], tier: 3, units: ['CU3'] });
    const casework = { 'x-purpose': 'allocated_casework' };
    const notYet = await gateway.graphql(DETAIL, { id: child.personId }, practitioner, casework);
    expect(notYet.body.errors![0]!.extensions).toEqual({ code: 'FORBIDDEN', reason: 'NOT_ALLOCATED' });
    const acknowledgedAt = now();
    const acknowledged = await gateway.graphql(ACK, { id }, leader);
    expect(acknowledged.body.data.acknowledgeHandOff).toMatchObject({
      status: 'ACKNOWLEDGED',
      allowedNextSteps: [],
      handOff: { acknowledgedAt, acknowledgedBy: 'leader-rahima' },
    });
    // Acknowledged: the child is CU3's to work with (until UMIS or YOIS records the allocation).
    expect(await gateway.allocatedUnitsOf(child.personId)).toContain('CU3');
    const now3 = await gateway.graphql(DETAIL, { id: child.personId }, practitioner, casework);
    expect(now3.body.errors).toBeUndefined();
    expect(now3.body.data.youngPerson).toEqual({ id: child.personId, umisRecords: [] });
    // It lapses after REFERRAL_ALLOCATION_DAYS without a UMIS or YOIS allocation.
    gateway.clock.advance(91 * 86_400_000);
    expect(await gateway.allocatedUnitsOf(child.personId)).not.toContain('CU3');
    gateway.clock.advance(-91 * 86_400_000);
    const after = await refused(SHARE, { id, agency: 'GP', info: 'Late news' }, officer, id);
    expect(after.message).toMatch(/triage's work on it is complete\. Allowed next steps: none$/);

    // The whole trail is one query: every step, with who and when.
    const { body } = await gateway.graphql(GET, { id }, officer);
    const trail = body.data.referral.trail as Array<Record<string, unknown>>;
    expect(trail.map((step) => [step.seq, step.kind, step.actor, step.statusAfter])).toEqual([
      [1, 'RECEIVED', 'triage-tom', 'RECEIVED'],
      [2, 'CHECKS_RUN', 'triage-tom', 'CHECKED'],
      [3, 'AGENCY_SHARED', 'triage-tom', 'CHECKED'],
      [4, 'DECIDED', 'manager-mia', 'AWAITING_HAND_OFF'],
      [5, 'HANDED_OFF', 'triage-tom', 'HANDED_OFF'],
      [6, 'ACKNOWLEDGED', 'leader-rahima', 'ACKNOWLEDGED'],
    ]);
    expect(trail.map((step) => step.at)).toEqual([receivedAt, checkedAt, sharedAt, decidedAt, handedOffAt, acknowledgedAt]);
    expect(trail[0]).toMatchObject({ actorName: 'Tom Triage', information: 'Merlin PAC: found out late at night near Ridley Road; mother informed.' });
    expect(trail[1]).toMatchObject({ checks: { checkedAt, bestCandidate: { personId: child.personId } } });
    // A step says when it happened (as stated) and when it was recorded.
    expect(trail[2]).toMatchObject({ share: { agency: 'Stoke Newington School' }, at: sharedAt, recordedAt: shareRecordedAt });
    expect(trail[3]).toMatchObject({ actorName: 'Mia Manager', decision: { decision: 'HAND_OFF_TO_CORE_UNIT' } });
    expect(trail[5]).toMatchObject({ handOff: { toUnit: 'CU3', acknowledgedAt } });
    expect(trail.every((step) => typeof step.recordedAt === 'string')).toBe(true);

    // The checks are a snapshot: the source changing later does not change what the referral says was found.
    await gateway.databases.iyss.db.updateTable('tblYoungPerson').set({ Forename: 'Renamedlater' }).where('YoungPersonID', '=', child.iyssId).execute();
    const live = await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { forename } }', { id: child.personId }, officer);
    expect(live.body.data.youngPerson.forename).toBe('Renamedlater');
    const again = await gateway.graphql(GET, { id }, officer);
    expect(again.body.data.referral.checks).toEqual(checks);
  });

  it('refers a case to the panel, which reviews it, keeps it open, reviews it again and closes it: the only way it closes', async () => {
    const received = await gateway.graphql(
      RECEIVE,
      {
        input: {
          source: 'SCHOOL',
          information: 'Repeated exclusions; concerns about older associates.',
          subject: { forename: sibling.forename, surname: sibling.surname, dateOfBirth: sibling.dateOfBirth },
          familyConsented: true,
        },
      },
      officer,
    );
    const id = received.body.data.receiveReferral.id as string;
    expect(received.body.data.receiveReferral).toMatchObject({ familyConsented: true, allowedNextSteps: ['runReferralChecks'] });
    expect((await gateway.graphql(CHECKS, { id }, officer)).body.data.runReferralChecks.status).toBe('CHECKED');
    const decided = await gateway.graphql(DECIDE, { id, d: 'REFER_TO_PANEL', why: 'Several agencies involved; needs a lead professional' }, manager);
    expect(decided.body.data.decideReferral).toMatchObject({ status: 'AWAITING_PANEL', allowedNextSteps: ['recordAgencyShare', 'listForPanel'] });
    const noHandOff = await refused(HAND_OFF, { id, unit: 'CU1' }, officer, id);
    expect(noHandOff.message).toBe(`Cannot hand off referral ${id}: it was referred to the panel and is waiting to be listed. Allowed next steps: recordAgencyShare, listForPanel`);
    const notListed = await refused(REVIEW, { id, r: { leadAgency: 'School', leadProfessional: 'Head of Year', decision: 'CLOSE', referringAgencyAttended: true } }, chair, id);
    expect(notListed.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'INVALID_TRANSITION' });

    const firstPanel = day(7);
    const listed = await gateway.graphql(LIST, { id, date: firstPanel }, officer);
    expect(listed.body.data.listForPanel).toMatchObject({ status: 'LISTED_FOR_PANEL', panelDate: firstPanel });
    const agenda = await gateway.graphql('query($d: Date) { referrals(status: LISTED_FOR_PANEL, panelDate: $d) { id } }', { d: firstPanel }, chair);
    expect(agenda.body.data.referrals).toEqual([{ id }]);

    // The panel sits on its date: a review recorded before it is refused, and writes nothing.
    const early = await refused(REVIEW, { id, r: { leadAgency: 'Young Hackney', leadProfessional: 'Liam Doherty', decision: 'CLOSE', referringAgencyAttended: true } }, chair, id);
    expect(early).toMatchObject({
      message: `Referral ${id} is listed for the panel of ${firstPanel}; its review cannot be recorded before then`,
      extensions: { code: 'BAD_USER_INPUT', reason: 'BEFORE_PANEL_DATE' },
    });
    gateway.clock.advance(7 * 86_400_000);

    const noDate = await refused(REVIEW, { id, r: { leadAgency: 'Young Hackney', leadProfessional: 'Liam Doherty', decision: 'CONTINUE', referringAgencyAttended: true } }, chair, id);
    expect(noDate.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'NEXT_REVIEW_REQUIRED' });

    const nextPanel = day(28);
    const kept = await gateway.graphql(
      REVIEW,
      { id, r: { leadAgency: 'Young Hackney', leadProfessional: 'Liam Doherty', decision: 'CONTINUE', nextReviewDate: nextPanel, notes: 'Mentoring offered', referringAgencyAttended: true } },
      chair,
    );
    expect(kept.body.errors).toBeUndefined();
    expect(kept.body.data.recordPanelReview).toMatchObject({
      status: 'LISTED_FOR_PANEL',
      panelDate: nextPanel,
      leadAgency: 'Young Hackney',
      leadProfessional: 'Liam Doherty',
      panelReviews: [{ panelDate: firstPanel, decision: 'CONTINUE', nextReviewDate: nextPanel, notes: 'Mentoring offered', recordedBy: 'chair-cal', referringAgencyAttended: true }],
    });
    const nextAgenda = await gateway.graphql('query($d: Date) { referrals(status: LISTED_FOR_PANEL, panelDate: $d) { id } }', { d: nextPanel }, chair);
    expect(nextAgenda.body.data.referrals).toEqual([{ id }]);

    gateway.clock.advance(28 * 86_400_000);
    const closed = await gateway.graphql(REVIEW, { id, r: { leadAgency: 'Young Hackney', leadProfessional: 'Liam Doherty', decision: 'CLOSE', notes: 'Goals met', referringAgencyAttended: false } }, chair);
    expect(closed.body.data.recordPanelReview).toMatchObject({ status: 'CLOSED', panelDate: null, allowedNextSteps: ['recallCase'] });
    const reopen = await refused(LIST, { id, date: day(42) }, officer, id);
    expect(reopen.message).toBe(`Cannot list for panel referral ${id}: it was closed by a panel decision. Allowed next steps: recallCase`);

    const { body } = await gateway.graphql(GET, { id }, chair);
    expect(body.data.referral.trail.map((step: { kind: string; statusAfter: string }) => `${step.kind}>${step.statusAfter}`)).toEqual([
      'RECEIVED>RECEIVED',
      'CHECKS_RUN>CHECKED',
      'DECIDED>AWAITING_PANEL',
      'LISTED_FOR_PANEL>LISTED_FOR_PANEL',
      'PANEL_REVIEWED>LISTED_FOR_PANEL',
      'PANEL_REVIEWED>CLOSED',
    ]);
    expect(body.data.referral.trail[3].panelDate).toBe(firstPanel);
    expect(body.data.referral.trail[4].panelReview).toEqual({ decision: 'CONTINUE', nextReviewDate: nextPanel });
    const closedList = await gateway.graphql('{ referrals(status: CLOSED) { id status } }', {}, chair);
    expect(closedList.body.data.referrals).toEqual([{ id, status: 'CLOSED' }]);
    gateway.clock.advance(-35 * 86_400_000);
  });

  it('records consent for a non-police referral, and does not check partner systems without it', async () => {
    const subject = { forename: 'Amara', surname: 'Synthetic', dateOfBirth: '2012-05-01' };
    const missing = await gateway.graphql(RECEIVE, { input: { source: 'HEALTH', information: 'GP concern about low mood.', subject } }, officer);
    expect(missing.body.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'CONSENT_REQUIRED' });
    const received = await gateway.graphql(RECEIVE, { input: { source: 'HEALTH', information: 'GP concern about low mood.', subject, familyConsented: false } }, officer);
    const id = received.body.data.receiveReferral.id as string;
    expect(received.body.data.receiveReferral).toMatchObject({ familyConsented: false, allowedNextSteps: ['decideReferral'] });
    const noConsent = await refused(CHECKS, { id }, officer, id);
    expect(noConsent).toMatchObject({
      message: `Cannot run checks for referral ${id}: the family did not consent to agency checks. Allowed next steps: decideReferral`,
      extensions: { code: 'BAD_USER_INPUT', reason: 'NO_CONSENT' },
    });
    const decided = await gateway.graphql(DECIDE, { id, d: 'NO_FURTHER_ACTION', why: 'Signposted to the GP-led service' }, manager);
    expect(decided.body.data.decideReferral).toMatchObject({ status: 'NO_FURTHER_ACTION', allowedNextSteps: [] });
    const unknown = await gateway.graphql(GET, { id: 'R-99999' }, officer);
    expect(unknown.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets only one of two simultaneous decisions through, and keeps the trail append-only', async () => {
    const received = await gateway.graphql(
      RECEIVE,
      { input: { source: 'POLICE_NOTIFICATION', information: 'Missing episode, returned home.', subject: { forename: 'Kemal', surname: 'Synthetic' } } },
      officer,
    );
    const id = received.body.data.receiveReferral.id as string;
    await gateway.graphql(CHECKS, { id }, officer);
    const [a, b] = await Promise.all([
      gateway.graphql(DECIDE, { id, d: 'NO_FURTHER_ACTION', why: 'Returned home safe' }, manager),
      gateway.graphql(DECIDE, { id, d: 'REFER_TO_PANEL', why: 'Third missing episode' }, manager),
    ]);
    const outcomes = [a, b].map((r) => (r.body.errors ? r.body.errors[0]!.extensions!.code : 'OK')).sort();
    expect(outcomes).toEqual(['BAD_USER_INPUT', 'OK']);
    const trail = (await gateway.graphql(GET, { id }, officer)).body.data.referral.trail as Array<{ kind: string }>;
    expect(trail.filter((step) => step.kind === 'DECIDED')).toHaveLength(1);
    expect(await rejectionMessage(store().updateTable('referral_step').set({ actor: 'someone-else' }).where('referral_id', '=', id).execute())).toMatch(/append-only/);
    expect(await rejectionMessage(store().deleteFrom('referral_step').where('referral_id', '=', id).execute())).toMatch(/append-only/);
  });

  it('audits the workflow: the checked people returned, steps the workflow refuses as FAILED, steps the policy refuses as DENIED', async () => {
    const last = async () => (await gateway.services.audit.query({ sub: 'triage-tom' }, { first: 1 })).events[0]!;
    // As the systems record the child now (an earlier test renamed them at source).
    const current = (await gateway.graphql('query($id: ID!) { youngPerson(id: $id) { forename surname dateOfBirth } }', { id: child.personId }, officer)).body.data
      .youngPerson;
    const received = await gateway.graphql(
      RECEIVE,
      { input: { source: 'POLICE_NOTIFICATION', information: 'Stop and search, nothing found.', subject: current } },
      officer,
    );
    const id = received.body.data.receiveReferral.id as string;
    await gateway.graphql(CHECKS, { id }, officer);
    const checksEvent = await last();
    expect(checksEvent.operation).toBe('mutation');
    expect(checksEvent.outcome).toBe('RETURNED');
    expect(checksEvent.people.map((p) => p.personId)).toContain(child.personId);
    expect(checksEvent.people.find((p) => p.personId === child.personId)!.returned).toEqual(
      expect.arrayContaining(['ReferralCheckedPerson.forename', 'ReferralCheckedPerson.personId', 'ReferralChecks.bestCandidate']),
    );
    // A step the officer may take, but not yet (nothing was decided): the workflow refuses it.
    const early = await gateway.graphql(`mutation Early($id: ID!) { handOffReferral(referralId: $id, toUnit: "CU3") { id } }`, { id }, officer);
    expect(early.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await last()).toMatchObject({ operation: 'mutation Early', outcome: 'FAILED', returned: [], people: [] });
    // A step the policy does not grant the officer at all: refused before the workflow is asked.
    const notTheirs = await gateway.graphql(`mutation Ack($id: ID!) { acknowledgeHandOff(referralId: $id) { id } }`, { id }, officer);
    expect(notTheirs.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_GRANTED' });
    expect(await last()).toMatchObject({ operation: 'mutation Ack', outcome: 'DENIED', denied: ['Mutation.acknowledgeHandOff'], people: [] });
  });
});
