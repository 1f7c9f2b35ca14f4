/**
 * Scores a match result against ground truth, pairwise: every pair of records inside one automatic
 * cluster is a predicted link; a review item joins two clusters for "auto + review" recall. Reports
 * recall per failure pattern (a true pair counts for a pattern when either record carries it) and
 * sorts wrong links by why they were easy to make (siblings, namesakes, others).
 */
import { parseRecordKey, recordKey, type RecordRef } from '../matchRecord';

export interface PairCounts {
  /** Same-person pairs in the ground truth. */
  truePairs: number;
  /** Pairs the matcher put together. */
  predictedPairs: number;
  /** Of those, same-person pairs. */
  correctPairs: number;
  precision: number;
  recall: number;
}

export interface LinkageTruth {
  truth: ReadonlyMap<string, string>;
  patterns?: ReadonlyMap<string, readonly string[]>;
  familyOf?: ReadonlyMap<string, string>;
}

export interface LinkageMeasure {
  autoLink: PairCounts;
  /** True pairs in one cluster or in two clusters a review item joins. */
  autoPlusReviewRecall: number;
  review: {
    /** Review items between records the clusters keep apart: the queue a person works. */
    queue: number;
    /** Of those, items whose two records are one person. */
    queueTrueMatches: number;
    /** Listed highest score first (`order: MOST_LIKELY_FIRST`): the share of one-person items among the first 500, 1,000, 2,000. */
    likeliestFirst: Array<{ first: number; trueShare: number }>;
  };
  /** Same-person pairs the matcher neither linked nor queued. */
  missedTruePairs: number;
  /** Wrong automatic pairs: between siblings (same family), between other people. */
  falsePairs: { siblings: number; others: number };
  /** Per pattern: true pairs touching it, and the share linked automatically / linked or queued. */
  byPattern: Record<string, { truePairs: number; autoRecall: number; autoPlusReviewRecall: number }>;
  /** Same-person pairs not linked automatically, by why (see `MissCause`); the error analysis. */
  missedByCause: Partial<Record<MissCause, number>>;
  /** Per guard, the pairs it held at review: one person, brothers and sisters (same family), other people. What lifting it would cost. */
  heldByGuard: Record<string, { onePerson: number; family: number; others: number }>;
}

/**
 * Why a same-person pair was not linked automatically, first cause that applies:
 * - `WITHIN_ONE_SYSTEM`: both records in one system; reviewed by design (a person rarely has two);
 * - `DUPLICATE_KEPT_APART`: across systems, but the person has two records in one system and the
 *   clustering joined the other one (one record per system in a person);
 * - `CLUSTER_CONFLICT`: automatic-level, kept apart by the clustering for another reason;
 * - `GUARD_<guard>`: automatic-level, held at review by a guard (twins, siblings);
 * - `SCORED_REVIEW`: scored between the review and automatic thresholds;
 * - `SCORED_BELOW_REVIEW`: compared, scored below review;
 * - `NEVER_COMPARED`: no blocking key in common (or only oversize blocks).
 */
export type MissCause =
  | 'WITHIN_ONE_SYSTEM'
  | 'DUPLICATE_KEPT_APART'
  | 'CLUSTER_CONFLICT'
  | `GUARD_${string}`
  | 'SCORED_REVIEW'
  | 'SCORED_BELOW_REVIEW'
  | 'NEVER_COMPARED';

export const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : Math.round((part / whole) * 100000) / 100000);
const choose2 = (n: number): number => (n * (n - 1)) / 2;

function truePairCount(keys: Iterable<string>, truth: ReadonlyMap<string, string>): number {
  const perPerson = new Map<string, number>();
  for (const key of keys) {
    const person = truth.get(key) as string;
    perPerson.set(person, (perPerson.get(person) ?? 0) + 1);
  }
  let total = 0;
  for (const n of perPerson.values()) total += choose2(n);
  return total;
}

