import type { Database } from '../drivers/createDatabase';
import { installDms } from './dms/installDms';
import type { DmsSeed } from './dms/seedRows';
import type { DmsTables } from '../dms/tables';
import { installIyss } from './iyss/installIyss';
import { generateIyssRows, type IyssSeed } from './iyss/seedRows';
import type { IyssTables } from '../iyss/tables';
import { generatePopulation, type SyntheticPerson } from './population';
import type { FileStore, SourceSystem } from '../types';
import { installUmis } from './umis/installUmis';
import { generateUmisRows, type UmisSeed } from './umis/seedRows';
import type { UmisTables } from '../umis/tables';
import { installYois } from './yois/installYois';
import { generateYoisRows, type YoisSeed } from './yois/seedRows';
import type { YoisTables } from '../yois/tables';

export interface SyntheticDatabases {
  iyss: Database<IyssTables>;
  umis: Database<UmisTables>;
  yois: Database<YoisTables>;
  dms: Database<DmsTables>;
}

/** What the generator wrote (or would have written), with the ground truth of who is who. */
export interface SyntheticDataset {
  population: SyntheticPerson[];
  iyss: IyssSeed;
  umis: UmisSeed;
  yois: YoisSeed;
  /** Present when DMS was created in this call. */
  dms?: DmsSeed;
  /** Which systems were created and seeded in this call (the others already existed). */
  created: SourceSystem[];
}

/**
 * Creates and seeds, from one synthetic population, every source database that does not exist yet.
 * Seeds are deterministic, so the ground truth is returned even for systems that already existed.
 * DMS documents point at the other systems' records, so it is seeded last.
 */
export async function installSyntheticData(
  databases: Partial<SyntheticDatabases>,
  fileStore: FileStore | undefined,
  options: { prngSeed: number; volume: number },
): Promise<SyntheticDataset> {
  const { prngSeed, volume } = options;
  const population = generatePopulation({ seed: prngSeed, size: volume });
  const created: SourceSystem[] = [];
  const install = async <S>(system: SourceSystem, run: () => Promise<{ created: boolean; seed?: S }>, regenerate: () => S): Promise<S> => {
    const result = await run();
    if (result.created) created.push(system);
    return result.seed ?? regenerate();
  };
  const iyss = databases.iyss
    ? await install('IYSS', () => installIyss(databases.iyss!, { prngSeed, volume, population }), () => generateIyssRows(population, { seed: prngSeed }))
    : generateIyssRows(population, { seed: prngSeed });
  const umis = databases.umis
    ? await install('UMIS', () => installUmis(databases.umis!, { prngSeed, volume, population }), () => generateUmisRows(population, { seed: prngSeed }))
    : generateUmisRows(population, { seed: prngSeed });
  const yois = databases.yois
    ? await install('YOIS', () => installYois(databases.yois!, { prngSeed, volume, population }), () => generateYoisRows(population, { seed: prngSeed }))
    : generateYoisRows(population, { seed: prngSeed });
  let dms: DmsSeed | undefined;
  if (databases.dms && fileStore) {
    const subjects = [
      ...iyss.truth.map((t) => ({ system: 'IYSS' as const, sourceId: String(t.youngPersonId), personKey: t.personKey })),
      ...umis.truth.map((t) => ({ system: 'UMIS' as const, sourceId: t.sourceId, personKey: t.personKey })),
      ...yois.truth.map((t) => ({ system: 'YOIS' as const, sourceId: t.sourceId, personKey: t.personKey })),
    ];
    const result = await installDms(databases.dms, fileStore, { prngSeed, subjects, population });
    if (result.created) created.push('DMS');
    dms = result.seed;
  }
  return { population, iyss, umis, yois, dms, created };
}
