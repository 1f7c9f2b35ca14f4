/**
 * Measures the matcher on labelled data it has never been tuned on: the failure-pattern generator
 * (./evaluation/generateLinkageData.ts) over a synthetic population, without national identifiers
 * unless asked. Reports precision and recall (automatic links, and automatic links plus the review
 * queue), the queue's size, recall per failure pattern, the full run's time and memory, and whether
 * an incremental run over changed and newly arrived records gives the clusters a full run with the
 * same model would.
 */
import { Prng } from '../../adapters/synthetic/prng';
import { keyboardTypo } from './evaluation/corruptions';
import { generateLinkageData, type LinkageData, type LinkageRates } from './evaluation/generateLinkageData';
import { measureLinkage, type LinkageMeasure } from './evaluation/measureLinkage';
import { modelCalibration, type ModelCalibration } from './evaluation/modelCalibration';
import { recallCeiling, type RecallCeiling } from './evaluation/recallCeiling';
import { reviewThresholdCost, type ReviewThresholdCost } from './evaluation/reviewThresholdCost';
import { prepareRecord, recordKey, type MatchRecord, type RecordRef } from './matchRecord';
import { matchIncrementally, matchRecords } from './matchRecords';

export interface EvaluationOptions {
  people: number;
  seed: number;
  /** Records carry UPNs and PNC numbers where the person has one (default false: most real records lack them). */
  withIdentifiers?: boolean;
  /** Share of records changed for the incremental run; default 0.01. The same share again arrives new. */
  changedShare?: number;
  /** Failure-pattern rates other than the generator's defaults: a harder population than the usual one. */
  rates?: Partial<LinkageRates>;
}

export interface EvaluationReport extends LinkageMeasure {
  people: number;
  seed: number;
  withIdentifiers: boolean;
  records: number;
  recordsPerSystem: Record<string, number>;
  candidateComparisons: number;
  /** Matching in memory (no reading or writing): wall and CPU time, peak memory of the process. */
  fullRun: { wallMs: number; cpuMs: number; peakRssMb: number; heapUsedAfterMb: number };
  incrementalRun: { changedRecords: number; newRecords: number; wallMs: number; comparisons: number; matchesFullRun: boolean };
  /** The best automatic recall any rule over the comparison levels and score could reach at precision 0.995 (./evaluation/recallCeiling.ts). */
  recallCeiling: RecallCeiling;
  /** The estimated m beside the share of same-person pairs at each level (--json). */
  modelCalibration: ModelCalibration;
  /** Recall (auto + review) and the queue at the run's review threshold and at lower ones (./evaluation/reviewThresholdCost.ts). */
  reviewThresholdCost: ReviewThresholdCost[];
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

/** Some records edited (a forename retyped, a move) and some new copies of known people arriving. */
function changesFor(data: LinkageData, seed: number, share: number): { edited: MatchRecord[]; arrived: MatchRecord[] } {
  const prng = new Prng(seed).fork('incremental');
  const edited: MatchRecord[] = [];
  const arrived: MatchRecord[] = [];
  let nextId = 900000;
  for (const record of data.records) {
    if (prng.chance(share)) {
      const mover = prng.pick(data.records);
      edited.push({ ...record, forename: keyboardTypo(record.forename, prng), postcode: prng.chance(0.5) ? mover.postcode : record.postcode });
    }
    if (prng.chance(share)) {
      const arrival: MatchRecord = { ...record, sourceId: `N${nextId++}`, knownAs: null };
      arrived.push(arrival);
      data.truth.set(recordKey(arrival), data.truth.get(recordKey(record)) as string);
    }
  }
  return { edited, arrived };
}

function sameClusters(a: readonly RecordRef[][], b: readonly RecordRef[][]): boolean {
  const text = (clusters: readonly RecordRef[][]) => new Set(clusters.map((c) => c.map(recordKey).join(',')));
  const [x, y] = [text(a), text(b)];
  if (x.size !== y.size) return false;
  for (const value of x) if (!y.has(value)) return false;
  return true;
}

export function evaluateMatching(options: EvaluationOptions): EvaluationReport {
  const data = generateLinkageData({ seed: options.seed, people: options.people, withIdentifiers: options.withIdentifiers, rates: options.rates });
  const recordsPerSystem: Record<string, number> = {};
  for (const record of data.records) recordsPerSystem[record.source] = (recordsPerSystem[record.source] ?? 0) + 1;

  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = matchRecords(data.records);
  const wallMs = Math.round(performance.now() - started);
  const cpuUsed = process.cpuUsage(cpu);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const heapAfter = process.memoryUsage().heapUsed;
  const measure = measureLinkage(result, data, (a, b) => result.index.shareComparableBlock(a, b));
  const prepared = new Map(data.records.map((r) => [recordKey(r), prepareRecord(r)]));
  const ceiling = recallCeiling(result.index, prepared, data.truth);
  const calibration = modelCalibration(result.index, prepared, data.truth);
  const thresholdCost = reviewThresholdCost(result, data);

  const { edited, arrived } = changesFor(data, options.seed, options.changedShare ?? 0.01);
  const incrementalStarted = performance.now();
  const incremental = matchIncrementally(result.index, [...edited, ...arrived]);
  const incrementalMs = Math.round(performance.now() - incrementalStarted);
  const editedByKey = new Map(edited.map((r) => [recordKey(r), r]));
  // Incremental runs score with the full run's model; the comparison full run uses it too.
  const rerun = matchRecords([...data.records.map((r) => editedByKey.get(recordKey(r)) ?? r), ...arrived], { model: result.index.model });
  const touched = new Set(incremental.clusters.flat().map(recordKey));
  const rerunTouched = rerun.clusters.filter((c) => c.some((ref) => touched.has(recordKey(ref))));

  return {
    people: data.people,
    seed: options.seed,
    withIdentifiers: options.withIdentifiers ?? false,
    records: data.records.length,
    recordsPerSystem,
    candidateComparisons: result.stats.comparisons,
    ...measure,
    fullRun: { wallMs, cpuMs: Math.round((cpuUsed.user + cpuUsed.system) / 1000), peakRssMb: mb(peakRss), heapUsedAfterMb: mb(heapAfter) },
    incrementalRun: {
      changedRecords: edited.length,
      newRecords: arrived.length,
      wallMs: incrementalMs,
      comparisons: incremental.stats.comparisons,
      matchesFullRun: sameClusters(incremental.clusters, rerunTouched),
    },
    recallCeiling: ceiling,
    modelCalibration: calibration,
    reviewThresholdCost: thresholdCost,
  };
}
