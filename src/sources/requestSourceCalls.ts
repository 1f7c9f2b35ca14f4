import { RecordNotFound, SourceFailure, type SourceSystem } from '../../adapters/types';
import type { Logger } from '../logging/logger';
import type { GatewayMetrics, SourceCallOutcome } from '../metrics/gatewayMetrics';
import { Semaphore } from './Semaphore';
import { BreakerOpen, type SourceBreakers } from './sourceBreakers';
import { DeadlineExceeded, describeFailure, isOverload, isRetryable, SourceOverloaded, withDeadline } from './sourceGuard';

/** One request's way to every source: bounded concurrency, the process's breakers, its own deadline. */
export interface SourceCalls {
  /**
   * Runs a read against a source; rejects with a SourceFailure naming it (SourceOverloaded when the
   * gateway is saturated), or with the read's own RecordNotFound (the source answered).
   */
  call<T>(source: SourceSystem, read: () => Promise<T>): Promise<T>;
}

export interface SourceCallOptions {
  breakers: SourceBreakers;
  metrics: GatewayMetrics;
  log: Logger;
  /** Longest one attempt may take. */
  attemptTimeoutMs: number;
  /** When this request's budget for source calls ends (epoch ms): no attempt starts after it. */
  deadlineAt: number;
  /** Calls this request may have open to one source at once. */
  maxConcurrentPerSource: number;
  now?: () => number;
}

const RETRY_PAUSE_MS = 50;
const MAX_ATTEMPTS = 2;

/**
 * Builds the request's source caller. Each call waits for one of the request's few slots for that
 * source (so one request cannot hold a whole pool), goes through the source's breaker (failing fast
 * while it is open), is cut off after `attemptTimeoutMs`, and is retried once on a connection-level
 * error when the request's deadline leaves room for another full attempt. Each source's first failure
 * in the request is logged once, without a stack: one failing request with a thousand calls writes one
 * line per source, not a thousand.
 */
export function createSourceCalls(options: SourceCallOptions): SourceCalls {
  const now = options.now ?? Date.now;
  const slots = new Map<SourceSystem, Semaphore>();
  const logged = new Set<SourceSystem>();
  const slotsFor = (source: SourceSystem): Semaphore => {
    let semaphore = slots.get(source);
    if (!semaphore) slots.set(source, (semaphore = new Semaphore(options.maxConcurrentPerSource)));
    return semaphore;
  };
  const fail = (source: SourceSystem, outcome: SourceCallOutcome, failure: SourceFailure, started: number, error?: unknown): never => {
    options.metrics.sourceCall(source, outcome, (now() - started) / 1000);
    if (!logged.has(source)) {
      logged.add(source);
      const code = (error as { code?: unknown } | undefined)?.code;
      options.log.warn({ source, reason: failure.reason, outcome, ...(code ? { code: String(code) } : {}) }, 'source unavailable');
    }
    throw failure;
  };

  return {
    call<T>(source: SourceSystem, read: () => Promise<T>): Promise<T> {
      return slotsFor(source).use(async () => {
        const started = now();
        for (let attempt = 1; ; attempt += 1) {
          const remaining = options.deadlineAt - now();
          if (remaining <= 0) return fail(source, 'deadline', new SourceFailure(source, 'request deadline passed before it was asked'), started);
          try {
            const value = await options.breakers[source].run(() => withDeadline(Math.min(options.attemptTimeoutMs, remaining), read));
            options.metrics.sourceCall(source, 'ok', (now() - started) / 1000);
            return value;
          } catch (error) {
            if (error instanceof RecordNotFound) {
              options.metrics.sourceCall(source, 'ok', (now() - started) / 1000);
              throw error;
            }
            if (error instanceof SourceOverloaded) return fail(source, 'overloaded', error, started, error);
            if (error instanceof BreakerOpen) {
              return fail(source, 'breaker_open', new SourceFailure(source, 'circuit open after repeated failures; retried shortly'), started, error);
            }
            if (isOverload(error)) return fail(source, 'overloaded', new SourceOverloaded(source, { cause: error }), started, error);
            if (error instanceof SourceFailure) return fail(source, 'error', error, started, error);
            const roomForAnother = options.deadlineAt - now() > options.attemptTimeoutMs + RETRY_PAUSE_MS;
            if (attempt < MAX_ATTEMPTS && isRetryable(error) && roomForAnother) {
              await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
              continue;
            }
            const reason = error instanceof DeadlineExceeded ? error.message : describeFailure(error);
            return fail(source, 'error', new SourceFailure(source, reason, { cause: error }), started, error);
          }
        }
      });
    },
  };
}

/** For batch functions: a failed source fails every key with the same SourceFailure instead of rejecting the batch. */
export async function callSourceBatch<T>(
  calls: SourceCalls,
  source: SourceSystem,
  keys: readonly unknown[],
  read: () => Promise<Array<T | Error>>,
): Promise<Array<T | Error>> {
  try {
    return await calls.call(source, read);
  } catch (error) {
    return keys.map(() => error as Error);
  }
}
