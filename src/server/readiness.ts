import type { SourceSystem } from '../../adapters/types';
import type { BreakerState } from '../sources/sourceBreakers';
import { DeadlineExceeded, describeFailure, withDeadline } from '../sources/sourceGuard';
import type { GatewayServices } from './GatewayServices';

export interface ComponentReport {
  status: 'ok' | 'unavailable';
  reason?: string;
}

export interface SourceReport extends ComponentReport {
  /** The source's circuit breaker: `open` means its fields fail fast as SOURCE_UNAVAILABLE until a trial call succeeds. */
  breaker: BreakerState;
}

export interface ReadinessReport {
  /** Ready when the gateway store answers; a source being down degrades answers but does not stop the gateway. */
  status: 'ready' | 'not_ready';
  store: ComponentReport;
  sources: Partial<Record<SourceSystem, SourceReport>>;
}

const READINESS_TIMEOUT_MS = 2_000;

async function probe(ping: () => Promise<void>): Promise<ComponentReport> {
  try {
    await withDeadline(READINESS_TIMEOUT_MS, ping);
    return { status: 'ok' };
  } catch (error) {
    return { status: 'unavailable', reason: error instanceof DeadlineExceeded ? error.message : describeFailure(error) };
  }
}

export async function checkReadiness(services: GatewayServices): Promise<ReadinessReport> {
  const { iyss, umis, yois, dms } = services.sources;
  const [store, IYSS, UMIS, YOIS, DMS] = await Promise.all(
    [services.store, iyss, umis, yois, dms].map((component) => probe(() => component.ping())),
  );
  const { breakers } = services;
  return {
    status: store!.status === 'ok' ? 'ready' : 'not_ready',
    store: store!,
    sources: {
      IYSS: { ...IYSS!, breaker: breakers.IYSS.state() },
      UMIS: { ...UMIS!, breaker: breakers.UMIS.state() },
      YOIS: { ...YOIS!, breaker: breakers.YOIS.state() },
      DMS: { ...DMS!, breaker: breakers.DMS.state() },
    },
  };
}
