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
}
