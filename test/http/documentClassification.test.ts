import { startTestGateway, type TestGateway } from '../support/startTestGateway';

const DOCUMENTS = 'query($id: ID!) { youngPerson(id: $id) { id documents { id title classificationTier } } }';
const CASEWORK = { 'x-purpose': 'allocated_casework' };

type Doc = { id: string; title: string; classificationTier: number } | null;

/** DMS classifies each document itself; one list can mix documents a caller may and may not open. */
describe('per-document classification over HTTP', () => {
  let gateway: TestGateway;
  let personId: string;
  let allDocuments: Doc[];
  let units: string[];

  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 400 });
    // Someone IYSS knows too (so a tier-1 caller can find them), with documents of several tiers.
    const inIyss = new Set(gateway.dataset.iyss.truth.map((t) => t.personKey));
    for (const record of gateway.dataset.yois.truth.filter((t) => inIyss.has(t.personKey)).slice(0, 150)) {
      const id = await gateway.personIdOf('YOIS', record.sourceId);
      const allocated = await gateway.allocatedUnitsOf(id);
      if (!allocated.length) continue;
      const token = await gateway.token({ sub: 'u-allocated', roles: ['practitioner'], tier: 3, units: allocated });
      const { body } = await gateway.graphql(DOCUMENTS, { id }, token, CASEWORK);
      const tiers = new Set((body.data.youngPerson.documents as Doc[]).map((d) => d!.classificationTier));
      if (tiers.has(1) && (tiers.has(2) || tiers.has(3))) {
        expect(body.errors).toBeUndefined();
        personId = id;
        allDocuments = body.data.youngPerson.documents;
        units = allocated;
        break;
      }
    }
    expect(personId).toBeDefined();
  });
  afterAll(() => gateway.stop());

  it('gives the allocated tier-3 practitioner every document', () => {
    expect(allDocuments.every((d) => d !== null && d.title.length > 0)).toBe(true);
    expect(units.length).toBeGreaterThan(0);
  });

  it('nulls, with FORBIDDEN at its position, each tier-2/3 document about a child outside the caller\u2019s Core Units, and keeps the tier-1 ones', async () => {
    const outsider = await gateway.token({ sub: 'u-outsider', roles: ['practitioner'], tier: 3, units: ['CU-NONE'] });
    const { body } = await gateway.graphql(DOCUMENTS, { id: personId }, outsider, CASEWORK);
    const documents = body.data.youngPerson.documents as Doc[];
    expect(documents).toHaveLength(allDocuments.length);
    allDocuments.forEach((expected, index) => {
      if (expected!.classificationTier === 1) expect(documents[index]).toEqual(expected);
      else expect(documents[index]).toBeNull();
    });
    const refused = allDocuments.map((d, i) => (d!.classificationTier > 1 ? i : -1)).filter((i) => i >= 0);
    const errorPaths = new Set(body.errors!.map((e) => `${e.path![2]}:${e.extensions!.code}:${e.extensions!.reason}`));
    expect(errorPaths).toEqual(new Set(refused.map((i) => `${i}:FORBIDDEN:NOT_ALLOCATED`)));
  });

  it('leaves documents classified above a tier-1 caller out of the list altogether', async () => {
    const youthWorker = await gateway.token({ sub: 'u-youth', roles: ['youth_worker'], tier: 3, units });
    const { body } = await gateway.graphql(DOCUMENTS, { id: personId }, youthWorker);
    expect(body.errors).toBeUndefined();
    expect(body.data.youngPerson.documents).toEqual(allDocuments.filter((d) => d!.classificationTier === 1));
  });
});
