/**
 * Scores whether two source records are the same young person.
 *
 * First deterministic rules: the same valid UPN or PNC number links two records unless their dates
 * of birth and forenames both clearly disagree (then a person looks at it). Otherwise a
 * Fellegi-Sunter score: each detail is compared at a few levels of agreement, and each level adds
 * a weight in the spirit of log2(m/u), where m is how often the level occurs between two records of
 * the same person and u how often between different people who share a blocking key.
 *
 * How the weights were set: m/u counts per level, and same/different counts per whole comparison
 * pattern, on every candidate pair of two labelled synthetic populations (seeds 101 and 202, 20,000
 * people each, IYSS, UMIS and YOIS seed generators); never on the seeds the evaluation reports. The
 * raw estimates were then moved where the synthetic data cannot show real rates (notes below), and
 * the thresholds put where the patterns above AUTO_LINK held no different-person pairs but a handful.
 * One exception to "never": the GENDER_DIFFERS guard was added after the first seed-11 report
 * showed a brother and sister (twins 'Can' and 'Cansu') linked; seed 13 was then measured fresh.
 *
 * Fellegi-Sunter assumes the details disagree independently, and families break that: siblings
 * share a surname and an address, twins a date of birth as well. So a forename that clearly
 * differs, or a different recorded sex, stops an automatic link however well the rest agrees; such
 * a pair can at most be queued for review (and twins score below the review threshold too).
 */
import damerauLevenshtein from 'damerau-levenshtein';
import { EXTENDED_NAME_KNOWLEDGE, type NameKnowledge } from './nameEquivalents';
import { prepareRecord, type MatchRecord, type PreparedDate, type PreparedRecord } from './matchRecord';

export type NameLevel = 'EXACT' | 'VARIANT' | 'PARTIAL' | 'PREFIX' | 'FUZZY' | 'DIFFERENT' | 'MISSING';
export type DateLevel = 'EXACT' | 'SWAPPED' | 'ONE_DIGIT' | 'DIFFERENT' | 'MISSING';
export type GenderLevel = 'AGREE' | 'DISAGREE' | 'UNKNOWN';
export type PostcodeLevel = 'EXACT' | 'SECTOR' | 'DISTRICT' | 'DIFFERENT' | 'MISSING';
export type IdentifierLevel = 'AGREE' | 'DISAGREE' | 'MISSING';

/** How each detail of a pair compares. */
export interface PairComparison {
  /** Best agreement over forename and known-as on either side. PARTIAL is not used for forenames. */
  forename: NameLevel;
  /** PARTIAL: one surname token in common (double-barrelled, or one parent's name). PREFIX is not used for surnames. */
  surname: NameLevel;
  dateOfBirth: DateLevel;
  gender: GenderLevel;
  postcode: PostcodeLevel;
  upn: IdentifierLevel;
  pnc: IdentifierLevel;
}

/**
 * Weight per level. Where they differ from the synthetic estimates, and why:
 * - gender DISAGREE: the synthetic systems never record the wrong sex (only "not stated"), so the
 *   estimate is minus infinity; real registers do now and then, so it is a strong but finite -6.
 * - postcode SECTOR/DISTRICT/DIFFERENT: the synthetic people never move, so any other postcode
 *   means another person there; real young people move, so these are finite (-2, -4.5, -7). With
 *   them, a same-name same-birthday record in another postcode sector goes to review rather than
 *   being linked: the synthetic populations' small name lists make such namesakes common, and linking the
 *   wrong child is the costlier mistake in safeguarding.
 * - forename DIFFERENT: -12, lower than estimated (about -8), so that twins (same surname, date of
 *   birth, address) fall below the review threshold instead of filling the queue.
 * - identifiers DISAGREE: two different valid UPNs or PNC numbers; two people, bar a clerical error.
 */
export const WEIGHTS = {
  forename: { EXACT: 5.5, VARIANT: 4.5, PARTIAL: 3, PREFIX: 3.5, FUZZY: 3, DIFFERENT: -12, MISSING: 0 },
  surname: { EXACT: 4.5, VARIANT: 4, PARTIAL: 3, PREFIX: 2, FUZZY: 2.5, DIFFERENT: -4, MISSING: 0 },
  dateOfBirth: { EXACT: 8, SWAPPED: 4, ONE_DIGIT: 3, DIFFERENT: -9, MISSING: 0 },
  gender: { AGREE: 0.5, DISAGREE: -6, UNKNOWN: 0 },
  postcode: { EXACT: 5, SECTOR: -2, DISTRICT: -4.5, DIFFERENT: -7, MISSING: 0 },
  upn: { AGREE: 0, DISAGREE: -12, MISSING: 0 },
  pnc: { AGREE: 0, DISAGREE: -12, MISSING: 0 },
} as const satisfies {
  [K in keyof PairComparison]: Record<PairComparison[K], number>;
};

