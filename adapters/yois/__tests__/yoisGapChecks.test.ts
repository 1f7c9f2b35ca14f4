/**
 * The YOIS gap checks against the generator's ground truth: every problem the generator planted
 * (`plannedProblems`) must be found; recall and the other findings are printed per kind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Database } from '../../drivers/createDatabase';
// eslint-disable-next-line import/no-restricted-paths -- a test may use the shared test helpers; production code under adapters/ may not
import { createScratchMysqlDatabase, testEngines } from '../../../test/support/testDatabases';
import { installYois } from '../../synthetic/yois/installYois';
import { openYoisDatabase } from '../openYoisDatabase';
import type { YoisSeed } from '../../synthetic/yois/seedRows';
import type { YoisTables } from '../tables';
import { createYoisGapChecks } from '../yoisGapChecks';

jest.setTimeout(120_000);

/** The seed's own "as at" date: appointments after it are not yet due. */
const REFERENCE_DATE = '2026-11-01';

describe.each(testEngines())('YOIS gap checks (%s)', (engine) => {
  let database: Database<YoisTables>;
  let seed: YoisSeed;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine === 'mysql') {
      const scratch = await createScratchMysqlDatabase('yois_gaps');
      database = openYoisDatabase(scratch.url);
      cleanup = scratch.drop;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yois-gaps-'));
      database = openYoisDatabase(`sqlite:${path.join(dir, 'yois.db')}`);
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    seed = (await installYois(database, { prngSeed: 2026, volume: 4000 })).seed!;
  });
  afterAll(async () => {
    await database?.close();
    await cleanup?.();
  });

  it('finds every planted problem (recall 1.0 for each kind) and names the record and person', async () => {
    const findings = await createYoisGapChecks(database).findGaps(REFERENCE_DATE);
    const found = new Set(findings.map((f) => `${f.kind}:${f.recordId}:${f.personSourceId}`));
    const kinds = [...new Set(seed.plannedProblems.map((p) => p.kind))].sort();
    const recall = Object.fromEntries(
      kinds.map((kind) => {
        const planted = seed.plannedProblems.filter((p) => p.kind === kind);
        const hits = planted.filter((p) => found.has(`${p.kind}:${p.recordId}:${p.personSourceId}`));
        return [kind, { planted: planted.length, found: hits.length, recall: hits.length / planted.length, reported: findings.filter((f) => f.kind === kind).length }];
      }),
    );
    const unplannedKinds = Object.fromEntries(
      [...new Set(findings.map((f) => f.kind))].filter((k) => !kinds.includes(k as never)).map((k) => [k, findings.filter((f) => f.kind === k).length]),
    );
    process.stdout.write(`YOIS gap-report recall (${engine}): ${JSON.stringify({ recall, alsoReported: unplannedKinds })}\n`);
    expect(kinds.length).toBe(5);
    for (const kind of kinds) {
      expect(recall[kind]!.planted).toBeGreaterThan(0);
      expect({ kind, recall: recall[kind]!.recall }).toEqual({ kind, recall: 1 });
    }
    // Nothing is reported for a kind the generator planted that it did not plant (precision 1.0 there).
    for (const kind of kinds) expect(recall[kind]!.reported).toBe(recall[kind]!.planted);
  });
});
