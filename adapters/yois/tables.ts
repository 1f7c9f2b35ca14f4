/**
 * The YOIS legacy schema as it stands in production (SQL Server, non-Unicode VARCHAR columns):
 * UPPER_SNAKE names with `YP_` tables and `LU_` code tables, integer keys, `CHAR(1)` 'Y'/'N' flags,
 * soft deletes (`DELETED_FLAG`), dates as `YYYYMMDD` text in some columns and DATETIME in others,
 * and names keyed in upper case. Only the YOIS adapter imports this file.
 */

/** `CHAR(1)` flag: 'Y' or 'N'. */
export type YesNoFlag = string;

/** `CHAR(8)` date text `YYYYMMDD`; '00000000' or NULL where the date was never keyed. */
export type CompactDate = string;

/** DATETIME: `YYYY-MM-DD HH:MM:SS` text on SQLite and from mysql2 (dateStrings); a Date from SQL Server. */
export type LegacyDateTime = string;

export interface YoisTables {
  /** Police "16+1" self-defined ethnicity codes (W1, B2, NS, ...), as used in Youth Justice Board returns. */
  LU_ETHNICITY: { ETHNICITY_CODE: string; DESCRIPTION: string };
  /** Home Office offence codes with the YJB gravity score (1 least serious, 8 most). */
  LU_OFFENCE: { OFFENCE_CODE: string; DESCRIPTION: string; CATEGORY: string; GRAVITY_SCORE: number };
  /** Pre-court and court outcomes; `COURT_FLAG` 'Y' for outcomes a court imposes. */
  LU_OUTCOME_TYPE: { OUTCOME_TYPE_CODE: string; DESCRIPTION: string; COURT_FLAG: YesNoFlag };
  /** Requirements a statutory order (or a referral order contract) can carry. */
  LU_REQUIREMENT: { REQUIREMENT_CODE: string; DESCRIPTION: string };
  YP_PERSON: {
    PERSON_ID: number;
    /** Upper case, as the legacy screens force it ('ÖZTÜRK', "O'BRIEN"). */
    FORENAME: string;
    SURNAME: string;
    KNOWN_AS: string | null;
    DOB: CompactDate | null;
    /** 'M', 'F' or 'U' (not known). */
    SEX: string;
    ETHNICITY_CODE: string | null;
    ADDRESS_LINE1: string | null;
    /** Upper case; spacing as keyed ('E8 1AB', 'E81AB', 'E8  1AB'). */
    POSTCODE: string | null;
    /** Police National Computer id, usually `YYYY/NNNNNNNL`, sometimes the short `YY/NNNNNNNL` form. */
    PNC_NUMBER: string | null;
    UPN: string | null;
    DELETED_FLAG: YesNoFlag;
    CREATED_DATE: LegacyDateTime;
  };
  YP_OFFENCE: {
    OFFENCE_ID: number;
    PERSON_ID: number;
    OFFENCE_CODE: string;
    OFFENCE_DATE: CompactDate;
    DELETED_FLAG: YesNoFlag;
    CREATED_DATE: LegacyDateTime;
  };
  /** The disposal of one offence; at most one live outcome per offence, none while the case is pending. */
  YP_OUTCOME: {
    OUTCOME_ID: number;
    OFFENCE_ID: number;
    OUTCOME_TYPE_CODE: string;
    OUTCOME_DATE: CompactDate;
    COURT_NAME: string | null;
    DELETED_FLAG: YesNoFlag;
  };
  YP_ORDER: {
    ORDER_ID: number;
    PERSON_ID: number;
    OUTCOME_ID: number;
    /** An `LU_OUTCOME_TYPE` code: the court outcome that made the order. */
    ORDER_TYPE_CODE: string;
    ORDER_START: CompactDate;
    ORDER_END: CompactDate;
    /** 'A' active, 'C' completed, 'R' revoked, 'B' in breach (referred to the panel). */
    ORDER_STATUS: string;
    DELETED_FLAG: YesNoFlag;
    CREATED_DATE: LegacyDateTime;
  };
  YP_ORDER_REQUIREMENT: {
    ORDER_REQUIREMENT_ID: number;
    ORDER_ID: number;
    REQUIREMENT_CODE: string;
    /** Free text: hours, days or a curfew window, when the requirement has one. */
    DETAIL: string | null;
    DELETED_FLAG: YesNoFlag;
  };
  YP_APPOINTMENT: {
    APPOINTMENT_ID: number;
    ORDER_ID: number;
    APPT_DATETIME: LegacyDateTime;
    /** A short code the legacy screens decode themselves (no code table): 'SUP', 'PAN', 'REP', ... */
    APPT_TYPE: string;
    /** 'Y' attended, 'N' failed to attend, 'A' acceptable absence, 'P' pending (not yet due or not recorded). */
    ATTENDED_FLAG: string;
    DELETED_FLAG: YesNoFlag;
  };
  YP_BREACH_WARNING: {
    WARNING_ID: number;
    ORDER_ID: number;
    ISSUED_DATE: LegacyDateTime;
    /** 1 or 2; a second warning leads to referral to the in-house panel. */
    STRIKE_NO: number;
    REASON: string;
    DELETED_FLAG: YesNoFlag;
  };
  /** Progress notes a worker keeps on an order (contacts, compliance, concerns). */
  YP_ORDER_NOTE: {
    NOTE_ID: number;
    ORDER_ID: number;
    NOTE_DATE: CompactDate;
    /** 'PRG' progress note, 'CAT' contact attempt after a missed appointment, 'PNL' the in-house panel's breach decision. */
    NOTE_TYPE: string;
    NOTE_TEXT: string;
    WORKER_NAME: string | null;
    DELETED_FLAG: YesNoFlag;
    CREATED_DATE: LegacyDateTime;
  };
  YP_CASE_ALLOCATION: {
    ALLOCATION_ID: number;
    PERSON_ID: number;
    /** Young Hackney Core Unit: 'CU1' ... 'CU8'. */
    UNIT_CODE: string;
    WORKER_NAME: string | null;
    ALLOC_START: LegacyDateTime;
    /** NULL while the allocation is open. */
    ALLOC_END: LegacyDateTime | null;
    DELETED_FLAG: YesNoFlag;
  };
}
