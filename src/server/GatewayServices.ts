import type { DmsAdapter, IyssAdapter, UmisAdapter, YoisAdapter } from '../../adapters/types';
import type { AuditLog } from '../audit/AuditEvent';
import type { TokenVerifier } from '../auth/tokenVerifier';
import type { BreakGlassGrants } from '../authz/breakGlass';
import type { PolicyService } from '../authz/policyStore';
import type { GatewayConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import type { IdentityOperations, PersonDirectory } from '../persons/PersonDirectory';
import type { DocumentLinkSigner } from '../documents/documentLinks';
import type { ReferralStore } from '../referrals/referralStore';
import type { GatewayMetrics } from '../metrics/gatewayMetrics';
import type { SourceBreakers } from '../sources/sourceBreakers';
import type { ReportSources } from '../reports/measures';
import type { GatewayStore } from '../store/GatewayStore';

/** Process-wide services, built once at start and shared by every request. Holds no per-user state. */
export interface GatewayServices {
  config: GatewayConfig;
  /** The gateway's release version, reported by `gatewayInfo`. */
  version: string;
  log: Logger;
  verifyToken: TokenVerifier;
  sources: { iyss: IyssAdapter; umis: UmisAdapter; yois: YoisAdapter; dms: DmsAdapter };
  /** One circuit breaker per source, shared by every request. */
  breakers: SourceBreakers;
  /** Prometheus metrics (served at /metrics). */
  metrics: GatewayMetrics;
  /** Aggregate SQL the sources run for reports (counts only, never rows). */
  reportSources: ReportSources;
  persons: PersonDirectory;
  identity: IdentityOperations;
  documentLinks: DocumentLinkSigner;
  /** The time, injectable so expiry can be tested without sleeping. */
  clock: { now(): Date };
  store: GatewayStore;
  /** The tamper-evident access audit (in the gateway store). */
  audit: AuditLog;
  /** Partnership Triage referrals and their trails (in the gateway store). */
  referrals: ReferralStore;
  /** The access policy in force (versioned in the gateway store). */
  policy: PolicyService;
  /** Break-glass grants (in the gateway store). */
  breakGlass: BreakGlassGrants;
}
