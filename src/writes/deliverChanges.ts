import { RecordNotFound, WriteRejected, type PersonWriter, type SourceSystem } from '../../adapters/types';
import type { Logger } from '../logging/logger';
import { BreakerOpen, type SourceBreakers } from '../sources/sourceBreakers';
import { describeFailure } from '../sources/sourceGuard';
import type { DemographicOutbox, OutboxEntry } from './demographicOutbox';

export interface DeliveryOptions {
  /** How often due changes are looked for. */
  intervalMs: number;
  /** First retry after this; each failure doubles it, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long a deliverer holds a row it is applying before another may take it. */
  leaseMs: number;
}

/** Applies queued demographic changes to their systems, now and (for a system that was down) later. */
export interface ChangeDeliverer {
  /** Applies these entries (already leased) one by one; each system's write is its own transaction. */
  deliver(entries: readonly OutboxEntry[]): Promise<void>;
  /** Leases and applies what is due now; resolves to how many were tried. */
  deliverDue(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export interface DeliveryServices {
  writers: Record<'iyss' | 'umis' | 'yois', PersonWriter>;
  breakers: SourceBreakers;
  clock: { now(): Date };
  log: Logger;
}

const writerKey = (system: SourceSystem) => system.toLowerCase() as 'iyss' | 'umis' | 'yois';

export function createChangeDeliverer(services: DeliveryServices, outbox: DemographicOutbox, options: DeliveryOptions): ChangeDeliverer {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const deliverOne = async (entry: OutboxEntry): Promise<void> => {
    const writer = services.writers[writerKey(entry.system)];
    try {
      await services.breakers[entry.system].run(() => writer.updateDemographics(entry.sourceId, entry.change));
      await outbox.applied(entry.outboxId, services.clock.now());
    } catch (error) {
      const now = services.clock.now();
      // The record is gone or the system refuses the value: trying again would not change that.
      if (error instanceof RecordNotFound || error instanceof WriteRejected) {
        await outbox.failed(entry.outboxId, now, error instanceof WriteRejected ? error.message : 'the record is no longer in the system', null);
        return;
      }
      const reason = error instanceof BreakerOpen ? 'circuit open after repeated failures' : describeFailure(error);
      const backoff = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** entry.attempts);
      await outbox.failed(entry.outboxId, now, `${entry.system} unavailable: ${reason}`, new Date(now.getTime() + backoff));
      services.log.warn({ source: entry.system, outboxId: entry.outboxId, attempts: entry.attempts + 1, reason }, 'demographic change not applied yet: will retry');
    }
  };

  const deliver = async (entries: readonly OutboxEntry[]) => {
    for (const entry of entries) await deliverOne(entry);
  };

  const deliverDue = async () => {
    const due = await outbox.claimDue(services.clock.now(), 100, options.leaseMs);
    await deliver(due);
    return due.length;
  };

  return {
    deliver,
    deliverDue,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        running = running.then(deliverDue).catch((error: unknown) => services.log.error({ err: error }, 'demographic outbox: delivery round failed'));
      }, options.intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
