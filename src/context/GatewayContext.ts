import type { SourceFailure, SourceSystem } from '../../adapters/types';
import type { Principal } from '../auth/Principal';
import type { RequestAuthorization } from '../authz/requestAuthorization';
import type { Logger } from '../logging/logger';
import type { Loaders } from '../loaders/createLoaders';
import type { GatewayServices } from '../server/GatewayServices';

/** Per-request state: built fresh for each HTTP request, so nothing leaks between callers. */
export interface GatewayContext {
  requestId: string;
  principal: Principal;
  /** The policy in force for this request, the stated purpose, and memoized field decisions. */
  authz: RequestAuthorization;
  loaders: Loaders;
  services: GatewayServices;
  log: Logger;
  /** Sources that failed while the request went on without them, by system: reported as SOURCE_UNAVAILABLE errors. */
  sourceFailures: Map<SourceSystem, SourceFailure>;
  reportSourceFailure(failure: SourceFailure): void;
}
