import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { evaluateMatching, type EvaluationReport } from '../identity/evaluate';
import { DEFAULT_LINKAGE_RATES, type LinkageRates } from '../identity/evaluation/generateLinkageData';
import { measureFullRun, type FullRunMeasure } from '../identity/evaluation/measureFullRun';

const USAGE = `Measures identity matching against labelled synthetic data with the failure patterns of
issue 12 (names swapped, moves, missing or mistyped dates of birth, replaced forenames, changed
surnames, sibling and namesake look-alikes, duplicates within a system), no national ids by default.

  npm run identity:evaluate -- [--people 5000,20000,100000] [--seed 11] [--with-ids] [--changed 0.01] [--json]
      [--in-memory-only] [--umis-coverage 0.62] [--rate namesake=0.02 --rate siblingLookalike=0.02 ...]

Each population size runs in its own process, so time and peak memory are that run's alone.
Prints per size: precision, recall (automatic, automatic + review), the review queue and the
matching time in memory; the automatic links missed, by cause (the error analysis); what a lower
review threshold (-4, -6, -8) would buy in recall (auto + review) and cost in queue; and the full
run end to end: IYSS, UMIS and YOIS installed in SQLite with their own seed data for that many
people, then npm run match's path timed (the adapters reading every person, matching, writing the
links to a gateway store). --in-memory-only leaves the end-to-end run out (it installs the three
systems first, a minute or more at 100,000 people). --umis-coverage is the share of people UMIS
knows in the end-to-end run: 0.62 by default, which gives about 155,000 records for 100,000 people
(the UMIS generator's own 0.35 gives about 127,000). --rate sets a failure pattern's rate in the
generated population (per person or per record, 0 to 1; names as in generateLinkageData.ts's
LinkageRates), for a harder population than the default one. --json adds each full report.
Wall times count other processes' turns on a shared machine; CPU times do not.`;

type PatternRates = Partial<Omit<LinkageRates, 'coverage'>>;

function evaluateOne(people: number, seed: number, withIdentifiers: boolean, changed: number, rates: PatternRates): EvaluationReport {
  return evaluateMatching({ people, seed, withIdentifiers, changedShare: changed, rates });
}

/** `--rate name=value`, each name one of the generator's pattern rates. */
function parseRates(given: readonly string[]): PatternRates {
  const rates: Record<string, number> = {};
  for (const text of given) {
    const [name = '', raw = ''] = text.split('=');
    const value = Number(raw);
    if (!(name in DEFAULT_LINKAGE_RATES) || name === 'coverage') throw new Error(`--rate: no pattern rate called '${name}'`);
    if (raw === '' || !(value >= 0 && value <= 1)) throw new Error(`--rate ${name}: a rate is from 0 to 1, not '${raw}'`);
    rates[name] = value;
  }
  return rates as PatternRates;
}

function summary(r: EvaluationReport): string {
  return [
    `${r.people} people`.padEnd(15),
    `${r.records} records`.padEnd(16),
    `precision ${r.autoLink.precision.toFixed(4)} (wrong pairs: ${r.falsePairs.siblings} between siblings, ${r.falsePairs.others} others)`,
    `recall(auto) ${r.autoLink.recall.toFixed(4)}`,
    `recall(auto+review) ${r.autoPlusReviewRecall.toFixed(4)}`,
    `review queue ${r.review.queue} (${r.review.queueTrueMatches} true; likeliest first: ${r.review.likeliestFirst.map((l) => `${Math.round(l.trueShare * 100)}% of the first ${l.first}`).join(', ')})`,
    `full run ${(r.fullRun.wallMs / 1000).toFixed(1)} s (CPU ${(r.fullRun.cpuMs / 1000).toFixed(1)} s)`,
    `peak RSS ${r.fullRun.peakRssMb} MB`,
    `incremental ${r.incrementalRun.changedRecords}+${r.incrementalRun.newRecords} records ${r.incrementalRun.wallMs} ms, same as full: ${r.incrementalRun.matchesFullRun}`,
  ].join(' | ');
}

