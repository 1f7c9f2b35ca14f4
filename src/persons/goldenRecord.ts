import type { Gender, PersonRecord, SourceSystem } from '../../adapters/types';

/** Where two systems disagree and each has the value as often, the order to trust them in. */
const SOURCE_PRIORITY: readonly SourceSystem[] = ['IYSS', 'UMIS', 'YOIS'];

export interface GoldenPerson {
  forename: string;
  surname: string;
  knownAs: string | null;
  dateOfBirth: string | null;
  gender: Gender;
  ethnicity: string | null;
  address: { line1: string | null; postcode: string | null } | null;
  upn: string | null;
  aliases: Array<{ forename: string; surname: string; systems: SourceSystem[] }>;
  addresses: Array<{ line1: string | null; postcode: string | null }>;
}

/** The most frequent non-empty value; ties go to the more trusted source. */
function consensus<T>(records: readonly PersonRecord[], pick: (record: PersonRecord) => T | null, key: (value: T) => string = String): T | null {
  const tally = new Map<string, { value: T; count: number; rank: number }>();
  for (const record of records) {
    const value = pick(record);
    if (value === null || value === undefined || value === '') continue;
    const k = key(value);
    const rank = SOURCE_PRIORITY.indexOf(record.source);
    const entry = tally.get(k);
    if (entry) {
      entry.count += 1;
      entry.rank = Math.min(entry.rank, rank);
    } else tally.set(k, { value, count: 1, rank });
  }
  let best: { value: T; count: number; rank: number } | undefined;
  for (const entry of tally.values()) {
    if (!best || entry.count > best.count || (entry.count === best.count && entry.rank < best.rank)) best = entry;
  }
  return best ? best.value : null;
}

const nameKey = (forename: string, surname: string) => `${forename.toLowerCase()}|${surname.toLowerCase()}`;

/**
 * The golden view of a person from their linked records: each value is the one most records agree
 * on (ties to IYSS, then UMIS, then YOIS); every other spelling is kept as an alias.
 */
export function goldenRecord(records: readonly PersonRecord[]): GoldenPerson | null {
  if (records.length === 0) return null;
  const name = consensus(records, (r) => ({ forename: r.forename, surname: r.surname }), (n) => nameKey(n.forename, n.surname))!;
  const aliases = new Map<string, { forename: string; surname: string; systems: SourceSystem[] }>();
  for (const record of records) {
    const key = nameKey(record.forename, record.surname);
    if (key === nameKey(name.forename, name.surname)) continue;
    const alias = aliases.get(key) ?? { forename: record.forename, surname: record.surname, systems: [] };
    if (!alias.systems.includes(record.source)) alias.systems.push(record.source);
    aliases.set(key, alias);
  }
  const addresses = new Map<string, { line1: string | null; postcode: string | null }>();
  for (const record of records) {
    if (record.address) addresses.set(`${record.address.line1 ?? ''}|${record.address.postcode ?? ''}`.toLowerCase(), record.address);
  }
  return {
    forename: name.forename,
    surname: name.surname,
    knownAs: consensus(records, (r) => r.knownAs),
    dateOfBirth: consensus(records, (r) => r.dateOfBirth),
    gender: consensus(records, (r) => (r.gender === 'NOT_STATED' ? null : r.gender)) ?? 'NOT_STATED',
    ethnicity: consensus(records, (r) => r.ethnicity),
    address: consensus(records, (r) => r.address, (a) => `${a.line1 ?? ''}|${a.postcode ?? ''}`.toLowerCase()),
    upn: consensus(records, (r) => r.upn),
    aliases: [...aliases.values()],
    addresses: [...addresses.values()],
  };
}
