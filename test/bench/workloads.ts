/**
 * The benchmark's workloads: a GraphQL request for the gateways and the equivalent request for the SQL
 * floor (test/bench/floor.ts), with the caller each runs as. Chosen on the seeded data at start-up.
 */
import type { SyntheticDataset } from '../../adapters/synthetic/installSyntheticData';
import type { DevelopmentTokenClaims } from '../../src/auth/mintToken';
import type { GatewayServices } from '../../src/server/GatewayServices';
import type { FloorRequest } from './floor';

export interface BenchWorkload {
  name: string;
  /** The gateway's request body (JSON text) and headers. */
  body: string;
  headers: Record<string, string>;
  /** The floor's request body, or null when the workload has no floor (e.g. `{__typename}`: bare Apollo instead). */
  floor: FloorRequest | null;
  /** Whether every successful response carries personal data, so must leave exactly one audit event. */
  personalData: boolean;
  /** Whether the bare Apollo Server answers it too. */
  bareApollo?: boolean;
}

export const PERSON_360 = `query Person360($id: ID!) { youngPerson(id: $id) {
  id forename surname dateOfBirth gender address { line1 postcode }
  groupWork { title status sessionDate } contacts { contactType contactDate } educationStatus { category effectiveDate }
  assessments { assessmentType status startedOn } plans { title status startDate } allocations { system unitId startDate }
  offences { offenceCode offenceDate outcome { type } } orders { type status startDate }
  documents { id title classificationTier createdAt } } }`;

export const PERSON_IYSS = `query PersonIyss($id: ID!) { youngPerson(id: $id) {
  id forename surname dateOfBirth gender address { line1 postcode }
  groupWork { title activity sessionDate status } contacts { contactDate contactType } educationStatus { category effectiveDate } } }`;

export const PERSON_LIST = `query PersonList($ids: [ID!]!) { youngPeople(ids: $ids) {
  id forename surname dateOfBirth groupWork { title status sessionDate } contacts { contactType contactDate } educationStatus { category } } }`;

export const TRIAGE = `query Triage($referral: TriageReferralInput!) { triageSearch(referral: $referral, first: 50) {
  candidates { score person { id forename surname dateOfBirth } } notChecked { system cause } } }`;

export const REPORT = `query Report { report(measure: FIRST_TIME_ENTRANTS, from: "2025-11-01", to: "2026-11-01", breakdowns: [AGE_BAND, GENDER]) {
  measure cells { keys { dimension value } count suppression isTotal } suppressedCells } }`;

interface WorkloadInputs {
  services: GatewayServices;
  dataset: SyntheticDataset;
  token(claims: DevelopmentTokenClaims): Promise<string>;
  /** Core Units a person is allocated to. */
  allocated(personId: string): Promise<string[]>;
}

const json = (query: string, variables?: Record<string, unknown>) => JSON.stringify({ query, variables });

export async function workloadsFor({ services, dataset, token, allocated }: WorkloadInputs): Promise<BenchWorkload[]> {
  const { persons, sources } = services;
  const liveIyss = dataset.iyss.rows.tblYoungPerson.filter((row) => row.IsDeleted === 0).map((row) => String(row.YoungPersonID));

  // Person-360: someone with a record in each of IYSS, UMIS and YOIS, documents in DMS and an allocation.
  let person360: { personId: string; unit: string } | undefined;
  for (const { sourceId } of dataset.yois.truth) {
    const [view] = await persons.personsForRecords([{ system: 'YOIS', sourceId }]);
    const systems = new Set(view!.records.map((record) => record.system));
    if (!systems.has('IYSS') || !systems.has('UMIS')) continue;
    const units = await allocated(view!.personId);
    if (!units.length) continue;
    const documents = await sources.dms.documentsBySubjects(view!.records.map((record) => `${record.system}:${record.sourceId}`));
    if (!documents.some((list) => Array.isArray(list) && list.length > 0)) continue;
    person360 = { personId: view!.personId, unit: units[0]! };
    break;
  }
  if (!person360) throw new Error('no person in all four systems with an allocation: raise BENCH_VOLUME');

  // One person with IYSS group work and contacts.
  const attendance = await sources.iyss.attendanceByPersonIds(liveIyss.slice(0, 200));
  const contacts = await sources.iyss.contactsByPersonIds(liveIyss.slice(0, 200));
  const withBoth = liveIyss.findIndex((_, i) => (attendance[i] as unknown[] | undefined)?.length && (contacts[i] as unknown[] | undefined)?.length);
  const [iyssPerson] = await persons.personsForRecords([{ system: 'IYSS', sourceId: liveIyss[Math.max(0, withBoth)]! }]);

  // Triage: the surname with the most records, so the search has at least 50 candidates.
  const bySurname = new Map<string, number>();
  for (const row of dataset.iyss.rows.tblYoungPerson) bySurname.set(row.Surname, (bySurname.get(row.Surname) ?? 0) + 1);
  const surname = [...bySurname.entries()].sort((a, b) => b[1] - a[1])[0]![0];

  const practitioner = await token({ sub: 'bench-practitioner', name: 'Bench', roles: ['practitioner'], tier: 1, units: ['CU1'] });
  const caseworker = await token({ sub: 'bench-caseworker', name: 'Bench', roles: ['practitioner'], tier: 3, units: [person360.unit] });
  const triage = await token({ sub: 'bench-triage', name: 'Bench', roles: ['triage_officer'], tier: 3, units: [] });
  const reporter = await token({ sub: 'bench-reports', name: 'Bench', roles: ['report_writer'], tier: 1, units: [] });
  const headers = (bearer: string, purpose?: string) => ({
    'content-type': 'application/json',
    authorization: `Bearer ${bearer}`,
    ...(purpose ? { 'x-purpose': purpose } : {}),
  });
  const refs = (count: number) => liveIyss.slice(0, count).map((id) => `yp:IYSS:${id}`);
  return [
    {
      name: 'person-360 (4 systems)',
      body: json(PERSON_360, { id: person360.personId }),
      headers: headers(caseworker, 'allocated_casework'),
      floor: { kind: 'person360', tier: 3, variables: { id: person360.personId } },
      personalData: true,
    },
    {
      name: 'one person, IYSS fields',
      body: json(PERSON_IYSS, { id: iyssPerson!.personId }),
      headers: headers(practitioner),
      floor: { kind: 'personIyss', tier: 1, variables: { id: iyssPerson!.personId } },
      personalData: true,
    },
    {
      name: '100-person list, nested IYSS',
      body: json(PERSON_LIST, { ids: refs(100) }),
      headers: headers(practitioner),
      floor: { kind: 'list', tier: 1, variables: { ids: refs(100) } },
      personalData: true,
    },
    {
      name: '500-person list, nested IYSS',
      body: json(PERSON_LIST, { ids: refs(500) }),
      headers: headers(practitioner),
      floor: { kind: 'list', tier: 1, variables: { ids: refs(500) } },
      personalData: true,
    },
    {
      name: 'triage search, 50 candidates',
      body: json(TRIAGE, { referral: { surname } }),
      headers: headers(triage),
      floor: { kind: 'triage', tier: 3, variables: { referral: { surname } } },
      personalData: true,
    },
    {
      name: 'statutory measure (Query.report)',
      body: json(REPORT),
      headers: headers(reporter),
      floor: { kind: 'report', tier: 1, variables: {} },
      personalData: true,
    },
    {
      name: '{__typename}',
      body: json('{ __typename }'),
      headers: headers(practitioner),
      floor: null,
      personalData: false,
      bareApollo: true,
    },
  ];
}