/** Pairwise precision and recall of clusters: every pair inside a cluster counts as a predicted link. */
export function measureClusters(clusters: readonly RecordRef[][], truth: ReadonlyMap<string, string>): PairCounts {
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const cluster of clusters) {
    predictedPairs += choose2(cluster.length);
    correctPairs += truePairCount(cluster.map(recordKey), truth);
  }
  const truePairs = truePairCount(truth.keys(), truth);
  return { truePairs, predictedPairs, correctPairs, precision: ratio(correctPairs, predictedPairs), recall: ratio(correctPairs, truePairs) };
}

export function measureLinkage(
  result: { clusters: readonly RecordRef[][]; pairs: ReadonlyArray<{ a: RecordRef; b: RecordRef; decision: string; rule?: string | null; score?: number }> },
  labels: LinkageTruth,
  /** Whether the run compared two records (shared a block); without it, misses not scored count as `SCORED_BELOW_REVIEW`. */
  compared?: (a: RecordRef, b: RecordRef) => boolean,
): LinkageMeasure {
  const { truth } = labels;
  const autoLink = measureClusters(result.clusters, truth);
  const clusterOf = new Map<string, number>();
  result.clusters.forEach((cluster, i) => cluster.forEach((ref) => clusterOf.set(recordKey(ref), i)));

  const reviewJoins = new Set<string>();
  const review: LinkageMeasure['review'] = { queue: 0, queueTrueMatches: 0, likeliestFirst: [] };
  const queued: Array<{ score: number; one: boolean }> = [];
  for (const pair of result.pairs) {
    if (pair.decision !== 'REVIEW') continue;
    const [x, y] = [recordKey(pair.a), recordKey(pair.b)];
    const [cx, cy] = [clusterOf.get(x) as number, clusterOf.get(y) as number];
    if (cx === cy) continue;
    review.queue++;
    const one = truth.get(x) === truth.get(y);
    if (one) review.queueTrueMatches++;
    queued.push({ score: pair.score ?? 0, one });
    reviewJoins.add(cx < cy ? `${cx}|${cy}` : `${cy}|${cx}`);
  }
  queued.sort((p, q) => q.score - p.score);
  for (const first of [500, 1000, 2000]) {
    const top = queued.slice(0, first);
    if (top.length === first) review.likeliestFirst.push({ first, trueShare: ratio(top.filter((q) => q.one).length, first) });
  }

  const heldByGuard: LinkageMeasure['heldByGuard'] = {};
  for (const pair of result.pairs) {
    if (pair.decision !== 'REVIEW' || !pair.rule || pair.rule === 'CLUSTER_CONFLICT' || pair.a.source === pair.b.source) continue;
    const [p, q] = [truth.get(recordKey(pair.a)), truth.get(recordKey(pair.b))];
    const held = (heldByGuard[pair.rule] ??= { onePerson: 0, family: 0, others: 0 });
    if (p === q) held.onePerson++;
    else if (labels.familyOf && labels.familyOf.get(p as string) === labels.familyOf.get(q as string)) held.family++;
    else held.others++;
  }

  const falsePairs = { siblings: 0, others: 0 };
  for (const cluster of result.clusters) {
    for (let i = 0; i < cluster.length; i++) {
      for (let j = i + 1; j < cluster.length; j++) {
        const [p, q] = [truth.get(recordKey(cluster[i] as RecordRef)), truth.get(recordKey(cluster[j] as RecordRef))];
        if (p === q) continue;
        const family = labels.familyOf;
        if (family && family.get(p as string) === family.get(q as string)) falsePairs.siblings++;
        else falsePairs.others++;
      }
    }
  }

  const byPerson = new Map<string, string[]>();
  for (const [key, person] of truth) {
    const list = byPerson.get(person);
    if (list) list.push(key);
    else byPerson.set(person, [key]);
  }
  const tally = new Map<string, { pairs: number; auto: number; either: number }>();
  const count = (pattern: string, auto: boolean, either: boolean) => {
    const entry = tally.get(pattern) ?? { pairs: 0, auto: 0, either: 0 };
    entry.pairs++;
    if (auto) entry.auto++;
    if (either) entry.either++;
    tally.set(pattern, entry);
  };
  const pairOf = new Map<string, { decision: string; rule?: string | null }>();
  for (const pair of result.pairs) pairOf.set(pairText(recordKey(pair.a), recordKey(pair.b)), pair);
  const missedByCause: LinkageMeasure['missedByCause'] = {};
  const system = (key: string) => key.slice(0, key.indexOf(':'));
  let foundOrQueued = 0;
  for (const keys of byPerson.values()) {
    const systems = keys.map(system);
    const hasDuplicate = new Set(systems).size < systems.length;
    for (let i = 0; i < keys.length; i++) {
      for (let j = i + 1; j < keys.length; j++) {
        const [x, y] = [keys[i] as string, keys[j] as string];
        const [cx, cy] = [clusterOf.get(x) as number, clusterOf.get(y) as number];
        const auto = cx === cy;
        const either = auto || reviewJoins.has(cx < cy ? `${cx}|${cy}` : `${cy}|${cx}`);
        if (either) foundOrQueued++;
        if (!auto) {
          const cause = missCause(x, y, pairOf.get(pairText(x, y)), hasDuplicate, compared);
          missedByCause[cause] = (missedByCause[cause] ?? 0) + 1;
        }
        const patterns = new Set([...(labels.patterns?.get(x) ?? []), ...(labels.patterns?.get(y) ?? [])]);
        if (patterns.size === 0) count('NONE', auto, either);
        for (const pattern of patterns) count(pattern, auto, either);
      }
    }
  }
  const byPattern: LinkageMeasure['byPattern'] = {};
  for (const [pattern, t] of [...tally].sort(([a], [b]) => (a < b ? -1 : 1))) {
    byPattern[pattern] = { truePairs: t.pairs, autoRecall: ratio(t.auto, t.pairs), autoPlusReviewRecall: ratio(t.either, t.pairs) };
  }
  return {
    autoLink,
    autoPlusReviewRecall: ratio(foundOrQueued, autoLink.truePairs),
    review,
    missedTruePairs: autoLink.truePairs - foundOrQueued,
    falsePairs,
    byPattern,
    missedByCause: Object.fromEntries(Object.entries(missedByCause).sort(([, p], [, q]) => (q ?? 0) - (p ?? 0))),
    heldByGuard,
  };
}

