/**
 * A Fellegi-Sunter match model and how it scores and explains a pair.
 *
 * Each field's level adds a weight log2(m/u): m is how often the level occurs between two records of
 * one person (estimated by expectation maximisation over the candidate pairs), u how often between
 * two records of different people (counted over random record pairs). An exact forename or surname
 * is weighed by how common that name is (term-frequency adjustment): two Mohammeds agreeing say less
 * than two Zinars. A missing field adds nothing. The total starts from the prior log-odds that two
 * random records are one person, so it is the log2 odds of a match: 0 is even odds, 10 about 1000:1.
 *
 * Fellegi-Sunter assumes fields disagree independently, and families break that (siblings share a
 * surname and address, twins a date of birth too), so a few guards cap a pair at review whatever its
 * total: see `GUARDS`.
 */
import { FIELD_NAMES, FIELDS, MISSING, type ComparisonVector, type FieldName } from './compareFields';
import type { FamilyEvidence } from './familyEvidence';

export interface FieldParameters {
  /** P(level | same person), per level. */
  m: number[];
  /** P(level | different people), per level. */
  u: number[];
}

export interface MatchModel {
  /** `fs1-` and a hash of the parameters: which model made a link, stored with it. */
  version: string;
  fields: Record<FieldName, FieldParameters>;
  /** log2 odds that two random records are one person, before any field is compared. */
  priorWeight: number;
  /** Totals (log2 odds) at or above which a pair is linked / queued for review. */
  thresholds: { autoLink: number; review: number };
  /** Per name token: how many records carry it, for the term-frequency adjustment. */
  termFrequencies: { forename: ReadonlyMap<string, number>; surname: ReadonlyMap<string, number>; records: number };
  estimation: { records: number; candidatePairs: number; randomPairs: number; emIterations: number; converged: boolean };
  /** Whether pairs that differ only in forename are families or one person here (./familyEvidence.ts); absent: treated as families. */
  familyEvidence?: FamilyEvidence;
}

/** Why a pair was capped at review although its total reached the automatic-link threshold. */
export type Guard =
  /** Both records in one system: a person rarely has two, so a duplicate is for a person to judge. */
  | 'SAME_SYSTEM'
  /** Forenames clearly differ: twins and siblings look like this (unless the records show no families, see ./familyEvidence.ts). */
  | 'FORENAME_DIFFERS'
  /** Forenames not exactly alike with no date of birth to compare, or only loosely alike with dates not the same: siblings with look-alike names. */
  | 'WEAK_FORENAME_WITHOUT_DATE_OF_BIRTH'
  /** Recorded sexes differ (twins 'Can' and 'Cansu'). */
  | 'GENDER_DIFFERS'
  /** Two different valid UPNs or PNC numbers. */
  | 'IDENTIFIER_CONFLICT'
  /** A shared identifier, but date of birth and forename both clearly differ. */
  | 'IDENTIFIER_CONTRADICTED'
  /** Automatic-level, but the clustering kept the records apart (see clusterRecords.ts). */
  | 'CLUSTER_CONFLICT';

export type Decision = 'AUTO_LINK' | 'REVIEW' | 'NO_LINK';

export interface FieldExplanation {
  field: FieldName;
  level: string;
  /** log2(m/u); 0 for a missing field. */
  weight: number;
  m: number | null;
  u: number | null;
  /** Set when the weight was adjusted for how common the agreeing name is: that name's share of records. */
  termFrequency?: number;
}

/** Why a pair got its decision: every field's level and weight, the total and the thresholds. */
export interface MatchExplanation {
  modelVersion: string;
  method: 'DETERMINISTIC' | 'PROBABILISTIC';
  /** The identifier rule for a deterministic link. */
  rule: 'SAME_UPN' | 'SAME_PNC' | null;
  priorWeight: number;
  fields: FieldExplanation[];
  /** priorWeight plus every field's weight: log2 odds of one person. */
  total: number;
  /** The total as a probability. */
  matchProbability: number;
  thresholds: { autoLink: number; review: number };
  decision: Decision;
  /** Set when a guard capped the decision below what the total alone gives. */
  guard: Guard | null;
}

const round = (n: number, places = 3): number => Math.round(n * 10 ** places) / 10 ** places;

export function fieldWeight(model: MatchModel, field: FieldName, level: number): number {
  if (level === MISSING) return 0;
  const p = model.fields[field];
  return Math.log2((p.m[level] as number) / (p.u[level] as number));
}

/** The agreeing value's share of records, for an exact name agreement; null when not applicable. */
export type TermFrequencyLookup = (field: 'forename' | 'surname') => string | null;

function termFrequency(model: MatchModel, field: 'forename' | 'surname', value: string): number {
  const count = model.termFrequencies[field].get(value) ?? 1;
  return Math.max(count, 1) / Math.max(model.termFrequencies.records, 1);
}

/** The u of an exact name agreement, adjusted for how common the agreeing name is; null when no adjustment applies. */
function adjustedU(model: MatchModel, field: FieldName, level: number, u: number, agreedName: TermFrequencyLookup): number | null {
  if ((field !== 'forename' && field !== 'surname') || level !== 0 || model.termFrequencies.records === 0) return null;
  const value = agreedName(field);
  // A rare name agreeing is stronger evidence than the average exact agreement, a common one weaker.
  return value === null ? null : Math.max(termFrequency(model, field, value), u / 20);
}

/**
 * The prior plus every field's weight, without building an explanation: most candidate pairs
 * score far below review, and only the kept ones need one.
 */
export function totalWeight(model: MatchModel, vector: ComparisonVector, agreedName: TermFrequencyLookup): number {
  let total = model.priorWeight;
  for (let i = 0; i < FIELD_NAMES.length; i++) {
    const level = vector[i] as number;
    if (level === MISSING) continue;
    const field = FIELD_NAMES[i] as FieldName;
    const p = model.fields[field];
    const u = p.u[level] as number;
    total += Math.log2((p.m[level] as number) / (adjustedU(model, field, level, u, agreedName) ?? u));
  }
  return total;
}

/** The weights of a comparison vector (term-frequency adjusted where a name agreed exactly). */
export function explainFields(model: MatchModel, vector: ComparisonVector, agreedName: TermFrequencyLookup): FieldExplanation[] {
  return FIELD_NAMES.map((field, i) => {
    const level = vector[i] as number;
    const levelName = level === MISSING ? 'MISSING' : ((FIELDS[field] as readonly string[])[level] as string);
    if (level === MISSING) return { field, level: levelName, weight: 0, m: null, u: null };
    const p = model.fields[field];
    const m = p.m[level] as number;
    let u = p.u[level] as number;
    const explained: FieldExplanation = { field, level: levelName, weight: 0, m: round(m, 6), u: round(u, 8) };
    const adjusted = adjustedU(model, field, level, u, agreedName);
    if (adjusted !== null) {
      u = adjusted;
      explained.termFrequency = round(u, 8);
    }
    explained.weight = round(Math.log2(m / u));
    return explained;
  });
}

export function decide(total: number, thresholds: MatchModel['thresholds']): Decision {
  return total >= thresholds.autoLink ? 'AUTO_LINK' : total >= thresholds.review ? 'REVIEW' : 'NO_LINK';
}

export const probability = (logOdds: number): number => round(1 / (1 + 2 ** -logOdds), 6);
export { round as roundWeight };
