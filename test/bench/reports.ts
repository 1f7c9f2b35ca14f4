/**
 * Report benchmark: each measure computed as aggregate SQL in its source over a synthetic population
 * (default 20,000 young people), on SQLite and on MariaDB when MYSQL_URL is set. Prints one JSON line
 * per engine and report: statements, median and p95 milliseconds over the runs (suppression included).
 * Not part of `npm test`.
 *
 *   MYSQL_URL=mysql://root@127.0.0.1:3306/test npx tsx test/bench/reports.ts
 *   BENCH_VOLUME=20000 BENCH_RUNS=7 npx tsx test/bench/reports.ts
 *   BENCH_MEASURES=BREACH_WARNINGS,ORDERS_WARNED BENCH_ENGINES=mysql npx tsx test/bench/reports.ts   (a subset)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../../adapters/drivers/createDatabase';
import { createIyssAggregates } from '../../adapters/iyss/iyssAggregates';
import { installIyss } from '../../adapters/synthetic/iyss/installIyss';
import type { IyssTables } from '../../adapters/iyss/tables';
import { generatePopulation } from '../../adapters/synthetic/population';
import { installYois } from '../../adapters/synthetic/yois/installYois';
import { openYoisDatabase } from '../../adapters/yois/openYoisDatabase';
import type { YoisTables } from '../../adapters/yois/tables';
import { createYoisAggregates } from '../../adapters/yois/yoisAggregates';
import { runReport, type ReportRequest } from '../../src/reports/runReport';
import { installUmis } from '../../adapters/synthetic/umis/installUmis';
import type { UmisTables } from '../../adapters/umis/tables';
import { insertRows } from '../../adapters/drivers/insertRows';
import { createCoreUnitResolver, linkedDimensions } from '../../src/reports/coreUnits';
import { createGoldenDatesOfBirth } from '../../src/reports/goldenDates';
import { createIyssAdapter } from '../../adapters/iyss/createIyssAdapter';
import { createUmisAdapter } from '../../adapters/umis/createUmisAdapter';
import { createYoisAdapter } from '../../adapters/yois/createYoisAdapter';
import { migrateGatewayStore } from '../../src/store/migrateGatewayStore';
import { createTriageAggregates } from '../../src/reports/triageAggregates';
import { Prng } from '../../adapters/synthetic/prng';

/**
 * A year of Partnership Triage: about 6,000 referrals (mostly police), each received, most checked, some
 * handed off or listed for the panel; half the panel cases allocated to one to four agencies and closed 2-20
 * weeks after listing; and a check request (meeting or pre-sentence report) for every tenth referral.
 */
async function seedReferrals(store: Database<Record<string, never>>, count: number): Promise<void> {
  const prng = new Prng('bench-referrals');
  const sources: Array<readonly [string, number]> = [['POLICE_NOTIFICATION', 70], ['SCHOOL', 10], ['HEALTH', 6], ['SOCIAL_CARE', 6], ['VOLUNTARY_SECTOR', 5], ['SELF_OR_WALK_IN', 3]];
  const referrals: object[] = [];
  const steps: object[] = [];
  const allocations: object[] = [];
  const agencies = ['NIA', 'SAFER_LONDON', 'IGIP', 'YOUNG_HACKNEY'];
  const start = Date.parse('2025-11-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    const id = `R-BENCH${String(i).padStart(6, '0')}`;
    const received = start + prng.int(0, 364) * 86_400_000 + prng.int(8, 18) * 3_600_000;
    const at = (days: number) => new Date(received + days * 86_400_000).toISOString();
    const path = prng.weighted<string>([['NO_FURTHER_ACTION', 55], ['ACKNOWLEDGED', 30], ['LISTED_FOR_PANEL', 10], ['RECEIVED', 5]]);
    const kinds = path === 'RECEIVED' ? ['RECEIVED'] : path === 'NO_FURTHER_ACTION' ? ['RECEIVED', 'CHECKS_RUN', 'DECIDED'] : path === 'ACKNOWLEDGED' ? ['RECEIVED', 'CHECKS_RUN', 'DECIDED', 'HANDED_OFF', 'ACKNOWLEDGED'] : ['RECEIVED', 'CHECKS_RUN', 'DECIDED', 'LISTED_FOR_PANEL'];
    referrals.push({ referral_id: id, referral_no: i + 1, kind: 'REFERRAL', subject_key: null, source: prng.weighted(sources), received_at: at(0), family_consented: null, status: path, panel_date: null, version: kinds.length, created_at: at(0), updated_at: at(kinds.length) });
    kinds.forEach((kind, n) => steps.push({ referral_id: id, step_no: n + 1, kind, occurred_at: at(n), recorded_at: at(n), actor: 'bench', actor_name: 'Bench', status_after: path, detail_json: '{}' }));
    if (path === 'LISTED_FOR_PANEL' && prng.int(0, 1) === 1) {
      const closedOn = kinds.length + 7 * prng.int(2, 20);
      steps.push({ referral_id: id, step_no: kinds.length + 1, kind: 'PANEL_REVIEWED', occurred_at: at(closedOn), recorded_at: at(closedOn), actor: 'bench', actor_name: 'Bench', status_after: 'CLOSED', detail_json: '{}' });
      for (const agency of agencies.slice(prng.int(0, 2), prng.int(3, 4))) {
        allocations.push({ referral_id: id, step_no: kinds.length + 1, agency_id: agency, panel_date: at(closedOn).slice(0, 10) });
      }
    }
    if (i % 10 === 0) {
      const requestId = `R-BENCHCR${String(i).padStart(6, '0')}`;
      const kind = prng.int(0, 1) === 1 ? 'MULTI_AGENCY_MEETING' : 'PRE_SENTENCE_REPORT';
      referrals.push({ referral_id: requestId, referral_no: count + i + 1, kind, subject_key: null, source: 'COURT', received_at: at(0), family_consented: null, status: 'CHECKS_RETURNED', panel_date: null, version: 2, created_at: at(0), updated_at: at(1) });
      steps.push({ referral_id: requestId, step_no: 1, kind: 'RECEIVED', occurred_at: at(0), recorded_at: at(0), actor: 'bench', actor_name: 'Bench', status_after: 'RECEIVED', detail_json: '{}' });
    }
  }
  await insertRows(store.db, 'referral', referrals);
  await insertRows(store.db, 'referral_step', steps);
  await insertRows(store.db, 'panel_allocation', allocations);
}

