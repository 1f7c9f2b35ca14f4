/**
 * Estimates a match model from the records themselves, unsupervised:
 * - u (P(level | different people)) from comparisons of random record pairs, which are almost all
 *   different people;
 * - m (P(level | same person)) by expectation maximisation over record pairs grouped by comparison
 *   pattern, in two training passes (as Splink does): over every pair born the same day (sampled,
 *   ./trainingPairs.ts), estimating the name, postcode and sex fields; over the candidate pairs whose
 *   names agree, estimating date of birth, postcode and sex. A single pass over every candidate converges
 *   on "same name" rather than "same person" (namesakes are common), so each field is learnt where
 *   the conditioning field keeps the two classes apart, and the conditioning field is left out (and,
 *   in the first pass, u held at the random-pair estimate: see `TrainingPass.holdU`);
 * - the share of candidates that match by a last pass with m and u held;
 * - name frequencies for the term-frequency adjustment.
 *
 * Two weights are not estimated this way, and why: the name-order field's u is 1 for both levels (a
 * swapped-name agreement between different people is about as likely as a straight one, which the
 * name fields' own u already price), so its weight is the estimated log2 m alone: the cost of a swap.
 * Thresholds are set in log2 odds, not estimated (see DEFAULT_THRESHOLDS).
 */
import { createHash } from 'node:crypto';
import type { PreparedRecord } from '../matchRecord';
import type { NameKnowledge } from '../nameEquivalents';
import { compareFields, FIELD_NAMES, FIELDS, MISSING, type ComparisonVector, type FieldName } from './compareFields';
import { defaultModel } from './defaultModel';
import type { PatternCounts } from './patternCounts';
import { seededRandom } from './seededRandom';
import { sameDateOfBirthPatterns } from './trainingPairs';
import type { FieldParameters, MatchModel } from './matchModel';

/**
 * log2 odds thresholds, chosen on the development seed (101; never the reported seed 11) and FEBRL
 * not at all: automatic from 32:1 that the records are one person, review from 1:4. (At 8:1 the 100k
 * development run gained 1.3 points of recall but a same-sector namesake with a one-digit date slip
 * linked automatically.)
 */
export const DEFAULT_THRESHOLDS = { autoLink: 5, review: -2 } as const;

const RANDOM_PAIRS = 120_000;
const MAX_ITERATIONS = 200;
const TOLERANCE = 1e-6;
/** Keeps any level's probability off zero, so no single level can veto or force a link on its own. */
const FLOOR = 1e-6;
/** m never below this: real registers hold errors of every kind, even where the sample shows none. */
const M_FLOOR = 0.005;

/** Starting m per field: the best level likely, every other level possible. */
function startingM(levels: number): number[] {
  const m = Array.from({ length: levels }, (_, i) => (i === 0 ? 0.8 : 0.2 / (levels - 1)));
  return m;
}

function normalise(counts: number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => Math.max(total === 0 ? 1 / counts.length : c / total, FLOOR));
}

/** u per field from random pairs. */
export function estimateU(records: readonly PreparedRecord[], knowledge: NameKnowledge, pairs = RANDOM_PAIRS): { u: Record<FieldName, number[]>; sampled: number } {
  const counts = Object.fromEntries(FIELD_NAMES.map((f) => [f, new Array<number>(FIELDS[f].length).fill(0.5)])) as Record<FieldName, number[]>;
  const random = seededRandom(12);
  const n = records.length;
  let sampled = 0;
  for (let k = 0; n > 1 && k < pairs; k++) {
    const i = Math.floor(random() * n);
    let j = Math.floor(random() * (n - 1));
    if (j >= i) j++;
    const vector = compareFields(records[i] as PreparedRecord, records[j] as PreparedRecord, knowledge);
    FIELD_NAMES.forEach((field, f) => {
      const level = vector[f] as number;
      if (level !== MISSING) (counts[field][level] as number)++;
    });
    sampled++;
  }
  const u = Object.fromEntries(FIELD_NAMES.map((f) => [f, normalise(counts[f])])) as Record<FieldName, number[]>;
  return { u, sampled };
}

export interface EmResult {
  m: Record<FieldName, number[]>;
  /** u among candidate pairs (not used for weights: blocking makes candidates agree more than random pairs). */
  uCandidates: Record<FieldName, number[]>;
  /** Share of candidate pairs that are one person. */
  lambda: number;
  iterations: number;
  converged: boolean;
}

/**
 * Expectation maximisation for a two-class mixture over comparison patterns, fields independent
 * within a class. `fixedM`: hold m as given and estimate only the match share and u. `holdU`: keep
 * u as given (the random-pair estimate) and estimate only m and the match share.
 */