function missedSummary(r: EvaluationReport): string {
  const truePairs = r.autoLink.truePairs;
  const share = (n: number) => `${((n / truePairs) * 100).toFixed(1)}%`;
  const causes = Object.entries(r.missedByCause).map(([cause, n]) => `${cause} ${n} (${share(n ?? 0)})`);
  // Pairs the one-record-per-system rule sends to review whatever their score.
  const byDesign = (r.missedByCause.WITHIN_ONE_SYSTEM ?? 0) + (r.missedByCause.DUPLICATE_KEPT_APART ?? 0);
  const c = r.recallCeiling;
  return [
    `${''.padEnd(15)} | missed automatic links: ${causes.join(', ')}`,
    `${''.padEnd(15)} | held at review by a guard (one person / brothers and sisters / others): ${Object.entries(r.heldByGuard).map(([guard, h]) => `${guard} ${h.onePerson} / ${h.family} / ${h.others}`).join(', ')}`,
    `${''.padEnd(15)} | a lower review threshold: ${r.reviewThresholdCost.map((t) => `${t.threshold}: recall(auto+review) ${t.autoPlusReviewRecall.toFixed(4)}, queue ${t.queue} (${t.queueTrueMatches} true)`).join('; ')}`,
    `${''.padEnd(15)} | recall(auto) ceiling with duplicates in one system reviewed ${(1 - byDesign / truePairs).toFixed(4)} | best any rule over these comparison levels and scores reaches at precision ${c.precisionTarget}: recall(auto) ${c.recall.toFixed(4)} (${c.recallWithSameSystemLinked.toFixed(4)} if duplicates in one system were linked too)`,
  ].join('\n');
}

function endToEndSummary(r: FullRunMeasure): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `end to end, ${r.people} people`.padEnd(15),
    `${r.records} records`.padEnd(16),
    `total ${s(r.ms)} (CPU ${s(r.cpuMs)})`,
    `read ${s(r.phases.readMs)}`,
    `match ${s(r.phases.matchMs)}`,
    `write ${s(r.phases.writeMs)}`,
    `${r.autoLinks} automatic links, ${r.reviews} review pairs`,
    `peak RSS ${r.peakRssMb} MB`,
    `load average ${loadavg()[0]?.toFixed(1)} after`,
  ].join(' | ');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      people: { type: 'string' },
      seed: { type: 'string' },
      changed: { type: 'string' },
      'with-ids': { type: 'boolean' },
      json: { type: 'boolean' },
      'in-memory-only': { type: 'boolean' },
      'umis-coverage': { type: 'string' },
      rate: { type: 'string', multiple: true },
      /** The default now; accepted so older command lines still run. */
      'end-to-end': { type: 'boolean' },
      child: { type: 'boolean' },
      'child-end-to-end': { type: 'boolean' },
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
  const umisCoverage = Number(values['umis-coverage'] ?? 0.62);
  if (!(umisCoverage >= 0 && umisCoverage <= 1)) throw new Error(`--umis-coverage: unexpected value '${values['umis-coverage']}'`);
  const rateArgs = values.rate ?? [];
  const rates = parseRates(rateArgs);

  if (values.child) {
    process.stdout.write(JSON.stringify(evaluateOne(sizes[0] as number, seed, withIds, changed, rates)));
    return;
  }
  if (values['child-end-to-end']) {
    process.stdout.write(JSON.stringify(await measureFullRun(sizes[0] as number, seed, umisCoverage)));
    return;
  }
  const rateText = rateArgs.length > 0 ? `; rates changed: ${rateArgs.join(', ')}` : '';
  process.stdout.write(`seed ${seed}, ${withIds ? 'with' : 'no'} national ids${rateText}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on this machine\n`);
  for (const people of sizes) {
    const args = [...process.execArgv, process.argv[1] as string, '--child', '--people', String(people), '--seed', String(seed), '--changed', String(changed)];
    if (withIds) args.push('--with-ids');
    for (const rate of rateArgs) args.push('--rate', rate);
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`evaluation of ${people} people failed: ${child.stderr}`);
    const report = JSON.parse(child.stdout) as EvaluationReport;
    process.stdout.write(`${summary(report)}\n${missedSummary(report)}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    if (!values['in-memory-only']) {
      const e2e = spawnSync(process.execPath, [...process.execArgv, process.argv[1] as string, '--child-end-to-end', '--people', String(people), '--seed', String(seed), '--umis-coverage', String(umisCoverage)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (e2e.status !== 0) throw new Error(`end-to-end run of ${people} people failed: ${e2e.stderr}`);
      process.stdout.write(`${endToEndSummary(JSON.parse(e2e.stdout) as FullRunMeasure)}\n`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
  process.exitCode = 1;
});
