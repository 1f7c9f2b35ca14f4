/**
 * Candidate pairs and their comparison vectors in flat typed arrays: a full run over 150,000 records
 * compares a few million pairs, and an object per pair would spend the run in the garbage collector.
 */
import { FIELD_NAMES, type ComparisonVector } from './compareFields';
import { PatternCounter, type PatternCounts } from './patternCounts';

const WIDTH = FIELD_NAMES.length;

export class CandidateBuffer {
  private left = new Int32Array(1 << 16);
  private right = new Int32Array(1 << 16);
  private vectors = new Int8Array((1 << 16) * WIDTH);
  length = 0;

  push(x: number, y: number, vector: ComparisonVector): void {
    if (this.length === this.left.length) this.grow();
    this.left[this.length] = x;
    this.right[this.length] = y;
    this.vectors.set(vector, this.length * WIDTH);
    this.length++;
  }

  pair(i: number): [number, number] {
    return [this.left[i] as number, this.right[i] as number];
  }

  vector(i: number): ComparisonVector {
    return this.vectors.subarray(i * WIDTH, (i + 1) * WIDTH);
  }

  /** The candidates grouped by comparison pattern, for estimation. */
  patterns(): PatternCounts {
    const counter = new PatternCounter();
    for (let i = 0; i < this.length; i++) counter.add(this.vector(i));
    return counter.counts;
  }

  private grow(): void {
    const size = this.left.length * 2;
    const left = new Int32Array(size);
    left.set(this.left);
    const right = new Int32Array(size);
    right.set(this.right);
    const vectors = new Int8Array(size * WIDTH);
    vectors.set(this.vectors);
    [this.left, this.right, this.vectors] = [left, right, vectors];
  }
}
