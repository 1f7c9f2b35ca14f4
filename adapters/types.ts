/**
 * The adapter contract: what every legacy-system adapter offers the gateway, in unified terms.
 * Batch functions honour the DataLoader contract: one result per key, in key order, and an `Error`
 * in a key's place when that key is missing or failed, never a rejected batch for one bad key.
 * Nothing here names a legacy table or code value; each adapter maps its own to these shapes.
 */

/** The legacy systems behind the gateway. */
export type SourceSystem = 'IYSS' | 'UMIS' | 'YOIS' | 'DMS';

export type Gender = 'FEMALE' | 'MALE' | 'OTHER' | 'NOT_STATED';

/** One source system's record of a person, mapped to unified terms. Dates are ISO `YYYY-MM-DD`. */
export interface PersonRecord {
  source: SourceSystem;
  /** The record's ID in its own system, as text. */
  sourceId: string;
  forename: string;
  surname: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  gender: Gender;
  ethnicity: string | null;
  address: { line1: string | null; postcode: string | null } | null;
  /** Unique Pupil Number, where the source holds one. */
  upn: string | null;
}

export type AttendanceStatus = 'PRESENT' | 'LATE' | 'ABSENT' | 'EXCUSED';

/** A person's place on a group-work session (positive activity). */
export interface AttendanceRecord {
  source: SourceSystem;
  sessionId: string;
  title: string;
  activity: string;
  /** ISO date-time. */
  sessionDate: string;
  venue: string | null;
  status: AttendanceStatus;
}

/** A recorded contact between a worker and a young person. */
export interface ContactRecord {
  source: SourceSystem;
  contactId: string;
  /** ISO date-time. */
  contactDate: string;
  contactType: string;
  workerName: string | null;
  durationMinutes: number | null;
  notes: string | null;
}

export type EducationStatusCategory = 'EDUCATION' | 'EMPLOYMENT' | 'TRAINING' | 'NEET' | 'NOT_KNOWN';

/** Education, employment or training status from a given date. */
export interface EducationStatusRecord {
  source: SourceSystem;
  category: EducationStatusCategory;
  description: string;
  /** ISO date. */
  effectiveDate: string;
  provider: string | null;
}

/** One result per key, in key order; an Error where the key failed or does not exist. */
export type BatchResult<T> = Promise<Array<T | Error>>;

/** A pre-filter an adapter can run cheaply in SQL; the gateway ranks the candidates itself. */
export interface CandidateFilter {
  /** Surnames must start with one of these (any case); the gateway expands accents and variants. */
  surnamePrefixes?: readonly string[];
  forenamePrefixes?: readonly string[];
  /** ISO dates of birth (the gateway adds likely mis-keyings); the adapter matches every legacy format it stores. */
  datesOfBirth?: readonly string[];
  /** Uppercase, no spaces: a full postcode, or its start (e.g. an outward code `E8`). */
  postcodePrefix?: string;
  /** Most rows to return; a caller that gets exactly this many knows the filter was too broad. */
  limit: number;
}