const pairText = (x: string, y: string): string => (x < y ? `${x}|${y}` : `${y}|${x}`);

function missCause(
  x: string,
  y: string,
  pair: { decision: string; rule?: string | null } | undefined,
  hasDuplicate: boolean,
  compared: ((a: RecordRef, b: RecordRef) => boolean) | undefined,
): MissCause {
  if (x.slice(0, x.indexOf(':')) === y.slice(0, y.indexOf(':'))) return 'WITHIN_ONE_SYSTEM';
  if (pair?.rule === 'CLUSTER_CONFLICT') return hasDuplicate ? 'DUPLICATE_KEPT_APART' : 'CLUSTER_CONFLICT';
  if (pair?.rule) return `GUARD_${pair.rule}`;
  if (pair) return 'SCORED_REVIEW';
  if (!compared || compared(parseRecordKey(x), parseRecordKey(y))) return 'SCORED_BELOW_REVIEW';
  return 'NEVER_COMPARED';
}

/** Precision and recall of the automatic-link pairs themselves, before clustering adds transitive pairs. */
export function measurePairs(
  result: { pairs: ReadonlyArray<{ a: RecordRef; b: RecordRef; decision: string }> },
  truth: ReadonlyMap<string, string>,
): PairCounts {
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const pair of result.pairs) {
    if (pair.decision !== 'AUTO_LINK') continue;
    predictedPairs++;
    if (truth.get(recordKey(pair.a)) === truth.get(recordKey(pair.b))) correctPairs++;
  }
  const truePairs = truePairCount(truth.keys(), truth);
  return { truePairs, predictedPairs, correctPairs, precision: ratio(correctPairs, predictedPairs), recall: ratio(correctPairs, truePairs) };
}
