/**
 * Keeps the match index of the last full run so new and changed records are matched as they
 * arrive, under the same model, and written to the link store at once: a record seen for the first
 * time joins its person straight away instead of waiting, alone, for the next full run.
 */
import type { PersonRecord, SourceSystem } from '../../adapters/types';
import { applyMatchResult, loadMatchConstraints, type ApplySummary } from './linkStore';
import { recordKey, toMatchRecord, type MatchRecord, type RecordRef } from './matchRecord';
import { matchIncrementally, type MatchIndex, type MatchResult } from './matchRecords';
import { runFullMatch, scanAll, type FullMatchReport, type ScannableSource } from './runFullMatch';

type Store = Parameters<typeof applyMatchResult>[0];

export interface ArrivalReport extends ApplySummary {
  records: number;
  comparisons: number;
  modelVersion: string;
  ms: number;
  pairs: MatchResult['pairs'];
}

/** One look at the sources between full runs (`refresh`): what had changed, and what matching it wrote. */
export interface RefreshReport {
  /** Records read from all sources. */
  read: number;
  /** Records the index had never seen: created in their system since it last looked. */
  arrived: number;
  /** Records whose identifying details changed. */
  changed: number;
  /** Records the sources no longer hold (deleted there); they leave the index, their links stay as they were. */
  removed: number;
  /** What matching the arrived and changed records wrote; null when nothing had changed. */
  applied: ArrivalReport | null;
  ms: number;
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
    return this.matchChanged(records.map(toMatchRecord), now, removed);
  }

  /**
   * Reads every source and matches whatever arrived or changed since the index last looked, so a
   * record created in its own system (not through the gateway) joins its person within one round
   * instead of staying a provisional person until the next full run. A source that cannot be read
   * fails the round (nothing is taken as removed because it could not be read); the next round tries
   * again. Runs a full run first when there has been none in this process.
   */
  async refresh(now: Date): Promise<RefreshReport> {
    const started = Date.now();
    if (!this.index) {
      const full = await this.fullRun(now);
      return { read: full.records, arrived: 0, changed: 0, removed: 0, applied: null, ms: Date.now() - started };
    }
    const read = (await Promise.all(this.sources.map(scanAll))).flat();
    const { arrived, changed, removed } = this.index.differencesFrom(read);
    const applied = arrived.length + changed.length + removed.length > 0 ? await this.matchChanged([...arrived, ...changed], now, removed) : null;
    return { read: read.length, arrived: arrived.length, changed: changed.length, removed: removed.length, applied, ms: Date.now() - started };
  }

  private async matchChanged(records: readonly MatchRecord[], now: Date, removed: readonly RecordRef[]): Promise<ArrivalReport> {
    if (!this.index) await this.fullRun(now);
    const index = this.index as MatchIndex;
    const started = Date.now();
    // Decisions people made since the full run apply to arrivals too.
    index.addConstraints(await loadMatchConstraints(this.store));
    const result = matchIncrementally(index, records, { removed });
    let summary: ApplySummary;
    try {
      summary = await applyMatchResult(this.store, result, now, { reason: `Incremental match run (model ${index.model.version})` });
    } catch (error) {
      // Not written, so not seen: the next refresh finds these records new again and writes them then.
      for (const record of records) index.remove(recordKey(record));
      throw error;
    }
    return { ...summary, records: records.length, comparisons: result.stats.comparisons, modelVersion: index.model.version, ms: Date.now() - started, pairs: result.pairs };
  }

  /** Whether a record is already indexed (seen by the last full run or an arrival). */
  knows(source: SourceSystem, sourceId: string): boolean {
    return this.index?.has({ source, sourceId }) ?? false;
  }
}