/** A failure of the source itself (unreachable, timed out), as opposed to a missing key. */
export class SourceFailure extends Error {
  constructor(
    readonly source: SourceSystem,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${source} is unavailable: ${reason}`, options);
    this.name = 'SourceFailure';
  }
}

/** The key is well-formed but the source holds no such (live) record. */
export class RecordNotFound extends Error {
  constructor(
    readonly source: SourceSystem,
    readonly key: string,
  ) {
    super(`${source} has no record ${key}`);
    this.name = 'RecordNotFound';
  }
}

/** Lifecycle every adapter shares. */
export interface SourceAdapter {
  readonly system: SourceSystem;
  /** Throws when the source cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** IYSS: casework and group-work recording, positive activities, NEET status (tier 1). */
export interface IyssAdapter extends SourceAdapter {
  readonly system: 'IYSS';
  peopleByIds(ids: readonly string[]): BatchResult<PersonRecord>;
  attendanceByPersonIds(ids: readonly string[]): BatchResult<AttendanceRecord[]>;
  contactsByPersonIds(ids: readonly string[]): BatchResult<ContactRecord[]>;
  educationByPersonIds(ids: readonly string[]): BatchResult<EducationStatusRecord[]>;
  findCandidates(filter: CandidateFilter): Promise<PersonRecord[]>;
  /** Every live person, in pages ordered by ID, for identity matching. `after` is the last sourceId of the previous page. */
  scanPeople(after: string | null, limit: number): Promise<PersonRecord[]>;
}

/** A young person's allocation to a Core Unit (and worker), as a source records it. Drives need-to-know. */
export interface AllocationRecord {
  source: SourceSystem;
  /** Core Unit id as used in token `units` claims, e.g. `CU3`. */
  unitId: string;
  workerName: string | null;
  /** ISO date. */
  startDate: string;
  /** ISO date; null while the allocation is open. */
  endDate: string | null;
}

// ---------------------------------------------------------------------------------------------
// UMIS (tier 2): in-depth assessments and plans.

export type AssessmentDomain =
  | 'FAMILY'
  | 'EDUCATION'
  | 'HEALTH_WELLBEING'
  | 'EMOTIONAL_MENTAL_HEALTH'
  | 'SUBSTANCE_USE'
  | 'RISK'
  | 'RELATIONSHIPS'
  | 'LIVING_ARRANGEMENTS';

export interface AssessmentDomainScore {
  domain: AssessmentDomain;
  /** 0 (no concern) to 4 (severe concern). */
  score: number;
  analysis: string | null;
}

export interface AssessmentRecord {
  source: SourceSystem;
  assessmentId: string;
  /** e.g. 'Early Help Assessment', 'Wellbeing review'. */
  assessmentType: string;
  status: 'DRAFT' | 'COMPLETED' | 'CANCELLED';
  /** ISO date. */
  startedOn: string;
  completedOn: string | null;
  assessorName: string | null;
  summary: string | null;
  domains: AssessmentDomainScore[];
}

export interface PlanReviewRecord {
  /** ISO date. */
  reviewedOn: string;
  reviewerName: string | null;
  outcome: string;
}

export interface PlanRecord {
  source: SourceSystem;
  planId: string;
  title: string;
  status: 'ACTIVE' | 'CLOSED';
  /** ISO dates. */
  startDate: string;
  nextReviewDate: string | null;
  closedDate: string | null;
  goals: string[];
  reviews: PlanReviewRecord[];
}

/** UMIS: in-depth assessments, plans and reviews, assigned workers (tier 2). */
export interface UmisAdapter extends SourceAdapter {
  readonly system: 'UMIS';
  peopleByIds(ids: readonly string[]): BatchResult<PersonRecord>;
  assessmentsByPersonIds(ids: readonly string[]): BatchResult<AssessmentRecord[]>;
  plansByPersonIds(ids: readonly string[]): BatchResult<PlanRecord[]>;
  allocationsByPersonIds(ids: readonly string[]): BatchResult<AllocationRecord[]>;
  findCandidates(filter: CandidateFilter): Promise<PersonRecord[]>;
  /** Every live person, in pages, for identity matching. `after` is the last sourceId of the previous page. */
  scanPeople(after: string | null, limit: number): Promise<PersonRecord[]>;
}

// ---------------------------------------------------------------------------------------------
// YOIS (tier 3): offences, outcomes, statutory orders.

export type OutcomeType =
  | 'COMMUNITY_RESOLUTION'
  | 'YOUTH_CAUTION'
  | 'YOUTH_CONDITIONAL_CAUTION'
  | 'REFERRAL_ORDER'
  | 'YOUTH_REHABILITATION_ORDER'
  | 'DETENTION_AND_TRAINING_ORDER'
  | 'DISCHARGE'
  | 'FINE';

export interface OutcomeRecord {
  outcomeId: string;
  type: OutcomeType;
  /** ISO date. */
  outcomeDate: string;
  court: string | null;
}

export interface OffenceRecord {
  source: SourceSystem;
  offenceId: string;
  /** Home Office offence code. */
  offenceCode: string;
  description: string;
  category: string;
  /** Youth Justice Board gravity score, 1 (least) to 8 (most serious). */
  gravityScore: number;
  /** ISO date. */
  offenceDate: string;
  outcome: OutcomeRecord | null;
}

export interface AppointmentRecord {
  appointmentId: string;
  /** ISO date-time. */
  scheduledAt: string;
  appointmentType: string;
  attendance: 'ATTENDED' | 'FAILED_TO_ATTEND' | 'ACCEPTABLE_ABSENCE' | 'NOT_YET_DUE';
}

export interface BreachWarningRecord {
  warningId: string;
  /** ISO date. */
  issuedOn: string;
  /** 1 or 2: the second warning leads to referral to the panel. */
  strike: number;
  reason: string;
}

export interface OrderRecord {
  source: SourceSystem;
  orderId: string;
  type: OutcomeType;
  /** ISO dates. */
  startDate: string;
  endDate: string;
  status: 'ACTIVE' | 'COMPLETED' | 'REVOKED' | 'BREACHED';
  requirements: string[];
  appointments: AppointmentRecord[];
  breachWarnings: BreachWarningRecord[];
}

/** YOIS: offences, outcomes, orders, appointments, breach warnings (tier 3). */
export interface YoisAdapter extends SourceAdapter {
  readonly system: 'YOIS';
  peopleByIds(ids: readonly string[]): BatchResult<PersonRecord & { pncNumber: string | null }>;
  offencesByPersonIds(ids: readonly string[]): BatchResult<OffenceRecord[]>;
  ordersByPersonIds(ids: readonly string[]): BatchResult<OrderRecord[]>;
  allocationsByPersonIds(ids: readonly string[]): BatchResult<AllocationRecord[]>;
  findCandidates(filter: CandidateFilter): Promise<PersonRecord[]>;
  scanPeople(after: string | null, limit: number): Promise<PersonRecord[]>;
}

// ---------------------------------------------------------------------------------------------
// DMS: document metadata with per-document classification; content in a file store.

export type DocumentType = 'ASSESSMENT' | 'LETTER' | 'COURT_REPORT' | 'SCANNED_PAPER_RECORD' | 'REFERRAL_FORM' | 'PLAN';

export interface DocumentRecord {
  source: SourceSystem;
  documentId: string;
  title: string;
  documentType: DocumentType;
  /** The person the document is about, in the other system's ID format. */
  subject: { system: Exclude<SourceSystem, 'DMS'>; sourceId: string };
  /** 1-3: the document's own classification, enforced per document. */
  classificationTier: number;
  /** ISO date-times. */
  createdAt: string;
  modifiedAt: string;
  authorName: string | null;
  contentType: string;
  sizeBytes: number;
  /** Where the content is in the file store; never sent to clients. */
  contentKey: string;
}

/** Where document content lives: a folder by default, an object store in production. */
export interface FileStore {
  /** Resolves to the bytes, or throws RecordNotFound. */
  read(contentKey: string): Promise<Buffer>;
  write(contentKey: string, content: Buffer): Promise<void>;
}

/** DMS: document metadata and content (classification per document). */
export interface DmsAdapter extends SourceAdapter {
  readonly system: 'DMS';
  /** Keys are `SYSTEM:sourceId` of the subject (e.g. `IYSS:10001`). */
  documentsBySubjects(subjects: readonly string[]): BatchResult<DocumentRecord[]>;
  documentsByIds(ids: readonly string[]): BatchResult<DocumentRecord>;
  readContent(document: DocumentRecord): Promise<Buffer>;
}
