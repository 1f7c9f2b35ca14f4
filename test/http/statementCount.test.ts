import { testEngines } from '../support/testDatabases';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const QUERY = `query($ids: [ID!]!) { youngPeople(ids: $ids) {
  id forename surname
  groupWork { title status sessionDate }
  contacts { contactType }
  educationStatus { category } } }`;

describe.each(testEngines())('batching on %s: statements do not grow with the number of people', (engine) => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 700 });
  });
  afterAll(() => gateway.stop());

  async function statementsFor(count: number): Promise<number> {
    const ids = gateway.dataset.iyss.rows.tblYoungPerson
      .filter((row) => row.IsDeleted === 0)
      .slice(0, count)
      .map((row) => `yp:IYSS:${row.YoungPersonID}`);
    expect(ids).toHaveLength(count);
    const before = gateway.statements();
    const { body } = await gateway.graphql(QUERY, { ids });
    expect(body.errors).toBeUndefined();
    expect(body.data.youngPeople).toHaveLength(count);
    const withGroupWork = body.data.youngPeople.filter((p: { groupWork: unknown[] }) => p.groupWork.length > 0).length;
    expect(withGroupWork).toBeGreaterThan(0);
    return gateway.statements() - before;
  }

  it('costs the same number of SQL statements for 5 and for 500 young people with their group work', async () => {
    await statementsFor(1); // warm-up: the first request reads the active policy
    const five = await statementsFor(5);
    const fiveHundred = await statementsFor(500);
    // Identity links (gateway store), then IYSS people, attendance, contacts and education: a fixed handful,
    // plus the access audit's one transaction (begin, chain head, event, people, head, commit).
    process.stdout.write(`statements for 5 people: ${five}, for 500 people: ${fiveHundred}\n`);
    expect(five).toBeLessThanOrEqual(16);
    expect(fiveHundred).toBe(five);
  });
});
