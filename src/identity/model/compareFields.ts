/**
 * The comparison vector of a record pair: for each identifying field, the level at which the two
 * records agree. Levels are small integers (index into the field's `levels`), best first; a field
 * missing on either side is `MISSING` (-1) and counts as neutral evidence.
 *
 * String similarity and phonetics come from talisman (Jaro-Winkler; Double Metaphone, computed once
 * per name token in `prepareRecord`); nicknames and transliterations from the matcher's name
 * knowledge (../nameEquivalents.ts).
 */
import { limited as damerauLevenshteinWithin } from 'talisman/metrics/damerau-levenshtein';
import jaroWinkler from 'talisman/metrics/jaro-winkler';
import type { PreparedDate, PreparedName, PreparedRecord } from '../matchRecord';
import { sameAddressLine } from '../addressLine';
import type { NameKnowledge } from '../nameEquivalents';

export const MISSING = -1;

/** The fields the model weighs, and each field's levels, best first. */
export const FIELDS = {
  forename: ['EXACT', 'NICKNAME_OR_TRANSLITERATION', 'JARO_WINKLER_0_94_OR_ONE_EDIT', 'PHONETIC', 'JARO_WINKLER_0_88', 'JARO_WINKLER_0_80', 'TWO_OR_THREE_EDITS', 'INITIAL_OR_PREFIX', 'DIFFERENT'],
  surname: ['EXACT', 'TRANSLITERATION', 'JARO_WINKLER_0_94_OR_ONE_EDIT', 'PHONETIC', 'JARO_WINKLER_0_88', 'JARO_WINKLER_0_80', 'TWO_OR_THREE_EDITS', 'ONE_PART_SHARED', 'DIFFERENT'],
  nameOrder: ['AS_RECORDED', 'GIVEN_AND_FAMILY_SWAPPED'],
  dateOfBirth: ['EXACT', 'DAY_MONTH_SWAPPED', 'YEAR_PLUS_MINUS_ONE', 'ONE_DIGIT', 'DIFFERENT'],
  postcode: ['SAME_ADDRESS', 'FULL', 'FULL_OTHER_DOOR', 'SAME_ADDRESS_LINE', 'SECTOR', 'DISTRICT', 'DIFFERENT'],
  gender: ['AGREE', 'DISAGREE'],
} as const;

export type FieldName = keyof typeof FIELDS;
export const FIELD_NAMES = Object.keys(FIELDS) as FieldName[];
export type LevelName<F extends FieldName> = (typeof FIELDS)[F][number];

/** Level indices per field, in `FIELD_NAMES` order (MISSING = -1). */
export type ComparisonVector = Int8Array;

/** Name levels, shared by forename and surname (same positions in both lists). */
const EXACT = 0;
const KNOWN = 1;
const JW_HIGH = 2;
const PHONETIC = 3;
const JW_MID = 4;
const JW_LOW = 5;
const EDITS = 6;
const WEAK = 7;
const DIFFERENT = 8;