export function expectationMaximisation(
  data: PatternCounts,
  startU: Record<FieldName, number[]>,
  fixedM?: Record<FieldName, number[]>,
  options: { holdU?: boolean } = {},
): EmResult {
  let m = Object.fromEntries(FIELD_NAMES.map((f) => [f, fixedM ? [...fixedM[f]] : startingM(FIELDS[f].length)])) as Record<FieldName, number[]>;
  let u = Object.fromEntries(FIELD_NAMES.map((f) => [f, [...startU[f]]])) as Record<FieldName, number[]>;
  let lambda = 0.3;
  let iterations = 0;
  let converged = false;
  while (iterations < MAX_ITERATIONS && !converged) {
    iterations++;
    const mCounts = Object.fromEntries(FIELD_NAMES.map((f) => [f, new Array<number>(FIELDS[f].length).fill(0)])) as Record<FieldName, number[]>;
    const uCounts = Object.fromEntries(FIELD_NAMES.map((f) => [f, new Array<number>(FIELDS[f].length).fill(0)])) as Record<FieldName, number[]>;
    let matched = 0;
    let total = 0;
    data.patterns.forEach((pattern, p) => {
      const count = data.counts[p] as number;
      let pm = lambda;
      let pu = 1 - lambda;
      FIELD_NAMES.forEach((field, f) => {
        const level = pattern[f] as number;
        if (level === MISSING) return;
        pm *= m[field][level] as number;
        pu *= u[field][level] as number;
      });
      const w = pm / (pm + pu);
      matched += count * w;
      total += count;
      FIELD_NAMES.forEach((field, f) => {
        const level = pattern[f] as number;
        if (level === MISSING) return;
        (mCounts[field][level] as number) += count * w;
        (uCounts[field][level] as number) += count * (1 - w);
      });
    });
    const nextM = fixedM ? m : (Object.fromEntries(FIELD_NAMES.map((f) => [f, normalise(mCounts[f])])) as Record<FieldName, number[]>);
    const nextU = options.holdU ? u : (Object.fromEntries(FIELD_NAMES.map((f) => [f, normalise(uCounts[f])])) as Record<FieldName, number[]>);
    const nextLambda = total === 0 ? lambda : matched / total;
    let change = Math.abs(nextLambda - lambda);
    for (const f of FIELD_NAMES) {
      for (let l = 0; l < FIELDS[f].length; l++) {
        change = Math.max(change, Math.abs((nextM[f][l] as number) - (m[f][l] as number)), Math.abs((nextU[f][l] as number) - (u[f][l] as number)));
      }
    }
    m = nextM;
    u = nextU;
    lambda = nextLambda;
    converged = change < TOLERANCE;
  }
  return { m, uCandidates: u, lambda, iterations, converged };
}

function tokenCounts(records: readonly PreparedRecord[], pick: (r: PreparedRecord) => readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) for (const token of new Set(pick(record))) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** A training pass: which pairs it learns from, and which fields it may not learn (they chose the pairs). */
interface TrainingPass {
  name: string;
  conditions: readonly FieldName[];
  /** The pass's pairs as comparison patterns, with the conditioning fields already left out. */
  pairs: (input: TrainingInput) => PatternCounts;
  /**
   * Keep u at the random-pair estimate, which is right when the pass's pairs were chosen by its
   * conditioning fields alone (./trainingPairs.ts). Otherwise u is learnt with m: among candidates
   * with the same names, random-pair u would make namesakes look like one person (sex follows the
   * forename), and m for a different date of birth rose to 0.8 at 100,000 people.
   */
  holdU: boolean;
}

interface TrainingInput {
  candidates: PatternCounts;
  records: readonly PreparedRecord[];
  knowledge: NameKnowledge;
}

const at = (field: FieldName) => FIELD_NAMES.indexOf(field);

/** The candidate patterns `selects` keeps, with `conditions` left out. */
function candidatesWhere(data: PatternCounts, selects: (v: ComparisonVector) => boolean, conditions: readonly FieldName[]): PatternCounts {
  const selected: PatternCounts = { patterns: [], counts: [] };
  data.patterns.forEach((pattern, p) => {
    if (!selects(pattern)) return;
    const copy = Int8Array.from(pattern);
    for (const field of conditions) copy[at(field)] = MISSING;
    selected.patterns.push(copy);
    selected.counts.push(data.counts[p] as number);
  });
  return selected;
}

