import { generatePopulation } from '../../../adapters/synthetic/population';
import { blockingKeys } from '../blocking';
import { renderSystems } from '../evaluation/renderSeedSystems';
import { prepareRecord, type MatchRecord } from '../matchRecord';
import { matchRecords } from '../matchRecords';
import { EXTENDED_NAME_KNOWLEDGE } from '../nameEquivalents';

const keysOf = (record: MatchRecord) => blockingKeys(prepareRecord(record), EXTENDED_NAME_KNOWLEDGE);

const base: MatchRecord = {
  source: 'IYSS',
  sourceId: '1',
  forename: 'Katherine',
  surname: 'Chowdhury',
  knownAs: null,
  dateOfBirth: '2012-04-09',
  gender: 'FEMALE',
  postcode: 'E2 7AB',
  upn: null,
  pncNumber: null,
};

describe('blockingKeys', () => {
  const shares = (a: MatchRecord, b: MatchRecord) => keysOf(a).some((key) => keysOf(b).includes(key));

  it('puts a record and its drifted copies in a common block', () => {
    expect(shares(base, { ...base, dateOfBirth: '2012-09-04' })).toBe(true); // day and month swapped
    expect(shares(base, { ...base, surname: 'Begum', forename: 'Kate' })).toBe(true); // nickname, changed surname
    expect(shares(base, { ...base, dateOfBirth: null })).toBe(true);
    expect(shares(base, { ...base, postcode: null, dateOfBirth: '2012-04-19' })).toBe(true);
    // Issue 12: names swapped; no date of birth and no usable postcode; a year out and moved; both names misspelt.
    expect(shares(base, { ...base, forename: 'Chowdhury', surname: 'Katherine' })).toBe(true);
    expect(shares(base, { ...base, dateOfBirth: null, postcode: 'NFA' })).toBe(true);
    expect(shares(base, { ...base, dateOfBirth: '2013-04-09', postcode: 'N1 5XX' })).toBe(true);
    expect(shares(base, { ...base, forename: 'Kathrine', surname: 'Chowdury', postcode: 'N1 5XX' })).toBe(true);
  });

  it('keeps unrelated people apart', () => {
    expect(shares(base, { ...base, forename: 'Adaeze', surname: 'Okafor', dateOfBirth: '2009-12-30', postcode: 'N4 1XY' })).toBe(false);
  });

  it('gives a record with nothing usable no keys', () => {
    expect(keysOf({ ...base, forename: '', surname: '', dateOfBirth: null, postcode: null })).toEqual([]);
  });
});

describe('blocking at scale', () => {
  function comparisonsFor(people: number) {
    const rendered = renderSystems(generatePopulation({ seed: 7, size: people }), { seed: 7 });
    const { stats } = matchRecords(rendered.records);
    return { ...stats, records: rendered.records.length };
  }

  it('grows about linearly with the population, far from all pairs', () => {
    const small = comparisonsFor(2_000);
    const large = comparisonsFor(8_000);
    const recordRatio = large.records / small.records;
    const comparisonRatio = large.comparisons / small.comparisons;
    // Linear growth gives a ratio near the record ratio (~4); all-pairs would give its square (~16).
    expect(recordRatio).toBeGreaterThan(3.5);
    expect(comparisonRatio).toBeLessThan(recordRatio * 1.5);
    expect(large.comparisons).toBeLessThan(large.records * 4);
    expect(large.comparisons).toBeLessThan((large.records * (large.records - 1)) / 2 / 1000);
    expect(large.oversizeBlocksSkipped).toBe(0);
  });

  it('skips and counts blocks above the size cap', () => {
    const crowd: MatchRecord[] = Array.from({ length: 12 }, (_, i) => ({ ...base, sourceId: String(i + 1) }));
    const { stats } = matchRecords(crowd, { maxBlockSize: 5 });
    expect(stats.oversizeBlocksSkipped).toBeGreaterThan(0);
    expect(stats.comparisons).toBe(0);
  });
});
