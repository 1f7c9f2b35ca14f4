/**
 * What the matcher sees of one source record, and the normalised form it compares. Matching works on
 * identifying details only (names, date of birth, gender, postcode and first address line, UPN, PNC number), never on case data.
 */
import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import type { Gender, PersonRecord, SourceSystem } from '../../adapters/types';
import { foldName } from '../search/nameMatching';
import { prepareAddressLine, type PreparedAddressLine } from './addressLine';

/** One record in one source system. */
export interface RecordRef {
  source: SourceSystem;
  sourceId: string;
}

/** A source record's identifying details, as the matcher takes them. Dates are ISO `YYYY-MM-DD`. */
export interface MatchRecord extends RecordRef {
  forename: string;
  surname: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  gender: Gender;
  /** As the source holds it; normalised when compared. */
  postcode: string | null;
  /** The first address line as held ('Flat 3, 12 Mare Street'); compared where postcodes cannot settle it. */
  addressLine?: string | null;
  /** Unique Pupil Number, as held (it is validated before it is trusted). */
  upn: string | null;
  /** Police National Computer number (YOIS), as held. */
  pncNumber: string | null;
  /** Names the source holds besides the current one (UMIS aliases: previous or birth names, names also used). */
  otherNames?: ReadonlyArray<{ forename: string | null; surname: string | null }>;
}

/** `SYSTEM:sourceId`: the one text form of a record reference used as a map key and in the store. */
export function recordKey(ref: RecordRef): string {
  return `${ref.source}:${ref.sourceId}`;
}

const SYSTEMS: readonly SourceSystem[] = ['IYSS', 'UMIS', 'YOIS', 'DMS'];

export function parseRecordKey(key: string): RecordRef {
  const colon = key.indexOf(':');
  const source = key.slice(0, colon) as SourceSystem;
  if (colon < 0 || !SYSTEMS.includes(source)) throw new RangeError(`Not a record key: '${key}'`);
  return { source, sourceId: key.slice(colon + 1) };
}

/** Every detail matching reads of a record, as one text: two reads of a record give the same text unless one of them changed. */
export function matchDetailsText(record: MatchRecord): string {
  const { forename, surname, knownAs, dateOfBirth, gender, postcode, addressLine, upn, pncNumber, otherNames } = record;
  return JSON.stringify([forename, surname, knownAs, dateOfBirth, gender, postcode, addressLine ?? null, upn, pncNumber, otherNames ?? []]);
}

/** Source, then ID with shorter numeric IDs first ('999' before '1000'): a stable order for outputs and person IDs. */
export function compareRecordRefs(a: RecordRef, b: RecordRef): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (a.sourceId.length !== b.sourceId.length) return a.sourceId.length - b.sourceId.length;
  return a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0;
}

