/**
 * Reports for report writers, over HTTP on each engine: measures against counts worked out by hand
 * from a small fixture added to the seeded sources (in 2031, after every synthetic record, and at
 * postcode district ZZ9, which no synthetic address has), disclosure control, audit, and CSV export.
 */
import type { Kysely } from 'kysely';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { YoisTables } from '../../adapters/yois/tables';
import { startGatewayOnEngine, type GatewayOnEngine } from '../support/gatewayOnEngine';
import { testEngines } from '../support/testDatabases';
import type { TestGateway } from '../support/startTestGateway';

jest.setTimeout(120_000);

const POSTCODE = 'ZZ9 9ZZ';

/** YOIS: first-time entrants in 2031, by gender and age band (hand count in the test below). */
async function addYoisFixture(db: Kysely<YoisTables>): Promise<void> {
  let person = 990000;
  let offence = 9900000;
  const add = async (sex: string, dob: string, outcomes: Array<{ code: string; date: string; deleted?: boolean }>, deletedPerson = false, postcode = POSTCODE) => {
    person += 1;
    await db
      .insertInto('YP_PERSON')
      .values({ PERSON_ID: person, FORENAME: 'FIXTURE', SURNAME: `PERSON${person}`, KNOWN_AS: null, DOB: dob, SEX: sex, ETHNICITY_CODE: 'W1', ADDRESS_LINE1: '1 Test Street', POSTCODE: postcode, PNC_NUMBER: null, UPN: null, DELETED_FLAG: deletedPerson ? 'Y' : 'N', CREATED_DATE: '2031-01-01 00:00:00' })
      .execute();
    for (const outcome of outcomes) {
      offence += 1;
      await db.insertInto('YP_OFFENCE').values({ OFFENCE_ID: offence, PERSON_ID: person, OFFENCE_CODE: '046/00', OFFENCE_DATE: outcome.date, DELETED_FLAG: 'N', CREATED_DATE: '2031-01-01 00:00:00' }).execute();
      await db.insertInto('YP_OUTCOME').values({ OUTCOME_ID: offence, OFFENCE_ID: offence, OUTCOME_TYPE_CODE: outcome.code, OUTCOME_DATE: outcome.date, COURT_NAME: null, DELETED_FLAG: outcome.deleted ? 'Y' : 'N' }).execute();
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

  // Proven re-offending in 2031, at ZZ8. Cohort 12, re-offenders 6, re-offences 7:
  const reoffender = (extra: Array<{ code: string; date: string; deleted?: boolean }>, first = { code: 'YC', date: '20310201' }) =>
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
    measure from to asOf breakdowns suppressionThreshold suppressedCells csvPath
    definition { title counts unit source ageOn identityLinks dimensions nonAdditive }
    cells { keys { dimension value } count suppression isTotal }
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
        cohort: report(measure: REOFFENDING_COHORT, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit } }
        binary: report(measure: REOFFENDERS, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit } }
        frequency: report(measure: REOFFENCES, from: "2031-01-01", to: "2032-01-01", filters: $f) { cells { count } definition { unit } }
      }`,
      { f: [{ dimension: 'POSTCODE_DISTRICT', values: ['ZZ8'] }] },
      writer,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      cohort: { cells: [{ count: 12 }], definition: { unit: 'young people' } },
      binary: { cells: [{ count: 6 }], definition: { unit: 'young people' } },
      frequency: { cells: [{ count: 7 }], definition: { unit: 'offences' } },
    });
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
  });
});