/** At or above: linked without a person looking (unless a guard caps the pair). */
export const AUTO_LINK = 14.5;
/** At or above (and below AUTO_LINK): queued for a triage officer. Below: no link. */
export const REVIEW = 7;

export type Decision = 'AUTO_LINK' | 'REVIEW' | 'NO_LINK';

export function decide(score: number): Decision {
  return score >= AUTO_LINK ? 'AUTO_LINK' : score >= REVIEW ? 'REVIEW' : 'NO_LINK';
}

/** Why a pair was linked deterministically, or why its decision was capped below what its score says. */
export type PairRule =
  | 'SAME_UPN'
  | 'SAME_PNC'
  /** A shared identifier, but date of birth and forename both clearly differ, or another identifier conflicts. */
  | 'IDENTIFIER_CONTRADICTED'
  /** Forenames clearly differ: siblings and twins look like this. */
  | 'FORENAME_DIFFERS'
  /** Recorded sexes differ: a brother and sister (twins 'Can' and 'Cansu') can agree on everything else. */
  | 'GENDER_DIFFERS'
  | 'IDENTIFIER_CONFLICT';

export interface PairScore {
  /** The probabilistic score (log2 likelihood ratio), also for deterministic links, for ranking. */
  score: number;
  method: 'DETERMINISTIC' | 'PROBABILISTIC';
  decision: Decision;
  rule: PairRule | null;
  comparison: PairComparison;
}

// ---------------------------------------------------------------------------------------------
// Comparisons

/** One slip (a letter dropped, doubled, swapped with its neighbour or mistyped), or a long name mostly the same. */
function similarSpelling(a: string, b: string): boolean {
  const longest = Math.max(a.length, b.length);
  if (Math.min(a.length, b.length) < 3 || Math.abs(a.length - b.length) > 2) return false;
  const steps = damerauLevenshtein(a, b).steps;
  return steps === 1 || (longest >= 8 && steps === 2);
}

const NAME_RANK: Readonly<Record<NameLevel, number>> = {
  EXACT: 6, VARIANT: 5, PARTIAL: 4, PREFIX: 3, FUZZY: 2, DIFFERENT: 1, MISSING: 0,
};

function tokenLevel(a: string, b: string, knowledge: NameKnowledge, allowPrefix: boolean): NameLevel {
  if (a === b) return 'EXACT';
  if (knowledge.sameName(a, b)) return 'VARIANT';
  if (allowPrefix && Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a))) return 'PREFIX';
  if (similarSpelling(a, b)) return 'FUZZY';
  // A slip in another spelling of the name ('Zofiaa' for 'Sophia' via 'Zofia').
  for (const spelling of knowledge.spellingsOf(b)) if (spelling !== b && similarSpelling(a, spelling)) return 'FUZZY';
  for (const spelling of knowledge.spellingsOf(a)) if (spelling !== a && similarSpelling(spelling, b)) return 'FUZZY';
  return 'DIFFERENT';
}

function compareForenames(a: PreparedRecord, b: PreparedRecord, knowledge: NameKnowledge): NameLevel {
  const left = a.knownAs.length > 0 ? [...a.forenames, ...a.knownAs] : a.forenames;
  const right = b.knownAs.length > 0 ? [...b.forenames, ...b.knownAs] : b.forenames;
  if (left.length === 0 || right.length === 0) return 'MISSING';
  let best: NameLevel = 'DIFFERENT';
  for (const x of left) {
    for (const y of right) {
      const level = tokenLevel(x, y, knowledge, true);
      if (NAME_RANK[level] > NAME_RANK[best]) best = level;
      if (best === 'EXACT') return best;
    }
  }
  return best;
}

function compareSurnames(a: PreparedRecord, b: PreparedRecord, knowledge: NameKnowledge): NameLevel {
  if (a.surnames.length === 0 || b.surnames.length === 0) return 'MISSING';
  const sameTokens = a.surnames.length === b.surnames.length && a.surnames.every((t) => b.surnames.includes(t));
  if (sameTokens) return 'EXACT';
  const sameClasses =
    a.surnameClasses.every((c) => b.surnameClasses.includes(c)) &&
    b.surnameClasses.every((c) => a.surnameClasses.includes(c));
  if (sameClasses) return 'VARIANT';
  let best: NameLevel = 'DIFFERENT';
  for (const x of a.surnames) {
    for (const y of b.surnames) {
      const level = tokenLevel(x, y, knowledge, false);
      // A shared token between different token lists is a partial match (Smith vs Smith-Jones).
      const ranked: NameLevel = level === 'EXACT' || level === 'VARIANT' ? 'PARTIAL' : level;
      if (NAME_RANK[ranked] > NAME_RANK[best]) best = ranked;
    }
  }
  if (best === 'DIFFERENT' && (a.surnames.length > 1 || b.surnames.length > 1)) {
    // "Van Der Berg" vs "Vanderberg": compare the names run together.
    if (similarSpelling(a.surnames.join(''), b.surnames.join(''))) best = 'FUZZY';
  }
  return best;
}

