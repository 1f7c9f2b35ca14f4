import type { PersonRecord } from '../../adapters/types';
import { applyMatchResult, loadMatchConstraints, type ApplySummary } from './linkStore';
import { toMatchRecord, type MatchRecord } from './matchRecord';
import { matchRecords, type MatchIndex } from './matchRecords';

/** A system the matcher can read every live person of, page by page. */
export interface ScannableSource {
  scanPeople(after: string | null, limit: number): Promise<Array<PersonRecord & { pncNumber?: string | null }>>;
}

const PAGE = 1_000;

/** Every live person record of one source, as the matcher takes them. */
export async function scanAll(source: ScannableSource): Promise<MatchRecord[]> {
  const records: MatchRecord[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await source.scanPeople(after, PAGE);
    records.push(...page.map(toMatchRecord));
    if (page.length < PAGE) return records;
    after = page[page.length - 1]!.sourceId;
  }
}

export interface FullMatchReport extends ApplySummary {
  records: number;
  comparisons: number;
  autoLinks: number;
  reviews: number;
  /** The model the run estimated and scored with. */
  modelVersion: string;
  ms: number;
  /** Where the time went: reading the sources, matching, writing the links. */
  phases: { readMs: number; matchMs: number; writeMs: number };
}

/**
 * Reads every person from every source, matches them (respecting people's confirmations and
 * rejections) and writes the result to the link store. Idempotent: a rerun with no changes writes nothing.
 */
export async function runFullMatch(
  store: Parameters<typeof applyMatchResult>[0],
  sources: readonly ScannableSource[],
  now: Date,
  /** Receives the run's index, for incremental matching after it (see incrementalMatcher.ts). */
  keepIndex?: (index: MatchIndex) => void,
): Promise<FullMatchReport> {
  const started = Date.now();
  const records = (await Promise.all(sources.map(scanAll))).flat();
  const constraints = await loadMatchConstraints(store);
  const read = Date.now();
  const result = matchRecords(records, constraints);
  const matched = Date.now();
  keepIndex?.(result.index);
  // The event says which model made the links; each pair's explanation carries the same version.
  const summary = await applyMatchResult(store, result, now, { reason: `Full match run (model ${result.index.model.version})` });
  const written = Date.now();
  return {
    ...summary,
    records: records.length,
    comparisons: result.stats.comparisons,
    autoLinks: result.stats.autoLinks,
    reviews: result.stats.reviews,
    modelVersion: result.index.model.version,
    ms: written - started,
    phases: { readMs: read - started, matchMs: matched - read, writeMs: written - matched },
  };
}
