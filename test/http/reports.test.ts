/**
 * Reports for report writers, over HTTP on each engine: measures against counts worked out by hand
 * from a small fixture added to the seeded sources (in 2031, after every synthetic record, and at
 * postcode district ZZ9, which no synthetic address has), disclosure control, audit, and CSV export.
 */
import type { Kysely } from 'kysely';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { YoisTables } from '../../adapters/yois/tables';
import type { UmisTables } from '../../adapters/umis/tables';
import type { IdentityTables } from '../../src/identity/linkStore';
import type { ReferralTables } from '../../src/referrals/referralStore';

type LinkTables = Pick<IdentityTables, 'identity_person' | 'identity_link'>;
import { startGatewayOnEngine, type GatewayOnEngine } from '../support/gatewayOnEngine';
import { testEngines } from '../support/testDatabases';
import type { TestGateway } from '../support/startTestGateway';

jest.setTimeout(120_000);

const POSTCODE = 'ZZ9 9ZZ';

/** YOIS: first-time entrants in 2031, by gender and age band (hand count in the test below). */
async function addYoisFixture(db: Kysely<YoisTables>): Promise<void> {
  let person = 990000;
  let offence = 9900000;
  /** Each offence is committed on `date` and its outcome dated `provenOn`, the same day unless given. */
  const add = async (sex: string, dob: string, outcomes: Array<{ code: string; date: string; deleted?: boolean; provenOn?: string }>, deletedPerson = false, postcode = POSTCODE) => {
    person += 1;
    await db
      .insertInto('YP_PERSON')
      .values({ PERSON_ID: person, FORENAME: 'FIXTURE', SURNAME: `PERSON${person}`, KNOWN_AS: null, DOB: dob, SEX: sex, ETHNICITY_CODE: 'W1', ADDRESS_LINE1: '1 Test Street', POSTCODE: postcode, PNC_NUMBER: null, UPN: null, DELETED_FLAG: deletedPerson ? 'Y' : 'N', CREATED_DATE: '2031-01-01 00:00:00' })
      .execute();
    for (const outcome of outcomes) {
      offence += 1;
      await db.insertInto('YP_OFFENCE').values({ OFFENCE_ID: offence, PERSON_ID: person, OFFENCE_CODE: '046/00', OFFENCE_DATE: outcome.date, DELETED_FLAG: 'N', CREATED_DATE: '2031-01-01 00:00:00' }).execute();
      await db.insertInto('YP_OUTCOME').values({ OUTCOME_ID: offence, OFFENCE_ID: offence, OUTCOME_TYPE_CODE: outcome.code, OUTCOME_DATE: outcome.provenOn ?? outcome.date, COURT_NAME: null, DELETED_FLAG: outcome.deleted ? 'Y' : 'N' }).execute();
    }
  };
  const young = '20190615'; // 12 on 2031-06-15: band 10-14
  const older = '20150101'; // 16 on 2031-06-15: band 15-17
  // Counted: FEMALE 10-14: 2, FEMALE 15-17: 6, MALE 10-14: 7, MALE 15-17: 8 (23 in all).
  for (let i = 0; i < 2; i++) await add('F', young, [{ code: 'YC', date: '20310615' }]);
  for (let i = 0; i < 6; i++) await add('F', older, [{ code: 'RO', date: '20310615' }]);
  for (let i = 0; i < 7; i++) await add('M', young, [{ code: 'YCC', date: '20310301' }, { code: 'CR', date: '20300101' }]);
  for (let i = 0; i < 8; i++) await add('M', older, [{ code: 'YRO', date: '20311231' }]);
  // Not counted: community resolution only; an earlier formal outcome; 18 on the date; a deleted
  // person; the only formal outcome deleted; first formal outcome on the day after the period.
  await add('M', young, [{ code: 'CR', date: '20310615' }]);
  await add('M', older, [{ code: 'YC', date: '20300601' }, { code: 'YRO', date: '20310615' }]);
  await add('F', '20130101', [{ code: 'YC', date: '20310615' }]);
  await add('F', young, [{ code: 'YC', date: '20310615' }], true);
  await add('M', older, [{ code: 'YC', date: '20310615', deleted: true }]);
  await add('F', older, [{ code: 'YC', date: '20320101' }]);

  // Proven re-offending in 2031, at ZZ8. Cohort 17, re-offenders 9, re-offences 10:
  const reoffender = (extra: Array<{ code: string; date: string; deleted?: boolean; provenOn?: string }>, first = { code: 'YC', date: '20310201' }) =>
    add('M', older, [first, ...extra], false, 'ZZ8 8ZZ');
  // five re-offend four months after their index date (one of them twice);
  for (let i = 0; i < 5; i++) await reoffender([{ code: 'YRO', date: '20310601' }, ...(i === 0 ? [{ code: 'RO', date: '20311001' }] : [])]);
  // three do not;
  for (let i = 0; i < 3; i++) await reoffender([], { code: 'RO', date: '20310301' });
  // three offend again, but more than 12 months later, with only a community resolution, or with the outcome deleted;
  await reoffender([{ code: 'YC', date: '20320201' }], { code: 'YC', date: '20310115' });
  await reoffender([{ code: 'CR', date: '20310401' }], { code: 'YC', date: '20310115' });
  await reoffender([{ code: 'YC', date: '20310401', deleted: true }], { code: 'YC', date: '20310115' });
  // one with only a community resolution is not in the cohort;
  await add('M', older, [{ code: 'CR', date: '20310301' }], false, 'ZZ8 8ZZ');
  // one known since 2030 enters the 2031 cohort on 1 May 2031 and re-offends in September.
  await reoffender([{ code: 'RO', date: '20310501' }, { code: 'YC', date: '20310901' }], { code: 'YC', date: '20300601' });
  // The 6-month waiting period after the 12-month follow-up (index 1 February 2031: proven by 1 August 2032). Two
  // re-offend in December 2031, proven on its last day and in January 2032; one re-offends then too, proven the day after.
  await reoffender([{ code: 'YRO', date: '20311201', provenOn: '20320801' }]);
  await reoffender([{ code: 'YC', date: '20311215', provenOn: '20320110' }]);
  await reoffender([{ code: 'YRO', date: '20311201', provenOn: '20320802' }]);
  // An index date in the second half of the year: 15 September 2031, proven by 15 March 2033 (the waiting period
  // ends in the next year but one). One proven that day counts; one proven on 16 March 2033 is in the cohort only.
  await reoffender([{ code: 'YRO', date: '20320901', provenOn: '20330315' }], { code: 'YC', date: '20310915' });
  await reoffender([{ code: 'YRO', date: '20320901', provenOn: '20330316' }], { code: 'YC', date: '20310915' });
}

