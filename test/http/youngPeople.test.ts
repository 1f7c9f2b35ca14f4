import { foldName } from '../../src/search/nameMatching';
import { testEngines } from '../support/testDatabases';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const PERSON_FIELDS = 'id forename surname knownAs dateOfBirth gender ethnicity address { line1 postcode } upn iyssRecords { sourceId forename surname dateOfBirth linkMethod }';

describe.each(testEngines({ sqlServer: true }))('young people over HTTP on %s', (engine) => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: 600 });
  });
  afterAll(() => gateway.stop());

  const live = () => gateway.dataset.iyss.rows.tblYoungPerson.filter((row) => row.IsDeleted === 0);

  async function search(criteria: Record<string, unknown>, first = 50) {
    const { body } = await gateway.graphql(
      `query($c: YoungPersonSearchInput!, $first: Int) { searchYoungPeople(criteria: $c, first: $first) {
         totalCount edges { score node { id surname forename dateOfBirth address { postcode } } } } }`,
      { c: criteria, first },
    );
    expect(body.errors).toBeUndefined();
    return body.data.searchYoungPeople as {
      totalCount: number;
      edges: Array<{ score: number; node: { id: string; surname: string; forename: string; dateOfBirth: string | null; address: { postcode: string | null } | null } }>;
    };
  }

  it('looks a young person up by an IYSS record reference, with legacy values mapped to unified ones', async () => {
    const row = live().find((r) => r.DOB && r.DOB.includes('/') && r.Postcode)!;
    const { body } = await gateway.graphql(`{ youngPerson(id: "yp:IYSS:${row.YoungPersonID}") { ${PERSON_FIELDS} age } }`);
    expect(body.errors).toBeUndefined();
    const [day, month, year] = row.DOB!.split('/');
    const person = body.data.youngPerson;
    expect(person.id).toBe(await gateway.personIdOf('IYSS', row.YoungPersonID));
    expect(person.id).toMatch(/^P-[0-9A-Z]{10}$/);
    expect(person.iyssRecords).toContainEqual(
      expect.objectContaining({
        sourceId: String(row.YoungPersonID),
        forename: row.Forename.trim(),
        surname: row.Surname.trim(),
        dateOfBirth: `${year}-${month}-${day}`,
      }),
    );
    // The same person comes back by its gateway ID.
    const again = await gateway.graphql(`{ youngPerson(id: "${person.id}") { id iyssRecords { sourceId } } }`);
    expect(again.body.data.youngPerson.iyssRecords).toContainEqual({ sourceId: String(row.YoungPersonID) });
    expect(['FEMALE', 'MALE', 'OTHER', 'NOT_STATED']).toContain(person.gender);
    expect(person.address.postcode).toMatch(/^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/);
    expect(person.age).toBeGreaterThanOrEqual(7);
  });

  it('tells every cache not to keep an answer (cache-control: no-store)', async () => {
    const row = live()[0]!;
    const token = await gateway.token();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ youngPerson(id: "yp:IYSS:${row.YoungPersonID}") { id surname } }` }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('does not return soft-deleted records', async () => {
    const deleted = gateway.dataset.iyss.rows.tblYoungPerson.find((row) => row.IsDeleted === 1)!;
    const { body } = await gateway.graphql(`{ youngPerson(id: "yp:IYSS:${deleted.YoungPersonID}") { id } }`);
    expect(body.data.youngPerson).toBeNull();
    expect(body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('finds a surname regardless of case', async () => {
    const row = live().find((r) => /^[A-Za-z]+$/.test(r.Surname.trim()))!;
    const result = await search({ surname: row.Surname.trim().toUpperCase() }, 100);
    expect(result.edges.map((e) => e.node.id)).toContain(await gateway.personIdOf('IYSS', row.YoungPersonID));
    expect(result.edges[0]!.score).toBe(1);
  });

  it('finds an accented surname when searched without accents, and the reverse', async () => {
    const accented = live().find((r) => /[^A-Za-z\s'-]/.test(r.Surname) && foldName(r.Surname).length >= 3)!;
    expect(accented).toBeDefined();
    const folded = await search({ surname: foldName(accented.Surname) }, 100);
    expect(folded.edges.map((e) => e.node.id)).toContain(await gateway.personIdOf('IYSS', accented.YoungPersonID));
  });

  it('finds spelling variants of a name (Mohammed / Muhammad / Mehmet ...)', async () => {
    const variants = ['mohammed', 'muhammad', 'mohamed', 'mohammad', 'muhammed', 'mehmet'];
    const row = live().find((r) => variants.includes(foldName(r.Forename)))!;
    expect(row).toBeDefined();
    const other = variants.find((v) => v !== foldName(row.Forename))!;
    const result = await search({ forename: other, surname: row.Surname }, 100);
    expect(result.edges.map((e) => e.node.id)).toContain(await gateway.personIdOf('IYSS', row.YoungPersonID));
  });

  it('tolerates a one-letter typo in a surname', async () => {
    const row = live().find((r) => /^[A-Za-z]{6,}$/.test(r.Surname.trim()))!;
    const surname = row.Surname.trim();
    const typo = surname.slice(0, 3) + surname[4] + surname[3] + surname.slice(5);
    const result = await search({ name: `${row.Forename} ${typo}` }, 100);
    expect(result.edges.map((e) => e.node.id)).toContain(await gateway.personIdOf('IYSS', row.YoungPersonID));
  });

  it('matches a date of birth whichever legacy format stored it', async () => {
    const uk = live().find((r) => r.DOB?.includes('/'))!;
    const [day, month, year] = uk.DOB!.split('/');
    const result = await search({ dateOfBirth: `${year}-${month}-${day}` }, 100);
    expect(result.edges.map((e) => e.node.id)).toContain(await gateway.personIdOf('IYSS', uk.YoungPersonID));
    const iso = live().find((r) => r.DOB && /^\d{4}-/.test(r.DOB))!;
    const isoResult = await search({ dateOfBirth: iso.DOB }, 100);
    expect(isoResult.edges.map((e) => e.node.id)).toContain(await gateway.personIdOf('IYSS', iso.YoungPersonID));
    expect(isoResult.edges.every((e) => e.score === 1 || e.score === 0.7)).toBe(true);
  });

  it('matches a postcode in any case and spacing, and an outward code without its neighbours', async () => {
    const row = live().find((r) => r.Postcode && r.Postcode.trim().length >= 6)!;
    const compact = row.Postcode!.replace(/\s+/g, '').toLowerCase();
    const result = await search({ postcode: compact }, 100);
    expect(result.edges.map((e) => e.node.id)).toContain(await gateway.personIdOf('IYSS', row.YoungPersonID));
    const n1 = await search({ postcode: 'N1' }, 100);
    expect(n1.edges.every((e) => e.node.address!.postcode!.startsWith('N1 '))).toBe(true);
  });

  it('pages through every result exactly once with cursors, best first', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    let previousScore = Infinity;
    for (let page = 0; page < 100; page += 1) {
      const { body } =
        await gateway.graphql(
          `query($after: String) { searchYoungPeople(criteria: { postcode: "E8" }, first: 7, after: $after) {
             totalCount pageInfo { hasNextPage endCursor } edges { score node { id } } } }`,
          { after },
        );
      const connection = body.data.searchYoungPeople as {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: Array<{ score: number; node: { id: string } }>;
      };
      total = connection.totalCount;
      for (const edge of connection.edges) {
        expect(edge.score).toBeLessThanOrEqual(previousScore);
        previousScore = edge.score;
        seen.push(edge.node.id);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    // IYSS holds some people twice: results are people, so duplicates linked to one person count once.
    const rows = live().filter((r) => r.Postcode?.replace(/\s+/g, '').toUpperCase().slice(0, -3) === 'E8');
    const expected = new Set(await Promise.all(rows.map((r) => gateway.personIdOf('IYSS', r.YoungPersonID)))).size;
    expect(expected).toBeGreaterThan(10);
    expect(total).toBe(expected);
    expect(seen).toHaveLength(expected);
    expect(new Set(seen).size).toBe(expected);
  });

  it("returns a young person's group work, contacts and education status from IYSS", async () => {
    const { rows } = gateway.dataset.iyss;
    const liveSessions = new Set(rows.tblGroupSession.filter((s) => s.IsDeleted === 0).map((s) => s.GroupSessionID));
    const attendanceOf = (id: number) =>
      rows.tblAttendance.filter((a) => a.YoungPersonID === id && a.IsDeleted === 0 && liveSessions.has(a.GroupSessionID));
    const person = live().find((r) => attendanceOf(r.YoungPersonID).length >= 2 && rows.tblContact.some((c) => c.YoungPersonID === r.YoungPersonID && c.IsDeleted === 0) && rows.tblEducationStatus.some((e) => e.YoungPersonID === r.YoungPersonID && e.IsDeleted === 0))!;
    expect(person).toBeDefined();
    const { body } = await gateway.graphql(`{ youngPerson(id: "yp:IYSS:${person.YoungPersonID}") {
      groupWork { sessionId title activity sessionDate venue status }
      contacts { id contactDate contactType workerName durationMinutes notes }
      educationStatus { category description effectiveDate provider }
      educationHistory { category effectiveDate } } }`);
    expect(body.errors).toBeUndefined();
    const view = body.data.youngPerson;
    expect(view.groupWork.map((g: { sessionId: string }) => g.sessionId).sort()).toEqual(
      attendanceOf(person.YoungPersonID).map((a) => String(a.GroupSessionID)).sort(),
    );
    const dates = view.groupWork.map((g: { sessionDate: string }) => g.sessionDate);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(view.contacts.length).toBe(rows.tblContact.filter((c) => c.YoungPersonID === person.YoungPersonID && c.IsDeleted === 0).length);
    expect(['EDUCATION', 'EMPLOYMENT', 'TRAINING', 'NEET', 'NOT_KNOWN']).toContain(view.educationStatus.category);
    expect(view.educationStatus.effectiveDate).toBe(view.educationHistory[0].effectiveDate);
    const history = view.educationHistory.map((e: { effectiveDate: string }) => e.effectiveDate);
    expect([...history].sort().reverse()).toEqual(history);
  });
});
