/**
 * YOIS code values and legacy formats, mapped to the unified terms of adapters/types.ts. The seed
 * uses the reverse helpers (`legacyUpperCase`, `compactDateOf`) so rows and adapter agree on one format.
 */
import { foldAccents } from '../synthetic/variants';
import type { AppointmentRecord, Gender, OrderRecord, OutcomeType } from '../types';

export const YES = 'Y';
export const NO = 'N';

/** YOIS `SEX` codes. Anything unrecognised is treated as not stated rather than guessed. */
export function genderFromSex(code: string | null): Gender {
  switch (code?.trim().toUpperCase()) {
    case 'F':
      return 'FEMALE';
    case 'M':
      return 'MALE';
    default:
      return 'NOT_STATED';
  }
}

/** `LU_OUTCOME_TYPE` codes. Conditional and absolute discharges are one unified type. */
export const OUTCOME_TYPES: Readonly<Record<string, OutcomeType>> = {
  CR: 'COMMUNITY_RESOLUTION',
  YC: 'YOUTH_CAUTION',
  YCC: 'YOUTH_CONDITIONAL_CAUTION',
  RO: 'REFERRAL_ORDER',
  YRO: 'YOUTH_REHABILITATION_ORDER',
  DTO: 'DETENTION_AND_TRAINING_ORDER',
  CD: 'DISCHARGE',
  AD: 'DISCHARGE',
  FINE: 'FINE',
};

/** Null for a code the unified schema has no type for (none in the seed; the adapter drops such rows). */
export function outcomeTypeFromCode(code: string): OutcomeType | null {
  return OUTCOME_TYPES[code.trim().toUpperCase()] ?? null;
}

const ORDER_STATUSES: Readonly<Record<string, OrderRecord['status']>> = {
  A: 'ACTIVE',
  C: 'COMPLETED',
  R: 'REVOKED',
  B: 'BREACHED',
};

/** An unknown status reads as ACTIVE: an order that might still bind a young person must stay visible. */
export function orderStatusFromCode(code: string): OrderRecord['status'] {
  return ORDER_STATUSES[code.trim().toUpperCase()] ?? 'ACTIVE';
}

const ATTENDANCE: Readonly<Record<string, AppointmentRecord['attendance']>> = {
  Y: 'ATTENDED',
  N: 'FAILED_TO_ATTEND',
  A: 'ACCEPTABLE_ABSENCE',
  P: 'NOT_YET_DUE',
};

/** `ATTENDED_FLAG`; anything unrecorded counts as not yet due, never as a failure nobody recorded. */
export function attendanceFromFlag(flag: string): AppointmentRecord['attendance'] {
  return ATTENDANCE[flag.trim().toUpperCase()] ?? 'NOT_YET_DUE';
}

/** `APPT_TYPE` codes: the legacy screens decode these themselves, so there is no code table. */
export const APPOINTMENT_TYPES: Readonly<Record<string, string>> = {
  SUP: 'Supervision',
  PAN: 'Referral order panel',
  REP: 'Reparation',
  HV: 'Home visit',
  GRP: 'Group work',
  ETE: 'Education, training and employment',
  HLT: 'Health',
  UPW: 'Unpaid work',
  SPM: 'Sentence planning (custody)',
};

export function appointmentTypeFromCode(code: string): string {
  return APPOINTMENT_TYPES[code.trim().toUpperCase()] ?? code.trim();
}

/** A requirement as one line: its description, plus hours, days or a curfew window when recorded. */
export function requirementText(description: string | null, code: string, detail: string | null): string {
  const name = description ?? `Requirement ${code.trim()}`;
  return detail?.trim() ? `${name} (${detail.trim()})` : name;
}

/** `YYYYMMDD` text to ISO; null for NULL, blank, '00000000' or a date that does not exist. */
export function isoDateFromCompact(value: string | null): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value?.trim() ?? '');
  if (!match) return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** ISO `YYYY-MM-DD` to the `YYYYMMDD` text YOIS stores; null when the input is not a real date. */
export function compactDateOf(iso: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return null;
  const compact = `${match[1]}${match[2]}${match[3]}`;
  return isoDateFromCompact(compact) === iso ? compact : null;
}

/** DATETIME values arrive as `YYYY-MM-DD HH:MM:SS` text (SQLite, mysql2 dateStrings) or as Date (SQL Server). */
export function isoDateTime(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  const normalised = value.trim().replace(' ', 'T');
  const parsed = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(normalised) ? normalised : `${normalised}Z`);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}

/** The date part of a DATETIME value, as ISO. */
export function isoDateFromDateTime(value: string | Date): string {
  return isoDateTime(value).slice(0, 10);
}

/** Postcodes are keyed with any spacing; present them in standard `OUT IN` form. */
export function standardPostcode(value: string | null): string | null {
  if (!value) return null;
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (compact.length < 5) return compact || null;
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/**
 * PNC numbers in the long `YYYY/NNNNNNNL` form. Older YOIS screens accepted the short form
 * (`YY/NNNNNNNL`, leading zeros of the serial dropped); a two-digit year is always 20YY, since nobody
 * on a youth justice caseload was first recorded before 2000. Unreadable text is returned trimmed.
 */
export function canonicalPncNumber(value: string | null): string | null {
  const text = value?.trim().toUpperCase();
  if (!text) return null;
  const match = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/.exec(text);
  if (!match) return text;
  const year = match[1]!.length === 2 ? `20${match[1]}` : match[1]!;
  return `${year}/${match[2]!.padStart(7, '0')}${match[3]}`;
}

/**
 * Windows-1252 (the code page of YOIS's VARCHAR columns): ASCII, Latin-1 and the extra letters in
 * 0x80-0x9F. Text outside it cannot be stored in the legacy database.
 */
const NOT_WINDOWS_1252 = /[^\x20-\x7e\xa0-\xff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]/gu;

/**
 * Text as the YOIS screens store it: upper case, with letters outside Windows-1252 reduced to their
 * base letter ('Şahin' -> 'SAHIN', 'Öztürk' -> 'ÖZTÜRK': Ö and Ü are in the code page, Ş is not).
 * The adapter applies the same function to search prefixes so they meet stored names on equal terms;
 * SQLite's upper() folds ASCII only, so the non-ASCII letters must already be upper case.
 */
export function legacyUpperCase(text: string): string {
  return text
    .toUpperCase()
    .replace(NOT_WINDOWS_1252, (ch) => {
      const folded = foldAccents(ch);
      return folded !== ch && !new RegExp(NOT_WINDOWS_1252.source, 'u').test(folded) ? folded : '?';
    });
}

/**
 * A name stored in upper case, in the natural case people write it: 'ÖZTÜRK' -> 'Öztürk',
 * "O'BRIEN" -> "O'Brien", 'MCDONALD' -> 'McDonald', 'SMITH-JONES' -> 'Smith-Jones'. 'Mac' is left
 * alone ('MACKENZIE' -> 'Mackenzie'): too many names merely start with it (Mack, Macy, Machado).
 */
export function naturalCase(name: string): string {
  const lower = name.trim().toLowerCase();
  // A letter starts a word after the start, a space, a hyphen or an apostrophe.
  const capitalised = lower.replace(/(^|[\s\-'’])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
  return capitalised.replace(/\bMc(\p{L})/gu, (_, letter: string) => `Mc${letter.toUpperCase()}`);
}
