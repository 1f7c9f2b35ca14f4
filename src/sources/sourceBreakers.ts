import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { RecordNotFound, WriteRejected, type SourceSystem } from '../../adapters/types';
import type { Logger } from '../logging/logger';
import { isOverload } from './sourceGuard';

export type BreakerState = 'closed' | 'open' | 'half_open';

/** One source's circuit breaker, shared by every request in the process. */
export interface SourceBreaker {
  readonly source: SourceSystem;
  state(): BreakerState;
  /**
   * Runs one attempt through the breaker. Rejects with BreakerOpen at once while the breaker is open,
   * or half open with its one trial call under way, so a dead source costs callers nothing.
   */
  run<T>(attempt: () => Promise<T>): Promise<T>;
}

export type SourceBreakers = Record<SourceSystem, SourceBreaker>;

/** The breaker refused the call without trying the source. */
export class BreakerOpen extends Error {
  readonly code = 'BREAKER_OPEN';
  constructor(readonly source: SourceSystem) {
    super(`${source} circuit open`);
    this.name = 'BreakerOpen';
  }
}

const STATE: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

export const SOURCE_SYSTEMS: readonly SourceSystem[] = ['IYSS', 'UMIS', 'YOIS', 'DMS'];

/**
 * A cockatiel breaker per source: `consecutiveFailures` failed attempts in a row open it; after
 * `halfOpenAfterMs` the next call is let through as a trial, and its outcome closes or reopens it.
 * Overload (the gateway's own pool queue full) is not the source's fault and is not counted, nor is a
 * missing record or a refused value (the source answered).
 */
export function createSourceBreakers(options: { consecutiveFailures: number; halfOpenAfterMs: number }, log: Logger): SourceBreakers {
  const one = (source: SourceSystem): SourceBreaker => {
    const policy: CircuitBreakerPolicy = circuitBreaker(
      handleWhen((error) => !isOverload(error) && !(error instanceof RecordNotFound) && !(error instanceof WriteRejected)),
      { halfOpenAfter: options.halfOpenAfterMs, breaker: new ConsecutiveBreaker(options.consecutiveFailures) },
    );
    policy.onStateChange((state) => log.warn({ source, breaker: STATE[state] }, `circuit breaker for ${source} is ${STATE[state]}`));
    return {
      source,
      state: () => STATE[policy.state],
      async run(attempt) {
        // cockatiel queues callers behind a half-open trial; a trial against a hung source takes the
        // full attempt timeout, so they are refused instead.
        if (policy.state === CircuitState.HalfOpen) throw new BreakerOpen(source);
        try {
          return await policy.execute(() => attempt());
        } catch (error) {
          if (error instanceof BrokenCircuitError) throw new BreakerOpen(source);
          throw error;
        }
      },
    };
  };
  return Object.fromEntries(SOURCE_SYSTEMS.map((source) => [source, one(source)])) as SourceBreakers;
}
