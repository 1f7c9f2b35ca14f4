/**
 * Blocking: which records are worth comparing. Only records that share a blocking key are ever
 * compared, so a full run costs about (records x keys per record x typical block size) comparisons
 * instead of all pairs.
 *
 * Every key combines two independent details, so a block holds the copies of one person and,
 * rarely, a coincidence; blocks stay small as the population grows. Name codes are taken from
 * forename, known-as, surname and the other names a source holds (UMIS aliases) alike (one pool),
 * so a record with given name and surname swapped still shares keys with the others. Each key survives a kind of drift the others do not; a record
 * with any usable detail has at least one key:
 *
 * | key | survives |
 * |---|---|
 * | `dny` date of birth (day/month in either order) + any name code | misspelt or replaced forename, changed surname, swapped names, swapped day and month, a move |
 * | `dnn` day and month (either order), no year + both name codes (sorted) | a year out, a move |
 * | `di` date of birth + forename and surname initials (sorted) | both names misspelt beyond their phonetic codes |
 * | `dp` date of birth + postcode | forename replaced and surname changed |
 * | `pn` postcode + any name code | missing or mistyped date of birth |
 * | `an` house number and street of the first address line + any name code | missing date of birth with a missing, unusable or mistyped postcode |
 * | `nn` both name codes (sorted) + birth year | missing postcode with a mistyped day or month |
 * | `ns` both name codes (sorted) + postcode sector | missing date of birth with a mistyped postcode |
 * | `nx` forename and surname as written (sorted), nothing else; capped at 12 records, as a common name alone is no evidence | missing date of birth and a move or unusable postcode |
 * | `upn`, `pnc` | anything, when both records hold the same valid identifier |
 */
import doubleMetaphone from 'talisman/phonetics/double-metaphone';
import { addressLineKey } from './addressLine';
import type { NameKnowledge } from './nameEquivalents';
import type { PreparedName, PreparedRecord } from './matchRecord';

const metaphone = (text: string): string => doubleMetaphone(text)[0];

export interface BlockingOptions {
  /** Blocks with more records than this are skipped and counted: they are coincidences, not people. */
  maxBlockSize: number;
}

export const DEFAULT_BLOCKING_OPTIONS: Readonly<BlockingOptions> = { maxBlockSize: 60 };

/** Blocks on names alone hold only a name's bearers; past this many the name is too common to link on. */
const NAME_ONLY_BLOCK_CAP = 12;

/** The size cap of a block, by its key's kind. */
export function maxBlockSizeFor(key: string, maxBlockSize: number): number {
  return key.startsWith('nx|') ? Math.min(NAME_ONLY_BLOCK_CAP, maxBlockSize) : maxBlockSize;
}

/** Two parts in a fixed order, so a key does not depend on which field each came from. */
const sorted = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

/** Per name knowledge, each token's codes (see `nameCodes`): computed once per distinct name, not per record. */
const codesCache = new WeakMap<NameKnowledge, Map<string, readonly string[]>>();

function tokenCodes(token: PreparedName, knowledge: NameKnowledge): readonly string[] {
  let cache = codesCache.get(knowledge);
  if (!cache) codesCache.set(knowledge, (cache = new Map()));
  let codes = cache.get(token.text);
  if (!codes) {
    const found = new Set<string>();
    if (token.codes[0]) found.add(token.codes[0]);
    for (const form of knowledge.blockingForms(token.text)) {
      if (form !== token.text) found.add(metaphone(form));
    }
    codes = [...found];
    if (cache.size < 500_000) cache.set(token.text, codes);
  }
  return codes;
}

/** Double Metaphone codes of every form a token list may stand for (itself and, through `knowledge`, its class and nickname targets). */
function nameCodes(tokens: readonly PreparedName[], knowledge: NameKnowledge, into: Set<string>): void {
  for (const token of tokens) for (const code of tokenCodes(token, knowledge)) into.add(code);
}

/** The blocking keys of one record. A record with no usable details has none and is compared with nothing. */
export function blockingKeys(record: PreparedRecord, knowledge: NameKnowledge): string[] {
  const givenCodes = new Set<string>();
  nameCodes(record.forenames, knowledge, givenCodes);
  nameCodes(record.knownAs, knowledge, givenCodes);
  nameCodes(record.otherForenames, knowledge, givenCodes);
  const surnameCodes = new Set<string>();
  nameCodes(record.surnames, knowledge, surnameCodes);
  for (const other of record.otherSurnames) nameCodes(other, knowledge, surnameCodes);
  const codes = new Set([...givenCodes, ...surnameCodes]);
  codes.delete('');

  const keys: string[] = [];
  const dob = record.dateOfBirth;
  // Day and month in ascending order: a date and its day/month swap share the key.
  const dayMonth = dob ? `${Math.min(dob.month, dob.day)}-${Math.max(dob.month, dob.day)}` : null;
  if (dob && dayMonth) {
    for (const code of codes) keys.push(`dny|${dob.year}|${dayMonth}|${code}`);
    const firstGiven = record.forenames[0]?.text.charAt(0);
    const firstFamily = record.surnames[0]?.text.charAt(0);
    if (firstGiven && firstFamily) keys.push(`di|${dob.year}|${dayMonth}|${sorted(firstGiven, firstFamily)}`);
    if (record.postcode) keys.push(`dp|${dob.year}|${dayMonth}|${record.postcode}`);
    for (const f of givenCodes) {
      for (const s of surnameCodes) {
        if (!f || !s) continue;
        keys.push(`nn|${sorted(f, s)}|${dob.year}`);
        keys.push(`dnn|${dayMonth}|${sorted(f, s)}`);
      }
    }
  }
  if (record.postcode) for (const code of codes) keys.push(`pn|${record.postcode}|${code}`);
  if (record.addressLine) {
    const door = addressLineKey(record.addressLine);
    for (const code of codes) keys.push(`an|${door}|${code}`);
  }
  if (record.postcodeSector) {
    for (const f of givenCodes) for (const s of surnameCodes) if (f && s) keys.push(`ns|${sorted(f, s)}|${record.postcodeSector}`);
  }
  const given = record.forenames[0]?.text;
  if (given && record.surnameText) keys.push(`nx|${sorted(given, record.surnameText)}`);
  if (record.upn) keys.push(`upn|${record.upn}`);
  if (record.pnc) keys.push(`pnc|${record.pnc}`);
  return keys;
}
