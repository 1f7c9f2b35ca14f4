/**
 * Scores a match result against ground truth, pairwise: every pair of records inside one automatic
 * cluster is a predicted link; a review item joins two clusters for "auto + review" recall. Reports
 * recall per failure pattern (a true pair counts for a pattern when either record carries it) and
 * sorts wrong links by why they were easy to make (siblings, namesakes, others).
 */
import { recordKey, type RecordRef } from '../matchRecord';

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
  };
  /** Same-person pairs the matcher neither linked nor queued. */
  missedTruePairs: number;
  /** Wrong automatic pairs: between siblings (same family), between other people. */
  falsePairs: { siblings: number; others: number };
  /** Per pattern: true pairs touching it, and the share linked automatically / linked or queued. */
  byPattern: Record<string, { truePairs: number; autoRecall: number; autoPlusReviewRecall: number }>;
}

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
  result: { clusters: readonly RecordRef[][]; pairs: ReadonlyArray<{ a: RecordRef; b: RecordRef; decision: string }> },
  labels: LinkageTruth,
): LinkageMeasure {
  const { truth } = labels;
  const autoLink = measureClusters(result.clusters, truth);
  const clusterOf = new Map<string, number>();
  result.clusters.forEach((cluster, i) => cluster.forEach((ref) => clusterOf.set(recordKey(ref), i)));

  const reviewJoins = new Set<string>();
  const review = { queue: 0, queueTrueMatches: 0 };
  for (const pair of result.pairs) {
    if (pair.decision !== 'REVIEW') continue;
    const [x, y] = [recordKey(pair.a), recordKey(pair.b)];
    const [cx, cy] = [clusterOf.get(x) as number, clusterOf.get(y) as number];
    if (cx === cy) continue;
    review.queue++;
    if (truth.get(x) === truth.get(y)) review.queueTrueMatches++;
    reviewJoins.add(cx < cy ? `${cx}|${cy}` : `${cy}|${cx}`);
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
  let foundOrQueued = 0;
  for (const keys of byPerson.values()) {
    for (let i = 0; i < keys.length; i++) {
      for (let j = i + 1; j < keys.length; j++) {
        const [x, y] = [keys[i] as string, keys[j] as string];
        const [cx, cy] = [clusterOf.get(x) as number, clusterOf.get(y) as number];
        const auto = cx === cy;
        const either = auto || reviewJoins.has(cx < cy ? `${cx}|${cy}` : `${cy}|${cx}`);
        if (either) foundOrQueued++;
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
  };
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
