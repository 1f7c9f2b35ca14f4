/**
 * The cost of a lower review threshold: a same-person pair that scored below review joins the queue
 * at a threshold under its score and not above it, and the run's own threshold gives the run's figures.
 */
import { prepareRecord } from '../../matchRecord';
import { matchRecords } from '../../matchRecords';
import { scorePair } from '../../scorePair';
import { measureLinkage } from '../measureLinkage';
import { reviewThresholdCost } from '../reviewThresholdCost';
import { labelledRecords } from './labelledRecords';

const { truth, record, tenIdenticalPairs } = labelledRecords('T');
const identical = tenIdenticalPairs();
// One person whose surname changed with a move: forename and date of birth are all that agree.
const moved = [record('S', 'IYSS', 'Amir', 'Khan', '2011-02-02', 'E5 0LX'), record('S', 'UMIS', 'Amir', 'Okafor', '2011-02-02', 'N16 5EE')] as const;
// Twins: automatic-level, held at review by the twins guard.
const twins = [record('T1', 'IYSS', 'Omar', 'Rahman', '2012-03-03', 'N16 5EF'), record('T2', 'UMIS', 'Zaid', 'Rahman', '2012-03-03', 'N16 5EF')];

describe('reviewThresholdCost', () => {
  // Thresholds raised so the moved person's pair scores between them and the identical pairs above both.
  const result = matchRecords([...identical, ...moved, ...twins], { thresholds: { autoLink: 20, review: 15 } });
  const movedScore = scorePair(result.index.model, prepareRecord(moved[0]), prepareRecord(moved[1])).score;

  it('adds a same-person pair scored below review to the queue only at a threshold under its score', () => {
    expect(movedScore).toBeLessThan(15);
    const [own, above, under] = reviewThresholdCost(result, { truth }, [movedScore + 0.5, movedScore - 0.5]);
    // 11 same-person pairs: the 10 identical ones linked, the moved one not; the twins in the queue.
    expect(own).toEqual({ threshold: 15, autoPlusReviewRecall: expect.closeTo(10 / 11, 4), queue: 1, queueTrueMatches: 0 });
    expect(above).toEqual({ threshold: movedScore + 0.5, autoPlusReviewRecall: expect.closeTo(10 / 11, 4), queue: 1, queueTrueMatches: 0 });
    expect(under).toEqual({ threshold: movedScore - 0.5, autoPlusReviewRecall: 1, queue: 2, queueTrueMatches: 1 });
  });

  it("gives the run's own recall and queue at the run's own threshold", () => {
    const measured = measureLinkage(result, { truth });
    const [own] = reviewThresholdCost(result, { truth }, []);
    expect(own?.autoPlusReviewRecall).toBe(measured.autoPlusReviewRecall);
    expect(own?.queue).toBe(measured.review.queue);
  });
});
