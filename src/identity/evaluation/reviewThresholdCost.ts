/**
 * What a lower review threshold would buy and what it would cost: for each threshold, the recall of
 * automatic links plus review, and the queue a person would then have to work (and how much of it is
 * one person). Automatic links stay as they are; only pairs the run compared and scored below the
 * review threshold are added to the queue, so pairs no block brought together stay missed.
 */
import { recordKey, type RecordRef } from '../matchRecord';
import type { MatchIndex, MatchResult } from '../matchRecords';
import { compareFields } from '../model/compareFields';
import { pairTotal } from '../scorePair';
import { measureLinkage, type LinkageTruth } from './measureLinkage';

export interface ReviewThresholdCost {
  /** Review threshold (log2 odds of one person). */
  threshold: number;
  autoPlusReviewRecall: number;
  /** Review items between records the clusters keep apart. */
  queue: number;
  /** Of those, items whose two records are one person. */
  queueTrueMatches: number;
}

const pairText = (a: RecordRef, b: RecordRef): string => {
  const [x, y] = [recordKey(a), recordKey(b)];
  return x < y ? `${x}|${y}` : `${y}|${x}`;
};

/** The run's own review threshold first, then each lower one asked for. */
export function reviewThresholdCost(
  result: MatchResult & { index: MatchIndex },
  labels: LinkageTruth,
  lowerThresholds: readonly number[] = [-4, -6, -8],
): ReviewThresholdCost[] {
  const { model, knowledge } = result.index;
  const lowest = Math.min(...lowerThresholds);
  const scored = new Set(result.pairs.map((p) => pairText(p.a, p.b)));
  const below: Array<{ a: RecordRef; b: RecordRef; decision: 'REVIEW'; score: number }> = [];
  result.index.forEachCandidate((a, b) => {
    const score = pairTotal(model, a, b, compareFields(a, b, knowledge));
    if (score >= lowest && !scored.has(pairText(a.record, b.record))) below.push({ a: a.record, b: b.record, decision: 'REVIEW', score });
  });
  return [model.thresholds.review, ...lowerThresholds].map((threshold) => {
    const pairs = [...result.pairs, ...below.filter((p) => p.score >= threshold)];
    const measure = measureLinkage({ clusters: result.clusters, pairs }, { truth: labels.truth });
    return { threshold, autoPlusReviewRecall: measure.autoPlusReviewRecall, queue: measure.review.queue, queueTrueMatches: measure.review.queueTrueMatches };
  });
}
