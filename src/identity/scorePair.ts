/**
 * Scores whether two source records are the same young person, with the explanation a person
 * reviewing the decision sees.
 *
 * First deterministic rules: the same valid UPN or PNC number links two records unless their dates
 * of birth and forenames both clearly disagree (then a person looks at it). Otherwise the
 * Fellegi-Sunter model (./model/matchModel.ts): the prior plus each field's weight gives the log2
 * odds of one person, compared with the model's thresholds, then the guards (families and
 * duplicates within a system) may cap an automatic link at review.
 */
import { allSurnames, compareFields, givenNames, MISSING, type ComparisonVector } from './model/compareFields';
import {
  decide,
  explainFields,
  probability,
  roundWeight,
  totalWeight,
  type Decision,
  type Guard,
  type MatchExplanation,
  type MatchModel,
} from './model/matchModel';
import type { PreparedName, PreparedRecord } from './matchRecord';
import { EXTENDED_NAME_KNOWLEDGE, type NameKnowledge } from './nameEquivalents';

export type PairRule = 'SAME_UPN' | 'SAME_PNC' | Guard;

export interface PairScore {
  /** The total weight (log2 odds of one person), also for deterministic links, for ranking. */
  score: number;
  method: 'DETERMINISTIC' | 'PROBABILISTIC';
  decision: Decision;
  /** The identifier rule of a deterministic link, or the guard that capped the decision; null otherwise. */
  rule: PairRule | null;
  explanation: MatchExplanation;
}

const FORENAME = 0;
const DATE_OF_BIRTH = 3;
const GENDER = 5;
const NAME_ORDER = 2;
/** Forename levels (see compareFields FIELDS.forename). */
const FORENAME_KNOWN = 1;
const FORENAME_JW_MID = 4;
/** Date-of-birth levels from here on differ in the year or more (see compareFields FIELDS.dateOfBirth). */
const DOB_YEAR_OFF = 2;
const DOB_ONE_DIGIT = 3;
const DOB_DIFFERENT = 4;
const FORENAME_DIFFERENT = 8;

function sharedToken(left: readonly PreparedName[], right: readonly PreparedName[]): string | null {
  for (const x of left) for (const y of right) if (x.text === y.text) return x.text;
  return null;
}

/** Dates of birth that differ in the year (a slipped year digit included) or altogether. */
function yearsApart(a: PreparedRecord, b: PreparedRecord, vector: ComparisonVector): boolean {
  const level = vector[DATE_OF_BIRTH] as number;
  if (level === DOB_DIFFERENT || level === DOB_YEAR_OFF) return true;
  return level === DOB_ONE_DIGIT && a.dateOfBirth !== null && b.dateOfBirth !== null && a.dateOfBirth.year !== b.dateOfBirth.year;
}

/** The guard that stops an automatic link, if any. */
function guardFor(model: MatchModel, a: PreparedRecord, b: PreparedRecord, vector: ComparisonVector): Guard | null {
  if ((a.upn !== null && b.upn !== null && a.upn !== b.upn) || (a.pnc !== null && b.pnc !== null && a.pnc !== b.pnc)) return 'IDENTIFIER_CONFLICT';
  if (a.record.source === b.record.source) return 'SAME_SYSTEM';
  const forename = vector[FORENAME] as number;
  if (forename === FORENAME_DIFFERENT && !(model.familyEvidence?.forenameDiffersLinks && vector[DATE_OF_BIRTH] === 0)) return 'FORENAME_DIFFERS';
  if (vector[GENDER] === 1) return 'GENDER_DIFFERS';
  // Siblings share surname and address and can have near-identical forenames (Rosalind, Rosaline):
  // without a date of birth to tell them apart, only the same name links: exact, or another form of
  // it (William and Bill, Mohammed and Muhammad), which parents do not give two of their children.
  if (forename > FORENAME_KNOWN && vector[DATE_OF_BIRTH] === MISSING) return 'WEAK_FORENAME_WITHOUT_DATE_OF_BIRTH';
  if (forename >= FORENAME_JW_MID && vector[DATE_OF_BIRTH] !== 0) return 'WEAK_FORENAME_WITHOUT_DATE_OF_BIRTH';
  // A spelling variant of the forename and a date of birth a year or more out (or different) is what
  // a brother or sister at the same address looks like: two independent slips in one record are rare.
  if (forename > FORENAME_KNOWN && yearsApart(a, b, vector)) return 'WEAK_FORENAME_WITHOUT_DATE_OF_BIRTH';
  return null;
}

