/**
 * Pairs that agree on everything but the forename are twins in a borough and a replaced forename in
 * a population without families (a linkage benchmark): the records themselves decide which.
 */
import { generatePopulation, laterTwins } from '../../../../adapters/synthetic/population';
import { generateLinkageData } from '../../evaluation/generateLinkageData';
import { recordKey, type MatchRecord } from '../../matchRecord';
import { matchRecords } from '../../matchRecords';
import { familyEvidence, ONE_PERSON_SHARE_TO_LINK } from '../familyEvidence';

describe('familyEvidence', () => {
  it('counts the look-alikes within one system as families and scales them to the cross-system pairs', () => {
    // Two systems of 100 records: 4,950 pairs inside each, 10,000 across. 3 look-alikes inside, plus
    // 2 assumed, are 5 per 9,900, so about 10 of the 50 across are expected to be families.
    const evidence = familyEvidence(3, 50, [100, 100]);
    expect(evidence?.onePersonShare).toBeCloseTo(1 - (5 * 10000) / 9900 / 50, 4);
    expect(evidence?.forenameDiffersLinks).toBe(false);
  });

  it('lets the look-alikes link only when nearly all of them must be one person', () => {
    expect(familyEvidence(0, 400, [5000, 5000])?.forenameDiffersLinks).toBe(true);
    // The two assumed families weigh more against a handful of look-alikes.
    expect(familyEvidence(0, 20, [5000, 5000])?.forenameDiffersLinks).toBe(false);
    expect(familyEvidence(0, 400, [5000, 5000])?.onePersonShare).toBeGreaterThanOrEqual(ONE_PERSON_SHARE_TO_LINK);
  });

  it('cannot tell without two records in some system or without pairs across systems', () => {
    expect(familyEvidence(0, 0, [1, 1])).toBeNull();
    expect(familyEvidence(0, 0, [500])).toBeNull();
  });
});

describe('the forename guard, decided by the records', () => {
  const replaced: MatchRecord[] = [
    { source: 'IYSS', sourceId: 'FE1', forename: 'Seraphina', surname: 'Wolstenholme', knownAs: null, dateOfBirth: '2010-08-14', gender: 'FEMALE', postcode: 'E9 7QT', upn: null, pncNumber: null },
    { source: 'YOIS', sourceId: 'FE2', forename: 'Beatrix', surname: 'Wolstenholme', knownAs: null, dateOfBirth: '2010-08-14', gender: 'FEMALE', postcode: 'E9 7QT', upn: null, pncNumber: null },
  ];
  // Forenames replaced often, and no second records in one system (a replaced forename there would
  // count as a family), as in a linkage benchmark.
  const options = { seed: 77, people: 3000, rates: { forenameReplaced: 0.1, sameSystemDuplicate: 0 } };
  const data = generateLinkageData(options);
  // Everyone who has a twin (a brother or sister born the same day) in the population, for the twin-free run.
  const twins = laterTwins(generatePopulation({ seed: options.seed, size: options.people }));
  const decisionFor = (records: readonly MatchRecord[]) => {
    const result = matchRecords([...records, ...replaced]);
    const pair = result.pairs.find((p) => recordKey(p.a) === 'IYSS:FE1' && recordKey(p.b) === 'YOIS:FE2');
    return { evidence: result.index.model.familyEvidence, pair };
  };

  it('holds a forename-only difference at review where the records show twins', () => {
    expect(twins.size).toBeGreaterThan(10);
    const { evidence, pair } = decisionFor(data.records);
    expect(evidence?.withinSystemPairs).toBeGreaterThan(0);
    expect(evidence?.forenameDiffersLinks).toBe(false);
    expect(pair?.decision).toBe('REVIEW');
    expect(pair?.explanation.guard).toBe('FORENAME_DIFFERS');
  });

  it('links it where the same records hold no twins, under a model version of its own', () => {
    const { evidence, pair } = decisionFor(data.records.filter((r) => !twins.has(data.truth.get(recordKey(r)) as string)));
    expect(evidence?.withinSystemPairs).toBeLessThanOrEqual(1);
    expect(evidence?.forenameDiffersLinks).toBe(true);
    expect(pair?.decision).toBe('AUTO_LINK');
    expect(pair?.explanation.guard).toBeNull();
    expect(pair?.explanation.fields.find((f) => f.field === 'forename')?.level).toBe('DIFFERENT');
    expect(pair?.explanation.modelVersion).not.toBe(decisionFor(data.records).pair?.explanation.modelVersion);
  });
});