/** YOIS: breach warnings on orders in 2031, at ZZ7 (hand counts in the test below). */
async function addBreachFixture(db: Kysely<YoisTables>): Promise<void> {
  let person = 995000;
  let order = 995000;
  let warning = 995000;
  const addOrder = async (sex: string, dob: string, strikes: Array<{ no: number; at: string; deleted?: boolean }>, opts: { deletedOrder?: boolean; deletedPerson?: boolean } = {}) => {
    person += 1;
    order += 1;
    await db
      .insertInto('YP_PERSON')
      .values({ PERSON_ID: person, FORENAME: 'FIXTURE', SURNAME: `BREACH${person}`, KNOWN_AS: null, DOB: dob, SEX: sex, ETHNICITY_CODE: 'W1', ADDRESS_LINE1: '7 Test Street', POSTCODE: 'ZZ7 7ZZ', PNC_NUMBER: null, UPN: null, DELETED_FLAG: opts.deletedPerson ? 'Y' : 'N', CREATED_DATE: '2031-01-01 00:00:00' })
      .execute();
    await db
      .insertInto('YP_ORDER')
      .values({ ORDER_ID: order, PERSON_ID: person, OUTCOME_ID: order, ORDER_TYPE_CODE: 'YRO', ORDER_START: '20310101', ORDER_END: '20320101', ORDER_STATUS: 'A', DELETED_FLAG: opts.deletedOrder ? 'Y' : 'N', CREATED_DATE: '2031-01-01 00:00:00' })
      .execute();
    for (const strike of strikes) {
      warning += 1;
      await db.insertInto('YP_BREACH_WARNING').values({ WARNING_ID: warning, ORDER_ID: order, ISSUED_DATE: strike.at, STRIKE_NO: strike.no, REASON: 'Fixture', DELETED_FLAG: strike.deleted ? 'Y' : 'N' }).execute();
    }
  };
  const older = '20150101'; // 16 on the order's start, 1 January 2031: band 15-17
  const young = '20190615'; // 11 then: band 10-14
  // Counted: six orders (boys, 15-17) warned once in March, three of them struck twice in May; two
  // orders (girls, 10-14) struck in March and again in April. 13 warnings, 8 orders, 5 second strikes.
  for (let i = 0; i < 6; i++) await addOrder('M', older, [{ no: 1, at: '2031-03-10 10:00:00' }, ...(i < 3 ? [{ no: 2, at: '2031-05-10 10:00:00' }] : [])]);
  for (let i = 0; i < 2; i++) await addOrder('F', young, [{ no: 1, at: '2031-03-12 10:00:00' }, { no: 2, at: '2031-04-12 10:00:00' }]);
  // Not counted: a deleted warning, a warning on a deleted order, one of a deleted person, one on the day after the period.
  await addOrder('M', older, [{ no: 1, at: '2031-03-10 10:00:00', deleted: true }]);
  await addOrder('M', older, [{ no: 1, at: '2031-03-10 10:00:00' }], { deletedOrder: true });
  await addOrder('M', older, [{ no: 1, at: '2031-03-10 10:00:00' }], { deletedPerson: true });
  await addOrder('M', older, [{ no: 1, at: '2032-01-01 00:00:00' }]);
}

/**
 * Re-offending cohort 2031 at ZZ6 by Core Unit, through identity links (hand counts in the test below):
 * YOIS allocations, UMIS assignments, and links between YOIS and UMIS records in the gateway store.
 */
async function addCoreUnitFixture(yois: Kysely<YoisTables>, umis: Kysely<UmisTables>, store: Kysely<LinkTables>): Promise<void> {
  let person = 996000;
  let allocation = 996000;
  let client = 0;
  const at = '2031-01-01T00:00:00.000Z';
  const add = async (yoisUnits: Array<{ unit: string; end?: string }>, umisUnit: { unit: string; end?: string; linked: boolean } | null) => {
    person += 1;
    await yois
      .insertInto('YP_PERSON')
      .values({ PERSON_ID: person, FORENAME: 'FIXTURE', SURNAME: `UNIT${person}`, KNOWN_AS: null, DOB: '20150101', SEX: 'M', ETHNICITY_CODE: 'W1', ADDRESS_LINE1: '6 Test Street', POSTCODE: 'ZZ6 6ZZ', PNC_NUMBER: null, UPN: null, DELETED_FLAG: 'N', CREATED_DATE: '2031-01-01 00:00:00' })
      .execute();
    await yois.insertInto('YP_OFFENCE').values({ OFFENCE_ID: person, PERSON_ID: person, OFFENCE_CODE: '046/00', OFFENCE_DATE: '20310301', DELETED_FLAG: 'N', CREATED_DATE: '2031-03-01 00:00:00' }).execute();
    await yois.insertInto('YP_OUTCOME').values({ OUTCOME_ID: person, OFFENCE_ID: person, OUTCOME_TYPE_CODE: 'YC', OUTCOME_DATE: '20310301', COURT_NAME: null, DELETED_FLAG: 'N' }).execute();
    for (const a of yoisUnits) {
      allocation += 1;
      await yois.insertInto('YP_CASE_ALLOCATION').values({ ALLOCATION_ID: allocation, PERSON_ID: person, UNIT_CODE: a.unit, WORKER_NAME: null, ALLOC_START: '2031-01-05 09:00:00', ALLOC_END: a.end ?? null, DELETED_FLAG: 'N' }).execute();
    }
    if (!umisUnit) return;
    client += 1;
    const clientId = `00000000-0000-4000-8000-${String(996000000000 + client)}`;
    await umis
      .insertInto('client')
      .values({ client_id: clientId, given_name: 'Fixture', family_name: `Unit${person}`, preferred_name: null, date_of_birth: '2015-01-01', gender_code: '1', ethnicity_code: null, address_line_1: null, post_code: 'ZZ6 6ZZ', upn: null, is_active: 1, created_utc: '2031-01-01 00:00:00', modified_utc: '2031-01-01 00:00:00' })
      .execute();
    await umis
      .insertInto('client_worker_assignment')
      .values({ client_worker_assignment_id: `00000000-0000-4000-9000-${String(996000000000 + client)}`, client_id: clientId, worker_id: null, unit_code: umisUnit.unit, start_date: '2031-02-01', end_date: umisUnit.end ?? null, is_active: 1, created_utc: '2031-02-01 00:00:00', modified_utc: '2031-02-01 00:00:00' })
      .execute();
    if (!umisUnit.linked) return;
    const personId = `P-CU${person}`;
    await store.insertInto('identity_person').values({ person_id: personId, created_at: at }).execute();
    await store
      .insertInto('identity_link')
      .values([
        { person_id: personId, source_system: 'YOIS', source_id: String(person), method: 'CONFIRMED', score: null, made_by: 'fixture', made_at: at, active: 1 },
        { person_id: personId, source_system: 'UMIS', source_id: clientId, method: 'CONFIRMED', score: null, made_by: 'fixture', made_at: at, active: 1 },
      ])
      .execute();
  };
  // CU1: six allocated in YOIS. CU2: five known to CU2 only in UMIS (linked), and two whose YOIS
  // allocation ended in June while their linked UMIS record is with CU2. CU3: five allocated in YOIS,
  // one of them also with CU2 in UMIS (YOIS's own allocation wins). Not allocated: two with a CU2
  // client in UMIS that is not linked to them, one whose linked UMIS assignment ended in May, two with none.
  for (let i = 0; i < 6; i++) await add([{ unit: 'CU1' }], null);
  for (let i = 0; i < 5; i++) await add([], { unit: 'CU2', linked: true });
  for (let i = 0; i < 2; i++) await add([{ unit: 'CU1', end: '2031-06-30 17:00:00' }], { unit: 'CU2', linked: true });
  for (let i = 0; i < 4; i++) await add([{ unit: 'CU3' }], null);
  await add([{ unit: 'CU3' }], { unit: 'CU2', linked: true });
  for (let i = 0; i < 2; i++) await add([], { unit: 'CU2', linked: false });
  await add([], { unit: 'CU2', end: '2031-05-01', linked: true });
  for (let i = 0; i < 2; i++) await add([], null);
}

