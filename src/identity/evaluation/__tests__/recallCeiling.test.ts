/**
 * The recall ceiling must count a same-person pair as reachable only where no rule could link it
 * without linking as many different people: a replaced forename looks exactly like a twin.
 */
import { prepareRecord, recordKey, type MatchRecord } from '../../matchRecord';
import { matchRecords } from '../../matchRecords';
import { recallCeiling } from '../recallCeiling';
import { labelledRecords } from './labelledRecords';

const { truth, record, tenIdenticalPairs } = labelledRecords('C');

const records: MatchRecord[] = [
  // Ten people with one record in IYSS and an identical one in UMIS.
  ...tenIdenticalPairs(),
  // One person whose forename was replaced in UMIS ...
  record('R', 'IYSS', 'Amir', 'Khan', '2011-02-02', 'E5 0LX'),
  record('R', 'UMIS', 'Bilal', 'Khan', '2011-02-02', 'E5 0LX'),
  // ... and twins who compare exactly as those two records do.
  record('T1', 'IYSS', 'Omar', 'Khan', '2012-03-03', 'N16 5EE'),
  record('T2', 'UMIS', 'Zaid', 'Khan', '2012-03-03', 'N16 5EE'),
  // One person with two identical records in IYSS.
  record('D', 'IYSS', 'Seraphina', 'Wolstenholme', '2009-08-14', 'E9 7QT'),
  record('D', 'IYSS', 'Seraphina', 'Wolstenholme', '2009-08-14', 'E9 7QT'),
];

describe('recallCeiling', () => {
  const { index } = matchRecords(records);
  const prepared = new Map(records.map((r) => [recordKey(r), prepareRecord(r)]));

  it('leaves out a pair that looks exactly like a pair of different people, and counts one-system duplicates as missed', () => {
    // 12 same-person pairs: 10 identical, the replaced forename, the duplicate in IYSS.
    const ceiling = recallCeiling(index, prepared, truth);
    expect(ceiling.recall).toBeCloseTo(10 / 12, 4);
    expect(ceiling.precision).toBe(1);
    expect(ceiling.recallWithSameSystemLinked).toBeCloseTo(11 / 12, 4);
  });

  it('takes the look-alike cell when the precision asked for allows it', () => {
    const ceiling = recallCeiling(index, prepared, truth, 0.9);
    expect(ceiling.recall).toBeCloseTo(11 / 12, 4);
    expect(ceiling.precision).toBeCloseTo(11 / 12, 4);
  });
});
