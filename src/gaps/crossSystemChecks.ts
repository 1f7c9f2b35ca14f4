import type { Database } from '../../adapters/drivers/createDatabase';
import { chunk } from '../../adapters/drivers/insertRows';
import type { GapRecordRef, IyssAdapter, PersonRecord, SourceGapFinding, UmisAdapter, YoisAdapter } from '../../adapters/types';
import { RecordNotFound } from '../../adapters/types';
import { activeYoisOrders } from '../../adapters/yois/yoisGapChecks';
import type { YoisTables } from '../../adapters/yois/tables';
import { PERSON_SYSTEMS, type PersonSystem } from '../access/systemVisibility';
import { allActiveLinks, type StoreDatabase } from '../identity/linkStore';
import type { SourceBreakers } from '../sources/sourceBreakers';
import type { GapCheck } from './gapChecks';

export type CrossSystemGapKind = 'DATE_OF_BIRTH_DISAGREES' | 'NAME_DISAGREES' | 'GENDER_DISAGREES' | 'ADDRESS_DISAGREES' | 'YOIS_ORDER_WITHOUT_IYSS_RECORD';

const BATCH = 1_000;
const UNDECOMPOSABLE: Readonly<Record<string, string>> = { ı: 'i', ł: 'l', ø: 'o', ß: 'ss', æ: 'ae', đ: 'd', œ: 'oe' };

/** A name as compared across systems: case, spacing, punctuation and diacritics a keyboard could not type do not count. */
export function comparableName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[ıłøßæđœ]/g, (c) => UNDECOMPOSABLE[c] ?? c)
    .replace(/[^\p{L}]/gu, '');
}

/** A postcode as compared across systems: case and spaces do not count. */
export const comparablePostcode = (postcode: string | null | undefined): string | null => {
  const value = postcode?.toUpperCase().replace(/\s+/g, '') ?? '';
  return value ? value : null;
};

interface Field {
  kind: CrossSystemGapKind;
  /** The value to compare, or null when the record holds none (a missing value is not a disagreement). */
  value(record: PersonRecord): string | null;
  /** The value as the note shows it. */
  shown(record: PersonRecord): string;
}

const FIELDS: readonly Field[] = [
  { kind: 'DATE_OF_BIRTH_DISAGREES', value: (r) => r.dateOfBirth, shown: (r) => `date of birth ${r.dateOfBirth ?? 'none'}` },
  { kind: 'NAME_DISAGREES', value: (r) => `${comparableName(r.forename)} ${comparableName(r.surname)}`, shown: (r) => `name ${r.forename} ${r.surname}` },
  { kind: 'GENDER_DISAGREES', value: (r) => r.gender, shown: (r) => `gender ${r.gender}` },
  { kind: 'ADDRESS_DISAGREES', value: (r) => comparablePostcode(r.address?.postcode), shown: (r) => `postcode ${r.address?.postcode ?? 'none'}` },
];

export interface CrossSystemSources {
  store: StoreDatabase<unknown>;
  sources: { iyss: IyssAdapter; umis: UmisAdapter; yois: YoisAdapter };
  yoisDatabase: Database<YoisTables>;
  breakers: SourceBreakers;
}

/** Each system's records by ID, read in batches through its breaker; records gone from the source are left out. */
async function readPeople(sources: CrossSystemSources, system: PersonSystem, ids: readonly string[]): Promise<Map<string, PersonRecord>> {
  const adapter = system === 'IYSS' ? sources.sources.iyss : system === 'UMIS' ? sources.sources.umis : sources.sources.yois;
  const found = new Map<string, PersonRecord>();
  for (const part of chunk(ids, BATCH)) {
    const results = await sources.breakers[system].run(() => adapter.peopleByIds(part));
    results.forEach((result, i) => {
      if (result instanceof RecordNotFound) return;
      if (result instanceof Error) throw result;
      found.set(part[i]!, result);
    });
  }
  return found;
}

const recordOf = (record: PersonRecord, note: string): GapRecordRef => ({
  system: record.source as PersonSystem,
  recordType: 'PERSON',
  recordId: record.sourceId,
  personRecordId: record.sourceId,
  note,
});

/**
 * Checks across systems through the identity links in the gateway store: for each gateway person, each
 * pair of their records in two different systems that disagree on date of birth, name, gender or
 * postcode (a value missing on one side is not a disagreement), and each active YOIS order of a young
 * person with no IYSS record linked. Each finding names both records with what each says.
 */
export function createCrossSystemChecks(sources: CrossSystemSources): GapCheck[] {
  const disagreements: GapCheck = {
    name: 'linked records across systems',
    systems: ['IYSS', 'UMIS', 'YOIS'],
    async run(_asOf, systems) {
      const links = await allActiveLinks(sources.store);
      const byPerson = new Map<string, Array<{ system: PersonSystem; sourceId: string }>>();
      for (const link of links) {
        if (link.source === 'DMS' || !systems.has(link.source)) continue;
        const list = byPerson.get(link.personId) ?? [];
        list.push({ system: link.source, sourceId: link.sourceId });
        byPerson.set(link.personId, list);
      }
      const linked = [...byPerson.values()].filter((records) => new Set(records.map((r) => r.system)).size > 1);
      const records = new Map<string, PersonRecord>();
      for (const system of PERSON_SYSTEMS) {
        const ids = [...new Set(linked.flatMap((rs) => rs.filter((r) => r.system === system).map((r) => r.sourceId)))];
        for (const [id, record] of await readPeople(sources, system, ids)) records.set(`${system}:${id}`, record);
      }
      const findings: SourceGapFinding[] = [];
      for (const refs of linked) {
        const present = refs.map((r) => records.get(`${r.system}:${r.sourceId}`)).filter((r): r is PersonRecord => r !== undefined);
        present.sort((a, b) => PERSON_SYSTEMS.indexOf(a.source as PersonSystem) - PERSON_SYSTEMS.indexOf(b.source as PersonSystem) || a.sourceId.localeCompare(b.sourceId));
        for (let i = 0; i < present.length; i++) {
          for (let j = i + 1; j < present.length; j++) {
            const [a, b] = [present[i]!, present[j]!];
            if (a.source === b.source) continue;
            for (const field of FIELDS) {
              const x = field.value(a);
              const y = field.value(b);
              if (x === null || y === null || x === y) continue;
              findings.push({ kind: field.kind, records: [recordOf(a, field.shown(a)), recordOf(b, field.shown(b))] });
            }
          }
        }
      }
      return findings;
    },
  };

  const missingFromIyss: GapCheck = {
    name: 'YOIS orders without an IYSS record',
    systems: ['YOIS'],
    async run() {
      const orders = await sources.breakers.YOIS.run(() => activeYoisOrders(sources.yoisDatabase));
      const links = await allActiveLinks(sources.store);
      const personOfYois = new Map<string, string>();
      const withIyss = new Set<string>();
      for (const link of links) {
        if (link.source === 'YOIS') personOfYois.set(link.sourceId, link.personId);
        if (link.source === 'IYSS') withIyss.add(link.personId);
      }
      return orders
        .filter((order) => {
          const personId = personOfYois.get(order.personSourceId);
          return !personId || !withIyss.has(personId);
        })
        .map((order) => ({
          kind: 'YOIS_ORDER_WITHOUT_IYSS_RECORD',
          records: [
            { system: 'YOIS', recordType: 'ORDER', recordId: order.orderId, personRecordId: order.personSourceId, note: `active order (started ${order.orderStart}); no IYSS record is linked to this young person: register them in IYSS or link their record` },
          ],
        }));
    },
  };
  return [disagreements, missingFromIyss];
}