/** Partnership Triage and panel in 2031, in the gateway store (hand counts in the test below). */
async function addTriageFixture(store: Kysely<ReferralTables>): Promise<void> {
  let n = 990000;
  /** Each step leaves the referral at `status`, unless the step names its own. */
  const add = async (source: string, status: string, steps: Array<[kind: string, at: string, statusAfter?: string]>, kind = 'REFERRAL') => {
    n += 1;
    const id = `R-FIXTURE${n}`;
    const [[, received]] = steps as [[string, string]];
    await store
      .insertInto('referral')
      .values({ referral_id: id, referral_no: n, kind, subject_key: null, source, received_at: received, family_consented: null, status, panel_date: null, version: steps.length, created_at: received, updated_at: received })
      .execute();
    await store
      .insertInto('referral_step')
      .values(steps.map(([kind, at, statusAfter], i) => ({ referral_id: id, step_no: i + 1, kind, occurred_at: at, recorded_at: at, actor: 'fixture', actor_name: 'Fixture', status_after: statusAfter ?? status, detail_json: '{}' })))
      .execute();
    return id;
  };
  // Eight police referrals in March, checked, no further action; six from schools in April, checked and
  // handed off; five police referrals in May, checked and listed for the panel, two of them listed again in June.
  for (let i = 0; i < 8; i++) await add('POLICE_NOTIFICATION', 'NO_FURTHER_ACTION', [['RECEIVED', '2031-03-03T10:00:00.000Z'], ['CHECKS_RUN', '2031-03-03T11:00:00.000Z'], ['DECIDED', '2031-03-04T09:00:00.000Z']]);
  for (let i = 0; i < 6; i++) await add('SCHOOL', 'ACKNOWLEDGED', [['RECEIVED', '2031-04-07T10:00:00.000Z'], ['CHECKS_RUN', '2031-04-07T11:00:00.000Z'], ['DECIDED', '2031-04-08T09:00:00.000Z'], ['HANDED_OFF', '2031-04-08T10:00:00.000Z'], ['ACKNOWLEDGED', '2031-04-09T10:00:00.000Z']]);
  for (let i = 0; i < 5; i++) {
    const again: Array<[string, string]> = i < 2 ? [['PANEL_REVIEWED', '2031-05-20T10:00:00.000Z'], ['LISTED_FOR_PANEL', '2031-06-02T10:00:00.000Z']] : [];
    await add('POLICE_NOTIFICATION', 'LISTED_FOR_PANEL', [['RECEIVED', '2031-05-05T10:00:00.000Z'], ['CHECKS_RUN', '2031-05-05T11:00:00.000Z'], ['DECIDED', '2031-05-06T09:00:00.000Z'], ['LISTED_FOR_PANEL', '2031-05-06T10:00:00.000Z'], ...again]);
  }
  // A check request for a multi-agency meeting, received and checked in March: not a referral.
  await add('POLICE_NOTIFICATION', 'CHECKED', [['RECEIVED', '2031-03-03T10:00:00.000Z'], ['CHECKS_RUN', '2031-03-03T11:00:00.000Z']], 'MULTI_AGENCY_MEETING');
  // Received, checked and first listed in December 2030; back at the panel in February 2031.
  await add('HEALTH', 'LISTED_FOR_PANEL', [['RECEIVED', '2030-12-20T10:00:00.000Z'], ['CHECKS_RUN', '2030-12-21T10:00:00.000Z'], ['DECIDED', '2030-12-22T10:00:00.000Z'], ['LISTED_FOR_PANEL', '2030-12-28T10:00:00.000Z'], ['PANEL_REVIEWED', '2031-01-10T10:00:00.000Z'], ['LISTED_FOR_PANEL', '2031-02-01T10:00:00.000Z']]);

  // Panel cases closed in 2032 (hand counts in the test below), received in 2032 so no 2031 count moves.
  const listedAndClosed = (source: string, listed: string, closings: Array<[kind: string, at: string, statusAfter: string]>) =>
    add(source, 'CLOSED', [['RECEIVED', `${listed.slice(0, 10)}T08:00:00.000Z`], ['LISTED_FOR_PANEL', listed, 'LISTED_FOR_PANEL'], ...closings]);
  // March: five listed on 6 January, three closed after 8 weeks (56 days), two after 10 (70): 44 / 5 = 8.8 weeks.
  const january: string[] = [];
  for (let i = 0; i < 3; i++) january.push(await listedAndClosed('POLICE_NOTIFICATION', '2032-01-06T10:00:00.000Z', [['PANEL_REVIEWED', '2032-03-02T16:00:00.000Z', 'CLOSED']]));
  for (let i = 0; i < 2; i++) january.push(await listedAndClosed('POLICE_NOTIFICATION', '2032-01-06T10:00:00.000Z', [['PANEL_REVIEWED', '2032-03-16T09:00:00.000Z', 'CLOSED']]));
  // April: five listed on 3 February; four closed after 9 weeks (63 days, 2032 is a leap year). The fifth was closed on
  // 2 March, recalled and closed again on 20 April, 11 weeks (77 days) after its first listing: counted once, in April.
  const february: string[] = [];
  for (let i = 0; i < 4; i++) february.push(await listedAndClosed('POLICE_NOTIFICATION', '2032-02-03T10:00:00.000Z', [['PANEL_REVIEWED', '2032-04-06T10:00:00.000Z', 'CLOSED']]));
  const recalled = await listedAndClosed('POLICE_NOTIFICATION', '2032-02-03T10:00:00.000Z', [
    ['PANEL_REVIEWED', '2032-03-02T10:00:00.000Z', 'CLOSED'],
    ['RECALLED', '2032-03-20T10:00:00.000Z', 'LISTED_FOR_PANEL'],
    ['PANEL_REVIEWED', '2032-04-20T10:00:00.000Z', 'CLOSED'],
  ]);
  february.push(recalled);
  // Allocations, as reviews record them (one row per agency): the January panel gives each January case to NIA and
  // to IGIP (10 pairs); the February panel gives each February case to NIA, and the first January case to NIA again
  // (6 rows, 5 new pairs). NIA 10 cases, IGIP 5; 15 pairs in all, though the months hold 10 and 6.
  const allocate = (ids: string[], agency: string, panelDate: string, stepNo: number) =>
    store.insertInto('panel_allocation').values(ids.map((id) => ({ referral_id: id, step_no: stepNo, agency_id: agency, panel_date: panelDate }))).execute();
  await allocate(january, 'NIA', '2032-01-20', 3);
  await allocate(january, 'IGIP', '2032-01-20', 3);
  await allocate(february, 'NIA', '2032-02-17', 3);
  await allocate(january.slice(0, 1), 'NIA', '2032-02-17', 4);

  // Check requests in 2033: six for multi-agency meetings (four returned), five for pre-sentence reports.
  for (let i = 0; i < 6; i++) {
    const returned: Array<[string, string]> = i < 4 ? [['CHECKS_RETURNED', '2033-03-09T10:00:00.000Z']] : [];
    await add('POLICE_NOTIFICATION', i < 4 ? 'CHECKS_RETURNED' : 'CHECKED', [['RECEIVED', '2033-03-07T10:00:00.000Z'], ['CHECKS_RUN', '2033-03-07T11:00:00.000Z'], ...returned], 'MULTI_AGENCY_MEETING');
  }
  for (let i = 0; i < 5; i++) await add('COURT', 'CHECKS_RETURNED', [['RECEIVED', '2033-04-11T10:00:00.000Z'], ['CHECKS_RUN', '2033-04-11T11:00:00.000Z'], ['CHECKS_RETURNED', '2033-04-12T10:00:00.000Z']], 'PRE_SENTENCE_REPORT');
  // May: one from a school, listed 1 April, closed after 6 weeks: a cell of one.
  await listedAndClosed('SCHOOL', '2032-04-01T10:00:00.000Z', [['PANEL_REVIEWED', '2032-05-13T10:00:00.000Z', 'CLOSED']]);
  // Not counted: reviewed and kept open; still listed; a check request closed.
  await listedAndClosed('POLICE_NOTIFICATION', '2032-01-06T10:00:00.000Z', [['PANEL_REVIEWED', '2032-03-02T10:00:00.000Z', 'LISTED_FOR_PANEL']]);
  await add('HEALTH', 'LISTED_FOR_PANEL', [['RECEIVED', '2032-02-01T10:00:00.000Z'], ['LISTED_FOR_PANEL', '2032-02-02T10:00:00.000Z']]);
  await add('POLICE_NOTIFICATION', 'CLOSED', [['RECEIVED', '2032-02-01T10:00:00.000Z'], ['LISTED_FOR_PANEL', '2032-02-02T10:00:00.000Z', 'LISTED_FOR_PANEL'], ['PANEL_REVIEWED', '2032-03-01T10:00:00.000Z']], 'MULTI_AGENCY_MEETING');
}