function agreedNames(first: PreparedRecord, second: PreparedRecord, vector: ComparisonVector) {
  // Oriented as compareFields orients the pair.
  const [a, b] = first.key <= second.key ? [first, second] : [second, first];
  const swapped = vector[NAME_ORDER] === 1;
  return (field: 'forename' | 'surname'): string | null => {
    if (field === 'forename') return sharedToken(swapped ? a.forenames : givenNames(a), swapped ? b.surnames : givenNames(b));
    if (!swapped && a.surnameText === b.surnameText) return a.surnameText;
    return swapped ? sharedToken(a.surnames, b.forenames) : sharedToken(allSurnames(a), allSurnames(b));
  };
}

/** The pair's total (log2 odds of one person) without the explanation. Cheap. */
export function pairTotal(model: MatchModel, a: PreparedRecord, b: PreparedRecord, vector: ComparisonVector): number {
  return totalWeight(model, vector, agreedNames(a, b, vector));
}

/** True when a pair is certainly no link: below review and no shared identifier. Cheap; no explanation built. */
export function clearlyNoLink(model: MatchModel, a: PreparedRecord, b: PreparedRecord, vector: ComparisonVector): boolean {
  if ((a.upn !== null && a.upn === b.upn) || (a.pnc !== null && a.pnc === b.pnc)) return false;
  return pairTotal(model, a, b, vector) < model.thresholds.review - 0.01;
}

/** Whether a pair looks like twins: forenames differ, the date of birth is the same, sex does not differ, and the total reaches the automatic level. */
export function looksLikeTwins(model: MatchModel, a: PreparedRecord, b: PreparedRecord, vector: ComparisonVector): boolean {
  return (
    vector[FORENAME] === FORENAME_DIFFERENT && vector[DATE_OF_BIRTH] === 0 && vector[GENDER] !== 1 && pairTotal(model, a, b, vector) >= model.thresholds.autoLink
  );
}

/** Scores a compared pair. `vector` is `compareFields(a, b)`, passed in when already computed. */
export function scoreCompared(model: MatchModel, a: PreparedRecord, b: PreparedRecord, vector: ComparisonVector): PairScore {
  const fields = explainFields(model, vector, agreedNames(a, b, vector));
  let total = model.priorWeight;
  for (const field of fields) total += field.weight;
  total = roundWeight(total);

  const sharedUpn = a.upn !== null && a.upn === b.upn;
  const sharedPnc = a.pnc !== null && a.pnc === b.pnc;
  let decision = decide(total, model.thresholds);
  let guard: Guard | null = null;
  let method: PairScore['method'] = 'PROBABILISTIC';
  let rule: 'SAME_UPN' | 'SAME_PNC' | null = null;
  if (sharedUpn || sharedPnc) {
    const conflicting = (a.upn !== null && b.upn !== null && a.upn !== b.upn) || (a.pnc !== null && b.pnc !== null && a.pnc !== b.pnc);
    const contradicted = conflicting || (vector[DATE_OF_BIRTH] === 4 && vector[FORENAME] === FORENAME_DIFFERENT);
    if (contradicted) {
      guard = 'IDENTIFIER_CONTRADICTED';
      if (decision === 'AUTO_LINK') decision = 'REVIEW';
    } else {
      method = 'DETERMINISTIC';
      rule = sharedUpn ? 'SAME_UPN' : 'SAME_PNC';
      decision = a.record.source === b.record.source ? 'REVIEW' : 'AUTO_LINK';
      if (decision === 'REVIEW') guard = 'SAME_SYSTEM';
    }
  } else if (decision === 'AUTO_LINK') {
    guard = guardFor(model, a, b, vector);
    if (guard !== null) decision = 'REVIEW';
  }
  const explanation: MatchExplanation = {
    modelVersion: model.version,
    method,
    rule,
    priorWeight: roundWeight(model.priorWeight),
    fields,
    total,
    matchProbability: probability(total),
    thresholds: model.thresholds,
    decision,
    guard,
  };
  return { score: total, method, decision, rule: rule ?? guard, explanation };
}

/** Scores two prepared records under a model. */
export function scorePair(model: MatchModel, a: PreparedRecord, b: PreparedRecord, knowledge: NameKnowledge = EXTENDED_NAME_KNOWLEDGE): PairScore {
  return scoreCompared(model, a, b, compareFields(a, b, knowledge));
}

/** True when no field is present on both sides: nothing to weigh. */
export function nothingCompared(vector: ComparisonVector): boolean {
  return vector.every((level, i) => i === NAME_ORDER || level === MISSING);
}