/** A breaker that lets every call through (the benchmark times the SQL, not fault handling). */
const PASS = { run: <T>(attempt: () => Promise<T>) => attempt() };
import { createScratchMysqlDatabase, testEngines } from '../support/testDatabases';
import type { AggregateQuery, SourceAggregate } from '../../adapters/aggregates';

const VOLUME = Number(process.env.BENCH_VOLUME ?? 20_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const ALL_REPORTS: ReportRequest[] = [
  { measure: 'FIRST_TIME_ENTRANTS', from: '2025-11-01', to: '2026-11-01', breakdowns: [], filters: [] },
  { measure: 'FIRST_TIME_ENTRANTS', from: '2025-11-01', to: '2026-11-01', breakdowns: ['AGE_BAND', 'GENDER', 'POSTCODE_DISTRICT'], filters: [] },
  { measure: 'REOFFENDERS', from: '2025-01-01', to: '2026-01-01', breakdowns: ['AGE_BAND', 'GENDER'], filters: [] },
  { measure: 'REOFFENDERS', from: '2025-01-01', to: '2026-01-01', breakdowns: ['CORE_UNIT'], filters: [] },
  { measure: 'REOFFENDING_COHORT', from: '2025-01-01', to: '2026-01-01', breakdowns: ['CORE_UNIT', 'GENDER'], filters: [] },
  { measure: 'POSITIVE_ACTIVITY_PARTICIPATION', from: '2025-11-01', to: '2026-11-01', breakdowns: ['ACTIVITY_TYPE', 'GENDER'], filters: [] },
  { measure: 'NEET_16_TO_18', from: '2026-08-01', to: '2026-11-01', breakdowns: ['MONTH', 'AGE_BAND'], filters: [] },
  { measure: 'NEET_16_TO_18', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH'], filters: [] },
  { measure: 'NEET_16_TO_18_GOLDEN_DOB', from: '2026-08-01', to: '2026-11-01', breakdowns: ['MONTH', 'AGE_BAND'], filters: [] },
  { measure: 'BREACH_WARNINGS', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH', 'GENDER'], filters: [] },
  { measure: 'ORDERS_WARNED', from: '2025-11-01', to: '2026-11-01', breakdowns: ['AGE_BAND', 'POSTCODE_DISTRICT'], filters: [] },
  { measure: 'ORDERS_AT_SECOND_STRIKE', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH'], filters: [] },
  { measure: 'REFERRALS_RECEIVED', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH', 'REFERRAL_SOURCE', 'REFERRAL_STATUS'], filters: [] },
  { measure: 'REFERRALS_HANDED_OFF', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH'], filters: [] },
  { measure: 'NEW_PANEL_CASES', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH', 'REFERRAL_SOURCE'], filters: [] },
  { measure: 'PANEL_CASES_CLOSED', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH', 'REFERRAL_SOURCE'], filters: [] },
  { measure: 'PANEL_ALLOCATIONS', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH', 'PANEL_AGENCY'], filters: [] },
  { measure: 'CHECK_REQUESTS', from: '2025-11-01', to: '2026-11-01', breakdowns: ['MONTH', 'REQUEST_KIND'], filters: [] },
];
const REPORTS = ALL_REPORTS.filter((request) => !process.env.BENCH_MEASURES || process.env.BENCH_MEASURES.split(',').includes(request.measure));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function main(): Promise<void> {
  const population = generatePopulation({ seed: 2026, size: VOLUME });
  for (const engine of testEngines().filter((e) => !process.env.BENCH_ENGINES || process.env.BENCH_ENGINES.split(',').includes(e))) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-reports-'));
    const scratch = engine === 'mysql' ? await createScratchMysqlDatabase('bench_reports') : null;
    const url = (name: string) => scratch?.url ?? `sqlite:${path.join(dir, `${name}.db`)}`;
    const yois: Database<YoisTables> = openYoisDatabase(url('yois'));
    const iyss: Database<IyssTables> = createDatabase<IyssTables>(url('iyss'));
    const umis: Database<UmisTables> = createDatabase<UmisTables>(url('umis'));
    const store = createDatabase<Record<string, never>>(url('store'));
    try {
      const seeded = Date.now();
      const yoisTruth = (await installYois(yois, { prngSeed: 2026, volume: VOLUME, population })).seed!.truth;
      const iyssTruth = (await installIyss(iyss, { prngSeed: 2026, volume: VOLUME, population })).seed!.truth;
      // UMIS and identity links (from the generator's truth: every IYSS, UMIS and YOIS record of one child linked) for CORE_UNIT and golden dates of birth.
      const umisSeed = (await installUmis(umis, { prngSeed: 2026, volume: VOLUME, population })).seed!;
      // The store as a gateway runs it: every migration (identity links, referrals with 0003's columns).
      await migrateGatewayStore(store);
      await seedReferrals(store, 6_000);
      const at = '2026-11-01T00:00:00.000Z';
      const keys = [...new Set([...yoisTruth.map((t) => t.personKey), ...umisSeed.truth.map((t) => t.personKey), ...iyssTruth.map((t) => t.personKey)])];
      await insertRows(store.db, 'identity_person', keys.map((key) => ({ person_id: `P-${key}`, created_at: at })));
      const link = (system: string, personKey: string, sourceId: string) => ({ person_id: `P-${personKey}`, source_system: system, source_id: sourceId, method: 'DETERMINISTIC', score: null, made_by: 'bench', made_at: at, active: 1 });
      await insertRows(store.db, 'identity_link', [...yoisTruth.map((t) => link('YOIS', t.personKey, t.sourceId)), ...umisSeed.truth.map((t) => link('UMIS', t.personKey, t.sourceId)), ...iyssTruth.map((t) => link('IYSS', t.personKey, String(t.youngPersonId)))]);
      const people = {
        yois: Number((await yois.db.selectFrom('YP_PERSON').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
        iyss: Number((await iyss.db.selectFrom('tblYoungPerson').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      };
      process.stdout.write(`${JSON.stringify({ engine, population: VOLUME, people, seedSeconds: (Date.now() - seeded) / 1000 })}\n`);
      // Time spent waiting for the aggregate statements, apart from disclosure control in the gateway.
      let sqlMs = 0;
      const timed = <T extends object>(aggregates: T): T =>
        Object.fromEntries(
          Object.entries(aggregates).map(([name, aggregate]) => [
            name,
            {
              dimensions: (aggregate as SourceAggregate).dimensions,
              count: async (query: AggregateQuery) => {
                // Summed over every statement of the report (reset per run below), not only its last one.
                const started = process.hrtime.bigint();
                try {
                  return await (aggregate as SourceAggregate).count(query);
                } finally {
                  sqlMs += Number(process.hrtime.bigint() - started) / 1e6;
                }
              },
            },
          ]),
        ) as T;
      const sources = {
        yois: timed(createYoisAggregates(yois)),
        iyss: timed(createIyssAggregates(iyss)),
        store: timed(createTriageAggregates(store)),
        linked: linkedDimensions(
          createCoreUnitResolver({ store: store as never, yois, umis, breakers: { YOIS: PASS, UMIS: PASS } as never }),
          createGoldenDatesOfBirth({ store: store as never, sources: { iyss: createIyssAdapter(iyss), umis: createUmisAdapter(umis), yois: createYoisAdapter(yois) }, breakers: { IYSS: PASS, UMIS: PASS, YOIS: PASS } as never }),
        ),
      };
      for (const request of REPORTS) {
        const times: number[] = [];
        const sqlTimes: number[] = [];
        let statements = 0;
        let cells = 0;
        for (let run = 0; run < RUNS; run++) {
          const before = yois.stats.statements + iyss.stats.statements + umis.stats.statements + store.stats.statements;
          sqlMs = 0;
          const started = process.hrtime.bigint();
          const result = await runReport(sources, request, { threshold: 5, now: new Date() });
          times.push(Number(process.hrtime.bigint() - started) / 1e6);
          sqlTimes.push(sqlMs);
          statements = yois.stats.statements + iyss.stats.statements + umis.stats.statements + store.stats.statements - before;
          cells = result.cells.length;
        }
        times.sort((a, b) => a - b);
        sqlTimes.sort((a, b) => a - b);
        process.stdout.write(
          `${JSON.stringify({ engine, measure: request.measure, period: `${request.from}..${request.to}`, breakdowns: request.breakdowns, statements, cells, runs: RUNS, medianMs: Math.round(percentile(times, 0.5)), p95Ms: Math.round(percentile(times, 0.95)), medianSqlMs: Math.round(percentile(sqlTimes, 0.5)) })}\n`,
        );
      }
    } finally {
      await yois.close();
      await iyss.close();
      await umis.close();
      await store.close();
      await scratch?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
