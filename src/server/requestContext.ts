import type { SourceFailure, SourceSystem } from '../../adapters/types';
import { allocationsOf } from '../access/allocatedUnits';
import type { Principal } from '../auth/Principal';
import { createRequestAuthorization } from '../authz/requestAuthorization';
import type { GatewayContext } from '../context/GatewayContext';
import type { Logger } from '../logging/logger';
import { createLoaders, type LoaderOptions } from '../loaders/createLoaders';
import type { GatewayServices } from './GatewayServices';

/** The per-request context for a verified principal: fresh loaders, the policy in force, the stated purpose. */
export async function createRequestContext(
  services: GatewayServices,
  principal: Principal,
  statedPurpose: string | undefined,
  requestId: string,
  requestLog: Logger,
  loaderOptions: LoaderOptions = {},
): Promise<GatewayContext> {
  const sourceFailures = new Map<SourceSystem, SourceFailure>();
  const loaders = createLoaders(services, requestLog, undefined, loaderOptions);
  const authz = createRequestAuthorization(await services.policy.current(), principal, statedPurpose, {
    allocations: (personId) => allocationsOf({ loaders, services }, personId),
    activeBreakGlass: () => services.breakGlass.activeFor(principal.sub, services.clock.now()),
    workerAllocations: () => services.workerAllocations.inForceFor(principal.sub, services.clock.now()),
  });
  return {
    requestId,
    principal,
    authz,
    services,
    loaders,
    log: requestLog.child({ sub: principal.sub }),
    sourceFailures,
    involved: [],
    reportSourceFailure: (failure) => {
      if (!sourceFailures.has(failure.source)) sourceFailures.set(failure.source, failure);
    },
  };
}
