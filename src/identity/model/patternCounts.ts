/**
 * Comparison vectors grouped by pattern with how many pairs share each: expectation maximisation
 * works on a few hundred distinct patterns instead of every pair.
 */
import type { ComparisonVector } from './compareFields';

export interface PatternCounts {
  patterns: Int8Array[];
  counts: number[];
}

/** Counts patterns as pairs are compared, keeping one copy of each distinct vector. */
export class PatternCounter {
  private readonly index = new Map<number, number>();
  readonly counts: PatternCounts = { patterns: [], counts: [] };
  /** Pairs added. */
  pairs = 0;

  add(vector: ComparisonVector): void {
    this.pairs++;
    let key = 0;
    for (let f = 0; f < vector.length; f++) key = key * 10 + ((vector[f] as number) + 1);
    const at = this.index.get(key);
    if (at === undefined) {
      this.index.set(key, this.counts.patterns.length);
      this.counts.patterns.push(Int8Array.from(vector));
      this.counts.counts.push(1);
    } else {
      this.counts.counts[at] = (this.counts.counts[at] as number) + 1;
    }
  }
}

export function countPatterns(vectors: Iterable<ComparisonVector>): PatternCounts {
  const counter = new PatternCounter();
  for (const vector of vectors) counter.add(vector);
  return counter.counts;
}