const NAME_FIELDS: readonly FieldName[] = ['forename', 'surname', 'nameOrder'];
const TRAINING_PASSES: readonly TrainingPass[] = [
  {
    // Every pair born the same day: with u held, a replaced forename stays one person (FEBRL 4: m
    // for a different forename 0.095 against a true 0.097; learnt from candidates it fell to 0.005).
    name: 'date of birth agrees',
    conditions: ['dateOfBirth'],
    pairs: ({ records, knowledge }) => sameDateOfBirthPatterns(records, knowledge),
    holdU: true,
  },
  {
    name: 'names agree',
    conditions: NAME_FIELDS,
    pairs: ({ candidates }) => candidatesWhere(candidates, (v) => v[at('forename')] === 0 && v[at('surname')] === 0 && v[at('nameOrder')] === 0, NAME_FIELDS),
    holdU: false,
  },
];

/** m per field from the training passes: each field from the passes that may learn it, averaged. */
export function trainM(input: TrainingInput, u: Record<FieldName, number[]>): { m: Record<FieldName, number[]>; iterations: number; converged: boolean } {
  const sums = Object.fromEntries(FIELD_NAMES.map((f) => [f, new Array<number>(FIELDS[f].length).fill(0)])) as Record<FieldName, number[]>;
  const passes = Object.fromEntries(FIELD_NAMES.map((f) => [f, 0])) as Record<FieldName, number>;
  let iterations = 0;
  let converged = true;
  for (const pass of TRAINING_PASSES) {
    const selected = pass.pairs(input);
    if (selected.patterns.length === 0) continue;
    const em = expectationMaximisation(selected, u, undefined, { holdU: pass.holdU });
    iterations += em.iterations;
    converged &&= em.converged;
    for (const field of FIELD_NAMES) {
      if (pass.conditions.includes(field)) continue;
      em.m[field].forEach((value, level) => ((sums[field][level] as number) += value));
      passes[field]++;
    }
  }
  const m = Object.fromEntries(
    FIELD_NAMES.map((f) => [f, passes[f] === 0 ? startingM(FIELDS[f].length) : normalise(sums[f].map((v) => Math.max(v / passes[f], M_FLOOR)))]),
  ) as Record<FieldName, number[]>;
  return { m, iterations, converged };
}

/**
 * A partial agreement never weighs more than exact agreement (less 0.5 bit): a level random pairs
 * almost never reach (a forename that is a prefix of another) would otherwise get a u near zero
 * from the sample and an enormous weight.
 */
function belowExact(m: readonly number[], u: readonly number[]): number[] {
  const exactRatio = (m[0] as number) / (u[0] as number);
  return u.map((value, level) => (level === 0 ? value : Math.max(value, ((m[level] as number) / exactRatio) * Math.SQRT2)));
}

export interface EstimateInput {
  records: readonly PreparedRecord[];
  /** The candidate pairs' comparison vectors, grouped (`countPatterns`). */
  patterns: PatternCounts;
  candidatePairs: number;
  knowledge: NameKnowledge;
  thresholds?: MatchModel['thresholds'];
}

/** Below these, estimation has too little to learn from and the default model is used. */
const MIN_RECORDS = 1_000;
const MIN_CANDIDATE_PAIRS = 300;

export function estimateModel(input: EstimateInput): MatchModel {
  const { records, knowledge } = input;
  if (records.length < MIN_RECORDS || input.candidatePairs < MIN_CANDIDATE_PAIRS) {
    return defaultModel(records.length, input.thresholds ?? { ...DEFAULT_THRESHOLDS });
  }
  const { u, sampled } = estimateU(records, knowledge);
  const trained = trainM({ candidates: input.patterns, records, knowledge }, u);
  const em = expectationMaximisation(input.patterns, u, trained.m);
  const fields = Object.fromEntries(
    FIELD_NAMES.map((f) => [f, { m: trained.m[f], u: f === 'nameOrder' ? u[f].map(() => 1) : belowExact(trained.m[f], u[f]) } satisfies FieldParameters]),
  ) as Record<FieldName, FieldParameters>;
  // Expected matches among all pairs, from the share among candidates (blocking finds nearly all of them).
  const n = records.length;
  const allPairs = Math.max((n * (n - 1)) / 2, 1);
  const expectedMatches = Math.max(em.lambda * input.candidatePairs, 1);
  const priorWeight = Math.log2(expectedMatches / Math.max(allPairs - expectedMatches, 1));
  const thresholds = input.thresholds ?? { ...DEFAULT_THRESHOLDS };
  const body = { fields, priorWeight, thresholds };
  const version = `fs1-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12)}`;
  return {
    version,
    fields,
    priorWeight,
    thresholds,
    termFrequencies: {
      forename: tokenCounts(records, (r) => [...r.forenames, ...r.knownAs].map((t) => t.text)),
      surname: tokenCounts(records, (r) => [r.surnameText, ...r.surnames.map((t) => t.text)]),
      records: n,
    },
    estimation: { records: n, candidatePairs: input.candidatePairs, randomPairs: sampled, emIterations: trained.iterations + em.iterations, converged: trained.converged && em.converged },
  };
}
