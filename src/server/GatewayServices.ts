import type { DmsAdapter, DmsWriter, IyssAdapter, IyssWriter, UmisAdapter, UmisWriter, YoisAdapter, YoisWriter } from '../../adapters/types';
import type { WriteLedger } from '../writes/writeLedger';
import type { DemographicOutbox } from '../writes/demographicOutbox';
import type { ChangeDeliverer } from '../writes/deliverChanges';
import type { AuditLog } from '../audit/AuditEvent';
import type { TokenVerifier } from '../auth/tokenVerifier';
import type { BreakGlassGrants } from '../authz/breakGlass';
import type { WorkerAllocations } from '../access/workerAllocations';
import type { PolicyService } from '../authz/policyStore';
import type { GatewayConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import type { IdentityOperations, PersonDirectory } from '../persons/PersonDirectory';
import type { DocumentLinkSigner } from '../documents/documentLinks';
import type { PanelAgencyStore } from '../referrals/panelAgencyStore';
import type { ReferralStore } from '../referrals/referralStore';
import type { GatewayMetrics } from '../metrics/gatewayMetrics';
import type { SourceBreakers } from '../sources/sourceBreakers';
import type { ReportSources } from '../reports/measures';
import type { GapCheck } from '../gaps/gapChecks';
import type { GatewayStore } from '../store/GatewayStore';

/** Process-wide services, built once at start and shared by every request. Holds no per-user state. */
export interface GatewayServices {
  config: GatewayConfig;
  /** The gateway's release version, reported by `gatewayInfo`. */
  version: string;
  log: Logger;
  verifyToken: TokenVerifier;
  sources: { iyss: IyssAdapter; umis: UmisAdapter; yois: YoisAdapter; dms: DmsAdapter };
  /** Each source's writes (the second shape of its adapter): one transaction per write, in its own shapes. */
  writers: { iyss: IyssWriter; umis: UmisWriter; yois: YoisWriter; dms: DmsWriter };
  /** Which writes were asked for and what they wrote, by caller and idempotency key (in the gateway store). */
  writeLedger: WriteLedger;
  /** Demographic changes on their way to each linked record (durable, in the gateway store). */
  outbox: DemographicOutbox;
  /** Applies the outbox's changes, at once and in rounds for systems that were down. */
  changeDelivery: ChangeDeliverer;
  /** One circuit breaker per source, shared by every request. */
  breakers: SourceBreakers;
  /** Prometheus metrics (served at /metrics). */
  metrics: GatewayMetrics;
  /** Aggregate SQL the sources run for reports (counts only, never rows). */
  reportSources: ReportSources;
  /** Data-quality checks for gap reports, run in the sources (findings name records). */
  gapChecks: readonly GapCheck[];
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
  /** The agencies the panel allocates to: a maintained list (in the gateway store). */
  panelAgencies: PanelAgencyStore;
  /** The access policy in force (versioned in the gateway store). */
  policy: PolicyService;
  /** Break-glass grants (in the gateway store). */
  breakGlass: BreakGlassGrants;
  /** Named workers allocated to young people across services (in the gateway store). */
  workerAllocations: WorkerAllocations;
}
