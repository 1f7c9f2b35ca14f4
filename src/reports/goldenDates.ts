import { chunk } from '../../adapters/drivers/insertRows';
import { RecordNotFound, type IyssAdapter, type PersonRecord, type UmisAdapter, type YoisAdapter } from '../../adapters/types';
import { PERSON_SYSTEMS, type PersonSystem } from '../access/systemVisibility';
import { allActiveLinks, type StoreDatabase } from '../identity/linkStore';
import { goldenRecord } from '../persons/goldenRecord';
import type { SourceBreakers } from '../sources/sourceBreakers';

const BATCH = 1_000;

/**
 * The golden date of birth (the one most of a young person's linked records agree on, ties to IYSS, as
 * the golden view shows it) of every IYSS young person with a NEET status (the only people the measure
 * that uses these dates can count) whose golden date differs from IYSS's own, by IYSS ID. Only people
 * with records in IYSS and another system can differ: their records are read through the active
 * identity links (a batch of statements per thousand records), and only the differing dates are returned.
 */
export function createGoldenDatesOfBirth(inputs: {
  store: StoreDatabase<unknown>;
  sources: { iyss: IyssAdapter; umis: UmisAdapter; yois: YoisAdapter };
  breakers: Pick<SourceBreakers, PersonSystem>;
}): { differingFromIyssAmongNeet(): Promise<ReadonlyMap<string, string>> } {
  const read = async (system: PersonSystem, ids: readonly string[]): Promise<Map<string, PersonRecord>> => {
    const adapter = system === 'IYSS' ? inputs.sources.iyss : system === 'UMIS' ? inputs.sources.umis : inputs.sources.yois;
    const found = new Map<string, PersonRecord>();
    for (const part of chunk(ids, BATCH)) {
      const results = await inputs.breakers[system].run(() => adapter.peopleByIds(part));
      results.forEach((result, i) => {
        if (result instanceof RecordNotFound) return;
        if (result instanceof Error) throw result;
        found.set(part[i]!, result);
      });
    }
    return found;
  };
  return {
    async differingFromIyssAmongNeet() {
      const neet = new Set(await inputs.breakers.IYSS.run(() => inputs.sources.iyss.personIdsEverNeet()));
      const byPerson = new Map<string, Array<{ system: PersonSystem; sourceId: string }>>();
      for (const link of await allActiveLinks(inputs.store)) {
        if (link.source === 'DMS') continue;
        const list = byPerson.get(link.personId) ?? [];
        list.push({ system: link.source, sourceId: link.sourceId });
        byPerson.set(link.personId, list);
      }
      const mixed = [...byPerson.values()].filter((refs) => refs.some((r) => r.system === 'IYSS' && neet.has(r.sourceId)) && refs.some((r) => r.system !== 'IYSS'));
      const records = new Map<string, PersonRecord>();
      await Promise.all(
        PERSON_SYSTEMS.map(async (system) => {
          const ids = [...new Set(mixed.flatMap((refs) => refs.filter((r) => r.system === system).map((r) => r.sourceId)))];
          for (const [id, record] of await read(system, ids)) records.set(`${system}:${id}`, record);
        }),
      );
      const differing = new Map<string, string>();
      for (const refs of mixed) {
        const present = refs.map((r) => records.get(`${r.system}:${r.sourceId}`)).filter((r): r is PersonRecord => r !== undefined);
        const golden = goldenRecord(present)?.dateOfBirth ?? null;
        if (golden === null) continue;
        for (const record of present) if (record.source === 'IYSS' && record.dateOfBirth !== golden) differing.set(record.sourceId, golden);
      }
      return differing;
    },
  };
}
