/** Why a request was not admitted. */
export type Refusal = 'overloaded' | 'caller_limit';

export interface AdmissionGate {
  /**
   * Waits for one of the gateway's request slots. Resolves with a release function, or with
   * 'overloaded' when every slot is taken and the wait queue is full or the wait ran out.
   */
  enter(): Promise<(() => void) | 'overloaded'>;
  /** Counts one more concurrent request for a caller; 'caller_limit' when they already have their share. */
  enterCaller(caller: string): (() => void) | 'caller_limit';
  inFlight(): number;
}

export interface AdmissionLimits {
  maxConcurrent: number;
  maxQueued: number;
  maxQueueWaitMs: number;
  maxPerCaller: number;
}

/**
 * Bounds the work the gateway takes on, before any of it starts: at most `maxConcurrent` GraphQL
 * requests run, at most `maxQueued` wait (each at most `maxQueueWaitMs`) for a slot, and the rest are
 * refused at once with 503. Slots are what keeps the sources' pool queues from overflowing: each
 * admitted request has at most MAX_SOURCE_CALLS_PER_REQUEST calls open to a source.
 */
export function createAdmissionGate(limits: AdmissionLimits): AdmissionGate {
  let running = 0;
  const queue: Array<{ admit: () => void }> = [];
  const perCaller = new Map<string, number>();

  const release = () => {
    const next = queue.shift();
    if (next) next.admit();
    else running -= 1;
  };
  const once = (fn: () => void) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      fn();
    };
  };

  return {
    async enter() {
      if (running < limits.maxConcurrent) {
        running += 1;
        return once(release);
      }
      if (queue.length >= limits.maxQueued || limits.maxQueueWaitMs === 0) return 'overloaded';
      return new Promise((resolve) => {
        const waiter = {
          admit: () => {
            clearTimeout(timer);
            resolve(once(release));
          },
        };
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(waiter), 1);
          resolve('overloaded');
        }, limits.maxQueueWaitMs);
        queue.push(waiter);
      });
    },
    enterCaller(caller) {
      const current = perCaller.get(caller) ?? 0;
      if (current >= limits.maxPerCaller) return 'caller_limit';
      perCaller.set(caller, current + 1);
      return once(() => {
        const left = (perCaller.get(caller) ?? 1) - 1;
        if (left <= 0) perCaller.delete(caller);
        else perCaller.set(caller, left);
      });
    },
    inFlight: () => running,
  };
}
