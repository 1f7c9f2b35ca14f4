import type { PreparedRecord } from '../matchRecord';

/** The labelled records of each true person (records without a label are left out). */
export function recordsByPerson(records: Iterable<PreparedRecord>, truth: ReadonlyMap<string, string>): Map<string, PreparedRecord[]> {
  const byPerson = new Map<string, PreparedRecord[]>();
  for (const record of records) {
    const person = truth.get(record.key);
    if (person === undefined) continue;
    const list = byPerson.get(person);
    if (list) list.push(record);
    else byPerson.set(person, [record]);
  }
  return byPerson;
}
