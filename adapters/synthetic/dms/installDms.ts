import type { Database } from '../../drivers/createDatabase';
import { insertRows, tableExists } from '../../drivers/insertRows';
import type { SyntheticPerson } from '../population';
import type { FileStore } from '../../types';
import { dmsSchemaStatements, DMS_TABLES } from '../../dms/ddl';
import { generateDmsRows, type DmsSeed, type DmsSubject } from './seedRows';
import type { DmsTables } from '../../dms/tables';

export interface DmsInstallResult {
  /** False when the schema was already there and nothing was written. */
  created: boolean;
  /** The rows, files, ground truth (`truth`: document -> personKey) and `plannedProblems` written. */
  seed?: DmsSeed;
}

export interface DmsInstallOptions {
  prngSeed: number;
  /** The person records the other systems' seeds produced, so documents point at real records. */
  subjects: readonly DmsSubject[];
  /** The synthetic population, so document content can carry the (synthetic) names; optional. */
  population?: readonly SyntheticPerson[];
}

/**
 * Creates the DMS schema, writes each document's synthetic content to the file store, then inserts
 * the metadata, only when the database does not have the schema yet. Content goes first so no
 * committed row ever points at content not yet written (except the planted CONTENT_MISSING ones).
 */
export async function installDms(
  database: Database<DmsTables>,
  fileStore: FileStore,
  options: DmsInstallOptions,
): Promise<DmsInstallResult> {
  const { db, engine } = database;
  if (await tableExists(db, 'dm_document')) return { created: false };
  for (const statement of dmsSchemaStatements(db, engine)) await statement.execute();
  const seed = generateDmsRows(options.population ?? [], { seed: options.prngSeed, subjects: options.subjects });
  for (const file of seed.files) await fileStore.write(file.contentKey, Buffer.from(file.content, 'utf8'));
  await db.transaction().execute(async (trx) => {
    for (const table of DMS_TABLES) await insertRows(trx, table, seed.rows[table]);
  });
  return { created: true, seed };
}