/**
 * NEET at the end of January 2031 at ZZ5, aged by IYSS's own date of birth or by the golden one from
 * linked UMIS and YOIS records (hand counts in the test below).
 */
async function addGoldenDobFixture(iyss: Kysely<IyssTables>, umis: Kysely<UmisTables>, yois: Kysely<YoisTables>, store: Kysely<LinkTables>): Promise<void> {
  let n = 0;
  const at = '2031-01-01T00:00:00.000Z';
  const add = async (iyssDob: string | null, elsewhere: { umis?: string; yois?: string }) => {
    n += 1;
    const iyssId = 97000 + n;
    await iyss
      .insertInto('tblYoungPerson')
      .values({ YoungPersonID: iyssId, Forename: 'Fixture', Surname: `Golden${n}`, KnownAs: null, DOB: iyssDob, Sex: 'F', EthnicityCode: 'WBRI', AddressLine1: '5 Test Street', Postcode: 'ZZ5 5ZZ', UPN: null, IsDeleted: 0, DateCreated: '2031-01-01 00:00:00', DateModified: '2031-01-01 00:00:00' })
      .execute();
    await iyss.insertInto('tblEducationStatus').values({ EducationStatusID: 9700000 + n, YoungPersonID: iyssId, NeetCode: '540', EffectiveDate: '01/12/2030', Provider: null, IsDeleted: 0 }).execute();
    if (!elsewhere.umis && !elsewhere.yois) return;
    const personId = `P-GD${iyssId}`;
    const links = [{ person_id: personId, source_system: 'IYSS', source_id: String(iyssId), method: 'CONFIRMED' as const, score: null, made_by: 'fixture', made_at: at, active: 1 }];
    if (elsewhere.umis) {
      const clientId = `00000000-0000-4000-a000-${String(970000000000 + n)}`;
      await umis
        .insertInto('client')
        .values({ client_id: clientId, given_name: 'Fixture', family_name: `Golden${n}`, preferred_name: null, date_of_birth: elsewhere.umis, gender_code: '2', ethnicity_code: null, address_line_1: null, post_code: 'ZZ5 5ZZ', upn: null, is_active: 1, created_utc: '2031-01-01 00:00:00', modified_utc: '2031-01-01 00:00:00' })
        .execute();
      links.push({ ...links[0]!, source_system: 'UMIS', source_id: clientId });
    }
    if (elsewhere.yois) {
      const yoisId = 997000 + n;
      await yois
        .insertInto('YP_PERSON')
        .values({ PERSON_ID: yoisId, FORENAME: 'FIXTURE', SURNAME: `GOLDEN${n}`, KNOWN_AS: null, DOB: elsewhere.yois.replace(/-/g, ''), SEX: 'F', ETHNICITY_CODE: 'W1', ADDRESS_LINE1: '5 Test Street', POSTCODE: 'ZZ5 5ZZ', PNC_NUMBER: null, UPN: null, DELETED_FLAG: 'N', CREATED_DATE: '2031-01-01 00:00:00' })
        .execute();
      links.push({ ...links[0]!, source_system: 'YOIS', source_id: String(yoisId) });
    }
    await store.insertInto('identity_person').values({ person_id: personId, created_at: at }).execute();
    await store.insertInto('identity_link').values(links).execute();
  };
  // Counted either way: five aged 16 by IYSS and known nowhere else. Counted by the golden date only:
  // three IYSS says are 12 whose UMIS and YOIS records agree they are 16, and one IYSS has no date for
  // whose UMIS record says 16. Counted by IYSS's date only: two IYSS says are 16 whose UMIS and YOIS
  // records agree they are 21. Neither: one IYSS says is 12 whose one UMIS record says 16 (a tie goes to IYSS).
  for (let i = 0; i < 5; i++) await add('2014-05-01', {});
  for (let i = 0; i < 3; i++) await add('2019-01-01', { umis: '2014-06-01', yois: '2014-06-01' });
  await add(null, { umis: '2014-07-01' });
  for (let i = 0; i < 2; i++) await add('2014-05-01', { umis: '2010-01-01', yois: '2010-01-01' });
  await add('2019-01-01', { umis: '2014-06-01' });
}

