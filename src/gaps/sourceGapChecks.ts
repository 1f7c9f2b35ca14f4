import type { Database } from '../../adapters/drivers/createDatabase';
import { createIyssGapChecks } from '../../adapters/iyss/iyssGapChecks';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { IyssAdapter, UmisAdapter, YoisAdapter } from '../../adapters/types';
import type { UmisTables } from '../../adapters/umis/tables';
import { createUmisGapChecks, umisGapRecords } from '../../adapters/umis/umisGapChecks';
import type { YoisTables } from '../../adapters/yois/tables';
import { createYoisGapChecks, yoisGapRecords } from '../../adapters/yois/yoisGapChecks';
import type { StoreDatabase } from '../identity/linkStore';
import type { SourceBreakers } from '../sources/sourceBreakers';
import { createCrossSystemChecks } from './crossSystemChecks';
import type { GapCheck } from './gapChecks';

export interface GapCheckInputs {
  databases: { iyss: Database<IyssTables>; umis: Database<UmisTables>; yois: Database<YoisTables> };
  sources: { iyss: IyssAdapter; umis: UmisAdapter; yois: YoisAdapter };
  /** The gateway store, whose identity links the checks across systems follow. */
  store: StoreDatabase<unknown>;
  breakers: SourceBreakers;
}

/** Every gap check the gateway runs, each behind the circuit breaker of the sources it reads. */
export function createGapChecks(inputs: GapCheckInputs): GapCheck[] {
  const { databases, breakers } = inputs;
  const yois = createYoisGapChecks(databases.yois);
  const umis = createUmisGapChecks(databases.umis);
  const iyss = createIyssGapChecks(databases.iyss);
  return [
    { name: 'YOIS records', systems: ['YOIS'], run: async (asOf) => (await breakers.YOIS.run(() => yois.findGaps(asOf))).map(yoisGapRecords) },
    { name: 'UMIS records', systems: ['UMIS'], run: async (asOf) => (await breakers.UMIS.run(() => umis.findGaps(asOf))).map(umisGapRecords) },
    { name: 'IYSS duplicates', systems: ['IYSS'], run: () => breakers.IYSS.run(() => iyss.findGaps()) },
    ...createCrossSystemChecks({ store: inputs.store, sources: inputs.sources, yoisDatabase: databases.yois, breakers }),
  ];
}
