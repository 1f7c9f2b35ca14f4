/**
 * The UMIS legacy schema as it stands in production (SQL Server): snake_case lower-case names,
 * GUID keys held as char(36) text, `created_utc`/`modified_utc` stamps, and an `is_active` 1/0 flag
 * where other systems have a delete flag (0 = soft-deleted). Dates are real DATE columns, read back
 * as 'YYYY-MM-DD' text (SQLite, mysql2 dateStrings) or as a Date (SQL Server).
 * Only the UMIS adapter imports this file.
 */

import type { ColumnType, InsertType } from 'kysely';

/** A DATE or DATETIME: written as ISO text, read back as text (SQLite, mysql2 dateStrings) or a Date (SQL Server). */
type DateColumn = ColumnType<string | Date, string, string>;
type NullableDateColumn = ColumnType<string | Date | null, string | null, string | null>;
/** The 1/0 `is_active` flag: a BIT on SQL Server, which reads back as a boolean there. */
type FlagColumn = ColumnType<number | boolean, number, number>;

/** Every UMIS row carries these. */
interface Audited {
  /** 1 live, 0 inactive (soft-deleted). */
  is_active: FlagColumn;
  /** DATETIME, UTC. */
  created_utc: DateColumn;
  modified_utc: DateColumn;
}

export interface UmisTables {
  ref_ethnicity: { ethnicity_code: string; description: string; is_active: FlagColumn };
  ref_assessment_type: { assessment_type_code: string; description: string; is_active: FlagColumn };
  /** Assessment domains, with the order the assessment form shows them in. */
  ref_domain: { domain_code: string; description: string; display_order: number };
  ref_review_outcome: { review_outcome_code: string; description: string };
  worker: Audited & {
    worker_id: string;
    given_name: string;
    family_name: string;
    job_title: string | null;
    /** The Core Unit the worker sits in now ('CU1'...'CU8'). */
    unit_code: string | null;
  };
  client: Audited & {
    client_id: string;
    given_name: string;
    family_name: string;
    preferred_name: string | null;
    /** DATE; null when never recorded. */
    date_of_birth: NullableDateColumn;
    /** ISO/IEC 5218: '0' not known, '1' male, '2' female, '9' not stated. */
    gender_code: string;
    ethnicity_code: string | null;
    address_line_1: string | null;
    /** Validated on entry: upper case with one space ('E8 1AB'). */
    post_code: string | null;
    /** Unique Pupil Number, when the school supplied one. */
    upn: string | null;
  };
  /** Other names a client has been known by. */
  client_alias: Audited & {
    client_alias_id: string;
    client_id: string;
    /** 'PREV' previous or birth name, 'AKA' also known as. */
    alias_type_code: string;
    given_name: string | null;
    family_name: string | null;
  };
  assessment: Audited & {
    assessment_id: string;
    client_id: string;
    assessment_type_code: string;
    /** 'D' draft, 'C' completed, 'X' cancelled. */
    status_code: string;
    /** DATE. */
    started_date: DateColumn;
    completed_date: NullableDateColumn;
    assessor_worker_id: string | null;
    summary: string | null;
  };
  assessment_domain_score: Audited & {
    assessment_domain_score_id: string;
    assessment_id: string;
    domain_code: string;
    /** 0 (no concern) to 4 (severe concern). */
    score: number;
    analysis: string | null;
  };
  plan: Audited & {
    plan_id: string;
    client_id: string;
    title: string;
    /** 'O' open, 'C' closed. */
    plan_status_code: string;
    start_date: DateColumn;
    next_review_date: NullableDateColumn;
    closed_date: NullableDateColumn;
    owner_worker_id: string | null;
  };
  plan_goal: Audited & {
    plan_goal_id: string;
    plan_id: string;
    sequence_no: number;
    goal_text: string;
  };
  plan_review: Audited & {
    plan_review_id: string;
    plan_id: string;
    review_date: DateColumn;
    reviewer_worker_id: string | null;
    review_outcome_code: string;
    notes: string | null;
  };
  client_worker_assignment: Audited & {
    client_worker_assignment_id: string;
    client_id: string;
    worker_id: string | null;
    /** Young Hackney Core Unit, 'CU1'...'CU8', as in token `units` claims. */
    unit_code: string;
    start_date: DateColumn;
    end_date: NullableDateColumn;
  };
}

/** A row as written (and as the seed holds it): dates as ISO text, flags as 1/0. */
export type UmisRow<T extends keyof UmisTables> = { [K in keyof UmisTables[T]]: InsertType<UmisTables[T][K]> };