/** One letter dropped, added, changed, or two neighbours swapped (names of four letters or more). */
function oneEdit(a: string, b: string): boolean {
  if (a.length < 4 || b.length < 4 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  let j = 0;
  while (j < a.length - i && j < b.length - i && a.charCodeAt(a.length - 1 - j) === b.charCodeAt(b.length - 1 - j)) j++;
  const restA = a.length - i - j;
  const restB = b.length - i - j;
  if (restA <= 1 && restB <= 1) return true;
  return restA === 2 && restB === 2 && a[i] === b[i + 1] && a[i + 1] === b[i];
}

/**
 * Two or three slips (Damerau-Levenshtein), at most 0.4 of the longer name: a forename typed in a
 * hurry ('Salma' as 'Sla', 'Segun' as 'Seggbu'). Twins' and siblings' names are further apart
 * ('Ava' and 'Mia', 'Busra' and 'Nur'), measured on the development population.
 */
function fewEdits(a: string, b: string): boolean {
  const longer = Math.max(a.length, b.length);
  const allowed = Math.min(3, Math.floor(longer * 0.4));
  return allowed >= 2 && Math.abs(a.length - b.length) <= allowed && damerauLevenshteinWithin(allowed, a, b) <= allowed;
}

function tokenLevel(a: PreparedName, b: PreparedName, knowledge: NameKnowledge, forename: boolean): number {
  if (a.text === b.text) return EXACT;
  if (knowledge.sameName(a.text, b.text)) return KNOWN;
  const jw = jaroWinkler(a.text, b.text);
  if (jw >= 0.94 || oneEdit(a.text, b.text)) return JW_HIGH;
  // Sounds alike and is spelt much alike: a phonetic code alone is too coarse for short names
  // (Hasan and Hüseyin, often twins, share theirs).
  if (jw >= 0.8 && a.text.length >= 3 && b.text.length >= 3 && (a.codes[0] === b.codes[0] || a.codes[0] === b.codes[1] || a.codes[1] === b.codes[0])) return PHONETIC;
  if (jw >= 0.88) return JW_MID;
  if (jw >= 0.8) return JW_LOW;
  if (fewEdits(a.text, b.text)) return EDITS;
  if (forename) {
    const [short, long] = a.text.length <= b.text.length ? [a.text, b.text] : [b.text, a.text];
    if ((short.length === 1 || short.length >= 3) && long.startsWith(short)) return WEAK;
  }
  return DIFFERENT;
}

function bestLevel(left: readonly PreparedName[], right: readonly PreparedName[], knowledge: NameKnowledge, forename: boolean): number {
  if (left.length === 0 || right.length === 0) return MISSING;
  let best = DIFFERENT;
  for (const x of left) {
    for (const y of right) {
      const level = tokenLevel(x, y, knowledge, forename);
      if (level < best) best = level;
      if (best === EXACT) return best;
    }
  }
  return best;
}

function forenameLevel(a: readonly PreparedName[], b: readonly PreparedName[], knowledge: NameKnowledge): number {
  return bestLevel(a, b, knowledge, true);
}

/** Every surname a record holds: the current one's tokens, then each other surname's. */
export const allSurnames = (r: PreparedRecord): readonly PreparedName[] => (r.otherSurnames.length > 0 ? [...r.surnames, ...r.otherSurnames.flat()] : r.surnames);

const joinedText = (tokens: readonly PreparedName[]): string => tokens.map((t) => t.text).join(' ');

function surnameTokensLevel(a: readonly PreparedName[], b: readonly PreparedName[], knowledge: NameKnowledge): number {
  if (a.length === 0 || b.length === 0) return MISSING;
  if (joinedText(a) === joinedText(b)) return EXACT;
  const level = bestLevel(a, b, knowledge, false);
  if (a.length === 1 && b.length === 1) return level;
  // Double-barrelled or one parent's name: a whole shared part is weaker evidence than the whole name.
  if (level <= KNOWN) return WEAK;
  const joined = jaroWinkler(a.map((s) => s.text).join(''), b.map((s) => s.text).join(''));
  return joined >= 0.94 ? JW_HIGH : joined >= 0.88 ? Math.min(level, JW_MID) : joined >= 0.8 ? Math.min(level, JW_LOW) : level;
}

/**
 * The surnames' level, the current ones first; where a source holds a previous or birth surname for
 * either record (a step-parent's name taken, a name changed back), the best level any of them reaches.
 */
function surnameLevel(a: PreparedRecord, b: PreparedRecord, knowledge: NameKnowledge): number {
  if (a.surnames.length === 0 || b.surnames.length === 0) return MISSING;
  if (a.surnameText === b.surnameText) return EXACT;
  let level = surnameTokensLevel(a.surnames, b.surnames, knowledge);
  if (a.otherSurnames.length === 0 && b.otherSurnames.length === 0) return level;
  const left = [a.surnames, ...a.otherSurnames];
  const right = [b.surnames, ...b.otherSurnames];
  for (let i = 0; i < left.length && level !== EXACT; i++) {
    for (let j = i === 0 ? 1 : 0; j < right.length && level !== EXACT; j++) {
      level = Math.min(level, surnameTokensLevel(left[i] as readonly PreparedName[], right[j] as readonly PreparedName[], knowledge));
    }
  }
  return level;
}

function dateLevel(a: PreparedDate | null, b: PreparedDate | null): number {
  if (!a || !b) return MISSING;
  if (a.digits === b.digits) return 0;
  if (a.year === b.year && a.month === b.day && a.day === b.month) return 1;
  if (a.month === b.month && a.day === b.day && Math.abs(a.year - b.year) === 1) return 2;
  return oneDigitApart(a.digits, b.digits) ? 3 : 4;
}

function oneDigitApart(a: string, b: string): boolean {
  let first = -1;
  let differences = 0;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (differences === 0) first = i;
      if (++differences > 2) return false;
    }
  }
  // One digit wrong, or two neighbouring digits the wrong way round (12 as 21).
  return differences === 1 || (differences === 2 && a[first] === b[first + 1] && a[first + 1] === b[first]);
}

