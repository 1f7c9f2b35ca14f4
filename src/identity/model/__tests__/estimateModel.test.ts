import { Prng } from '../../../../adapters/synthetic/prng';
import { FIELD_NAMES, FIELDS, MISSING, type FieldName } from '../compareFields';
import { expectationMaximisation } from '../estimateModel';
import { countPatterns } from '../patternCounts';

/** Draws a level from a distribution. */
function draw(prng: Prng, probabilities: readonly number[]): number {
  let r = prng.next();
  for (let level = 0; level < probabilities.length; level++) {
    r -= probabilities[level] as number;
    if (r < 0) return level;
  }
  return probabilities.length - 1;
}

/** A known mixture: m concentrated on the best levels, u on the worst. */
function knownParameters(): { m: Record<FieldName, number[]>; u: Record<FieldName, number[]> } {
  const m = {} as Record<FieldName, number[]>;
  const u = {} as Record<FieldName, number[]>;
  for (const field of FIELD_NAMES) {
    const n = FIELDS[field].length;
    m[field] = Array.from({ length: n }, (_, i) => (i === 0 ? 0.85 : 0.15 / (n - 1)));
    u[field] = Array.from({ length: n }, (_, i) => (i === n - 1 ? 0.9 : 0.1 / (n - 1)));
  }
  return { m, u };
}

describe('expectationMaximisation', () => {
  it('recovers the match share and m of a known two-class mixture, and says it converged', () => {
    const prng = new Prng(5);
    const { m, u } = knownParameters();
    const vectors: Int8Array[] = [];
    for (let i = 0; i < 40_000; i++) {
      const match = prng.chance(0.2);
      const vector = new Int8Array(FIELD_NAMES.length);
      FIELD_NAMES.forEach((field, f) => {
        // Some fields missing, which must count as neutral rather than as disagreement.
        vector[f] = prng.chance(0.05) ? MISSING : draw(prng, (match ? m : u)[field]);
      });
      vectors.push(vector);
    }
    // Start u away from the truth: EM must find it.
    const flatU = Object.fromEntries(FIELD_NAMES.map((f) => [f, FIELDS[f].map(() => 1 / FIELDS[f].length)])) as Record<FieldName, number[]>;
    const result = expectationMaximisation(countPatterns(vectors), flatU);
    expect(result.converged).toBe(true);
    expect(result.lambda).toBeCloseTo(0.2, 1);
    for (const field of FIELD_NAMES) {
      expect(result.m[field][0]).toBeCloseTo(0.85, 1);
      const last = FIELDS[field].length - 1;
      expect(result.uCandidates[field][last]).toBeCloseTo(0.9, 1);
    }
  });

  it('groups identical comparison patterns, counting each', () => {
    const a = Int8Array.from([0, 0, 0, 0, 0, 0]);
    const b = Int8Array.from([0, 0, 0, MISSING, 0, 0]);
    const counted = countPatterns([a, b, Int8Array.from(a), Int8Array.from(b), Int8Array.from(b)]);
    expect(counted.patterns).toHaveLength(2);
    expect(counted.counts.sort()).toEqual([2, 3]);
  });
});
