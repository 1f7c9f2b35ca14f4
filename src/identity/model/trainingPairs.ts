/**
 * Record pairs to learn m from, chosen by one field alone so that the other fields of the
 * different-people pairs among them agree no more often than random pairs do (as Splink trains:
 * one blocking rule per pass). Then u can stay at its random-pair estimate while m is learnt, and
 * the one-person pairs that disagree on a field (a replaced forename, a changed surname) stay in
 * the one-person class. The candidate pairs blocking found are no good for this: they were chosen
 * for agreeing on names, so their different-people pairs agree on names far more than random.
 */
import type { PreparedRecord } from '../matchRecord';
import type { NameKnowledge } from '../nameEquivalents';
import { compareFields, FIELD_NAMES, MISSING } from './compareFields';
import { PatternCounter, type PatternCounts } from './patternCounts';
import { seededRandom } from './seededRandom';

/** At 100,000 people there are about 2.6 million pairs sharing a birthday; a sample this size estimates m as well. */
const MAX_PAIRS = 300_000;

/**
 * Every pair of records born the same day (a random sample of them where there are more than
 * `maxPairs`), compared, with the date of birth itself left out: what the first training pass
 * learns names, postcode and sex from.
 */
export function sameDateOfBirthPatterns(records: readonly PreparedRecord[], knowledge: NameKnowledge, maxPairs = MAX_PAIRS): PatternCounts & { pairs: number } {
  const byDate = new Map<string, PreparedRecord[]>();
  for (const record of records) {
    if (!record.dateOfBirth) continue;
    const group = byDate.get(record.dateOfBirth.digits);
    if (group) group.push(record);
    else byDate.set(record.dateOfBirth.digits, [record]);
  }
  let total = 0;
  for (const group of byDate.values()) total += (group.length * (group.length - 1)) / 2;
  const share = total <= maxPairs ? 1 : maxPairs / total;
  const random = seededRandom(7);
  const dateOfBirth = FIELD_NAMES.indexOf('dateOfBirth');
  const counter = new PatternCounter();
  for (const group of byDate.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        if (share < 1 && random() >= share) continue;
        const vector = compareFields(group[i] as PreparedRecord, group[j] as PreparedRecord, knowledge);
        vector[dateOfBirth] = MISSING;
        counter.add(vector);
      }
    }
  }
  return { ...counter.counts, pairs: counter.pairs };
}
