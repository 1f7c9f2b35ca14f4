import { SourceFailure } from '../../adapters/types';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context/GatewayContext';
import { ErrorCode } from '../errors/ErrorCode';
import { BadUserInputError, SourceUnavailableError } from '../errors/errors';
import type { QueryResolvers } from '../generated/graphql';
import { definitionOf, MEASURES } from '../reports/measures';
import { ReportAuditUnavailable, runAuditedReport } from '../reports/runAuditedReport';
import { ReportRequestError, type ReportRequest } from '../reports/runReport';

/** The CSV endpoint's path and query for a report request (see reportCsvRoute). */
export function csvPathOf(request: ReportRequest): string {
  const query = new URLSearchParams({ measure: request.measure, from: request.from, to: request.to });
  for (const dimension of request.breakdowns) query.append('breakdown', dimension);
  for (const filter of request.filters) for (const value of filter.values) query.append(`filter.${filter.dimension}`, value);
  return `/reports.csv?${query.toString()}`;
}

export const reportQueryResolvers: Pick<QueryResolvers<GatewayContext>, 'report' | 'reportMeasures'> = {
  async report(_parent, args, context, info) {
    const request: ReportRequest = {
      measure: args.measure,
      from: args.from,
      to: args.to,
      breakdowns: args.breakdowns ?? [],
      filters: (args.filters ?? []).map((f) => ({ dimension: f.dimension, values: f.values })),
    };
    try {
      const result = await runAuditedReport(
        context.services,
        { principal: context.principal, policy: context.authz.policy, requestId: context.requestId, purpose: context.authz.purpose },
        request,
      );
      // The run is in the audit chain with its parameters: the request's own event leaves this field out.
      context.fieldAccess?.auditedByResolver.add(info.path.key);
      return {
        ...result,
        definition: { ...result.definition, dimensions: [...result.definition.dimensions], nonAdditive: [...result.definition.nonAdditive] },
        breakdowns: [...result.breakdowns],
        cells: result.cells.map((cell) => ({
          keys: cell.keys.map((value, i) => ({ dimension: request.breakdowns[i]!, value })),
          count: cell.suppression ? null : cell.count,
          suppression: cell.suppression,
          average: cell.average,
          isTotal: cell.keys.some((key) => key === null),
        })),
        csvPath: csvPathOf(request),
      };
    } catch (error) {
      if (error instanceof ReportRequestError) throw new BadUserInputError(error.message, 'BAD_REPORT_REQUEST');
      if (error instanceof SourceFailure) throw new SourceUnavailableError(error.source, error.reason);
      if (error instanceof ReportAuditUnavailable) throw new GraphQLError(error.message, { extensions: { code: ErrorCode.AUDIT_UNAVAILABLE } });
      throw error;
    }
  },
  reportMeasures: () =>
    Object.values(MEASURES).map(definitionOf).map((definition) => ({
      ...definition,
      dimensions: [...definition.dimensions],
      nonAdditive: [...definition.nonAdditive],
    })),
};
