/**
 * The SQL floor the gateway is measured against: for each benchmark workload, the same rows fetched by
 * the adapters' own statements through the same drivers and pools (identity links from the gateway store
 * first, then every source in parallel, one batch statement per kind of row), shaped into the same JSON
 * the gateway answers with (run.ts checks it is equal). No GraphQL, no authorization, no audit, no
 * per-request loaders. For triage the person search itself (ranking candidates across systems) is the
 * gateway's own code, called directly: there is no simpler SQL that answers the same question.
 */
import http from 'node:http';
import type { AttendanceRecord, BatchResult, ContactRecord, DocumentRecord, EducationStatusRecord, PersonRecord } from '../../adapters/types';
import type { PersonSystem } from '../../src/access/systemVisibility';
import { SYSTEM_TIER } from '../../src/access/systemVisibility';
import { goldenRecord } from '../../src/persons/goldenRecord';
import type { LinkedRecord, PersonView } from '../../src/persons/PersonDirectory';
import { loadGolden } from '../../src/resolvers/personRecords';
import { suppressionThresholdOf } from '../../src/reports/runAuditedReport';
import { runReport, type ReportRequest } from '../../src/reports/runReport';
import type { GatewayServices } from '../../src/server/GatewayServices';
import { createRequestContext } from '../../src/server/requestContext';
import { triageSearch } from '../../src/triage/triageSearch';

export interface FloorRequest {
  kind: 'person360' | 'personIyss' | 'list' | 'triage' | 'report';
  /** The caller's tier: which systems' records shape the golden view. */
  tier: number;
  variables: Record<string, unknown>;
}

const dateTime = (value: string) => new Date(value).toISOString();
const newestFirst = <T>(key: (item: T) => string) => (a: T, b: T) => key(b).localeCompare(key(a));

/** Runs one batch and maps its results back to keys (an Error in a key's place reads as absent). */
async function byKey<T>(keys: string[], batch: (keys: readonly string[]) => BatchResult<T>): Promise<Map<string, T>> {
  if (!keys.length) return new Map();
  const results = await batch(keys);
  const map = new Map<string, T>();
  keys.forEach((key, i) => {
    const value = results[i];
    if (!(value instanceof Error) && value !== undefined) map.set(key, value);
  });
  return map;
}

const idsIn = (people: PersonView[], system: PersonSystem, tier: number): string[] =>
  SYSTEM_TIER[system] > tier ? [] : [...new Set(people.flatMap((p) => p.records.filter((r) => r.system === system).map((r) => r.sourceId)))];

const linksOf = (person: PersonView, system: PersonSystem, tier: number): LinkedRecord[] =>
  SYSTEM_TIER[system] > tier ? [] : person.records.filter((record) => record.system === system);

const across = <T>(person: PersonView, system: PersonSystem, tier: number, rows: Map<string, T[]>): T[] =>
  linksOf(person, system, tier).flatMap((link) => rows.get(link.sourceId) ?? []);

function goldenOf(person: PersonView, tier: number, records: Record<PersonSystem, Map<string, PersonRecord>>) {
  const found = (['IYSS', 'UMIS', 'YOIS'] as const).flatMap((system) =>
    linksOf(person, system, tier).flatMap((link) => {
      const record = records[system].get(link.sourceId);
      return record ? [record] : [];
    }),
  );
  return goldenRecord(found)!;
}

const iyssFields = (person: PersonView, tier: number, rows: { attendance: Map<string, AttendanceRecord[]>; contacts: Map<string, ContactRecord[]>; education: Map<string, EducationStatusRecord[]> }) => ({
  groupWork: across(person, 'IYSS', tier, rows.attendance).sort(newestFirst((a) => a.sessionDate)),
  contacts: across(person, 'IYSS', tier, rows.contacts).sort(newestFirst((c) => c.contactDate)),
  education: across(person, 'IYSS', tier, rows.education).sort(newestFirst((e) => e.effectiveDate))[0] ?? null,
});

