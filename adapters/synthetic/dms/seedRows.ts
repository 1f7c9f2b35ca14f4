/**
 * DMS's synthetic rows: documents filed against the people the other systems' seeds produced (a
 * letter about an IYSS young person, a UMIS assessment, a YOIS pre-sentence report), each with its
 * own protective marking, plus the content to put in the file store and a few planted data-quality
 * problems. Everything derives from the seed, so the same input gives identical rows.
 */
import { Prng } from '../prng';
import { dayNumber, DEFAULT_REFERENCE_DATE, isoFromDayNumber, parseIsoDate, type SyntheticPerson } from '../population';
import { documentContent } from '../../dms/documentContent';
import { canonicalSubjectRef, SECURITY_CLASS_BY_TIER, SUBJECT_SYSTEM_CODES, type SubjectSystem } from '../../dms/mapping';
import type { DmsTables } from '../../dms/tables';

/** A record in another system that documents can be filed against. */
export interface DmsSubject {
  system: SubjectSystem;
  /** The record's ID in its own system (IYSS YoungPersonID, UMIS client GUID, YOIS PERSON_ID). */
  sourceId: string;
  personKey: string;
}

export type DmsProblemKind =
  /** `subject_ref` names no record in its system (mis-keyed when the document was filed). */
  | 'SUBJECT_NOT_FOUND'
  /** `modified_ts` earlier than `created_ts` (a migration reset the creation dates). */
  | 'MODIFIED_BEFORE_CREATED'
  /** The metadata row exists but the file store holds no content under its `storage_path`. */
  | 'CONTENT_MISSING'
  /** No protective marking: the adapter reads it as tier 3. */
  | 'UNCLASSIFIED'
  /** A YOIS document marked OFFICIAL (tier 1), below the tier-3 its subject system requires. */
  | 'UNDER_CLASSIFIED';

export interface DmsPlannedProblem {
  kind: DmsProblemKind;
  /** `doc_id` as text. */
  documentId: string;
  description: string;
}

export interface DmsSeed {
  rows: { [T in keyof DmsTables]: Array<DmsTables[T]> };
  /** Content for the file store, one entry per document except those planted as CONTENT_MISSING. */
  files: Array<{ contentKey: string; content: string }>;
  /** Ground truth: which synthetic person each document (by `doc_id`, purged ones included) is about. */
  truth: Array<{ personKey: string; sourceId: string }>;
  plannedProblems: DmsPlannedProblem[];
}

export interface DmsSeedOptions {
  seed: number;
  /** The person records documents may be filed against, from the other systems' seeds. */
  subjects: readonly DmsSubject[];
  /** Share of subjects with any documents (each then gets 1-5); default 0.5. */
  coverage?: number;
  /** ISO date the data is "as at"; default '2026-11-01'. */
  referenceDate?: string;
}

type Row<T extends keyof DmsTables> = DmsTables[T];
type Tier = 1 | 2 | 3;

const FIRST_DOC_ID = 500001;
const MAX_DOCUMENTS_PER_SUBJECT = 5;
const PURGED_RATE = 0.03;
/** Share of tier-2 rows carrying the marking's older spelling. */
const OLD_MARKING_RATE = 0.1;
/** Share of UMIS documents loaded by the scanning bureau's import, which wrote GUIDs as `{UPPER}`. */
const BUREAU_GUID_RATE = 0.1;
/** IYSS letters that record a safeguarding concern and are marked RESTRICTED: the legitimate exception. */
const SAFEGUARDING_LETTER_RATE = 0.03;
const LEAVER_AUTHOR_RATE = 0.05;
const MISSING_AUTHOR_RATE = 0.02;
const YEARS_OF_HISTORY = 5;
export const DMS_MIME_TYPE = 'text/plain; charset=utf-8';

