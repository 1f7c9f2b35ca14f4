import type { Database } from '../../drivers/createDatabase';
import { insertRows, tableExists } from '../../drivers/insertRows';
import { generatePopulation, type SyntheticPerson } from '../population';
import { yoisSchemaStatements, YOIS_TABLES } from '../../yois/ddl';
import { generateYoisRows, type YoisSeed } from './seedRows';
import type { YoisTables } from '../../yois/tables';

export interface YoisInstallResult {
  /** False when the schema was already there and nothing was written. */
  created: boolean;
  seed?: YoisSeed;
}

/** Creates the YOIS schema and its synthetic data, only when the database does not have them yet. */
export async function installYois(
  database: Database<YoisTables>,
  options: { prngSeed: number; volume: number; population?: readonly SyntheticPerson[] },
): Promise<YoisInstallResult> {
  const { db, engine } = database;
  if (await tableExists(db, 'YP_PERSON')) return { created: false };
  for (const statement of yoisSchemaStatements(db, engine)) await statement.execute();
  const population = options.population ?? generatePopulation({ seed: options.prngSeed, size: options.volume });
  const seed = generateYoisRows(population, { seed: options.prngSeed });
  await db.transaction().execute(async (trx) => {
    for (const table of YOIS_TABLES) await insertRows(trx, table, seed.rows[table]);
  });
  return { created: true, seed };
}
