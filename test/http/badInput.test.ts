import { startTestGateway, type GraphQLBody, type TestGateway } from '../support/startTestGateway';

/** Nothing internal may reach a client: no stack, SQL, file paths or driver names. */
function expectNothingInternal(body: unknown) {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  expect(text).not.toMatch(/stacktrace|select |from \[|tblYoungPerson|sqlite|mysql|kysely|ECONN/i);
}

describe('bad input over HTTP gets a clear error with extensions.code', () => {
  let gateway: TestGateway;
  let token: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 200, env: { MAX_PAGE_SIZE: '50', MAX_IDS_PER_LOOKUP: '20', MAX_QUERY_COMPLEXITY: '500' } });
    token = await gateway.token();
  });
  afterAll(() => gateway.stop());

  async function post(body: string, contentType = 'application/json') {
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
      body,
    });
    const json = (await response.json()) as GraphQLBody;
    expectNothingInternal(json);
    return { status: response.status, body: json };
  }

  function firstError(body: GraphQLBody) {
    expect(body.errors?.length).toBeGreaterThan(0);
    expectNothingInternal(body);
    return body.errors![0]!;
  }

  it('malformed JSON: 400 BAD_REQUEST', async () => {
    const { status, body } = await post('{"query": "{ gatewayInfo { version } }"');
    expect(status).toBe(400);
    expect(firstError(body)).toMatchObject({ message: 'Malformed JSON in request body', extensions: { code: 'BAD_REQUEST' } });
  });

  it('a body without a query: 400 BAD_REQUEST', async () => {
    const { status, body } = await post('{"variables": {}}');
    expect(status).toBe(400);
    expect(firstError(body).extensions?.code).toBe('BAD_REQUEST');
  });

  it('unparseable GraphQL: GRAPHQL_PARSE_FAILED', async () => {
    const { status, body } = await gateway.graphql('{ youngPerson(id: "yp:IYSS:1" { id }');
    expect(status).toBe(400);
    expect(firstError(body).extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('an unknown field: GRAPHQL_VALIDATION_FAILED naming the field', async () => {
    const { status, body } = await gateway.graphql('{ youngPerson(id: "yp:IYSS:10001") { id nationalInsuranceNumber } }');
    expect(status).toBe(400);
    const error = firstError(body);
    expect(error.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error.message).toMatch(/nationalInsuranceNumber/);
  });

  it('a variable of the wrong type: BAD_USER_INPUT naming the variable', async () => {
    const { status, body } = await gateway.graphql(
      'query($n: Int) { searchYoungPeople(criteria: { postcode: "E8" }, first: $n) { totalCount } }',
      { n: 'ten' },
    );
    expect(status).toBe(400);
    const error = firstError(body);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/\$n/);
  });

  it('an impossible date: BAD_USER_INPUT', async () => {
    const { body } = await gateway.graphql(
      'query($d: Date) { searchYoungPeople(criteria: { dateOfBirth: $d }) { totalCount } }',
      { d: '2010-02-30' },
    );
    const error = firstError(body);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/YYYY-MM-DD/);
  });

  it('a search with no criteria: BAD_USER_INPUT saying what to give', async () => {
    const { body } = await gateway.graphql('{ searchYoungPeople(criteria: {}) { totalCount } }');
    const error = firstError(body);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_CRITERIA' });
    expect(error.message).toMatch(/name, forename, surname, dateOfBirth or postcode/);
    expect(body.data).toBeNull();
  });

  it('a page size over the limit: BAD_USER_INPUT naming the limit', async () => {
    const { body } = await gateway.graphql('{ searchYoungPeople(criteria: { postcode: "E8" }, first: 51) { totalCount } }');
    const error = firstError(body);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'PAGE_SIZE_LIMIT' });
    expect(error.message).toBe('first must be between 1 and 50 (the page size limit)');
  });

  it('a zero or negative page size: BAD_USER_INPUT', async () => {
    const { body } = await gateway.graphql('{ searchYoungPeople(criteria: { postcode: "E8" }, first: 0) { totalCount } }');
    expect(firstError(body).extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a cursor the gateway did not issue: BAD_USER_INPUT', async () => {
    const { body } = await gateway.graphql('{ searchYoungPeople(criteria: { postcode: "E8" }, after: "not-a-cursor") { totalCount } }');
    expect(firstError(body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_CURSOR' });
  });

  it('an unknown but well-formed ID: NOT_FOUND, data null', async () => {
    const { status, body } = await gateway.graphql('{ youngPerson(id: "yp:IYSS:99999999") { id forename } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ youngPerson: null });
    expect(firstError(body)).toMatchObject({ message: 'No young person has that ID', extensions: { code: 'NOT_FOUND' }, path: ['youngPerson'] });
  });

  it('a malformed ID: BAD_USER_INPUT', async () => {
    const { body } = await gateway.graphql('{ youngPerson(id: "10001") { id } }');
    expect(firstError(body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_ID' });
  });

  it('a batch lookup returns the known people and a NOT_FOUND for each unknown one, in order', async () => {
    const known = gateway.dataset.iyss.rows.tblYoungPerson.find((row) => row.IsDeleted === 0)!;
    const { body } = await gateway.graphql(
      `query($ids: [ID!]!) { youngPeople(ids: $ids) { id surname } }`,
      { ids: ['yp:IYSS:99999998', `yp:IYSS:${known.YoungPersonID}`] },
    );
    expect(body.data.youngPeople).toEqual([null, { id: await gateway.personIdOf('IYSS', known.YoungPersonID), surname: expect.any(String) }]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({ path: ['youngPeople', 0], extensions: { code: 'NOT_FOUND' } });
  });

  it('too many IDs in one lookup: BAD_USER_INPUT naming the limit', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `yp:IYSS:${10001 + i}`);
    const { body } = await gateway.graphql('query($ids: [ID!]!) { youngPeople(ids: $ids) { id } }', { ids });
    const error = firstError(body);
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'ID_LIMIT' });
    expect(error.message).toMatch(/at most 20/);
  });

  it('a query over the cost limit: QUERY_TOO_COMPLEX with HTTP 400 (a client error, was 500) before anything runs', async () => {
    const statementsBefore = gateway.statements();
    const { status, body } = await gateway.graphql(
      '{ searchYoungPeople(criteria: { postcode: "E8" }, first: 50) { edges { node { groupWork { title } contacts { notes } educationHistory { description } } } } }',
    );
    expect(status).toBe(400);
    const error = firstError(body);
    expect(error.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'COST_LIMIT' });
    expect(error.message).toMatch(/over the limit of 500 \(COST_LIMIT\)/);
    expect(gateway.statements()).toBe(statementsBefore);
  });

  it('strings that look like SQL are data: no error, no effect', async () => {
    const people = gateway.dataset.iyss.rows.tblYoungPerson.length;
    for (const attack of ["O'Brien' OR '1'='1", "x'; DROP TABLE tblYoungPerson; --", 'Sm%th_[]\\']) {
      const { body } = await gateway.graphql(
        'query($s: String) { searchYoungPeople(criteria: { surname: $s }) { totalCount edges { node { surname } } } }',
        { s: attack },
      );
      expect(body.errors).toBeUndefined();
      expect(body.data.searchYoungPeople.edges.every((e: { node: { surname: string } }) => e.node.surname !== '')).toBe(true);
    }
    const count = await gateway.databases.iyss.db
      .selectFrom('tblYoungPerson')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(people);
  });

  it('a name criterion with fewer than two letters: BAD_USER_INPUT', async () => {
    const { body } = await gateway.graphql('{ searchYoungPeople(criteria: { surname: "%" }) { totalCount } }');
    expect(firstError(body).extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NAME_TOO_SHORT' });
  });
});
