import { loadFebrl } from '../identity/evaluation/loadFebrl';
import { measureLinkage } from '../identity/evaluation/measureLinkage';
import { modelCalibration } from '../identity/evaluation/modelCalibration';
import { recallCeiling } from '../identity/evaluation/recallCeiling';
import { reviewThresholdCost } from '../identity/evaluation/reviewThresholdCost';
import { prepareRecord, recordKey } from '../identity/matchRecord';
import { matchRecords } from '../identity/matchRecords';

const USAGE = `Measures identity matching on FEBRL dataset 4 (development only; never commit the data).

  npm run identity:febrl -- /path/dataset4a.csv /path/dataset4b.csv`;

function main(): void {
  const [pathA, pathB] = process.argv.slice(2);
  if (!pathA || !pathB) throw new Error('two CSV paths are required');
  const data = loadFebrl(pathA, pathB);
  const started = performance.now();
  const result = matchRecords(data.records);
  const wallMs = Math.round(performance.now() - started);
  const measure = measureLinkage(result, data, (a, b) => result.index.shareComparableBlock(a, b));
  const { autoLink, autoPlusReviewRecall, review, missedTruePairs, missedByCause, heldByGuard } = measure;
  const prepared = new Map(data.records.map((r) => [recordKey(r), prepareRecord(r)]));
  const ceiling = recallCeiling(result.index, prepared, data.truth);
  const { forename, surname } = modelCalibration(result.index, prepared, data.truth);
  const report = { records: data.records.length, comparisons: result.stats.comparisons, autoLink, autoPlusReviewRecall, review, missedTruePairs, missedByCause, heldByGuard, recallCeiling: ceiling, reviewThresholdCost: reviewThresholdCost(result, data), wallMs };
  process.stdout.write(`${JSON.stringify({ ...report, modelCalibration: { forename, surname } }, null, 2)}\n`);
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
  process.exitCode = 1;
}