const DETAILS = {
  venues: ['Concorde Youth Centre', 'Forest Road Youth Hub', 'Stoke Newington Youth Hub', 'Clapton Youth Centre',
    'the Hackney Service Centre', 'Dalston Community Hall'],
  agreements: ['weekly check-ins until the end of term', 'a taster session at college', 'support with a CV',
    'a referral to the mentoring scheme'],
  concerns: ['missing from home overnight', 'concerns raised by school', 'an injury seen at a session',
    'contact with older young people of concern'],
  strikes: ['first warning after a missed appointment', 'second warning after a further missed appointment'],
  courts: ['Stratford Youth Court', 'Highbury Corner Youth Court', 'Thames Youth Court', 'Snaresbrook Crown Court'],
  pages: ['12 pages', '27 pages', '5 pages', '41 pages', 'one folder of 63 pages'],
  referrers: ['the Metropolitan Police (Merlin)', 'a school designated safeguarding lead', 'the GP surgery',
    'the Family Support Service', 'the Children and Families Service'],
  goals: ['attend school every day this half-term', 'join a positive activity each week', 'repair harm to the victim',
    'keep appointments with the worker', 'agree a safety plan with the family'],
  assessmentConcerns: ['family relationships', 'school attendance', 'emotional wellbeing', 'substance use', 'risk outside the home'],
} as const satisfies Record<string, readonly string[]>;
type DetailList = keyof typeof DETAILS;

interface DocKind {
  description: string;
  group: 'ASSESS' | 'CORR' | 'COURT' | 'SCAN' | 'REFER' | 'PLAN';
  details: DetailList;
}

const DOC_KINDS = {
  EHA: { description: 'Early Help Assessment', group: 'ASSESS', details: 'assessmentConcerns' },
  WBR: { description: 'Wellbeing review', group: 'ASSESS', details: 'assessmentConcerns' },
  ASSETP: { description: 'AssetPlus assessment', group: 'ASSESS', details: 'assessmentConcerns' },
  LTRAPT: { description: 'Appointment letter', group: 'CORR', details: 'venues' },
  LTRGEN: { description: 'General letter', group: 'CORR', details: 'agreements' },
  LTRSAF: { description: 'Safeguarding letter', group: 'CORR', details: 'concerns' },
  LTRBRW: { description: 'Breach warning letter', group: 'CORR', details: 'strikes' },
  PSR: { description: 'Pre-sentence report', group: 'COURT', details: 'courts' },
  CRTPRG: { description: 'Court progress report', group: 'COURT', details: 'courts' },
  SCANYS: { description: 'Scanned youth service file', group: 'SCAN', details: 'pages' },
  SCANYO: { description: 'Scanned youth offending file', group: 'SCAN', details: 'pages' },
  REFMAR: { description: 'Multi-agency referral form', group: 'REFER', details: 'referrers' },
  REFPOL: { description: 'Police referral', group: 'REFER', details: 'referrers' },
  PLNSUP: { description: 'Support plan', group: 'PLAN', details: 'goals' },
  PLNINT: { description: 'Intervention plan', group: 'PLAN', details: 'goals' },
} as const satisfies Record<string, DocKind>;
type KindCode = keyof typeof DOC_KINDS;
const SUBJECT_SYSTEMS: readonly SubjectSystem[] = ['IYSS', 'UMIS', 'YOIS'];
const KIND_CODES = Object.keys(DOC_KINDS) as KindCode[];

/** What each system's workers file, and the tier its documents are marked at. */
const FILING_BY_SYSTEM: Readonly<Record<SubjectSystem, { tier: Tier; kinds: ReadonlyArray<readonly [KindCode, number]> }>> = {
  IYSS: { tier: 1, kinds: [['LTRAPT', 35], ['LTRGEN', 25], ['SCANYS', 20], ['REFMAR', 20]] },
  UMIS: { tier: 2, kinds: [['EHA', 35], ['WBR', 20], ['PLNSUP', 25], ['REFMAR', 10], ['LTRGEN', 10]] },
  YOIS: {
    tier: 3,
    kinds: [['PSR', 20], ['CRTPRG', 15], ['ASSETP', 20], ['PLNINT', 15], ['LTRBRW', 10], ['SCANYO', 10], ['REFPOL', 10]],
  },
};

