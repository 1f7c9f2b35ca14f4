import type { Request, RequestHandler, Response } from 'express';
import { stringify } from 'csv-stringify';
import { SourceFailure } from '../../adapters/types';
import type { ReportDimension } from '../../adapters/aggregates';
import { bearerToken, TokenRejected } from '../auth/tokenVerifier';
import { PURPOSE_HEADER } from '../authz/requestAuthorization';
import { ErrorCode } from '../errors/ErrorCode';
import { MEASURES, type ReportMeasureId } from '../reports/measures';
import { REPORT_COORDINATE, ReportAuditUnavailable, runAuditedReport } from '../reports/runAuditedReport';
import { ReportRequestError, type ReportRequest } from '../reports/runReport';
import type { GatewayServices } from './GatewayServices';
import { createRequestContext } from './requestContext';

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.SOURCE_UNAVAILABLE]: 503,
  [ErrorCode.AUDIT_UNAVAILABLE]: 503,
};

/** The same JSON error shape as /graphql. */
function refuse(res: Response, code: ErrorCode, message: string, extra: { reason?: string; source?: string } = {}): void {
  if (code === ErrorCode.UNAUTHENTICATED) res.set('www-authenticate', 'Bearer');
  res.status(STATUS[code] ?? 500).set('cache-control', 'no-store').json({ errors: [{ message, extensions: { code, ...extra } }] });
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);

/** `?measure=&from=&to=&breakdown=A&breakdown=B&filter.GENDER=FEMALE` as a report request. */
function requestOf(req: Request): ReportRequest {
  const query = req.query as Record<string, unknown>;
  const measure = String(query.measure ?? '');
  if (!Object.hasOwn(MEASURES, measure)) throw new ReportRequestError(`measure must be one of ${Object.keys(MEASURES).join(', ')}.`);
  const breakdowns = list(query.breakdown);
  const filters = Object.keys(query)
    .filter((name) => name.startsWith('filter.'))
    .map((name) => ({ dimension: name.slice('filter.'.length), values: list(query[name]) }));
  // Dimensions are checked against the measure's own list, as for /graphql (validateReportRequest).
  return {
    measure: measure as ReportMeasureId,
    from: String(query.from ?? ''),
    to: String(query.to ?? ''),
    breakdowns: breakdowns as ReportDimension[],
    filters: filters as ReportRequest['filters'],
  };
}

/**
 * `GET /reports.csv?measure=&from=&to=&breakdown=...&filter.<DIMENSION>=...`: a report as CSV, for a
 * caller the policy grants `Query.report` (bearer token as for /graphql). The same disclosure control
 * and audit as the GraphQL field; a suppressed cell's count is empty and its reason is in `suppression`.
 * Rows are written through csv-stringify as a stream, so a large table is not held as one string.
 */
export function reportCsvRoute(services: GatewayServices): RequestHandler {
  return async (req, res) => {
    const requestId = String(res.locals.requestId);
    const log = services.log.child({ requestId });
    try {
      const token = bearerToken(req.header('authorization'));
      if (!token) return refuse(res, ErrorCode.UNAUTHENTICATED, 'Sign in: send your bearer token as for /graphql');
      const principal = await services.verifyToken(token);
      const context = await createRequestContext(services, principal, req.header(PURPOSE_HEADER), requestId, log);
      const request = requestOf(req);
      // The file holds what these fields would: each needs its grant, as over GraphQL.
      const fields = ['ReportCell.count', ...(MEASURES[request.measure].average ? ['ReportCell.average'] : [])];
      for (const coordinate of [REPORT_COORDINATE, ...fields]) {
        const allowed = await context.authz.check(coordinate, null);
        if (allowed !== true) {
          const { code, reason } = allowed.extensions as { code: ErrorCode; reason?: string };
          return refuse(res, code, allowed.message, reason ? { reason } : {});
        }
      }
      const report = await runAuditedReport(
        services,
        { principal, policy: context.authz.policy, requestId, purpose: context.authz.purpose },
        request,
      );
      res.status(200).set({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${report.measure.toLowerCase()}-${report.from}-${report.to}.csv"`,
        'cache-control': 'no-store',
      });
      const averaged = report.definition.averageOf !== null;
      const csv = stringify({ header: true, columns: [...report.breakdowns, 'count', 'suppression', ...(averaged ? ['average'] : [])] });
      csv.pipe(res);
      for (const cell of report.cells) {
        // A total's key is written as "All", so the file reads on its own.
        const row = [...cell.keys.map((key) => key ?? 'All'), cell.suppression ? '' : cell.count, cell.suppression ?? ''];
        csv.write(averaged ? [...row, cell.average ?? ''] : row);
      }
      csv.end();
      log.info({ sub: principal.sub, measure: report.measure }, 'report exported as CSV (audited)');
    } catch (error) {
      if (error instanceof TokenRejected) return refuse(res, ErrorCode.UNAUTHENTICATED, error.clientMessage);
      if (error instanceof ReportRequestError) return refuse(res, ErrorCode.BAD_USER_INPUT, error.message, { reason: 'BAD_REPORT_REQUEST' });
      if (error instanceof SourceFailure) return refuse(res, ErrorCode.SOURCE_UNAVAILABLE, `${error.source} is unavailable: ${error.reason}`, { source: error.source });
      if (error instanceof ReportAuditUnavailable) return refuse(res, ErrorCode.AUDIT_UNAVAILABLE, error.message);
      log.error({ err: error }, 'report export failed');
      refuse(res, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal error: quote the x-request-id header');
    }
  };
}