const POSTCODE_SAME_ADDRESS = 0;
const POSTCODE_FULL = 1;
const POSTCODE_FULL_OTHER_DOOR = 2;
const POSTCODE_SAME_ADDRESS_LINE = 3;
const POSTCODE_SECTOR = 4;
const POSTCODE_DISTRICT = 5;
const POSTCODE_DIFFERENT = 6;

/**
 * Where the two records are: the postcodes, with the first address lines telling apart the doors
 * one postcode covers (the same door, another door, or a line missing), and where postcodes cannot
 * settle it (one missing or unusable, or two within a district that differ, as a mistyped one does)
 * the first address line alone. Postcodes in different districts with the same line are a move to a
 * same-named street, so the line is not asked there. One field, not two: a postcode and a line of
 * one address are not independent evidence, and their levels are estimated together.
 */
function postcodeLevel(a: PreparedRecord, b: PreparedRecord): number {
  let level = MISSING;
  if (a.postcode !== null && b.postcode !== null) {
    if (a.postcode === b.postcode) {
      if (!a.addressLine || !b.addressLine) return POSTCODE_FULL;
      return sameAddressLine(a.addressLine, b.addressLine) ? POSTCODE_SAME_ADDRESS : POSTCODE_FULL_OTHER_DOOR;
    }
    if (a.postcodeSector !== null && a.postcodeSector === b.postcodeSector) level = POSTCODE_SECTOR;
    else if (a.postcodeDistrict !== null && a.postcodeDistrict === b.postcodeDistrict) level = POSTCODE_DISTRICT;
    else return POSTCODE_DIFFERENT;
  }
  return sameAddressLine(a.addressLine, b.addressLine) ? POSTCODE_SAME_ADDRESS_LINE : level;
}

/** All forename tokens (forename, then known-as, then given names the source holds among its other names). */
export const givenNames = (r: PreparedRecord): readonly PreparedName[] =>
  r.knownAs.length > 0 || r.otherForenames.length > 0 ? [...r.forenames, ...r.knownAs, ...r.otherForenames] : r.forenames;

/**
 * Compares two prepared records. Names are also compared crossed (one record's forename against the
 * other's surname and the other way round); when the crossed comparison agrees clearly better, the
 * pair is read as recorded with the names swapped and `nameOrder` says so.
 */
export function compareFields(first: PreparedRecord, second: PreparedRecord, knowledge: NameKnowledge): ComparisonVector {
  // Crossed names are read from the record with the smaller key, so (a, b) and (b, a) compare alike
  // (a full run and an incremental run meet the same pair in either order).
  const [a, b] = first.key <= second.key ? [first, second] : [second, first];
  const vector = new Int8Array(FIELD_NAMES.length);
  const aGiven = givenNames(a);
  const bGiven = givenNames(b);
  let forename = forenameLevel(aGiven, bGiven, knowledge);
  let surname = surnameLevel(a, b, knowledge);
  let order = 0;
  if (forename !== EXACT && surname !== EXACT && a.forenames.length > 0 && b.forenames.length > 0 && a.surnames.length > 0 && b.surnames.length > 0) {
    const crossedForename = bestLevel(a.forenames, b.surnames, knowledge, false);
    const crossedSurname = bestLevel(a.surnames, b.forenames, knowledge, false);
    const rank = (level: number) => (level === MISSING ? DIFFERENT : level);
    if (crossedForename <= JW_MID && crossedSurname <= JW_MID && crossedForename + crossedSurname < rank(forename) + rank(surname)) {
      forename = crossedForename;
      surname = crossedSurname;
      order = 1;
    }
  }
  vector[0] = forename;
  vector[1] = surname;
  vector[2] = order;
  vector[3] = dateLevel(a.dateOfBirth, b.dateOfBirth);
  vector[4] = postcodeLevel(a, b);
  vector[5] = a.gender === null || b.gender === null ? MISSING : a.gender === b.gender ? 0 : 1;
  return vector;
}

/** The level names of a vector, for explanations. */
export function levelNames(vector: ComparisonVector): Record<FieldName, string> {
  const out = {} as Record<FieldName, string>;
  FIELD_NAMES.forEach((field, i) => {
    const level = vector[i] as number;
    out[field] = level === MISSING ? 'MISSING' : ((FIELDS[field] as readonly string[])[level] as string);
  });
  return out;
}