const SCANNING_BUREAU = { login: 'scan.bureau', name: 'Scanning Bureau' } as const;
/** Synthetic staff by the team whose documents they file. */
const STAFF: Readonly<Record<SubjectSystem, ReadonlyArray<readonly [login: string, name: string]>>> = {
  IYSS: [['sokoro', 'Sam Okoro'], ['ademir', 'Aylin Demir'], ['cwalsh', 'Chris Walsh'], ['gmensah', 'Grace Mensah']],
  UMIS: [['nrahman', 'Nadia Rahman'], ['yklein', 'Yossi Klein'], ['pshah', 'Priya Shah'], ['lbrooks', 'Leanne Brooks']],
  YOIS: [['tfletcher', 'Tom Fletcher'], ['dkaya', 'Deniz Kaya'], ['mcampbell', 'Marcia Campbell'], ['oadeyemi', 'Ola Adeyemi']],
};
/** Authors who have left: their DMS accounts were deleted, so their logins have no dm_user row. */
const LEAVERS: ReadonlyArray<readonly [login: string, name: string]> = [['jnowak', 'Jo Nowak'], ['rbaptiste', 'Ruth Baptiste']];

const SECONDS_PER_DAY = 86_400;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const dayOf = (iso: string): number => {
  const { year, month, day } = parseIsoDate(iso);
  return dayNumber(year, month, day) as number;
};
const dateTimeAt = (secondsSinceEpoch: number): string => {
  const second = secondsSinceEpoch % SECONDS_PER_DAY;
  const day = (secondsSinceEpoch - second) / SECONDS_PER_DAY;
  return `${isoFromDayNumber(day)} ${pad2((second / 3600) | 0)}:${pad2(((second / 60) | 0) % 60)}:${pad2(second % 60)}`;
};
/** A second between 08:00:00 and 18:59:59 on the given day. */
const officeHoursAt = (prng: Prng, day: number): number => day * SECONDS_PER_DAY + prng.int(8 * 3600, 19 * 3600 - 1);

/** One document as drawn for its subject, before IDs (issued in filing order) are known. */
interface DraftDocument {
  subject: DmsSubject;
  kind: KindCode;
  tier: Tier;
  createdAt: number;
  modifiedAt: number;
  author: readonly [login: string, name: string] | null;
  securityClass: string | null;
  subjectRef: string;
  detail: string;
  purged: boolean;
}

export function generateDmsRows(population: readonly SyntheticPerson[], options: DmsSeedOptions): DmsSeed {
  const coverage = options.coverage ?? 0.5;
  if (!(coverage >= 0 && coverage <= 1)) throw new RangeError(`coverage must be within 0..1, got ${coverage}`);
  const referenceDay = dayOf(options.referenceDate ?? DEFAULT_REFERENCE_DATE);
  const prng = new Prng(options.seed).fork('dms');
  const people = new Map(population.map((p) => [p.personKey, p]));
  const subjects = distinctSubjects(options.subjects);

  const chosen = prng.fork('coverage');
  const drafts: DraftDocument[] = [];
  for (const subject of subjects) {
    if (!chosen.chance(coverage)) continue;
    // A stream per subject: one subject's documents never shift another's.
    const own = prng.fork(`${subject.system}:${subject.sourceId}`);
    const count = own.int(1, MAX_DOCUMENTS_PER_SUBJECT);
    for (let i = 0; i < count; i++) drafts.push(draftDocument(own, subject, referenceDay));
  }
  // Document IDs were issued as documents were filed, so they run in time order.
  drafts.sort((a, b) => a.createdAt - b.createdAt);

  const documents = drafts.map((draft, i) => documentRow(draft, FIRST_DOC_ID + i));
  const plannedProblems = plantProblems(prng.fork('problems'), documents, drafts, subjects);
  const missing = new Set(plannedProblems.filter((p) => p.kind === 'CONTENT_MISSING').map((p) => p.documentId));
  const files: DmsSeed['files'] = [];
  documents.forEach((row, i) => {
    const content = documentContentFor(row, drafts[i] as DraftDocument, people);
    // The metadata keeps its size even where the content went missing: that is how the gap shows.
    row.byte_size = Buffer.byteLength(content, 'utf8');
    if (!missing.has(String(row.doc_id))) files.push({ contentKey: row.storage_path, content });
  });

  return {
    rows: {
      dm_doc_type: KIND_CODES.map((code) => ({
        doc_type_cd: code,
        doc_type_desc: DOC_KINDS[code].description,
        doc_group_cd: DOC_KINDS[code].group,
      })),
      dm_user: [SCANNING_BUREAU, ...Object.values(STAFF).flat().map(([login, name]) => ({ login, name }))]
        .map(({ login, name }) => ({ user_login: login, display_name: name })),
      dm_document: documents,
    },
    files,
    truth: documents.map((row, i) => ({ personKey: (drafts[i] as DraftDocument).subject.personKey, sourceId: String(row.doc_id) })),
    plannedProblems,
  };
}

