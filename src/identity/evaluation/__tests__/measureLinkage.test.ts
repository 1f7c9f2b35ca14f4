/**
 * The error analysis tells a guard's cost: of the pairs it held at review, how many were one person,
 * how many brothers and sisters, how many other people.
 */
import type { RecordRef } from '../../matchRecord';
import { measureLinkage } from '../measureLinkage';

const ref = (source: RecordRef['source'], sourceId: string): RecordRef => ({ source, sourceId });
const [a1, a2, b1, c1, d1] = [ref('IYSS', 'A1'), ref('UMIS', 'A2'), ref('UMIS', 'B1'), ref('YOIS', 'C1'), ref('IYSS', 'D1')];
const truth = new Map([
  ['IYSS:A1', 'A'],
  ['UMIS:A2', 'A'],
  ['UMIS:B1', 'B'],
  ['YOIS:C1', 'C'],
  ['IYSS:D1', 'D'],
]);
// A and B are twins (one family); C is nobody's relation.
const familyOf = new Map([
  ['A', 'F1'],
  ['B', 'F1'],
  ['C', 'F2'],
  ['D', 'F3'],
]);

describe('measureLinkage heldByGuard', () => {
  it('splits the pairs each guard held into one person, family and others, leaving out clustering conflicts and pairs within one system', () => {
    const measure = measureLinkage(
      {
        clusters: [[a1], [a2], [b1], [c1], [d1]],
        pairs: [
          { a: a1, b: a2, decision: 'REVIEW', rule: 'FORENAME_DIFFERS', score: 9 },
          { a: a1, b: b1, decision: 'REVIEW', rule: 'FORENAME_DIFFERS', score: 8 },
          { a: a1, b: c1, decision: 'REVIEW', rule: 'WEAK_FORENAME_WITHOUT_DATE_OF_BIRTH', score: 6 },
          { a: a2, b: c1, decision: 'REVIEW', rule: 'CLUSTER_CONFLICT', score: 6 },
          { a: a1, b: d1, decision: 'REVIEW', rule: 'SAME_SYSTEM', score: 7 },
          { a: b1, b: c1, decision: 'REVIEW', rule: null, score: 1 },
        ],
      },
      { truth, familyOf },
    );
    expect(measure.heldByGuard).toEqual({
      FORENAME_DIFFERS: { onePerson: 1, family: 1, others: 0 },
      WEAK_FORENAME_WITHOUT_DATE_OF_BIRTH: { onePerson: 0, family: 0, others: 1 },
    });
  });
});
