/**
 * A small seeded PRNG (sfc32 seeded through the cyrb128 string hash) for synthetic data.
 * Math.random is never used: every generated row must be reproducible from a seed.
 */

// Local aliases: under jest's vm sandbox every lookup of a global such as `Math` goes through an
// interceptor and costs ~100x more, which made generation several times slower in tests than in use.
const imul = Math.imul;
const floor = Math.floor;
const isInteger = Number.isInteger;

/** cyrb128: spreads an arbitrary string over 128 bits, so nearby seeds and labels give unrelated streams. */
function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ imul(h1 ^ k, 597399067);
    h2 = h3 ^ imul(h2 ^ k, 2869860233);
    h3 = h4 ^ imul(h3 ^ k, 951274213);
    h4 = h1 ^ imul(h4 ^ k, 2716044179);
  }
  h1 = imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Prng {
  /** The seed path this stream was built from; forks extend it rather than reading the state. */
  private readonly key: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new RangeError(`Prng seed must be finite, got ${seed}`);
    }
    this.key = String(seed);
    [this.a, this.b, this.c, this.d] = cyrb128(this.key);
    // sfc32's first outputs still echo the seed words; discarding a few decorrelates related seeds.
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, maxInclusive]. */
  int(min: number, maxInclusive: number): number {
    if (!isInteger(min) || !isInteger(maxInclusive) || maxInclusive < min) {
      throw new RangeError(`Prng.int needs integers with min <= max, got ${min}..${maxInclusive}`);
    }
    return min + floor(this.next() * (maxInclusive - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Prng.pick from an empty list');
    return items[floor(this.next() * items.length)] as T;
  }

  /** True with probability p (p <= 0 never, p >= 1 always). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Picks a value with probability proportional to its weight. */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, weight] of entries) {
      if (!(weight >= 0)) throw new RangeError(`Prng.weighted needs non-negative weights, got ${weight}`);
      total += weight;
    }
    if (total <= 0) throw new RangeError('Prng.weighted needs a positive total weight');
    let target = this.next() * total;
    for (const [value, weight] of entries) {
      if (target < weight) return value;
      target -= weight;
    }
    // Floating-point rounding can leave target a hair above the last weight.
    const lastPositive = [...entries].reverse().find(([, weight]) => weight > 0);
    return (lastPositive as readonly [T, number])[0];
  }

  /** Number of successes in n trials of probability p: a bounded count with mean n * p. */
  binomial(n: number, p: number): number {
    let successes = 0;
    for (let i = 0; i < n; i++) if (this.next() < p) successes++;
    return successes;
  }

  /**
   * An independent stream named by a label. It depends only on this stream's seed path and the
   * label, not on how many numbers were drawn, so adding draws to one stream never shifts another.
   */
  fork(label: string): Prng {
    // Length-prefixing keeps fork('a/b') distinct from fork('a').fork('b').
    return new Prng(`${this.key}|${label.length}:${label}`);
  }
}
