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
  /**
   * Other names the source holds for the record (UMIS `client_alias`: a previous or birth name, a name
   * also used). Read for identity matching (`scanPeople`), where a changed surname or a name used
   * day to day is the evidence that joins two records; absent where a read does not need them.
   */
  otherNames?: readonly OtherName[];
}

export interface OtherName {
  kind: 'PREVIOUS' | 'ALSO_KNOWN_AS';
  forename: string | null;
  surname: string | null;
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
  /** IDs of the live young people with a live NEET education status of any date: the only people a NEET measure can count. */
  personIdsEverNeet(): Promise<string[]>;
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
  /**
   * Source IDs of the people with an allocation to one of `units` still open on `today` (no end, or an
   * end on or after it: the rule need to know applies), for a caseload. At most `limit` IDs.
   */
  personIdsAllocatedToUnits(units: readonly string[], today: string, limit: number): Promise<string[]>;
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
  /**
   * Source IDs of the people with an allocation to one of `units` still open on `today` (no end, or an
   * end on or after it: the rule need to know applies), for a caseload. At most `limit` IDs.
   */
  personIdsAllocatedToUnits(units: readonly string[], today: string, limit: number): Promise<string[]>;
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

// ---------------------------------------------------------------------------------------------
// Writes: the second shape every adapter offers. Each write is one transaction on its own source,
// in the source's own shapes (code tables, date formats, keys). A write either lands whole or not at
// all; it throws RecordNotFound when a record it hangs off is not there (or not the person's), and
// WriteRejected when the source refuses a value (an unknown code, a date the record cannot take).

/** The source refused a value; `field` names the input field, as the API names it. Nothing was written. */
export class WriteRejected extends Error {
  constructor(
    readonly source: SourceSystem,
    readonly field: string,
    message: string,
    /** Why, for clients: UNKNOWN_CODE, INVALID_VALUE for a value the record cannot take, INVALID_TRANSITION for a step its process does not allow now. */
    readonly reason: 'UNKNOWN_CODE' | 'INVALID_VALUE' | 'INVALID_TRANSITION' = 'INVALID_VALUE',
  ) {
    super(message);
    this.name = 'WriteRejected';
  }
}

/** What a write created (or changed) in its source. */
export interface WrittenRecord {
  /** The new or changed record's ID in its system. */
  recordId: string;
  /** Further records the same transaction wrote (attendance rows, domain scores), by kind. */
  related?: Record<string, string[]>;
}

/** An IYSS contact. */
export interface NewContact {
  personSourceId: string;
  /** ISO date-time. */
  contactDate: string;
  /** A `tlkpContactType` code (e.g. FACE). */
  contactTypeCode: string;
  workerName: string | null;
  durationMinutes: number | null;
  notes: string | null;
}

/** An IYSS group-work session with its register of attendance. */
export interface NewGroupSession {
  /** A `tlkpActivityType` code (e.g. SPRT). */
  activityTypeCode: string;
  title: string;
  /** ISO date-time. */
  sessionDate: string;
  venue: string | null;
  attendance: Array<{ personSourceId: string; status: AttendanceStatus }>;
}

/** A UMIS assessment with its domain scores. */
export interface NewAssessment {
  clientId: string;
  /** A `ref_assessment_type` code (e.g. EHA). */
  assessmentTypeCode: string;
  status: 'DRAFT' | 'COMPLETED';
  /** ISO dates. */
  startedOn: string;
  completedOn: string | null;
  summary: string | null;
  domains: AssessmentDomainScore[];
}

/** A review of one of a client's UMIS plans. */
export interface NewPlanReview {
  clientId: string;
  planId: string;
  /** ISO date. */
  reviewedOn: string;
  /** A `ref_review_outcome` code (e.g. PROG). */
  outcomeCode: string;
  notes: string | null;
  /** ISO date; when given, the plan's next review date moves to it. */
  nextReviewDate: string | null;
}

/** The outcome of a YOIS appointment under one of the person's orders. */
export interface AppointmentOutcome {
  personSourceId: string;
  appointmentId: string;
  attendance: Exclude<AppointmentRecord['attendance'], 'NOT_YET_DUE'>;
  /** ISO instant the write is made at: an appointment after it cannot have an outcome yet. */
  now: string;
}

/** A progress note on one of the person's YOIS orders. */
export interface NewOrderNote {
  personSourceId: string;
  orderId: string;
  /** ISO date. */
  noteDate: string;
  text: string;
  workerName: string | null;
}

/** A document filed in the DMS against a person record, with its content. */
export interface NewDocument {
  subject: { system: Exclude<SourceSystem, 'DMS'>; sourceId: string };
  title: string;
  /** A `dm_doc_type` code (e.g. LTRGEN). */
  documentTypeCode: string;
  classificationTier: 1 | 2 | 3;
  contentType: string;
  content: Buffer;
  authorLogin: string | null;
  /** ISO instant. */
  createdAt: string;
}

/** A young person's details as a new record takes them (copied from the golden view, not retyped). */
export interface NewPerson {
  forename: string;
  surname: string;
  knownAs: string | null;
  /** ISO date. */
  dateOfBirth: string | null;
  gender: Gender;
  /** The ethnicity as described (the system's own code is looked up by its description). */
  ethnicity: string | null;
  address: { line1: string | null; postcode: string | null } | null;
  upn: string | null;
}

/** Demographic fields a change can carry; a system takes the ones its records may have changed from outside. */
export type DemographicField = 'forename' | 'surname' | 'knownAs' | 'address';

/** A change of demographics: only the fields present change. */
export interface DemographicChange {
  forename?: string;
  surname?: string;
  knownAs?: string | null;
  address?: { line1: string | null; postcode: string | null };
}

/** What every person-holding system's writer offers: registering someone, and applying a change of details. */
export interface PersonWriter {
  /** The fields this system accepts from a change made elsewhere; the others stay as the system keyed them. */
  readonly demographicFields: readonly DemographicField[];
  registerPerson(person: NewPerson): Promise<WrittenRecord>;
  /** Applies the change's accepted fields to a live record (RecordNotFound when there is none). */
  updateDemographics(sourceId: string, change: DemographicChange): Promise<WrittenRecord>;
}

export interface IyssWriter extends PersonWriter {
  recordContact(contact: NewContact): Promise<WrittenRecord>;
  recordGroupSession(session: NewGroupSession): Promise<WrittenRecord>;
}

export interface UmisWriter extends PersonWriter {
  recordAssessment(assessment: NewAssessment): Promise<WrittenRecord>;
  recordPlanReview(review: NewPlanReview): Promise<WrittenRecord>;
}

/** What the breach process of one order is judged on, as YOIS holds it. */
export interface BreachFacts {
  orderStatus: OrderRecord['status'];
  appointments: Array<{ appointmentId: string; at: string; attendance: AppointmentRecord['attendance'] }>;
  warnings: Array<{ strike: number; issuedAt: string }>;
  /** Contact attempts (CONTACT_ATTEMPT) and the panel's breach steps (PANEL), with when each was recorded. */
  notes: Array<{ kind: 'CONTACT_ATTEMPT' | 'PANEL' | 'PROGRESS'; noteDate: string; recordedAt: string; text: string }>;
}

/** One step of the breach process, as YOIS records it. */
export type BreachAction =
  | { kind: 'CONTACT_ATTEMPT'; date: string; text: string; workerName: string | null }
  | { kind: 'WARNING'; strike: number; reason: string; issuedAt: string }
  /** Order in breach (referred to the panel), or back to active when the panel lets it continue; with the panel's note. */
  | { kind: 'PANEL'; status: 'BREACHED' | 'ACTIVE'; date: string; text: string; workerName: string | null };

export interface YoisWriter extends PersonWriter {
  /** The breach facts of an order the caller already holds (read from the person's orders). */
  breachFactsOfOrder(orderId: string): Promise<BreachFacts>;
  /**
   * Reads the order's facts and records the step `decide` makes of them, in one transaction, so two
   * workers acting at once cannot both take a step the facts allowed only once. `decide` throws to refuse.
   */
  applyBreachStep(personSourceId: string, orderId: string, decide: (facts: BreachFacts) => BreachAction): Promise<WrittenRecord>;
  recordAppointmentOutcome(outcome: AppointmentOutcome): Promise<WrittenRecord>;
  recordOrderNote(note: NewOrderNote): Promise<WrittenRecord>;
}

export interface DmsWriter {
  storeDocument(document: NewDocument): Promise<WrittenRecord>;
}

// ---------------------------------------------------------------------------------------------
// Gap reports (data quality): each finding names the records to amend, in unified terms.

/** One record a gap finding names: which system, what kind of record, its ID, and whose it is there. */
export interface GapRecordRef {
  system: Exclude<SourceSystem, 'DMS'>;
  /** e.g. PERSON, ORDER, APPOINTMENT, OFFENCE, BREACH_WARNING, ASSESSMENT, PLAN, PLAN_REVIEW, WORKER_ASSIGNMENT. */
  recordType: string;
  recordId: string;
  /** The young person's record ID in the same system. */
  personRecordId: string;
  /** What this record says that is wrong, in words (its dates, its value), or null. */
  note: string | null;
}

/** One data-quality problem found in the sources: its kind and the records involved, the one to amend first. */
export interface SourceGapFinding {
  kind: string;
  records: GapRecordRef[];
}