export function toMatchRecord(person: PersonRecord & { pncNumber?: string | null }): MatchRecord {
  return {
    source: person.source,
    sourceId: person.sourceId,
    forename: person.forename,
    surname: person.surname,
    knownAs: person.knownAs,
    dateOfBirth: person.dateOfBirth,
    gender: person.gender,
    postcode: person.address?.postcode ?? null,
    addressLine: person.address?.line1 ?? null,
    upn: person.upn,
    pncNumber: person.pncNumber ?? null,
    ...(person.otherNames?.length ? { otherNames: person.otherNames.map(({ forename, surname }) => ({ forename, surname })) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Identifier validation: a mistyped identifier must not link two people, so only identifiers whose
// check character is right are trusted.

const UPN_CHECK_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/** A UPN with a correct DfE check letter (weights 2..13 over the 12 characters after it, mod 23), upper case; else null. */
export function validUpn(raw: string | null): string | null {
  if (!raw) return null;
  const upn = raw.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]\d{12}$/.test(upn)) return null;
  let sum = 0;
  for (let i = 1; i < 13; i++) sum += (upn.charCodeAt(i) - 48) * (i + 1);
  return UPN_CHECK_LETTERS[sum % 23] === upn[0] ? upn : null;
}

const PNC_CHECK_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY';

/**
 * A PNC number (`YYYY/NNNNNNNC` or `YY/NNNNNNNC`) with a correct check character over the two-digit
 * year and the serial, mod 23, normalised to `YY/NNNNNNNC`; else null.
 */
export function validPnc(raw: string | null): string | null {
  if (!raw) return null;
  const match = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/.exec(raw.replace(/\s+/g, '').toUpperCase());
  if (!match) return null;
  const year = (match[1] as string).slice(-2);
  const serial = (match[2] as string).padStart(7, '0');
  const check = match[3] as string;
  return PNC_CHECK_LETTERS[Number(`${year}${serial}`) % 23] === check ? `${year}/${serial}${check}` : null;
}

/** Upper case, no spaces, and only when it looks like a UK postcode. */
export function compactPostcode(raw: string | null): string | null {
  if (!raw) return null;
  const compact = raw.replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact) ? compact : null;
}

/**
 * A postcode from outside the UK that is still a real place code (four or five digits, as most of
 * Europe and Australia use); compared whole only. Placeholders such as 'NFA' or 'UNKNOWN' are not.
 */
export function foreignPostcode(raw: string | null): string | null {
  const compact = raw?.replace(/\s+/g, '') ?? '';
  return /^\d{4,5}$/.test(compact) ? compact : null;
}

// ---------------------------------------------------------------------------------------------
// The prepared form: everything a comparison needs, computed once per record rather than per pair.

export interface PreparedDate {
  year: number;
  month: number;
  day: number;
  /** `YYYYMMDD`, for counting slipped digits. */
  digits: string;
}

/** One folded name token with its Double Metaphone codes (primary, alternate). */
export interface PreparedName {
  text: string;
  codes: readonly [string, string];
}

export interface PreparedRecord {
  record: MatchRecord;
  key: string;
  /** Folded tokens of the forename, then of the known-as name (each list without duplicates). */
  forenames: readonly PreparedName[];
  knownAs: readonly PreparedName[];
  surnames: readonly PreparedName[];
  /** The surname tokens joined by a space: the whole surname for exact comparison. */
  surnameText: string;
  /** Given names from the source's other names for the record (not already among `forenames`/`knownAs`). */
  otherForenames: readonly PreparedName[];
  /** Each other surname the source holds (a previous or birth name), as its own token list. */
  otherSurnames: ReadonlyArray<readonly PreparedName[]>;
  dateOfBirth: PreparedDate | null;
  /** Null when not stated. */
  gender: 'FEMALE' | 'MALE' | 'OTHER' | null;
  postcode: string | null;
  /** Outward code plus the sector digit, e.g. `E81`; null for a foreign postcode. */
  postcodeSector: string | null;
  /** Outward code, e.g. `E8`. */
  postcodeDistrict: string | null;
  addressLine: PreparedAddressLine | null;
  upn: string | null;
  pnc: string | null;
}

/**
 * Letters Unicode normalisation does not reduce to a base letter. The search module's `foldName`
 * drops them (so 'Małgorzata' would fall apart into 'ma gorzata'); they are spelled out first here.
 */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', ß: 'ss', æ: 'ae', Æ: 'AE', đ: 'd', Đ: 'D', œ: 'oe', Œ: 'OE', ħ: 'h', þ: 'th',
};

/** Folded, de-duplicated name tokens ('Öztürk-Yılmaz' → ['ozturk', 'yilmaz']). */
export function nameTokensOf(text: string | null): string[] {
  if (!text) return [];
  const spelled = text
    .replace(/[łŁøØßæÆđĐœŒħþ]/g, (ch) => UNDECOMPOSABLE[ch] ?? ch)
    // YOIS stores '?' for a letter its code page lacks; dropping it keeps the name one token.
    .replace(/\?/g, '');
  return [...new Set(foldName(spelled).split(' ').filter(Boolean))];
}

