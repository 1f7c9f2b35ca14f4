/**
 * The UMIS gap checks against the generator's ground truth: every problem the generator planted
 * (`plannedProblems`) must be found; recall and any further findings are printed per kind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../../drivers/createDatabase';
// eslint-disable-next-line import/no-restricted-paths -- a test may use the shared test helpers; production code under adapters/ may not
import { createScratchMysqlDatabase, testEngines } from '../../../test/support/testDatabases';
import { installUmis } from '../../synthetic/umis/installUmis';
import type { UmisSeed } from '../../synthetic/umis/seedRows';
import type { UmisTables } from '../tables';
import { createUmisGapChecks } from '../umisGapChecks';

jest.setTimeout(120_000);

/** The seed's own "as at" date: reviews after it are in the future. */
const REFERENCE_DATE = '2026-11-01';

describe.each(testEngines())('UMIS gap checks (%s)', (engine) => {
  let database: Database<UmisTables>;
  let seed: UmisSeed;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine === 'mysql') {
      const scratch = await createScratchMysqlDatabase('umis_gaps');
      database = createDatabase<UmisTables>(scratch.url);
      cleanup = scratch.drop;
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umis-gaps-'));
      database = createDatabase<UmisTables>(`sqlite:${path.join(dir, 'umis.db')}`);
      cleanup = async () => fs.rmSync(dir, { recursive: true, force: true });
    }
    seed = (await installUmis(database, { prngSeed: 2026, volume: 4000 })).seed!;
  });
  afterAll(async () => {
    await database?.close();
    await cleanup?.();
  });

  it('finds every planted problem (recall 1.0 for each kind) and names the row and client', async () => {
    const findings = await createUmisGapChecks(database).findGaps(REFERENCE_DATE);
    const found = new Set(findings.map((f) => `${f.kind}:${f.rowId}:${f.clientId}`));
    const kinds = [...new Set(seed.plannedProblems.map((p) => p.kind))].sort();
    const recall = Object.fromEntries(
      kinds.map((kind) => {
        const planted = seed.plannedProblems.filter((p) => p.kind === kind);
        const hits = planted.filter((p) => found.has(`${p.kind}:${p.rowId}:${p.clientId}`));
        return [kind, { planted: planted.length, found: hits.length, recall: hits.length / planted.length, reported: findings.filter((f) => f.kind === kind).length }];
      }),
    );
    process.stdout.write(`UMIS gap-report recall (${engine}): ${JSON.stringify(recall)}\n`);
    expect(kinds.length).toBe(6);
    for (const kind of kinds) {
      expect(recall[kind]!.planted).toBeGreaterThan(0);
      expect({ kind, recall: recall[kind]!.recall }).toEqual({ kind, recall: 1 });
    }
    // Nothing is reported beyond what was planted (precision 1.0 on this population).
    for (const kind of kinds) expect(recall[kind]!.reported).toBe(recall[kind]!.planted);
    // A duplicate names its original.
    for (const planted of seed.plannedProblems.filter((p) => p.kind === 'DUPLICATE_CLIENT')) {
      expect(findings).toContainEqual(expect.objectContaining({ kind: 'DUPLICATE_CLIENT', rowId: planted.rowId, relatedRowId: planted.relatedRowId }));
    }
  });
});
