import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { YoisTables } from '../../adapters/yois/tables';
import { testEngines } from '../support/testDatabases';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const REGISTER = `mutation($key: String!, $id: ID!, $system: SourceSystem!) {
  registerYoungPerson(idempotencyKey: $key, personId: $id, system: $system) { system recordType recordId personId replayed } }`;
const VIEW = `query($id: ID!) { youngPerson(id: $id) { id forename surname knownAs dateOfBirth gender address { line1 postcode }
  iyssRecords { sourceId linkMethod } umisRecords { sourceId } yoisRecords { sourceId forename surname dateOfBirth } } }`;
const casework = { 'x-purpose': 'allocated_casework' };

describe.each(testEngines())('registering a young person known elsewhere, over HTTP on %s', (engine) => {
  let gateway: TestGateway;
  /** Known to UMIS (allocated there) and not to IYSS or YOIS. */
  let umisOnly: { personId: string; units: string[] };

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 400 });
    for (const t of gateway.dataset.umis.truth) {
      const personId = await gateway.personIdOf('UMIS', t.sourceId);
      const [view] = await gateway.services.persons.personsByIds([personId]);
      if (!view || view instanceof Error || view.records.length !== 1) continue;
      const units = await gateway.allocatedUnitsOf(personId);
      if (units.length === 0) continue;
      const [read] = await gateway.services.sources.umis.peopleByIds([t.sourceId]);
      if (read instanceof Error || !read?.dateOfBirth || !read.address?.postcode) continue;
      umisOnly = { personId, units };
      break;
    }
    expect(umisOnly).toBeDefined();
  }, 300_000);
  afterAll(() => gateway.stop());

  it('creates the IYSS and YOIS records from the golden view, linked at once, each in that system\u2019s own shapes', async () => {
    const worker = await gateway.token({ sub: 'u-reg', roles: ['practitioner'], tier: 3, units: umisOnly.units });
    const before = (await gateway.graphql(VIEW, { id: umisOnly.personId }, worker, casework)).body.data.youngPerson;
    expect(before.iyssRecords).toEqual([]);
    const key = randomUUID();
    const first = await gateway.graphql(REGISTER, { key, id: umisOnly.personId, system: 'IYSS' }, worker, casework);
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.registerYoungPerson).toMatchObject({ system: 'IYSS', personId: umisOnly.personId, replayed: false });
    const iyssId = first.body.data.registerYoungPerson.recordId;
    const retry = await gateway.graphql(REGISTER, { key, id: umisOnly.personId, system: 'IYSS' }, worker, casework);
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data.registerYoungPerson).toEqual({ ...first.body.data.registerYoungPerson, replayed: true });

    const iyss = gateway.databases.iyss.db as Kysely<IyssTables>;
    const rows = await iyss.selectFrom('tblYoungPerson').selectAll().where('Forename', '=', before.forename).where('Surname', '=', before.surname).execute();
    expect(rows.map((r) => String(r.YoungPersonID))).toEqual([iyssId]);
    expect(rows[0]).toMatchObject({ DOB: before.dateOfBirth, AddressLine1: before.address.line1, Postcode: before.address.postcode, IsDeleted: 0 });

    const second = await gateway.graphql(REGISTER, { key: randomUUID(), id: umisOnly.personId, system: 'YOIS' }, worker, casework);
    expect(second.body.errors).toBeUndefined();
    const yois = gateway.databases.yois.db as Kysely<YoisTables>;
    const yoisRow = await yois.selectFrom('YP_PERSON').selectAll().where('PERSON_ID', '=', Number(second.body.data.registerYoungPerson.recordId)).executeTakeFirstOrThrow();
    // YOIS keys names in upper case and dates of birth as YYYYMMDD.
    expect(yoisRow).toMatchObject({ FORENAME: before.forename.toUpperCase(), DOB: before.dateOfBirth.replace(/-/g, ''), DELETED_FLAG: 'N' });

    const after = (await gateway.graphql(VIEW, { id: umisOnly.personId }, worker, casework)).body.data.youngPerson;
    expect(after.iyssRecords).toEqual([{ sourceId: iyssId, linkMethod: 'CONFIRMED' }]);
    expect(after.yoisRecords).toEqual([{ sourceId: String(yoisRow.PERSON_ID), forename: before.forename, surname: expect.any(String), dateOfBirth: before.dateOfBirth }]);
    const history = await gateway.services.identity.history(umisOnly.personId);
    expect(history.filter((e) => e.action === 'CONFIRM' && e.actor === 'u-reg').map((e) => e.system).sort()).toEqual(['IYSS', 'YOIS']);

    const again = await gateway.graphql(REGISTER, { key: randomUUID(), id: umisOnly.personId, system: 'IYSS' }, worker, casework);
    expect(again.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'ALREADY_IN_SYSTEM', field: 'system' });
  });

  it('refuses a child without need to know exactly like an unknown ID, and a system above the caller\u2019s tier by tier', async () => {
    const outsider = await gateway.token({ sub: 'u-out', roles: ['practitioner'], tier: 3, units: ['CU-ELSEWHERE'] });
    const answers = [];
    for (const id of [umisOnly.personId, 'P-0000000000']) {
      const { body } = await gateway.graphql(REGISTER, { key: randomUUID(), id, system: 'YOIS' }, outsider, casework);
      answers.push(body);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND' });
    const tier1 = await gateway.token({ sub: 'u-t1', roles: ['youth_worker'], tier: 1, units: umisOnly.units });
    const { body } = await gateway.graphql(REGISTER, { key: randomUUID(), id: umisOnly.personId, system: 'UMIS' }, tier1);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'TIER_TOO_LOW' });
  });
});
