import { startGatewayOnEngine, type GatewayOnEngine } from '../support/gatewayOnEngine';
import type { TestGateway } from '../support/startTestGateway';
import { testEngines } from '../support/testDatabases';

const TRIAGE = `query($r: TriageReferralInput!) { triageSearch(referral: $r) {
  candidates { person { id } } notChecked { system reason cause } } }`;
const REFERRAL = `id checks { subjectAgencies { system status reason } bestCandidate { personId } notChecked { system reason cause } }`;
const RECEIVE = `mutation($input: ReceiveReferralInput!) { receiveReferral(input: $input) { id } }`;
const CHECKS = `mutation($id: ID!) { runReferralChecks(referralId: $id) { ${REFERRAL} } }`;
const GET = `query($id: ID!) { referral(id: $id) { ${REFERRAL} } }`;
const SEARCH = `query($s: String, $f: String) { searchYoungPeople(criteria: { surname: $s, forename: $f }) {
  edges { node { id } } notChecked { system reason cause } } }`;

const ABOVE = 'Not searched: above your clearance';
const NOT_SEARCHED_FOR_TIER_1 = [
  { system: 'UMIS', reason: ABOVE, cause: 'ABOVE_CLEARANCE' },
  { system: 'YOIS', reason: ABOVE, cause: 'ABOVE_CLEARANCE' },
];

/**
 * A triage search or check that could not look in a system says so wherever it sums up, so "no one
 * found" from the systems a tier-1 officer reaches never reads as "no agency knows this child".
 */
describe.each(testEngines())('what triage did not check, for a tier-1 triage officer, store on %s', (engine) => {
  let running: GatewayOnEngine;
  let gateway: TestGateway;
  let tier1: string;
  let tier3: string;
  /** A child known to YOIS (and maybe UMIS) but not to IYSS. */
  let child: { forename: string; surname: string; dateOfBirth: string; personId: string };

  beforeAll(async () => {
    running = await startGatewayOnEngine(engine, { volume: 400 });
    gateway = running.gateway;
    tier1 = await gateway.token({ sub: 'triage-tia', name: 'Tia Triage', roles: ['triage_officer'], tier: 1, units: [] });
    tier3 = await gateway.token({ sub: 'triage-tom', name: 'Tom Triage', roles: ['triage_officer'], tier: 3, units: [] });
    const { iyss, yois, population } = gateway.dataset;
    const inIyss = new Set(iyss.truth.map((t) => t.personKey));
    const byKey = new Map(population.map((p) => [p.personKey, p]));
    for (const record of yois.truth.filter((t) => !inIyss.has(t.personKey))) {
      const person = byKey.get(record.personKey)!;
      const personId = await gateway.personIdOf('YOIS', record.sourceId);
      // Someone a cleared officer finds by name and date of birth, so the difference is clearance alone.
      const { body } = await gateway.graphql(TRIAGE, { r: { forename: person.forename, surname: person.surname, dateOfBirth: person.dateOfBirth } }, tier3, { 'x-purpose': 'triage' });
      if (body.data?.triageSearch.candidates[0]?.person.id === personId) {
        child = { forename: person.forename, surname: person.surname, dateOfBirth: person.dateOfBirth, personId };
        break;
      }
    }
    expect(child).toBeDefined();
  });
  afterAll(() => running.stop());

  it('triageSearch finds nothing for a child known only above the officer\u2019s clearance, and names UMIS and YOIS as not searched', async () => {
    const referral = { forename: child.forename, surname: child.surname, dateOfBirth: child.dateOfBirth };
    const low = await gateway.graphql(TRIAGE, { r: referral }, tier1, { 'x-purpose': 'triage' });
    expect(low.body.errors).toBeUndefined();
    expect(low.body.data.triageSearch.candidates.map((c: { person: { id: string } }) => c.person.id)).not.toContain(child.personId);
    expect(low.body.data.triageSearch.notChecked).toEqual(NOT_SEARCHED_FOR_TIER_1);
    // A cleared officer was searched everywhere, found the child, and is told nothing was left out.
    const high = await gateway.graphql(TRIAGE, { r: referral }, tier3, { 'x-purpose': 'triage' });
    expect(high.body.data.triageSearch.candidates[0].person.id).toBe(child.personId);
    expect(high.body.data.triageSearch.notChecked).toEqual([]);
  });

  it('runReferralChecks and the frozen snapshot list UMIS and YOIS as not checked at the top, as each system\u2019s answer already did', async () => {
    const received = await gateway.graphql(
      RECEIVE,
      {
        input: {
          source: 'POLICE_NOTIFICATION',
          receivedAt: gateway.clock.now().toISOString(),
          information: 'Stopped with others near Mare Street late at night.',
          subject: { forename: child.forename, surname: child.surname, dateOfBirth: child.dateOfBirth },
        },
      },
      tier1,
    );
    expect(received.body.errors).toBeUndefined();
    const id = received.body.data.receiveReferral.id as string;
    const checked = await gateway.graphql(CHECKS, { id }, tier1);
    expect(checked.body.errors).toBeUndefined();
    const checks = checked.body.data.runReferralChecks.checks;
    expect(checks.notChecked).toEqual(NOT_SEARCHED_FOR_TIER_1);
    expect(checks.bestCandidate).toBeNull();
    expect(checks.subjectAgencies).toEqual([
      { system: 'IYSS', status: 'NOT_KNOWN', reason: null },
      { system: 'UMIS', status: 'NOT_CHECKED', reason: ABOVE },
      { system: 'YOIS', status: 'NOT_CHECKED', reason: ABOVE },
    ]);
    // Read back later (by a cleared colleague), the snapshot still says what this officer could not check.
    const later = await gateway.graphql(GET, { id }, tier3);
    expect(later.body.data.referral.checks.notChecked).toEqual(NOT_SEARCHED_FOR_TIER_1);
  });

  it('a tier-1 search of young people says the same; a cleared caller\u2019s says nothing was left out', async () => {
    const youthWorker = await gateway.token({ sub: 'yw-sam', roles: ['youth_worker'], tier: 1, units: [] });
    const { body } = await gateway.graphql(SEARCH, { s: child.surname, f: child.forename }, youthWorker);
    expect(body.errors).toBeUndefined();
    expect(body.data.searchYoungPeople.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(child.personId);
    expect(body.data.searchYoungPeople.notChecked).toEqual(NOT_SEARCHED_FOR_TIER_1);
    const cleared = await gateway.token({ sub: 'pr-ola', roles: ['practitioner'], tier: 3, units: [] });
    const all = await gateway.graphql(SEARCH, { s: child.surname, f: child.forename }, cleared);
    expect(all.body.data.searchYoungPeople.notChecked).toEqual([]);
  });
});