/** Drops repeated references to one record (first wins), so a record's documents are drawn once. */
function distinctSubjects(subjects: readonly DmsSubject[]): DmsSubject[] {
  const seen = new Set<string>();
  return subjects.filter((s) => {
    const key = `${s.system}:${canonicalSubjectRef(s.system, s.sourceId) ?? s.sourceId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function draftDocument(prng: Prng, subject: DmsSubject, referenceDay: number): DraftDocument {
  const filing = FILING_BY_SYSTEM[subject.system];
  let kind = prng.weighted(filing.kinds);
  let tier = filing.tier;
  if (subject.system === 'IYSS' && prng.chance(SAFEGUARDING_LETTER_RATE)) {
    kind = 'LTRSAF';
    tier = 3;
  }
  const createdDay = prng.int(referenceDay - YEARS_OF_HISTORY * 365, referenceDay - 1);
  const createdAt = officeHoursAt(prng, createdDay);
  const modifiedAt = prng.chance(0.6) ? createdAt : officeHoursAt(prng, prng.int(createdDay, referenceDay - 1));
  const scanned = DOC_KINDS[kind].group === 'SCAN';
  const leaver = !scanned && prng.chance(LEAVER_AUTHOR_RATE);
  const author = scanned
    ? ([SCANNING_BUREAU.login, SCANNING_BUREAU.name] as const)
    : prng.chance(MISSING_AUTHOR_RATE)
      ? null
      : prng.pick(leaver ? LEAVERS : STAFF[subject.system]);
  const canonical = canonicalSubjectRef(subject.system, subject.sourceId) ?? subject.sourceId;
  return {
    subject,
    kind,
    tier,
    createdAt,
    // A save drawn on the creation day can fall before the creation time; never let it.
    modifiedAt: Math.max(modifiedAt, createdAt),
    author,
    securityClass: tier === 2 && prng.chance(OLD_MARKING_RATE) ? 'OFFICIAL SENSITIVE' : SECURITY_CLASS_BY_TIER[tier],
    subjectRef: subject.system === 'UMIS' && prng.chance(BUREAU_GUID_RATE) ? `{${canonical.toUpperCase()}}` : canonical,
    detail: prng.pick(DETAILS[DOC_KINDS[kind].details]),
    purged: prng.chance(PURGED_RATE),
  };
}

function documentRow(draft: DraftDocument, docId: number): Row<'dm_document'> {
  const created = dateTimeAt(draft.createdAt);
  return {
    doc_id: docId,
    // Titles name the kind and the filing date; names stay in the content.
    doc_title: `${DOC_KINDS[draft.kind].description} ${created.slice(8, 10)}/${created.slice(5, 7)}/${created.slice(0, 4)}`,
    doc_type_cd: draft.kind,
    subject_system: SUBJECT_SYSTEM_CODES[draft.subject.system],
    subject_ref: draft.subjectRef,
    security_class: draft.securityClass,
    created_ts: created,
    modified_ts: dateTimeAt(draft.modifiedAt),
    author_login: draft.author?.[0] ?? null,
    mime_type: DMS_MIME_TYPE,
    byte_size: 0,
    storage_path: `${created.slice(0, 4)}/${created.slice(5, 7)}/${docId}.txt`,
    purged: draft.purged ? '1' : '0',
  };
}

function documentContentFor(
  row: Row<'dm_document'>,
  draft: DraftDocument,
  people: ReadonlyMap<string, SyntheticPerson>,
): string {
  const person = people.get(draft.subject.personKey);
  return documentContent({
    documentId: row.doc_id,
    kindCode: draft.kind,
    kindDescription: DOC_KINDS[draft.kind].description,
    filedOn: row.created_ts.slice(0, 10),
    forename: person?.forename ?? 'young person',
    fullName: person ? `${person.forename} ${person.surname}` : 'the young person',
    subjectReference: `${draft.subject.system} ${draft.subject.sourceId}`,
    authorName: draft.author?.[1] ?? null,
    detail: draft.detail,
  });
}

/**
 * Plants the problems a gap report must find, each on a different live document. Counts are fixed
 * (not scaled with volume) so every seed has a few of each, as long as there are documents to spoil.
 */
function plantProblems(
  prng: Prng,
  documents: Array<Row<'dm_document'>>,
  drafts: readonly DraftDocument[],
  subjects: readonly DmsSubject[],
): DmsPlannedProblem[] {
  const problems: DmsPlannedProblem[] = [];
  const spoiled = new Set<number>();
  const candidates = documents.map((_, i) => i).filter((i) => documents[i]?.purged === '0');
  const pickDocument = (fits: (i: number) => boolean = () => true): number | undefined => {
    const open = candidates.filter((i) => !spoiled.has(i) && fits(i));
    if (open.length === 0) return undefined;
    const index = prng.pick(open);
    spoiled.add(index);
    return index;
  };
  const plant = (kind: DmsProblemKind, times: number, spoil: (row: Row<'dm_document'>, draft: DraftDocument) => string,
    fits?: (i: number) => boolean) => {
    for (let n = 0; n < times; n++) {
      const index = pickDocument(fits);
      if (index === undefined) return;
      const row = documents[index] as Row<'dm_document'>;
      problems.push({ kind, documentId: String(row.doc_id), description: spoil(row, drafts[index] as DraftDocument) });
    }
  };

  const known = new Set(subjects.map((s) => `${s.system}:${canonicalSubjectRef(s.system, s.sourceId) ?? s.sourceId}`));
  // One mis-filed document per system, so the gap report has one to find whichever source it checks.
  for (const system of SUBJECT_SYSTEMS) {
    plant(
      'SUBJECT_NOT_FOUND',
      1,
      (row, draft) => {
        const wrong = unknownReference(prng, system, canonicalSubjectRef(system, draft.subject.sourceId) ?? '', known);
        row.subject_ref = wrong;
        return `filed against ${system} ${wrong}, which is no ${system} record (meant ${draft.subject.sourceId})`;
      },
      (i) => drafts[i]?.subject.system === system,
    );
  }
  plant('MODIFIED_BEFORE_CREATED', 2, (row, draft) => {
    const earlier = draft.createdAt - prng.int(1, 400) * SECONDS_PER_DAY;
    row.modified_ts = dateTimeAt(earlier);
    return `modified ${row.modified_ts}, before it was created ${row.created_ts}`;
  });
  plant('CONTENT_MISSING', 2, (row) => `no content in the file store at ${row.storage_path}`);
  plant('UNCLASSIFIED', 2, (row) => {
    row.security_class = null;
    return 'no protective marking';
  });
  plant(
    'UNDER_CLASSIFIED',
    1,
    (row, draft) => {
      row.security_class = SECURITY_CLASS_BY_TIER[1];
      return `${DOC_KINDS[draft.kind].description} about a YOIS subject marked OFFICIAL`;
    },
    (i) => drafts[i]?.subject.system === 'YOIS',
  );
  return problems;
}

/** A reference in the same system's format that names none of the known records: a mis-keyed ID, or a GUID from nowhere. */
function unknownReference(prng: Prng, system: SubjectSystem, canonical: string, known: ReadonlySet<string>): string {
  const hex = (n: number) => Array.from({ length: n }, () => prng.pick(HEX_DIGITS)).join('');
  for (let attempt = 0; ; attempt++) {
    let candidate: string;
    if (system === 'UMIS') {
      candidate = `${hex(8)}-${hex(4)}-4${hex(3)}-${prng.pick(GUID_VARIANTS)}${hex(3)}-${hex(12)}`;
    } else if (/^\d{2,}$/.test(canonical) && attempt < 20) {
      // One digit keyed wrongly (never the leading one, so the ID keeps its length).
      const at = prng.int(1, canonical.length - 1);
      const digit = String((Number(canonical[at]) + prng.int(1, 9)) % 10);
      candidate = `${canonical.slice(0, at)}${digit}${canonical.slice(at + 1)}`;
    } else {
      candidate = String(prng.int(100_000_000, 999_999_999));
    }
    if (!known.has(`${system}:${candidate}`)) return candidate;
  }
}

const HEX_DIGITS = [...'0123456789abcdef'];
const GUID_VARIANTS = [...'89ab'];
