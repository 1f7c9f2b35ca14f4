import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { evaluateMatching, type EvaluationReport } from '../identity/evaluate';

const USAGE = `Measures identity matching against labelled synthetic data with the failure patterns of
issue 12 (names swapped, moves, missing or mistyped dates of birth, replaced forenames, changed
surnames, sibling and namesake look-alikes, duplicates within a system), no national ids by default.

  npm run identity:evaluate -- [--people 5000,20000,100000] [--seed 11] [--with-ids] [--changed 0.01] [--json]

Each population size runs in its own process, so time and peak memory are that run's alone.
Prints a summary table (and with --json, each full report).`;

function evaluateOne(people: number, seed: number, withIdentifiers: boolean, changed: number): EvaluationReport {
  return evaluateMatching({ people, seed, withIdentifiers, changedShare: changed });
}

function summary(r: EvaluationReport): string {
  return [
    `${r.people} people`.padEnd(15),
    `${r.records} records`.padEnd(16),
    `precision ${r.autoLink.precision.toFixed(4)}`,
    `recall(auto) ${r.autoLink.recall.toFixed(4)}`,
    `recall(auto+review) ${r.autoPlusReviewRecall.toFixed(4)}`,
    `review queue ${r.review.queue} (${r.review.queueTrueMatches} true)`,
    `full run ${(r.fullRun.wallMs / 1000).toFixed(1)} s`,
    `peak RSS ${r.fullRun.peakRssMb} MB`,
    `incremental ${r.incrementalRun.changedRecords}+${r.incrementalRun.newRecords} records ${r.incrementalRun.wallMs} ms, same as full: ${r.incrementalRun.matchesFullRun}`,
  ].join(' | ');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      people: { type: 'string' },
      seed: { type: 'string' },
      changed: { type: 'string' },
      'with-ids': { type: 'boolean' },
      json: { type: 'boolean' },
      child: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const sizes = (values.people ?? '5000,20000,100000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--people: unexpected value '${values.people}'`);
  const seed = Number(values.seed ?? 11);
  if (!Number.isInteger(seed)) throw new Error(`--seed: unexpected value '${values.seed}'`);
  const changed = Number(values.changed ?? 0.01);
  if (!(changed >= 0 && changed <= 1)) throw new Error(`--changed: unexpected value '${values.changed}'`);
  const withIds = values['with-ids'] ?? false;

  if (values.child) {
    process.stdout.write(JSON.stringify(evaluateOne(sizes[0] as number, seed, withIds, changed)));
    return;
  }
  for (const people of sizes) {
    const args = [...process.execArgv, process.argv[1] as string, '--child', '--people', String(people), '--seed', String(seed), '--changed', String(changed)];
    if (withIds) args.push('--with-ids');
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`evaluation of ${people} people failed: ${child.stderr}`);
    const report = JSON.parse(child.stdout) as EvaluationReport;
    process.stdout.write(`${summary(report)}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
  process.exitCode = 1;
}
