/**
 * The evaluator can be asked for a harder population than its default one (`--rate`): the rates
 * reach the generator, and the look-alikes they add show up in the measure.
 */
import { evaluateMatching } from '../../evaluate';

describe('evaluateMatching with failure-pattern rates of its own', () => {
  it('generates the namesakes asked for and counts them', () => {
    const usual = evaluateMatching({ people: 600, seed: 5 });
    const harder = evaluateMatching({ people: 600, seed: 5, rates: { namesake: 0.05 } });
    const namesakePairs = (r: typeof usual) => r.byPattern.NAMESAKE?.truePairs ?? 0;
    expect(namesakePairs(harder)).toBeGreaterThan(5 * Math.max(namesakePairs(usual), 1));
    expect(harder.people).toBeGreaterThan(usual.people);
  });
});
