import type { Database } from '../../drivers/createDatabase';
import { insertRows, tableExists } from '../../drivers/insertRows';
import { generatePopulation, type SyntheticPerson } from '../population';
import { umisSchemaStatements, UMIS_TABLES } from '../../umis/ddl';
import { generateUmisRows, type UmisSeed } from './seedRows';
import type { UmisTables } from '../../umis/tables';

export interface UmisInstallResult {
  /** False when the schema was already there and nothing was written. */
  created: boolean;
  seed?: UmisSeed;
}

/** Creates the UMIS schema and its synthetic data, only when the database does not have them yet. */
export async function installUmis(
  database: Database<UmisTables>,
  /** `coverage`: the share of the population UMIS knows (the generator's own default when left out). */
  options: { prngSeed: number; volume: number; population?: readonly SyntheticPerson[]; coverage?: number },
): Promise<UmisInstallResult> {
  const { db, engine } = database;
  if (await tableExists(db, 'client')) return { created: false };
  for (const statement of umisSchemaStatements(db, engine)) await statement.execute();
  const population = options.population ?? generatePopulation({ seed: options.prngSeed, size: options.volume });
  const seed = generateUmisRows(population, { seed: options.prngSeed, coverage: options.coverage });
  await db.transaction().execute(async (trx) => {
    for (const table of UMIS_TABLES) await insertRows(trx, table, seed.rows[table]);
  });
  return { created: true, seed };
}
