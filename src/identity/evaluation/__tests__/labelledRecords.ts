/** Small labelled populations for the evaluation tests: records made with their person noted. */
import type { SourceSystem } from '../../../../adapters/types';
import { recordKey, type MatchRecord } from '../../matchRecord';

const FORENAMES = ['Ottoline', 'Petronella', 'Marigold', 'Wilhelmina', 'Evangelina', 'Cressida', 'Philippa', 'Henrietta', 'Clementine', 'Leocadia'];
const SURNAMES = ['Quarmby', 'Vantongeren', 'Thistlewood', 'Oyelaran', 'Brightwater', 'Hollingworth', 'Stonehewer', 'Abernathy', 'Ashdown', 'Farquharson'];

export interface LabelledRecords {
  /** Record key → person. */
  truth: Map<string, string>;
  record(person: string, source: SourceSystem, forename: string, surname: string, dateOfBirth: string, postcode: string): MatchRecord;
  /** Ten people, each with the same record in IYSS and UMIS (E8 1AA, a birthday of their own). */
  tenIdenticalPairs(): MatchRecord[];
}

export function labelledRecords(idPrefix: string): LabelledRecords {
  let nextId = 1;
  const truth = new Map<string, string>();
  const record: LabelledRecords['record'] = (person, source, forename, surname, dateOfBirth, postcode) => {
    const r: MatchRecord = { source, sourceId: `${idPrefix}${nextId++}`, forename, surname, knownAs: null, dateOfBirth, gender: 'MALE', postcode, upn: null, pncNumber: null };
    truth.set(recordKey(r), person);
    return r;
  };
  const tenIdenticalPairs = () =>
    FORENAMES.flatMap((forename, i) => {
      const dob = `2010-0${(i % 9) + 1}-1${i}`;
      return [record(`P${i}`, 'IYSS', forename, SURNAMES[i] as string, dob, 'E8 1AA'), record(`P${i}`, 'UMIS', forename, SURNAMES[i] as string, dob, 'E8 1AA')];
    });
  return { truth, record, tenIdenticalPairs };
}
