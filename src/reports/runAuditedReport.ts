import type { AuditEventInput, AuditLog } from '../audit/AuditEvent';
import type { Principal } from '../auth/Principal';
import type { CompiledPolicy } from '../authz/compilePolicy';
import type { ReportSources } from './measures';
import { DEFAULT_SUPPRESSION_THRESHOLD, runReport, type ReportRequest, type ReportResult } from './runReport';

/** What running a report needs from the gateway: the sources' aggregates, the audit and the clock. */
export interface ReportServices {
  reportSources: ReportSources;
  audit: AuditLog;
  clock: { now(): Date };
}

/** Who runs the report, under which policy, in which request. */
export interface ReportCaller {
  principal: Principal;
  policy: CompiledPolicy;
  requestId: string;
  purpose: string | null;
}

/** The report could not be recorded in the access audit, so nothing was returned (fail closed). */
export class ReportAuditUnavailable extends Error {
  constructor() {
    super('The report run could not be recorded, so no figures were returned. Try again; if it persists, quote the x-request-id header.');
    this.name = 'ReportAuditUnavailable';
  }
}

/** The schema coordinate a report run is audited as. */
export const REPORT_COORDINATE = 'Query.report';

/** The run's parameters as the audit trail records them (in `operation`, at most 256 characters). */
export function describeReportRun(request: ReportRequest): string {
  const by = request.breakdowns.length ? ` by ${request.breakdowns.join(',')}` : '';
  const where = request.filters.length ? ` where ${request.filters.map((f) => `${f.dimension}=${f.values.join('|')}`).join(';')}` : '';
  return `report ${request.measure} ${request.from}..${request.to}${by}${where}`;
}

export function suppressionThresholdOf(policy: CompiledPolicy): number {
  return policy.document.reports?.suppressionThreshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
}

/**
 * Runs a report and records the run (who, which report, which parameters) in the access audit's
 * chain before any figure is returned; when it cannot be recorded, nothing is.
 */
export async function runAuditedReport(services: ReportServices, caller: ReportCaller, request: ReportRequest): Promise<ReportResult> {
  const result = await runReport(services.reportSources, request, {
    threshold: suppressionThresholdOf(caller.policy),
    now: services.clock.now(),
  });
  const { principal } = caller;
  const event: AuditEventInput = {
    at: services.clock.now().toISOString(),
    requestId: caller.requestId,
    principal: { sub: principal.sub, roles: [...principal.roles], tier: principal.tier, units: [...principal.units] },
    operation: describeReportRun(request),
    purpose: caller.purpose,
    people: [],
    returned: [REPORT_COORDINATE],
    denied: [],
    outcome: 'RETURNED',
  };
  try {
    await services.audit.record(event);
  } catch {
    throw new ReportAuditUnavailable();
  }
  return result;
}