/** IYSS: participation in March 2031 and NEET at the ends of January and February 2031. */
async function addIyssFixture(db: Kysely<IyssTables>): Promise<void> {
  let person = 99000;
  const addPerson = async (dob: string, sex = 'F') => {
    person += 1;
    await db
      .insertInto('tblYoungPerson')
      .values({ YoungPersonID: person, Forename: 'Fixture', Surname: `Person${person}`, KnownAs: null, DOB: dob, Sex: sex, EthnicityCode: 'WBRI', AddressLine1: '1 Test Street', Postcode: POSTCODE, UPN: null, IsDeleted: 0, DateCreated: '2031-01-01 00:00:00', DateModified: '2031-01-01 00:00:00' })
      .execute();
    return person;
  };
  await db.insertInto('tblGroupSession').values([
    { GroupSessionID: 990001, ActivityTypeCode: 'SPRT', SessionTitle: 'Fixture football', SessionDate: '2031-03-05 18:00:00', Venue: null, IsDeleted: 0 },
    { GroupSessionID: 990002, ActivityTypeCode: 'ARTS', SessionTitle: 'Fixture drama', SessionDate: '2031-03-12 18:00:00', Venue: null, IsDeleted: 0 },
    { GroupSessionID: 990003, ActivityTypeCode: 'SPRT', SessionTitle: 'Fixture football', SessionDate: '2031-04-02 18:00:00', Venue: null, IsDeleted: 0 },
  ]).execute();
  let attendance = 9900000;
  const attend = async (personId: number, session: number, code: string, deleted = 0) => {
    attendance += 1;
    await db.insertInto('tblAttendance').values({ AttendanceID: attendance, GroupSessionID: session, YoungPersonID: personId, AttendanceCode: code, IsDeleted: deleted }).execute();
  };
  // Sports: 6 present, 2 of whom also came to drama (one late); drama: those 2, 3 present, 1 late.
  // Not counted: absent at drama, a deleted attendance, a session in April. Distinct: 6 + 4 = 10.
  for (let i = 0; i < 6; i++) {
    const id = await addPerson('2016-05-01');
    await attend(id, 990001, 'P');
    if (i < 2) await attend(id, 990002, i === 0 ? 'P' : 'L');
  }
  for (let i = 0; i < 4; i++) await attend(await addPerson('2016-05-01'), 990002, i === 3 ? 'L' : 'P');
  await attend(await addPerson('2016-05-01'), 990002, 'A');
  await attend(await addPerson('2016-05-01'), 990001, 'P', 1);
  await attend(await addPerson('2016-05-01'), 990003, 'P');

  let status = 9900000;
  const addStatus = async (personId: number, code: string, date: string, deleted = 0) => {
    status += 1;
    await db.insertInto('tblEducationStatus').values({ EducationStatusID: status, YoungPersonID: personId, NeetCode: code, EffectiveDate: date, Provider: null, IsDeleted: deleted }).execute();
  };
  // NEET at both month ends: six people (one keyed with the old DD/MM/YYYY dates); NEET in January
  // only: one who started college on 10 February. Not counted: aged 12, aged 21, a deleted status.
  for (let i = 0; i < 5; i++) await addStatus(await addPerson('2014-05-01', 'M'), '540', '01/12/2030');
  await addStatus(await addPerson('01/06/2013', 'M'), '610', '15/01/2031');
  const leaver = await addPerson('2014-02-01', 'M');
  await addStatus(leaver, '540', '01/11/2030');
  await addStatus(leaver, '120', '10/02/2031');
  await addStatus(await addPerson('2019-01-01', 'M'), '540', '01/12/2030');
  await addStatus(await addPerson('2010-01-01', 'M'), '540', '01/12/2030');
  await addStatus(await addPerson('2014-05-01', 'M'), '540', '01/12/2030', 1);
}

const REPORT = `query($measure: ReportMeasure!, $from: Date!, $to: Date!, $by: [ReportDimension!], $filters: [ReportFilter!]) {
  report(measure: $measure, from: $from, to: $to, breakdowns: $by, filters: $filters) {
    measure from to asOf finalOn provisional breakdowns suppressionThreshold suppressedCells csvPath
    definition { title counts unit source ageOn identityLinks dimensions nonAdditive averageOf }
    cells { keys { dimension value } count suppression average isTotal }
  }
}`;

type Cell = { keys: Array<{ dimension: string; value: string | null }>; count: number | null; suppression: string | null; isTotal: boolean };
/** Cells as `key|key -> count (suppression)`, totals keyed `*`. */
const table = (cells: Cell[]) => Object.fromEntries(cells.map((c) => [c.keys.map((k) => k.value ?? '*').join('|'), c.suppression ? c.suppression : c.count]));

