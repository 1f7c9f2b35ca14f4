import type { FieldAccessLog } from '../audit/fieldAccessLog';
import type { SourceFailure, SourceSystem } from '../../adapters/types';
import type { Principal } from '../auth/Principal';
import type { RequestAuthorization } from '../authz/requestAuthorization';
import type { Logger } from '../logging/logger';
import type { Loaders } from '../loaders/createLoaders';
import type { GatewayServices } from '../server/GatewayServices';

/**
 * A young person a mutation concerned beyond the objects its response returns (the person a record
 * was taken from, the person a split created, a target the change was refused on): the access
 * audit records each against that person, so their access history shows it.
 */
export interface InvolvedPerson {
  personId: string;
  /** The mutation's schema coordinate, e.g. `Mutation.confirmLink`. */
  coordinate: string;
  /** True when the change was refused (nothing written). */
  refused: boolean;
}

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
  /** People a mutation concerned, for the audit (see `InvolvedPerson`). */
  involved: InvolvedPerson[];
  /** The fields this request resolved, as the access audit records them (set by the audit plugin). */
  fieldAccess?: FieldAccessLog;
}
