/** At most `limit` holders at a time; the rest wait in arrival order. */
export class Semaphore {
  private held = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.held >= this.limit) await new Promise<void>((resolve) => this.waiters.push(resolve));
    else this.held += 1;
    try {
      return await work();
    } finally {
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so `held` stays as it is.
      if (next) next();
      else this.held -= 1;
    }
  }
}