export function createFloor(services: GatewayServices) {
  const { iyss, umis, yois, dms } = services.sources;
  const noRecords = new Map<string, PersonRecord>();

  async function people(kind: FloorRequest['kind'], variables: Record<string, unknown>): Promise<PersonView[]> {
    if (kind === 'list') {
      const refs = (variables.ids as string[]).map((id) => {
        const [, system, sourceId] = id.split(':');
        return { system: system as PersonSystem, sourceId: sourceId! };
      });
      return services.persons.personsForRecords(refs);
    }
    const [view] = await services.persons.personsByIds([variables.id as string]);
    if (!view || view instanceof Error) throw new Error('floor: no such person');
    return [view];
  }

  async function personData(request: FloorRequest): Promise<unknown> {
    const { kind, tier, variables } = request;
    const list = await people(kind, variables);
    const iyssIds = idsIn(list, 'IYSS', tier);
    const umisIds = kind === 'person360' ? idsIn(list, 'UMIS', tier) : [];
    const yoisIds = kind === 'person360' ? idsIn(list, 'YOIS', tier) : [];
    const subjects = kind === 'person360' ? list.flatMap((p) => p.records.map((r) => `${r.system}:${r.sourceId}`)) : [];
    const [iyssPeople, attendance, contacts, education, umisPeople, assessments, plans, umisAllocations, yoisPeople, offences, orders, yoisAllocations, documents] =
      await Promise.all([
        byKey(iyssIds, (ids) => iyss.peopleByIds(ids)),
        byKey(iyssIds, (ids) => iyss.attendanceByPersonIds(ids)),
        byKey(iyssIds, (ids) => iyss.contactsByPersonIds(ids)),
        byKey(iyssIds, (ids) => iyss.educationByPersonIds(ids)),
        byKey(umisIds, (ids) => umis.peopleByIds(ids)),
        byKey(umisIds, (ids) => umis.assessmentsByPersonIds(ids)),
        byKey(umisIds, (ids) => umis.plansByPersonIds(ids)),
        byKey(umisIds, (ids) => umis.allocationsByPersonIds(ids)),
        byKey(yoisIds, (ids) => yois.peopleByIds(ids)),
        byKey(yoisIds, (ids) => yois.offencesByPersonIds(ids)),
        byKey(yoisIds, (ids) => yois.ordersByPersonIds(ids)),
        byKey(yoisIds, (ids) => yois.allocationsByPersonIds(ids)),
        byKey(subjects, (keys) => dms.documentsBySubjects(keys)),
      ]);
    // A tier-1 caller's golden view is drawn from IYSS alone, as the gateway's is.
    const records = { IYSS: iyssPeople, UMIS: kind === 'person360' ? umisPeople : noRecords, YOIS: kind === 'person360' ? yoisPeople : noRecords };
    const shape = (person: PersonView) => {
      const golden = goldenOf(person, tier, records);
      const nested = iyssFields(person, tier, { attendance, contacts, education });
      if (kind === 'list') {
        return {
          id: person.personId,
          forename: golden.forename,
          surname: golden.surname,
          dateOfBirth: golden.dateOfBirth,
          groupWork: nested.groupWork.map((a) => ({ title: a.title, status: a.status, sessionDate: dateTime(a.sessionDate) })),
          contacts: nested.contacts.map((c) => ({ contactType: c.contactType, contactDate: dateTime(c.contactDate) })),
          educationStatus: nested.education && { category: nested.education.category },
        };
      }
      const base = {
        id: person.personId,
        forename: golden.forename,
        surname: golden.surname,
        dateOfBirth: golden.dateOfBirth,
        gender: golden.gender,
        address: golden.address && { line1: golden.address.line1, postcode: golden.address.postcode },
      };
      if (kind === 'personIyss') {
        return {
          ...base,
          groupWork: nested.groupWork.map((a) => ({ title: a.title, activity: a.activity, sessionDate: dateTime(a.sessionDate), status: a.status })),
          contacts: nested.contacts.map((c) => ({ contactDate: dateTime(c.contactDate), contactType: c.contactType })),
          educationStatus: nested.education && { category: nested.education.category, effectiveDate: nested.education.effectiveDate },
        };
      }
      const seen = new Set<string>();
      const docs = person.records
        .flatMap((record) => documents.get(`${record.system}:${record.sourceId}`) ?? [])
        .filter((d: DocumentRecord) => !seen.has(d.documentId) && seen.add(d.documentId))
        .filter((d) => d.classificationTier <= tier)
        .sort(newestFirst((d) => d.createdAt));
      return {
        ...base,
        groupWork: nested.groupWork.map((a) => ({ title: a.title, status: a.status, sessionDate: dateTime(a.sessionDate) })),
        contacts: nested.contacts.map((c) => ({ contactType: c.contactType, contactDate: dateTime(c.contactDate) })),
        educationStatus: nested.education && { category: nested.education.category, effectiveDate: nested.education.effectiveDate },
        assessments: across(person, 'UMIS', tier, assessments)
          .sort(newestFirst((a) => a.startedOn))
          .map((a) => ({ assessmentType: a.assessmentType, status: a.status, startedOn: a.startedOn })),
        plans: across(person, 'UMIS', tier, plans)
          .sort(newestFirst((p) => p.startDate))
          .map((p) => ({ title: p.title, status: p.status, startDate: p.startDate })),
        allocations: [...across(person, 'UMIS', tier, umisAllocations), ...across(person, 'YOIS', tier, yoisAllocations)]
          .sort(newestFirst((a) => a.startDate))
          .map((a) => ({ system: a.source, unitId: a.unitId, startDate: a.startDate })),
        offences: across(person, 'YOIS', tier, offences)
          .sort(newestFirst((o) => o.offenceDate))
          .map((o) => ({ offenceCode: o.offenceCode, offenceDate: o.offenceDate, outcome: o.outcome && { type: o.outcome.type } })),
        orders: across(person, 'YOIS', tier, orders)
          .sort(newestFirst((o) => o.startDate))
          .map((o) => ({ type: o.type, status: o.status, startDate: o.startDate })),
        documents: docs.map((d) => ({ id: d.documentId, title: d.title, classificationTier: d.classificationTier, createdAt: dateTime(d.createdAt) })),
      };
    };
    const shaped = list.map(shape);
    return kind === 'list' ? { youngPeople: shaped } : { youngPerson: shaped[0] };
  }

  async function triage(request: FloorRequest): Promise<unknown> {
    const principal = { sub: 'bench-floor', name: 'Floor', roles: ['triage_officer'], tier: 3 as const, units: [] };
    const context = await createRequestContext(services, principal, undefined, 'floor', services.log);
    const outcome = await triageSearch(context, request.variables.referral as Parameters<typeof triageSearch>[1], 50);
    const candidates = await Promise.all(
      outcome.candidates.map(async ({ score, person }) => {
        const golden = await loadGolden(person, context);
        return { score, person: { id: person.personId, forename: golden.forename, surname: golden.surname, dateOfBirth: golden.dateOfBirth } };
      }),
    );
    return { triageSearch: { candidates, notChecked: outcome.notChecked.map((check) => ({ system: check.system, cause: check.cause })) } };
  }

  async function report(): Promise<unknown> {
    const request: ReportRequest = { measure: 'FIRST_TIME_ENTRANTS', from: '2025-11-01', to: '2026-11-01', breakdowns: ['AGE_BAND', 'GENDER'], filters: [] };
    const result = await runReport(services.reportSources, request, { threshold: suppressionThresholdOf(await services.policy.current()), now: services.clock.now() });
    return {
      report: {
        measure: result.measure,
        cells: result.cells.map((cell) => ({
          keys: cell.keys.map((value, i) => ({ dimension: request.breakdowns[i]!, value })),
          count: cell.suppression ? null : cell.count,
          suppression: cell.suppression,
          isTotal: cell.keys.some((key) => key === null),
        })),
        suppressedCells: result.suppressedCells,
      },
    };
  }

  return async (request: FloorRequest): Promise<unknown> => {
    if (request.kind === 'triage') return triage(request);
    if (request.kind === 'report') return report();
    return personData(request);
  };
}

/** The floor over plain HTTP: POST a FloorRequest as JSON, get `{ data }` back. */
export function startFloor(services: GatewayServices): http.Server {
  const answer = createFloor(services);
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const data = await answer(JSON.parse(Buffer.concat(chunks).toString('utf8')) as FloorRequest);
          const body = JSON.stringify({ data });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
        } catch (error) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
        }
      })();
    });
  });
}
