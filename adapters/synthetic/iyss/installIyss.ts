import type { Database } from '../../drivers/createDatabase';
import { insertRows, tableExists } from '../../drivers/insertRows';
import { generatePopulation, type SyntheticPerson } from '../population';
import { iyssSchemaStatements, IYSS_TABLES } from '../../iyss/ddl';
import { generateIyssRows, type IyssSeed } from './seedRows';
import type { IyssTables } from '../../iyss/tables';

export interface IyssInstallResult {
  /** False when the schema was already there and nothing was written. */
  created: boolean;
  seed?: IyssSeed;
}

/** Creates the IYSS schema and its synthetic data, only when the database does not have them yet. */
export async function installIyss(
  database: Database<IyssTables>,
  options: { prngSeed: number; volume: number; population?: readonly SyntheticPerson[] },
): Promise<IyssInstallResult> {
  const { db, engine } = database;
  if (await tableExists(db, 'tblYoungPerson')) return { created: false };
  for (const statement of iyssSchemaStatements(db, engine)) await statement.execute();
  const population = options.population ?? generatePopulation({ seed: options.prngSeed, size: options.volume });
  const seed = generateIyssRows(population, { seed: options.prngSeed });
  await db.transaction().execute(async (trx) => {
    for (const table of IYSS_TABLES) await insertRows(trx, table, seed.rows[table]);
  });
  return { created: true, seed };
}
