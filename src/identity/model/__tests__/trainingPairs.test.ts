/**
 * m learnt from the records must keep the one-person pairs that disagree on a field: a forename
 * replaced in one system is still one person, and the weight of a different forename depends on
 * how often that happens.
 */
import { generateLinkageData } from '../../evaluation/generateLinkageData';
import { generatePopulation, laterTwins } from '../../../../adapters/synthetic/population';
import { prepareRecord, recordKey, type PreparedRecord } from '../../matchRecord';
import { matchRecords } from '../../matchRecords';
import { compareFields, FIELD_NAMES, FIELDS } from '../compareFields';
import { sameDateOfBirthPatterns } from '../trainingPairs';
import { EXTENDED_NAME_KNOWLEDGE } from '../../nameEquivalents';

describe('m for a field that often differs for one person', () => {
  // Shaped like a linkage benchmark: everyone in two systems and no twins, so most candidate pairs
  // are one person; forenames replaced often, so the share of one-person pairs whose forenames
  // differ is large and known. Learnt from the candidates, that share fell to the floor.
  const data = generateLinkageData({ seed: 77, people: 3000, rates: { forenameReplaced: 0.1, coverage: { IYSS: 1, UMIS: 1, YOIS: 0 } } });
  const twins = laterTwins(generatePopulation({ seed: 77, size: 3000 }));
  const records = data.records.filter((r) => !twins.has(data.truth.get(recordKey(r)) as string));
  const prepared = records.map(prepareRecord);

  /** The share of same-person pairs at each forename level, counted from the ground truth. */
  function trueForenameM(): number[] {
    const byPerson = new Map<string, PreparedRecord[]>();
    for (const record of prepared) {
      const person = data.truth.get(record.key) as string;
      byPerson.set(person, [...(byPerson.get(person) ?? []), record]);
    }
    const counts = new Array<number>(FIELDS.forename.length).fill(0);
    let pairs = 0;
    for (const records of byPerson.values()) {
      for (let i = 0; i < records.length; i++) {
        for (let j = i + 1; j < records.length; j++) {
          const level = compareFields(records[i] as PreparedRecord, records[j] as PreparedRecord, EXTENDED_NAME_KNOWLEDGE)[0] as number;
          if (level < 0) continue;
          counts[level] = (counts[level] as number) + 1;
          pairs++;
        }
      }
    }
    return counts.map((c) => c / pairs);
  }

  it('is estimated near the truth for a different forename, not pushed to its floor', () => {
    const different = FIELDS.forename.indexOf('DIFFERENT');
    const truth = trueForenameM()[different] as number;
    expect(truth).toBeGreaterThan(0.1);
    const model = matchRecords(records).index.model;
    const estimated = model.fields.forename.m[different] as number;
    expect(Math.abs(estimated - truth)).toBeLessThan(truth * 0.35);
  });

  it('learns from every pair born the same day, without the date itself', () => {
    const patterns = sameDateOfBirthPatterns(prepared, EXTENDED_NAME_KNOWLEDGE);
    const dateOfBirth = FIELD_NAMES.indexOf('dateOfBirth');
    const byDate = new Map<string, number>();
    for (const r of prepared) if (r.dateOfBirth) byDate.set(r.dateOfBirth.digits, (byDate.get(r.dateOfBirth.digits) ?? 0) + 1);
    const expected = [...byDate.values()].reduce((sum, n) => sum + (n * (n - 1)) / 2, 0);
    expect(patterns.pairs).toBe(expected);
    expect(patterns.counts.reduce((a, b) => a + b, 0)).toBe(expected);
    expect(patterns.patterns.every((p) => p[dateOfBirth] === -1)).toBe(true);
  });

  it('samples to the limit given, the same sample every run', () => {
    const first = sameDateOfBirthPatterns(prepared, EXTENDED_NAME_KNOWLEDGE, 500);
    const second = sameDateOfBirthPatterns(prepared, EXTENDED_NAME_KNOWLEDGE, 500);
    expect(first.pairs).toBeGreaterThan(400);
    expect(first.pairs).toBeLessThan(600);
    expect(second).toEqual(first);
  });
});