function prepareDate(iso: string | null): PreparedDate | null {
  const match = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // An impossible date (31st of a 30-day month, day 33, month 49) is still most likely one slipped
  // digit of the real one, so it is kept for comparison; only an empty day and month is no date.
  if (month === 0 && day === 0) return null;
  return { year, month, day, digits: `${match[1]}${match[2]}${match[3]}` };
}

/** Metaphone codes repeat across records (a few thousand distinct names), so they are computed once per token. */
const codeCache = new Map<string, readonly [string, string]>();

function prepareName(text: string): PreparedName {
  let codes = codeCache.get(text);
  if (!codes) {
    const [primary, alternate] = doubleMetaphone(text);
    codes = [primary, alternate];
    if (codeCache.size < 500_000) codeCache.set(text, codes);
  }
  return { text, codes };
}

/**
 * A name field's prepared tokens. Names repeat across records (a few thousand distinct ones in a
 * borough), so each written form is folded and coded once; the arrays are shared and never changed.
 */
const preparedCache = new Map<string, readonly PreparedName[]>();

function preparedTokens(text: string | null): readonly PreparedName[] {
  if (!text) return [];
  let tokens = preparedCache.get(text);
  if (!tokens) {
    tokens = nameTokensOf(text).map(prepareName);
    if (preparedCache.size < 500_000) preparedCache.set(text, tokens);
  }
  return tokens;
}

const NO_OTHER_SURNAMES: ReadonlyArray<readonly PreparedName[]> = [];

/** The other names' given-name tokens not already held, and each other surname that differs from the current one. */
function otherNamesOf(record: MatchRecord, forenames: readonly PreparedName[], knownAs: readonly PreparedName[], surnameText: string) {
  if (!record.otherNames?.length) return { otherForenames: [] as readonly PreparedName[], otherSurnames: NO_OTHER_SURNAMES };
  const held = new Set([...forenames, ...knownAs].map((t) => t.text));
  const otherForenames: PreparedName[] = [];
  const otherSurnames: Array<readonly PreparedName[]> = [];
  const surnamesSeen = new Set([surnameText]);
  for (const name of record.otherNames) {
    for (const token of preparedTokens(name.forename)) {
      if (!held.has(token.text)) {
        held.add(token.text);
        otherForenames.push(token);
      }
    }
    const surname = preparedTokens(name.surname);
    const text = surname.map((t) => t.text).join(' ');
    if (surname.length > 0 && !surnamesSeen.has(text)) {
      surnamesSeen.add(text);
      otherSurnames.push(surname);
    }
  }
  return { otherForenames, otherSurnames };
}

export function prepareRecord(record: MatchRecord): PreparedRecord {
  const surnames = preparedTokens(record.surname);
  const surnameText = surnames.map((t) => t.text).join(' ');
  const forenames = preparedTokens(record.forename);
  const knownAs = preparedTokens(record.knownAs);
  const ukPostcode = compactPostcode(record.postcode);
  const outward = ukPostcode ? ukPostcode.slice(0, -3) : null;
  return {
    record,
    key: recordKey(record),
    forenames,
    knownAs,
    surnames,
    surnameText,
    ...otherNamesOf(record, forenames, knownAs, surnameText),
    dateOfBirth: prepareDate(record.dateOfBirth),
    gender:
      record.gender === 'FEMALE' || record.gender === 'MALE' || record.gender === 'OTHER' ? record.gender : null,
    postcode: ukPostcode ?? foreignPostcode(record.postcode),
    postcodeSector: ukPostcode && outward ? `${outward}${ukPostcode.charAt(ukPostcode.length - 3)}` : null,
    postcodeDistrict: outward,
    addressLine: prepareAddressLine(record.addressLine),
    upn: validUpn(record.upn),
    pnc: validPnc(record.pncNumber),
  };
}