describe.each(testEngines())('reports for report writers (%s)', (engine) => {
  let run: GatewayOnEngine;
  let gateway: TestGateway;
  let writer: string;

  beforeAll(async () => {
    run = await startGatewayOnEngine(engine, { volume: 200 });
    gateway = run.gateway;
    await addYoisFixture(gateway.databases.yois.db);
    await addIyssFixture(gateway.databases.iyss.db);
    await addBreachFixture(gateway.databases.yois.db);
    await addGoldenDobFixture(gateway.databases.iyss.db, gateway.databases.umis.db, gateway.databases.yois.db, gateway.services.store.database.db as unknown as Kysely<LinkTables>);
    await addTriageFixture(gateway.services.store.database.db as unknown as Kysely<ReferralTables>);
    await addCoreUnitFixture(gateway.databases.yois.db, gateway.databases.umis.db, gateway.services.store.database.db as unknown as Kysely<LinkTables>);
    writer = await gateway.token({ sub: 'rw-1', name: 'Report Writer', roles: ['report_writer'], tier: 1, units: [] });
  });
  afterAll(() => run?.stop());

  const report = (variables: Record<string, unknown>, token = writer) => gateway.graphql(REPORT, variables, token);

  it('first-time entrants 2031 by gender and age band: hand-counted table, small cell and its complements suppressed, totals shown', async () => {
    const { body } = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01', by: ['GENDER', 'AGE_BAND'], filters: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ9'] }] });
    expect(body.errors).toBeUndefined();
    const result = body.data.report;
    // FEMALE 10-14 = 2 is too small; FEMALE 15-17 (6) would reveal it from the FEMALE total, MALE 10-14
    // (7) from the 10-14 total, and MALE 15-17 (8) would then reveal the others: all four withheld.
    expect(table(result.cells)).toEqual({
      'FEMALE|10-14': 'PRIMARY',
      'FEMALE|15-17': 'SECONDARY',
      'MALE|10-14': 'SECONDARY',
      'MALE|15-17': 'SECONDARY',
      'FEMALE|*': 8,
      'MALE|*': 15,
      '*|10-14': 9,
      '*|15-17': 14,
      '*|*': 23,
    });
    expect(result.suppressedCells).toBe(4);
    expect(result.suppressionThreshold).toBe(5);
    expect(result.cells.filter((c: Cell) => c.suppression).every((c: Cell) => c.count === null)).toBe(true);
    expect(result.definition).toMatchObject({ source: 'YOIS', unit: 'young people', ageOn: 'the date of the first formal outcome', nonAdditive: [] });
    expect(result.definition.identityLinks).toMatch(/no link between systems/);
    expect(result.definition.counts).toMatch(/community resolution does not count/);
    expect(Date.parse(result.asOf)).not.toBeNaN();
  });

  it('first-time entrants without breakdowns and filtered to girls: one grand total each', async () => {
    const all = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01', filters: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ9'] }] });
    expect(table(all.body.data.report.cells)).toEqual({ '': 23 });
    const girls = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01', by: ['MONTH'], filters: [{ dimension: 'GENDER', values: ['FEMALE'] }, { dimension: 'POSTCODE_DISTRICT', values: ['ZZ9'] }] });
    // 8 girls, all entered on 15 June 2031.
    expect(table(girls.body.data.report.cells)).toEqual({ '2031-06': 8, '*': 8 });
  });

  it('positive-activity participation in March 2031 by activity type: a young person in two activities counts once in the total', async () => {
    const { body } = await report({ measure: 'POSITIVE_ACTIVITY_PARTICIPATION', from: '2031-03-01', to: '2031-04-01', by: ['ACTIVITY_TYPE'] });
    expect(body.errors).toBeUndefined();
    expect(table(body.data.report.cells)).toEqual({ 'Arts and crafts': 6, Sports: 6, '*': 10 });
    expect(body.data.report.definition.nonAdditive).toEqual(['MONTH', 'ACTIVITY_TYPE']);
  });

  it('NEET 16-18 at the ends of January and February 2031, by month', async () => {
    const { body } = await report({ measure: 'NEET_16_TO_18', from: '2031-01-01', to: '2031-03-01', by: ['MONTH'], filters: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ9'] }] });
    expect(body.errors).toBeUndefined();
    expect(table(body.data.report.cells)).toEqual({ '2031-01': 7, '2031-02': 6, '*': 7 });
  });

  it('proven re-offending 2031: cohort, re-offenders and re-offences, hand-counted, in one query', async () => {
    const { body } = await gateway.graphql(
      `query($f: [ReportFilter!]) {
        cohort: report(measure: REOFFENDING_COHORT, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit finalAfterMonths } finalOn provisional }
        binary: report(measure: REOFFENDERS, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit finalAfterMonths } finalOn provisional }
        frequency: report(measure: REOFFENCES, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit finalAfterMonths } finalOn provisional }
      }`,
      { f: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ8'] }] },
      writer,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      // The test clock is in 2026: every 2031 figure is provisional. Re-offending is final 18 months after the period.
      cohort: { cells: [{ count: 17 }], definition: { unit: 'young people', finalAfterMonths: 0 }, finalOn: '2032-01-01', provisional: true },
      binary: { cells: [{ count: 9 }], definition: { unit: 'young people', finalAfterMonths: 18 }, finalOn: '2033-07-01', provisional: true },
      frequency: { cells: [{ count: 10 }], definition: { unit: 'offences', finalAfterMonths: 18 }, finalOn: '2033-07-01', provisional: true },
    });
  });

  it('says a re-offending report is final only once its follow-up and waiting period are over', async () => {
    const asOf = gateway.clock.now();
    const day = (offsetDays: number) => new Date(asOf.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    // A period that ended 18 months and a few days ago is final; one ending 18 months less a few days ago is not.
    const older = await report({ measure: 'REOFFENDERS', from: day(-1000), to: day(-560) });
    expect(older.body.errors).toBeUndefined();
    expect(older.body.data.report.provisional).toBe(false);
    expect(older.body.data.report.finalOn <= day(0)).toBe(true);
    const recent = await report({ measure: 'REOFFENDERS', from: day(-1000), to: day(-530) });
    expect(recent.body.data.report.provisional).toBe(true);
    expect(recent.body.data.report.finalOn > day(0)).toBe(true);
  });

  it('breach warnings and strikes per order in 2031, hand-counted: warnings, orders warned, orders at a second strike', async () => {
    const { body } = await gateway.graphql(
      `query($f: [ReportFilter!]) {
        warnings: report(measure: BREACH_WARNINGS, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit source ageOn } }
        orders: report(measure: ORDERS_WARNED, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit } }
        second: report(measure: ORDERS_AT_SECOND_STRIKE, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit } }
        byBand: report(measure: BREACH_WARNINGS, from: "2031-01-01", to: "2032-01-01", breakdowns: [AGE_BAND], filters: $f) { cells { keys { dimension value } count suppression isTotal } }
        byMonth: report(measure: ORDERS_WARNED, from: "2031-01-01", to: "2032-01-01", breakdowns: [MONTH], filters: $f) { cells { keys { dimension value } count suppression isTotal } }
      }`,
      { f: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ7'] }] },
      writer,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.warnings).toEqual({ cells: [{ count: 13 }], definition: { unit: 'warnings', source: 'YOIS', ageOn: "the order's start date" } });
    expect(body.data.orders).toEqual({ cells: [{ count: 8 }], definition: { unit: 'orders' } });
    expect(body.data.second).toEqual({ cells: [{ count: 5 }], definition: { unit: 'orders' } });
    // Girls' 4 warnings are too few to show; the boys' 9 would give them away from the total of 13.
    expect(table(body.data.byBand.cells)).toEqual({ '10-14': 'PRIMARY', '15-17': 'SECONDARY', '*': 13 });
    // Orders warned per month (one order can be warned in several months: the total is not their sum):
    // March 8, April 2 (too few), May 3 (too few); non-additive, so nothing can be subtracted.
    expect(table(body.data.byMonth.cells)).toEqual({ '2031-03': 8, '2031-04': 'PRIMARY', '2031-05': 'PRIMARY', '*': 8 });
  });

  it('proven re-offending cohort 2031 by Core Unit, through identity links: hand-counted, and the definition says which links', async () => {
    const { body } = await report({ measure: 'REOFFENDING_COHORT', from: '2031-01-01', to: '2032-01-01', by: ['CORE_UNIT'], filters: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ6'] }] });
    expect(body.errors).toBeUndefined();
    expect(table(body.data.report.cells)).toEqual({ CU1: 6, CU2: 7, CU3: 5, 'Not allocated': 5, '*': 23 });
    expect(body.data.report.definition.identityLinks).toMatch(/UMIS record linked to their YOIS record through the active identity links in the gateway store/);
    expect(body.data.report.definition.dimensions).toContain('CORE_UNIT');
    const cu2 = await report({ measure: 'REOFFENDING_COHORT', from: '2031-01-01', to: '2032-01-01', filters: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ6'] }, { dimension: 'CORE_UNIT', values: ['CU2'] }] });
    expect(table(cu2.body.data.report.cells)).toEqual({ '': 7 });
    // A measure of one system's records alone does not offer the breakdown.
    const fte = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01', by: ['CORE_UNIT'] });
    expect(fte.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('Partnership Triage and panel volumes in 2031 from the gateway store, hand-counted: received by source and outcome, checked, handed off, listed, new panel cases', async () => {
    const year = { from: '2031-01-01', to: '2032-01-01' };
    const { body } = await gateway.graphql(
      `{
        received: report(measure: REFERRALS_RECEIVED, from: "2031-01-01", to: "2032-01-01", breakdowns: [REFERRAL_SOURCE]) { cells { keys { dimension value } count suppression isTotal } definition { source unit identityLinks } }
        outcome: report(measure: REFERRALS_RECEIVED, from: "2031-01-01", to: "2032-01-01", breakdowns: [REFERRAL_STATUS]) { cells { keys { dimension value } count suppression isTotal } }
        checked: report(measure: REFERRALS_CHECKED, from: "2031-01-01", to: "2032-01-01") { cells { count } }
        handedOff: report(measure: REFERRALS_HANDED_OFF, from: "2031-01-01", to: "2032-01-01") { cells { count } }
        listed: report(measure: PANEL_LISTINGS, from: "2031-01-01", to: "2032-01-01", breakdowns: [MONTH]) { cells { keys { dimension value } count suppression isTotal } }
        newCases: report(measure: NEW_PANEL_CASES, from: "2031-01-01", to: "2032-01-01", breakdowns: [MONTH]) { cells { keys { dimension value } count suppression isTotal } }
      }`,
      {},
      writer,
    );
    expect(body.errors).toBeUndefined();
    expect(table(body.data.received.cells)).toEqual({ POLICE_NOTIFICATION: 13, SCHOOL: 6, '*': 19 });
    expect(body.data.received.definition).toMatchObject({ source: 'GATEWAY_STORE', unit: 'referrals' });
    expect(table(body.data.outcome.cells)).toEqual({ ACKNOWLEDGED: 6, LISTED_FOR_PANEL: 5, NO_FURTHER_ACTION: 8, '*': 19 });
    expect(body.data.checked.cells).toEqual([{ count: 19 }]);
    expect(body.data.handedOff.cells).toEqual([{ count: 6 }]);
    // Listed: one back in February, five in May, two of them again in June; six referrals in the year.
    expect(table(body.data.listed.cells)).toEqual({ '2031-02': 'PRIMARY', '2031-05': 5, '2031-06': 'PRIMARY', '*': 6 });
    // New panel cases: the five first listed in May (the one back in February was new in 2030).
    expect(table(body.data.newCases.cells)).toEqual({ '2031-05': 5, '*': 5 });
    const none = await report({ measure: 'REFERRALS_RECEIVED', ...year, by: ['AGE_BAND'] });
    expect(none.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('panel cases closed in 2032 with the average weeks open, hand-counted; no average beside a suppressed count', async () => {
    const closed = (by: string[]) => report({ measure: 'PANEL_CASES_CLOSED', from: '2032-01-01', to: '2033-01-01', by });
    const whole = await closed([]);
    expect(whole.body.errors).toBeUndefined();
    // (44 + 47 + 6) / 11 = 8.818...
    expect(whole.body.data.report.cells).toEqual([{ keys: [], count: 11, suppression: null, average: 8.8, isTotal: false }]);
    expect(whole.body.data.report.definition.averageOf).toMatch(/weeks open/);
    const byMonth = await closed(['MONTH']);
    const cells = byMonth.body.data.report.cells as Array<{ keys: Array<{ value: string | null }>; count: number | null; suppression: string | null; average: number | null }>;
    const month = (value: string | null) => cells.find((c) => c.keys[0]!.value === value)!;
    // May's one case is suppressed, and so is one other month, or May could be worked out from the total.
    expect(month('2032-05')).toMatchObject({ count: null, suppression: 'PRIMARY', average: null });
    const shown = cells.filter((c) => c.suppression === null && c.keys[0]!.value !== null);
    expect(shown).toHaveLength(1);
    expect(cells.filter((c) => c.suppression === 'SECONDARY')).toHaveLength(1);
    for (const cell of cells.filter((c) => c.suppression)) expect(cell.average).toBeNull();
    expect({ [shown[0]!.keys[0]!.value!]: shown[0]!.average }).toEqual(shown[0]!.keys[0]!.value === '2032-03' ? { '2032-03': 8.8 } : { '2032-04': 9.4 });
    expect(month(null)).toMatchObject({ count: 11, average: 8.8 });
    // Measures that only count have no average.
    const counted = await report({ measure: 'NEW_PANEL_CASES', from: '2032-01-01', to: '2033-01-01' });
    expect(counted.body.data.report.definition.averageOf).toBeNull();
    expect(counted.body.data.report.cells[0].average).toBeNull();
  });

  it('check requests for meetings and pre-sentence reports, hand-counted, apart from referrals', async () => {
    const byKind = await report({ measure: 'CHECK_REQUESTS', from: '2033-01-01', to: '2034-01-01', by: ['REQUEST_KIND'] });
    expect(byKind.body.errors).toBeUndefined();
    expect(table(byKind.body.data.report.cells)).toEqual({ MULTI_AGENCY_MEETING: 6, PRE_SENTENCE_REPORT: 5, '*': 11 });
    const byMonth = await report({ measure: 'CHECK_REQUESTS', from: '2033-01-01', to: '2034-01-01', by: ['MONTH'] });
    expect(table(byMonth.body.data.report.cells)).toEqual({ '2033-03': 6, '2033-04': 5, '*': 11 });
    // Not referrals: received in 2033, none is counted there.
    const referrals = await report({ measure: 'REFERRALS_RECEIVED', from: '2033-01-01', to: '2034-01-01' });
    expect(table(referrals.body.data.report.cells)).toEqual({ '': 0 });
  });

  it('panel allocations in 2032 by agency and by month, hand-counted: each case once per agency', async () => {
    const year = { measure: 'PANEL_ALLOCATIONS', from: '2032-01-01', to: '2033-01-01' };
    const byAgency = await report({ ...year, by: ['PANEL_AGENCY'] });
    expect(byAgency.body.errors).toBeUndefined();
    expect(table(byAgency.body.data.report.cells)).toEqual({ IGIP: 5, NIA: 10, '*': 15 });
    expect(byAgency.body.data.report.definition).toMatchObject({ unit: 'allocations (a case and an agency)', nonAdditive: ['MONTH'] });
    const byMonth = await report({ ...year, by: ['MONTH'] });
    expect(table(byMonth.body.data.report.cells)).toEqual({ '2032-01': 10, '2032-02': 6, '*': 15 });
    const nia = await report({ ...year, filters: [{ dimension: 'PANEL_AGENCY', values: ['NIA'] }] });
    expect(table(nia.body.data.report.cells)).toEqual({ '': 10 });
    const wrong = await report({ measure: 'NEW_PANEL_CASES', from: '2032-01-01', to: '2033-01-01', by: ['PANEL_AGENCY'] });
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('NEET 16-18 at the end of January 2031 aged by the golden date of birth through identity links, against IYSS\'s own: hand-counted', async () => {
    const f = [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ5'] }];
    const own = await report({ measure: 'NEET_16_TO_18', from: '2031-01-01', to: '2031-02-01', filters: f });
    const golden = await report({ measure: 'NEET_16_TO_18_GOLDEN_DOB', from: '2031-01-01', to: '2031-02-01', by: ['AGE_BAND'], filters: f });
    expect(own.body.errors).toBeUndefined();
    expect(golden.body.errors).toBeUndefined();
    expect(table(own.body.data.report.cells)).toEqual({ '': 7 });
    expect(table(golden.body.data.report.cells)).toEqual({ '15-17': 9, '*': 9 });
    expect(golden.body.data.report.definition.identityLinks).toMatch(/active identity links in the gateway store/);
    expect(golden.body.data.report.definition.source).toBe('IYSS');
  });

  it('several measures in one query, with aliases', async () => {
    const { body } = await gateway.graphql(
      `{ fte: report(measure: FIRST_TIME_ENTRANTS, from: "2031-01-01", to: "2032-01-01", filters: [{ dimension: POSTCODE_DISTRICT, values: ["ZZ9"] }]) { cells { count } }
         neet: report(measure: NEET_16_TO_18, from: "2031-02-01", to: "2031-03-01", filters: [{ dimension: POSTCODE_DISTRICT, values: ["ZZ9"] }]) { cells { count } } }`,
      {},
      writer,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ fte: { cells: [{ count: 23 }] }, neet: { cells: [{ count: 6 }] } });
  });

  it('refuses what a measure cannot be broken down by, and periods the wrong way round, as BAD_USER_INPUT', async () => {
    const wrongDimension = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01', by: ['ACTIVITY_TYPE'] });
    expect(wrongDimension.body.errors![0]).toMatchObject({ message: expect.stringMatching(/cannot be broken down or filtered by ACTIVITY_TYPE/), extensions: { code: 'BAD_USER_INPUT' } });
    const backwards = await report({ measure: 'NEET_16_TO_18', from: '2031-03-01', to: '2031-01-01' });
    expect(backwards.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const emptyFilter = await report({ measure: 'NEET_16_TO_18', from: '2031-01-01', to: '2031-03-01', filters: [{ dimension: 'GENDER', values: [] }] });
    expect(emptyFilter.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('is granted to report writers only, and a report writer still reaches no young person', async () => {
    const worker = await gateway.token({ sub: 'yw-1', roles: ['youth_worker'], tier: 1, units: ['CU1'] });
    const refused = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01' }, worker);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const people = await gateway.graphql('{ youngPeople(ids: ["P-1"]) { id } }', {}, writer);
    expect(people.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('audits each run with who ran it and its parameters', async () => {
    await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01', by: ['GENDER'], filters: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ9'] }] });
    const page = await gateway.services.audit.query({ sub: 'rw-1' }, { first: 50 });
    const operations = page.events.map((e) => e.operation);
    expect(operations).toContain('report FIRST_TIME_ENTRANTS 2031-01-01..2032-01-01 by GENDER where POSTCODE_DISTRICT=ZZ9');
    const event = page.events.find((e) => e.operation?.startsWith('report FIRST_TIME_ENTRANTS 2031-01-01..2032-01-01 by GENDER'))!;
    expect(event).toMatchObject({ principal: { sub: 'rw-1', roles: ['report_writer'] }, people: [], returned: ['Query.report'], outcome: 'RETURNED' });
    expect(await gateway.services.audit.verify()).toMatchObject({ firstBrokenSeq: null });
  });

  it('writes one audit event per report run, and still audits a refused one', async () => {
    const once = await gateway.token({ sub: 'rw-once', name: 'Report Writer', roles: ['report_writer'], tier: 1, units: [] });
    const ran = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01' }, once);
    expect(ran.body.errors).toBeUndefined();
    const events = (await gateway.services.audit.query({ sub: 'rw-once' }, { first: 50 })).events;
    expect(events.map((e) => e.operation)).toEqual(['report FIRST_TIME_ENTRANTS 2031-01-01..2032-01-01']);
    const worker = await gateway.token({ sub: 'yw-once', roles: ['youth_worker'], tier: 1, units: ['CU1'] });
    const refused = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01' }, worker);
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const refusals = (await gateway.services.audit.query({ sub: 'yw-once' }, { first: 50 })).events;
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ denied: ['Query.report'], outcome: 'DENIED' });
  });

  it('exports a report as CSV for an authorised caller, with the same suppression; refuses others', async () => {
    const { body } = await report({ measure: 'FIRST_TIME_ENTRANTS', from: '2031-01-01', to: '2032-01-01', by: ['GENDER', 'AGE_BAND'], filters: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ9'] }] });
    const path = body.data.report.csvPath as string;
    const response = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${writer}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split('\n');
    expect(lines).toEqual([
      'GENDER,AGE_BAND,count,suppression',
      'FEMALE,10-14,,PRIMARY',
      'FEMALE,15-17,,SECONDARY',
      'MALE,10-14,,SECONDARY',
      'MALE,15-17,,SECONDARY',
      'All,10-14,9,',
      'All,15-17,14,',
      'FEMALE,All,8,',
      'MALE,All,15,',
      'All,All,23,',
    ]);
    const anonymous = await fetch(`${gateway.url}${path}`);
    expect(anonymous.status).toBe(401);
    const worker = await gateway.token({ sub: 'yw-2', roles: ['youth_worker'], tier: 1, units: ['CU1'] });
    const forbidden = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${worker}` } });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).not.toMatch(/\d+,/);
    const bad = await fetch(`${gateway.url}/reports.csv?measure=FIRST_TIME_ENTRANTS&from=2031-01-01&to=2032-01-01&breakdown=ACTIVITY_TYPE`, { headers: { authorization: `Bearer ${writer}` } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ message: expect.stringMatching(/cannot be broken down or filtered by ACTIVITY_TYPE/) }] });
    // Not a measure, though every object has one of that name.
    const inherited = await fetch(`${gateway.url}/reports.csv?measure=constructor&from=2031-01-01&to=2032-01-01`, { headers: { authorization: `Bearer ${writer}` } });
    expect(inherited.status).toBe(400);
    // A measure with an average has its column, empty beside a suppressed count.
    const closed = await fetch(`${gateway.url}/reports.csv?measure=PANEL_CASES_CLOSED&from=2032-01-01&to=2033-01-01&breakdown=REFERRAL_SOURCE`, { headers: { authorization: `Bearer ${writer}` } });
    expect((await closed.text()).trim().split('\n')).toEqual(['REFERRAL_SOURCE,count,suppression,average', 'POLICE_NOTIFICATION,,SECONDARY,', 'SCHOOL,,PRIMARY,', 'All,11,,8.8']);
  });
});
