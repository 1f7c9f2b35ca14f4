import type { DocumentType, SourceSystem } from '../types';

/** The systems a DMS document can be about. */
export type SubjectSystem = Exclude<SourceSystem, 'DMS'>;

/** DMS's own two-letter codes for the systems whose records it files documents against. */
export const SUBJECT_SYSTEM_CODES: Readonly<Record<SubjectSystem, string>> = { IYSS: 'YS', UMIS: 'UM', YOIS: 'YO' };

const SYSTEM_BY_CODE = new Map(
  (Object.entries(SUBJECT_SYSTEM_CODES) as Array<[SubjectSystem, string]>).map(([system, code]) => [code, system]),
);

export function subjectSystemFromCode(code: string): SubjectSystem | undefined {
  return SYSTEM_BY_CODE.get(code.trim().toUpperCase());
}

const INTEGER_ID = /^\d{1,9}$/;
/** A GUID, with or without the braces some tools print around it. */
const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/**
 * One spelling per subject: IYSS and YOIS IDs as plain integers, UMIS GUIDs in lower case without
 * braces. Undefined when the text cannot be an ID in that system.
 */
export function canonicalSubjectRef(system: SubjectSystem, ref: string): string | undefined {
  const text = ref.trim();
  if (system === 'UMIS') return GUID.exec(text)?.[1]?.toLowerCase();
  return INTEGER_ID.test(text) ? String(Number(text)) : undefined;
}

/**
 * Every spelling DMS stores a canonical reference under, for matching in SQL: UMIS GUIDs are lower
 * case, except where the scanning bureau's import wrote them upper case inside braces. (A
 * case-insensitive collation would match either; SQLite's default collation does not.)
 */
export function storedSubjectRefForms(system: SubjectSystem, canonical: string): string[] {
  return system === 'UMIS' ? [canonical, `{${canonical.toUpperCase()}}`] : [canonical];
}

/** Parses a `SYSTEM:sourceId` subject key (e.g. `IYSS:10001`); undefined when it cannot name a subject. */
export function parseSubjectKey(key: string): { system: SubjectSystem; ref: string } | undefined {
  const colon = key.indexOf(':');
  if (colon < 0) return undefined;
  const system = key.slice(0, colon);
  if (system !== 'IYSS' && system !== 'UMIS' && system !== 'YOIS') return undefined;
  const ref = canonicalSubjectRef(system, key.slice(colon + 1));
  return ref === undefined ? undefined : { system, ref };
}

/** Protective markings as DMS writes them, by tier. */
export const SECURITY_CLASS_BY_TIER = { 1: 'OFFICIAL', 2: 'OFFICIAL-SENSITIVE', 3: 'RESTRICTED' } as const;

/**
 * The tier a protective marking means. Older rows spell OFFICIAL-SENSITIVE with a space or an
 * underscore. A missing or unrecognised marking is read as the most restrictive tier: an
 * unclassified document must fail closed, never open.
 */
export function tierFromSecurityClass(value: string | null): 1 | 2 | 3 {
  switch (value?.trim().toUpperCase().replace(/[\s_]+/g, '-')) {
    case 'OFFICIAL':
      return 1;
    case 'OFFICIAL-SENSITIVE':
      return 2;
    default:
      return 3;
  }
}

const DOCUMENT_TYPE_BY_GROUP: Readonly<Record<string, DocumentType>> = {
  ASSESS: 'ASSESSMENT',
  CORR: 'LETTER',
  COURT: 'COURT_REPORT',
  SCAN: 'SCANNED_PAPER_RECORD',
  REFER: 'REFERRAL_FORM',
  PLAN: 'PLAN',
};

/**
 * The unified type of a document from its kind's group in `dm_doc_type`. A kind the code table
 * cannot explain is reported as a paper record, the one type that promises nothing about its content.
 */
export function documentTypeFromGroup(group: string | null): DocumentType {
  return DOCUMENT_TYPE_BY_GROUP[group?.trim().toUpperCase() ?? ''] ?? 'SCANNED_PAPER_RECORD';
}

/** DATETIME values arrive as `YYYY-MM-DD HH:MM:SS` text (SQLite, mysql2 dateStrings) or as Date (SQL Server); DMS stores UTC. */
export function isoDateTime(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  const normalised = value.trim().replace(' ', 'T');
  const parsed = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(normalised) ? normalised : `${normalised}Z`);
  return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
}
