/**
 * Report benchmark: each measure computed as aggregate SQL in its source over a synthetic population
 * (default 20,000 young people), on SQLite and on MariaDB when MYSQL_URL is set. Prints one JSON line
 * per engine and report: statements, median and p95 milliseconds over the runs (suppression included).
 * Not part of `npm test`.
 *
 *   MYSQL_URL=mysql://root@127.0.0.1:3306/test npx tsx test/bench/reports.ts
 *   BENCH_VOLUME=20000 BENCH_RUNS=7 npx tsx test/bench/reports.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../../adapters/drivers/createDatabase';
import { createIyssAggregates } from '../../adapters/iyss/iyssAggregates';
import { installIyss } from '../../adapters/iyss/installIyss';
import type { IyssTables } from '../../adapters/iyss/tables';
import { generatePopulation } from '../../adapters/synthetic/population';
import { installYois } from '../../adapters/yois/installYois';
import { openYoisDatabase } from '../../adapters/yois/openYoisDatabase';
import type { YoisTables } from '../../adapters/yois/tables';
import { createYoisAggregates } from '../../adapters/yois/yoisAggregates';
import { runReport, type ReportRequest } from '../../src/reports/runReport';
import { createScratchMysqlDatabase, testEngines } from '../support/testDatabases';

const VOLUME = Number(process.env.BENCH_VOLUME ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const REPORTS: ReportRequest[] = [
  { measure: 'FIRST_TIME_ENTRANTS', from: '2025-11-01', to: '2026-11-01', breakdowns: [], filters: [] },
  { measure: 'FIRST_TIME_ENTRANTS', from: '2025-11-01', to: '2026-11-01', breakdowns: ['AGE_BAND', 'GENDER', 'POSTCODE_DISTRICT'], filters: [] },
  { measure: 'REOFFENDERS', from: '2025-01-01', to: '2026-01-01', breakdowns: ['AGE_BAND', 'GENDER'], filters: [] },
  { measure: 'POSITIVE_ACTIVITY_PARTICIPATION', from: '2025-11-01', to: '2026-11-01', breakdowns: ['ACTIVITY_TYPE', 'GENDER'], filters: [] },
  { measure: 'NEET_16_TO_18', from: '2026-08-01', to: '2026-11-01', breakdowns: ['MONTH', 'AGE_BAND'], filters: [] },
  { measure: 'NEET_16_TO_18', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH'], filters: [] },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function main(): Promise<void> {
  const population = generatePopulation({ seed: 2026, size: VOLUME });
  for (const engine of testEngines()) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reports-'));
    const scratch = engine === 'mysql' ? await createScratchMysqlDatabase('bench_reports') : null;
    const url = (name: string) => scratch?.url ?? `sqlite:${path.join(dir, `${name}.db`)}`;
    const yois: Database<YoisTables> = openYoisDatabase(url('yois'));
    const iyss: Database<IyssTables> = createDatabase<IyssTables>(url('iyss'));
    try {
      const seeded = Date.now();
      await installYois(yois, { prngSeed: 2026, volume: VOLUME, population });
      await installIyss(iyss, { prngSeed: 2026, volume: VOLUME, population });
      const people = {
        yois: Number((await yois.db.selectFrom('YP_PERSON').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
        iyss: Number((await iyss.db.selectFrom('tblYoungPerson').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      };
      process.stdout.write(`${JSON.stringify({ engine, population: VOLUME, people, seedSeconds: (Date.now() - seeded) / 1000 })}\n`);
      const sources = { yois: createYoisAggregates(yois), iyss: createIyssAggregates(iyss) };
      for (const request of REPORTS) {
        const times: number[] = [];
        let statements = 0;
        let cells = 0;
        for (let run = 0; run < RUNS; run++) {
          const before = yois.stats.statements + iyss.stats.statements;
          const started = process.hrtime.bigint();
          const result = await runReport(sources, request, { threshold: 5, now: new Date() });
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
          statements = yois.stats.statements + iyss.stats.statements - before;
          cells = result.cells.length;
        }
        times.sort((a, b) => a - b);
        process.stdout.write(
          `${JSON.stringify({ engine, measure: request.measure, period: `${request.from}..${request.to}`, breakdowns: request.breakdowns, statements, cells, runs: RUNS, medianMs: Math.round(percentile(times, 0.5)), p95Ms: Math.round(percentile(times, 0.95)) })}\n`,
        );
      }
    } finally {
      await yois.close();
      await iyss.close();
      await scratch?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
