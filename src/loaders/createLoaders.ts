import DataLoader from 'dataloader';
import type {
  AllocationRecord,
  AssessmentRecord,
  AttendanceRecord,
  BatchResult,
  ContactRecord,
  DocumentRecord,
  EducationStatusRecord,
  OffenceRecord,
  OrderRecord,
  PersonRecord,
  PlanRecord,
  SourceFailure,
  SourceSystem,
} from '../../adapters/types';
import type { Logger } from '../logging/logger';
import type { PersonView } from '../persons/PersonDirectory';
import type { PersonSystem } from '../access/systemVisibility';
import type { WorkerAllocationRecord } from '../access/workerAllocations';
import { REFERRAL_ALLOCATION_DAYS } from '../referrals/referralStore';
import type { GatewayServices } from '../server/GatewayServices';
import { callSourceBatch, createSourceCalls, type SourceCalls } from '../sources/requestSourceCalls';

const sourceKey = (system: SourceSystem) => system.toLowerCase() as 'iyss' | 'umis' | 'yois' | 'dms';

/** Whether a source answered a ping in this request. */
export type Reachability = { reachable: true } | { reachable: false; reason: string };

/** Per-request DataLoaders: every resolver asks these, so a list of N people costs a fixed number of statements. */
export interface Loaders {
  /** This request's bounded, breaker-guarded way to the sources (what the loaders below go through). */
  sources: SourceCalls;
  person: DataLoader<string, PersonView>;
  /** Keys are `SYSTEM:sourceId`; a record never linked becomes a person of its own. */
  personForRecord: DataLoader<string, PersonView>;
  iyssPerson: DataLoader<string, PersonRecord>;
  iyssAttendance: DataLoader<string, AttendanceRecord[]>;
  iyssContacts: DataLoader<string, ContactRecord[]>;
  iyssEducation: DataLoader<string, EducationStatusRecord[]>;
  umisPerson: DataLoader<string, PersonRecord>;
  umisAssessments: DataLoader<string, AssessmentRecord[]>;
  umisPlans: DataLoader<string, PlanRecord[]>;
  umisAllocations: DataLoader<string, AllocationRecord[]>;
  yoisPerson: DataLoader<string, PersonRecord & { pncNumber: string | null }>;
  yoisOffences: DataLoader<string, OffenceRecord[]>;
  yoisOrders: DataLoader<string, OrderRecord[]>;
  yoisAllocations: DataLoader<string, AllocationRecord[]>;
  /** Keys are `SYSTEM:sourceId` of the document's subject. */
  dmsDocumentsBySubject: DataLoader<string, DocumentRecord[]>;
  dmsDocument: DataLoader<string, DocumentRecord>;
  /** Whether a system answers at all, asked at most once per request. */
  reachability: DataLoader<SourceSystem, Reachability>;
  /** Core Units a young person was handed to by an acknowledged referral (gateway store), by person ID. */
  referralUnits: DataLoader<string, string[]>;
  /** Named workers allocated to a young person across services (gateway store), newest first, by person ID. */
  workerAllocations: DataLoader<string, WorkerAllocationRecord[]>;
}

/** A request's source caller under the gateway's configured limits, its deadline counted from now. */
export function sourceCallsFor(services: GatewayServices, log: Logger): SourceCalls {
  const { config } = services;
  return createSourceCalls({
    breakers: services.breakers,
    metrics: services.metrics,
    log,
    attemptTimeoutMs: config.sourceTimeoutMs,
    deadlineAt: Date.now() + config.requestDeadlineMs,
    maxConcurrentPerSource: config.maxSourceCallsPerRequest,
  });
}

export interface LoaderOptions {
  /** Benchmark only: `false` sends one statement per key (DataLoader batching off), to measure what batching saves. */
  batch?: boolean;
}

export function createLoaders(
  services: GatewayServices,
  log: Logger,
  calls: SourceCalls = sourceCallsFor(services, log),
  loaderOptions: LoaderOptions = {},
): Loaders {
  const { iyss, umis, yois, dms } = services.sources;
  // Batches are capped so one statement's IN list stays within every engine's parameter limit.
  const options = { maxBatchSize: 1_000, batch: loaderOptions.batch !== false };
  const from = <T>(source: SourceSystem, batch: (keys: readonly string[]) => BatchResult<T>) =>
    new DataLoader<string, T>((keys) => callSourceBatch(calls, source, keys, () => batch(keys)), options);
  return {
    sources: calls,
    person: new DataLoader((ids) => services.persons.personsByIds(ids), options),
    personForRecord: new DataLoader(
      (keys) =>
        services.persons.personsForRecords(
          keys.map((key) => {
            const at = key.indexOf(':');
            return { system: key.slice(0, at) as PersonSystem, sourceId: key.slice(at + 1) };
          }),
        ),
      options,
    ),
    iyssPerson: from('IYSS', (ids) => iyss.peopleByIds(ids)),
    iyssAttendance: from('IYSS', (ids) => iyss.attendanceByPersonIds(ids)),
    iyssContacts: from('IYSS', (ids) => iyss.contactsByPersonIds(ids)),
    iyssEducation: from('IYSS', (ids) => iyss.educationByPersonIds(ids)),
    umisPerson: from('UMIS', (ids) => umis.peopleByIds(ids)),
    umisAssessments: from('UMIS', (ids) => umis.assessmentsByPersonIds(ids)),
    umisPlans: from('UMIS', (ids) => umis.plansByPersonIds(ids)),
    umisAllocations: from('UMIS', (ids) => umis.allocationsByPersonIds(ids)),
    yoisPerson: from('YOIS', (ids) => yois.peopleByIds(ids)),
    yoisOffences: from('YOIS', (ids) => yois.offencesByPersonIds(ids)),
    yoisOrders: from('YOIS', (ids) => yois.ordersByPersonIds(ids)),
    yoisAllocations: from('YOIS', (ids) => yois.allocationsByPersonIds(ids)),
    dmsDocumentsBySubject: from('DMS', (keys) => dms.documentsBySubjects(keys)),
    dmsDocument: from('DMS', (ids) => dms.documentsByIds(ids)),
    workerAllocations: new DataLoader((personIds) => services.workerAllocations.byPersonIds(personIds), options),
    referralUnits: new DataLoader((personIds) => {
      const since = new Date(services.clock.now().getTime() - REFERRAL_ALLOCATION_DAYS * 86_400_000).toISOString();
      return services.referrals.unitsByPersonIds(personIds, since);
    }, options),
    reachability: new DataLoader((systems) =>
      Promise.all(
        systems.map((system) =>
          // Not an Error value: DataLoader would turn that into a rejected load.
          calls.call(system, () => services.sources[sourceKey(system)].ping()).then(
            (): Reachability => ({ reachable: true }),
            (error: SourceFailure): Reachability => ({ reachable: false, reason: error.reason }),
          ),
        ),
      ),
    ),
  };
}
