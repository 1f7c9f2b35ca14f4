import type { AssessmentDomain, AssessmentRecord, Gender, PlanRecord } from '../types';

/** UMIS keys are GUIDs held as 36-character text, written in lower case. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The stored form of a GUID key (lower case), or undefined when the text cannot be a UMIS key. */
export function guidKey(text: string): string | undefined {
  const lower = text.trim().toLowerCase();
  return GUID.test(lower) ? lower : undefined;
}

/** ISO/IEC 5218 sex codes. '0' (not known) and anything unrecognised read as not stated rather than guessed. */
export function genderFromIso5218(code: string | null): Gender {
  switch (code?.trim()) {
    case '1':
      return 'MALE';
    case '2':
      return 'FEMALE';
    default:
      return 'NOT_STATED';
  }
}

/** The ISO/IEC 5218 code UMIS stores for a person's recorded sex. */
export function iso5218FromSex(sex: 'F' | 'M'): string {
  return sex === 'M' ? '1' : '2';
}

const ASSESSMENT_STATUS: Readonly<Record<string, AssessmentRecord['status']>> = {
  D: 'DRAFT',
  C: 'COMPLETED',
  X: 'CANCELLED',
};

/** Unknown codes read as DRAFT: an assessment nobody can show was finished must not pass as completed. */
export function assessmentStatusFromCode(code: string): AssessmentRecord['status'] {
  return ASSESSMENT_STATUS[code.trim().toUpperCase()] ?? 'DRAFT';
}

/** 'C' is closed; anything else is still live work, so it reads as ACTIVE and stays visible. */
export function planStatusFromCode(code: string): PlanRecord['status'] {
  return code.trim().toUpperCase() === 'C' ? 'CLOSED' : 'ACTIVE';
}

const DOMAINS: Readonly<Record<string, AssessmentDomain>> = {
  FAM: 'FAMILY',
  EDU: 'EDUCATION',
  HWB: 'HEALTH_WELLBEING',
  EMH: 'EMOTIONAL_MENTAL_HEALTH',
  SUB: 'SUBSTANCE_USE',
  RISK: 'RISK',
  REL: 'RELATIONSHIPS',
  LIV: 'LIVING_ARRANGEMENTS',
};

/** The unified domain for a `ref_domain` code; undefined for a code the contract has no domain for. */
export function domainFromCode(code: string): AssessmentDomain | undefined {
  return DOMAINS[code.trim().toUpperCase()];
}

/** The `ref_domain` codes, in the unified domain order. */
export const DOMAIN_CODES: readonly string[] = Object.keys(DOMAINS);

function isRealIsoDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso;
}

/**
 * A DATE column as ISO `YYYY-MM-DD`. SQLite and mysql2 hand back the text; the mssql driver hands
 * back a Date at UTC midnight (its default useUTC), so the UTC calendar day is the stored day.
 */
export function isoDate(value: string | Date | null): string | null {
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().slice(0, 10);
  const head = value.trim().slice(0, 10);
  return isRealIsoDate(head) ? head : null;
}

/**
 * The dates worth sending to a DATE column. SQL Server fails the whole statement on text it cannot
 * convert to a date, so anything that is not a real ISO date is dropped here (it could never match).
 */
export function realIsoDates(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter(isRealIsoDate))];
}

/** The Turkish capital İ lower-cases to i plus a combining dot; names store a plain i. */
const lowerCase = (text: string): string => text.toLowerCase().replace(/i\u0307/g, 'i');

/**
 * The case forms of a name prefix to try with LIKE. SQL Server's and MySQL's collations ignore case,
 * but SQLite's LIKE only folds ASCII, so 'ÖZ' would miss 'Öztürk' there: sending the prefix as given,
 * capitalised (how names are stored) and in lower case finds it on every engine.
 */
export function nameCaseForms(prefix: string): string[] {
  const text = prefix.trim();
  if (!text) return [];
  const [first = '', ...rest] = Array.from(text);
  return [...new Set([text, `${first.toUpperCase()}${lowerCase(rest.join(''))}`, lowerCase(text)])];
}

/**
 * LIKE patterns for a postcode prefix given upper case without spaces ('E8', 'E81AB'). UMIS validates
 * postcodes on entry and stores them upper case with one space before the inward code (a digit and two
 * letters), so the prefix is matched against the stored form directly, which an index can serve: once
 * per place the space could fall within the prefix (outward codes are 2-4 characters, and what follows
 * the space must be the start of an inward code), and as given when the whole prefix could still be the
 * outward code. No pattern means no stored postcode can start with the prefix.
 */
export function postcodeLikePatterns(prefix: string): string[] {
  const compact = prefix.replace(/[\s%_[\]\\]/g, '').toUpperCase();
  if (!compact) return [];
  const patterns: string[] = [];
  if (compact.length <= 4) patterns.push(`${compact}%`);
  for (let outwardLength = 2; outwardLength <= 4 && outwardLength < compact.length; outwardLength++) {
    if (/^\d[A-Z]{0,2}$/.test(compact.slice(outwardLength))) {
      patterns.push(`${compact.slice(0, outwardLength)} ${compact.slice(outwardLength)}%`);
    }
  }
  return patterns;
}

/** A worker's display name from the `worker` row's parts. */
export function workerName(givenName: string | null, familyName: string | null): string | null {
  const name = [givenName?.trim(), familyName?.trim()].filter(Boolean).join(' ');
  return name || null;
}
