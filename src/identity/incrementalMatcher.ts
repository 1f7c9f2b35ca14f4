/**
 * Keeps the match index of the last full run so new and changed records are matched as they
 * arrive, under the same model, and written to the link store at once: a record seen for the first
 * time joins its person straight away instead of waiting, alone, for the next full run.
 */
import type { PersonRecord, SourceSystem } from '../../adapters/types';
import { applyMatchResult, loadMatchConstraints, type ApplySummary } from './linkStore';
import { toMatchRecord, type RecordRef } from './matchRecord';
import { matchIncrementally, type MatchIndex, type MatchResult } from './matchRecords';
import { runFullMatch, type FullMatchReport, type ScannableSource } from './runFullMatch';

type Store = Parameters<typeof applyMatchResult>[0];

export interface ArrivalReport extends ApplySummary {
  records: number;
  comparisons: number;
  modelVersion: string;
  ms: number;
  pairs: MatchResult['pairs'];
}

export class IncrementalMatcher {
  private index: MatchIndex | null = null;

  constructor(
    private readonly store: Store,
    private readonly sources: readonly ScannableSource[],
  ) {}

  /** A full run (reads every source, re-estimates the model); later arrivals continue from it. */
  async fullRun(now: Date): Promise<FullMatchReport> {
    return runFullMatch(this.store, this.sources, now, (index) => (this.index = index));
  }

  /**
   * Matches records that are new or changed since the last run (and drops `removed` ones) against
   * everything indexed, writes the clusters they touch, and returns the pairs (with explanations).
   * Runs a full run first when there has been none in this process.
   */
  async onRecords(
    records: ReadonlyArray<PersonRecord & { pncNumber?: string | null }>,
    now: Date,
    removed: readonly RecordRef[] = [],
  ): Promise<ArrivalReport> {
    if (!this.index) await this.fullRun(now);
    const index = this.index as MatchIndex;
    const started = Date.now();
    // Decisions people made since the full run apply to arrivals too.
    index.addConstraints(await loadMatchConstraints(this.store));
    const result = matchIncrementally(index, records.map(toMatchRecord), { removed });
    const summary = await applyMatchResult(this.store, result, now, { reason: `Incremental match run (model ${index.model.version})` });
    return { ...summary, records: records.length, comparisons: result.stats.comparisons, modelVersion: index.model.version, ms: Date.now() - started, pairs: result.pairs };
  }

  /** Whether a record is already indexed (seen by the last full run or an arrival). */
  knows(source: SourceSystem, sourceId: string): boolean {
    return this.index?.has({ source, sourceId }) ?? false;
  }
}
