import type { Database } from '../../adapters/drivers/createDatabase';
import type { UmisTables } from '../../adapters/umis/tables';
import { umisAllocationsOpenOn } from '../../adapters/umis/umisAllocations';
import type { YoisTables } from '../../adapters/yois/tables';
import { yoisAllocationsOpenOn } from '../../adapters/yois/yoisAggregates';
import { linkedRecordPairs, type StoreDatabase } from '../identity/linkStore';
import type { SourceBreakers } from '../sources/sourceBreakers';

/** The value of CORE_UNIT for a young person with no open allocation in either system. */
export const NOT_ALLOCATED = 'Not allocated';

/** Resolves the Core Unit of YOIS young people, from YOIS and, through identity links, UMIS. */
export interface CoreUnitResolver {
  /** YOIS person ID -> Core Unit on `onDate` (ISO); young people with none are absent. */
  ofYoisPeople(onDate: string): Promise<ReadonlyMap<string, string>>;
}

/**
 * The Core Unit of each YOIS young person on a date: their YOIS allocation open that day (the one
 * started last), or else the UMIS allocation open that day of the UMIS record linked to them (the
 * active identity links in the gateway store). Three statements whatever the number of people: YOIS
 * allocations, UMIS allocations, and the YOIS-UMIS link pairs. Only IDs and unit codes reach the
 * gateway; the counting stays in YOIS.
 */
export function createCoreUnitResolver(inputs: {
  store: StoreDatabase<unknown>;
  yois: Database<YoisTables>;
  umis: Database<UmisTables>;
  breakers: Pick<SourceBreakers, 'YOIS' | 'UMIS'>;
}): CoreUnitResolver {
  return {
    async ofYoisPeople(onDate) {
      const [yoisAllocations, umisAllocations, pairs] = await Promise.all([
        inputs.breakers.YOIS.run(() => yoisAllocationsOpenOn(inputs.yois, onDate)),
        inputs.breakers.UMIS.run(() => umisAllocationsOpenOn(inputs.umis, onDate)),
        linkedRecordPairs(inputs.store, 'YOIS', 'UMIS'),
      ]);
      const units = new Map<string, string>();
      // Latest started first in each list: the first seen wins.
      const umisUnit = new Map<string, string>();
      for (const a of umisAllocations) if (!umisUnit.has(a.clientId)) umisUnit.set(a.clientId, a.unit);
      for (const a of yoisAllocations) if (!units.has(a.personSourceId)) units.set(a.personSourceId, a.unit);
      pairs.sort((a, b) => (a.toId < b.toId ? -1 : a.toId > b.toId ? 1 : 0));
      for (const pair of pairs) {
        const unit = umisUnit.get(pair.toId);
        if (unit && !units.has(pair.fromId)) units.set(pair.fromId, unit);
      }
      return units;
    },
  };
}

/** The resolvers as the report sources take them. */
export const linkedDimensions = (
  resolver: CoreUnitResolver,
  golden: { differingFromIyssAmongNeet(): Promise<ReadonlyMap<string, string>> },
): { coreUnitsOfYoisPeople(onDate: string): Promise<ReadonlyMap<string, string>>; goldenDatesOfBirthDifferingFromIyss(): Promise<ReadonlyMap<string, string>> } => ({
  coreUnitsOfYoisPeople: (onDate) => resolver.ofYoisPeople(onDate),
  goldenDatesOfBirthDifferingFromIyss: () => golden.differingFromIyssAmongNeet(),
});