function oneDigitApart(a: string, b: string): boolean {
  let first = -1;
  let differences = 0;
  for (let i = 0; i < a.length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      if (differences === 0) first = i;
      differences++;
      if (differences > 2) return false;
    }
  }
  if (differences === 1) return true;
  // Two neighbouring digits typed the wrong way round (12 as 21).
  return differences === 2 && a[first] === b[first + 1] && a[first + 1] === b[first];
}

function compareDates(a: PreparedDate | null, b: PreparedDate | null): DateLevel {
  if (!a || !b) return 'MISSING';
  if (a.digits === b.digits) return 'EXACT';
  if (a.year === b.year && a.month === b.day && a.day === b.month) return 'SWAPPED';
  return oneDigitApart(a.digits, b.digits) ? 'ONE_DIGIT' : 'DIFFERENT';
}

function compareIdentifiers(a: string | null, b: string | null): IdentifierLevel {
  return a === null || b === null ? 'MISSING' : a === b ? 'AGREE' : 'DISAGREE';
}

export function comparePair(a: PreparedRecord, b: PreparedRecord, knowledge: NameKnowledge = EXTENDED_NAME_KNOWLEDGE): PairComparison {
  return {
    forename: compareForenames(a, b, knowledge),
    surname: compareSurnames(a, b, knowledge),
    dateOfBirth: compareDates(a.dateOfBirth, b.dateOfBirth),
    gender: a.gender === null || b.gender === null ? 'UNKNOWN' : a.gender === b.gender ? 'AGREE' : 'DISAGREE',
    postcode:
      a.postcode === null || b.postcode === null
        ? 'MISSING'
        : a.postcode === b.postcode
          ? 'EXACT'
          : a.postcodeSector === b.postcodeSector
            ? 'SECTOR'
            : a.postcodeDistrict === b.postcodeDistrict
              ? 'DISTRICT'
              : 'DIFFERENT',
    upn: compareIdentifiers(a.upn, b.upn),
    pnc: compareIdentifiers(a.pnc, b.pnc),
  };
}

export function scoreComparison(c: PairComparison): number {
  return (
    WEIGHTS.forename[c.forename] +
    WEIGHTS.surname[c.surname] +
    WEIGHTS.dateOfBirth[c.dateOfBirth] +
    WEIGHTS.gender[c.gender] +
    WEIGHTS.postcode[c.postcode] +
    WEIGHTS.upn[c.upn] +
    WEIGHTS.pnc[c.pnc]
  );
}

const capAtReview = (decision: Decision): Decision => (decision === 'AUTO_LINK' ? 'REVIEW' : decision);

/** Scores two records (raw or prepared). */
export function scorePair(
  a: MatchRecord | PreparedRecord,
  b: MatchRecord | PreparedRecord,
  knowledge: NameKnowledge = EXTENDED_NAME_KNOWLEDGE,
): PairScore {
  const left = 'record' in a ? a : prepareRecord(a, knowledge);
  const right = 'record' in b ? b : prepareRecord(b, knowledge);
  const comparison = comparePair(left, right, knowledge);
  const score = Math.round(scoreComparison(comparison) * 100) / 100;
  const sharedIdentifier = comparison.upn === 'AGREE' || comparison.pnc === 'AGREE';
  const conflictingIdentifier = comparison.upn === 'DISAGREE' || comparison.pnc === 'DISAGREE';

  if (sharedIdentifier) {
    const contradicted =
      conflictingIdentifier || (comparison.dateOfBirth === 'DIFFERENT' && comparison.forename === 'DIFFERENT');
    if (!contradicted) {
      return {
        score,
        method: 'DETERMINISTIC',
        decision: 'AUTO_LINK',
        rule: comparison.upn === 'AGREE' ? 'SAME_UPN' : 'SAME_PNC',
        comparison,
      };
    }
    return { score, method: 'PROBABILISTIC', decision: capAtReview(decide(score)), rule: 'IDENTIFIER_CONTRADICTED', comparison };
  }
  let decision = decide(score);
  let rule: PairRule | null = null;
  if (decision === 'AUTO_LINK' && conflictingIdentifier) {
    decision = 'REVIEW';
    rule = 'IDENTIFIER_CONFLICT';
  } else if (decision === 'AUTO_LINK' && comparison.forename === 'DIFFERENT') {
    decision = 'REVIEW';
    rule = 'FORENAME_DIFFERS';
  } else if (decision === 'AUTO_LINK' && comparison.gender === 'DISAGREE') {
    decision = 'REVIEW';
    rule = 'GENDER_DIFFERS';
  }
  return { score, method: 'PROBABILISTIC', decision, rule, comparison };
}
