/**
 * The full match run end to end, as `npm run match` does it: the IYSS, UMIS and YOIS adapters read
 * every live person from their databases (SQLite files installed with the systems' own seed data
 * for a population), the matcher runs, and the links are written to a gateway store. Measures time
 * per phase and peak memory: the scale figure, apart from the quality figures the failure-pattern
 * generator gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from '../../../adapters/drivers/createDatabase';
import { createIyssAdapter } from '../../../adapters/iyss/createIyssAdapter';
import { installIyss } from '../../../adapters/synthetic/iyss/installIyss';
import type { IyssTables } from '../../../adapters/iyss/tables';
import { generatePopulation } from '../../../adapters/synthetic/population';
import { createUmisAdapter } from '../../../adapters/umis/createUmisAdapter';
import { installUmis } from '../../../adapters/synthetic/umis/installUmis';
import type { UmisTables } from '../../../adapters/umis/tables';
import { createYoisAdapter } from '../../../adapters/yois/createYoisAdapter';
import { installYois } from '../../../adapters/synthetic/yois/installYois';
import { openYoisDatabase } from '../../../adapters/yois/openYoisDatabase';
import { ensureIdentitySchema, type IdentityTables } from '../linkStore';
import { runFullMatch, type FullMatchReport } from '../runFullMatch';

export interface FullRunMeasure extends FullMatchReport {
  people: number;
  installMs: number;
  /** CPU time (user + system) of the run: on a shared machine wall time also counts other processes' turns. */
  cpuMs: number;
  peakRssMb: number;
}

/**
 * `umisCoverage` raises the share of people UMIS knows above its generator's own (0.35), so a run
 * reads as many records as a borough's three systems hold (issue 12: about 155,000 for 100,000 people).
 */
export async function measureFullRun(people: number, seed: number, umisCoverage?: number): Promise<FullRunMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'identity-full-run-'));
  const iyssDb = createDatabase<IyssTables>(`sqlite:${join(dir, 'iyss.db')}`);
  const umisDb = createDatabase<UmisTables>(`sqlite:${join(dir, 'umis.db')}`);
  const yoisDb = openYoisDatabase(`sqlite:${join(dir, 'yois.db')}`);
  const store = createDatabase<IdentityTables>(`sqlite:${join(dir, 'gateway.db')}`);
  try {
    const installStarted = Date.now();
    const population = generatePopulation({ seed, size: people });
    await installIyss(iyssDb, { prngSeed: seed, volume: people, population });
    await installUmis(umisDb, { prngSeed: seed, volume: people, population, coverage: umisCoverage });
    await installYois(yoisDb, { prngSeed: seed, volume: people, population });
    await ensureIdentitySchema(store);
    const installMs = Date.now() - installStarted;
    const cpu = process.cpuUsage();
    const report = await runFullMatch(store as unknown as Parameters<typeof runFullMatch>[0], [createIyssAdapter(iyssDb), createUmisAdapter(umisDb), createYoisAdapter(yoisDb)], new Date('2026-12-01T00:00:00Z'));
    const used = process.cpuUsage(cpu);
    return { ...report, people, installMs, cpuMs: Math.round((used.user + used.system) / 1000), peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10 };
  } finally {
    await Promise.allSettled([iyssDb.close(), umisDb.close(), yoisDb.close(), store.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
