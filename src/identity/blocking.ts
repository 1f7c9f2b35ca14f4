/**
 * Blocking: which records are worth comparing. Only records that share a blocking key are ever
 * compared, so a full run costs about (records x keys per record x typical block size) comparisons
 * instead of all pairs.
 *
 * Every key combines two independent details (a date with a name code, a postcode with a name code,
 * two name codes with a birth year), so a block holds the copies of one person and, rarely, a
 * coincidence; blocks stay small as the population grows. Each key is built to survive one kind
 * of drift the others do not:
 *
 * | key | survives |
 * |---|---|
 * | `ds` date of birth (day/month in either order) + surname code | nickname or misspelt forename, swapped day and month |
 * | `df` date of birth (either order) + forename code | changed or double-barrelled surname |
 * | `ps` postcode + surname code | missing or mistyped date of birth |
 * | `pf` postcode + forename code | changed surname with a missing or mistyped date of birth |
 * | `fsy` forename code + surname code + birth year | missing postcode with a mistyped day or month |
 * | `upn`, `pnc` | anything, when both records hold the same valid identifier |
 */
import type { NameKnowledge } from './nameEquivalents';
import type { PreparedRecord } from './matchRecord';

/**
 * A small phonetic code over a folded name: Soundex's consonant classes, with the first letter
 * coded by its class too, so `Katherine`/`Catherine` and `Ciwan`/`Jiwan` share a code. Three
 * digits after the first class, as in Soundex; coarse on its own, which is why it is always
 * combined with another detail in a key.
 */
export function phoneticCode(folded: string): string {
  const name = folded.replace(/[^a-z]/g, '').replace(/^ph/, 'f');
  if (name.length === 0) return '';
  let code = FIRST_CLASS[name.charCodeAt(0) - 97] ?? '?';
  let last = DIGIT[name.charCodeAt(0) - 97] ?? '';
  for (let i = 1; i < name.length && code.length < 4; i++) {
    const ch = name.charAt(i);
    const digit = DIGIT[name.charCodeAt(i) - 97] ?? '';
    if (digit === '') {
      // Vowels separate repeated consonant classes; h and w do not (Soundex's rule).
      if (ch !== 'h' && ch !== 'w') last = '';
      continue;
    }
    if (digit !== last) code += digit;
    last = digit;
  }
  return code.padEnd(4, '0');
}

// a b c d e f g h i j k l m n o p q r s t u v w x y z
const DIGIT = ['', '1', '2', '3', '', '1', '2', '', '', '2', '2', '4', '5', '5', '', '1', '2', '6', '2', '3', '', '1', '', '2', '', '2'];
const FIRST_CLASS = ['A', 'B', 'C', 'D', 'A', 'B', 'C', 'H', 'A', 'C', 'C', 'L', 'M', 'M', 'A', 'B', 'C', 'R', 'C', 'D', 'A', 'B', 'H', 'C', 'A', 'C'];

export interface BlockingOptions {
  /** Blocks with more records than this are skipped and counted: they are coincidences, not people. */
  maxBlockSize: number;
}

export const DEFAULT_BLOCKING_OPTIONS: Readonly<BlockingOptions> = { maxBlockSize: 60 };

/** Phonetic codes of every form a token list may stand for (itself and, through `knowledge`, its class and nickname targets). */
function nameCodes(tokens: readonly string[], knowledge: NameKnowledge, into: Set<string>): void {
  for (const token of tokens) {
    into.add(phoneticCode(token));
    for (const form of knowledge.blockingForms(token)) into.add(phoneticCode(form));
  }
}

/** The blocking keys of one record. A record with no usable details has none and is compared with nothing. */
export function blockingKeys(record: PreparedRecord, knowledge: NameKnowledge): string[] {
  const forenameCodes = new Set<string>();
  nameCodes(record.forenames, knowledge, forenameCodes);
  nameCodes(record.knownAs, knowledge, forenameCodes);
  const surnameCodes = new Set<string>();
  nameCodes(record.surnames, knowledge, surnameCodes);
  forenameCodes.delete('');
  surnameCodes.delete('');

  const keys: string[] = [];
  const dob = record.dateOfBirth;
  // Day and month in ascending order: a date and its day/month swap share the key.
  const date = dob ? `${dob.year}-${Math.min(dob.month, dob.day)}-${Math.max(dob.month, dob.day)}` : null;
  const postcode = record.postcode;
  if (date) {
    for (const s of surnameCodes) keys.push(`ds|${date}|${s}`);
    for (const f of forenameCodes) keys.push(`df|${date}|${f}`);
  }
  if (postcode) {
    for (const s of surnameCodes) keys.push(`ps|${postcode}|${s}`);
    for (const f of forenameCodes) keys.push(`pf|${postcode}|${f}`);
  }
  if (dob) {
    for (const f of forenameCodes) for (const s of surnameCodes) keys.push(`fsy|${f}|${s}|${dob.year}`);
  }
  if (record.upn) keys.push(`upn|${record.upn}`);
  if (record.pnc) keys.push(`pnc|${record.pnc}`);
  return keys;
}
