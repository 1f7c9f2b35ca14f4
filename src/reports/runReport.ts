import type { AggregateQuery, AggregateRow, ReportDimension } from '../../adapters/aggregates';
import { SourceFailure } from '../../adapters/types';
import { definitionOf, MEASURES, type MeasureDefinition, type ReportMeasureId, type ReportSources } from './measures';
import { suppressCells, type ProtectedCell, type TableCell } from './suppressCells';

/** Most breakdowns in one report: a table with every total is 2^n groupings, one statement each. */
export const MAX_BREAKDOWNS = 3;
/** Longest period one report may cover, in days (about three years). */
export const MAX_PERIOD_DAYS = 3 * 366;
export const MAX_FILTER_VALUES = 50;
/** The threshold when the policy sets none. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

export interface ReportRequest {
  measure: ReportMeasureId;
  from: string;
  to: string;
  breakdowns: readonly ReportDimension[];
  filters: ReadonlyArray<{ dimension: ReportDimension; values: readonly string[] }>;
}

export interface ReportResult {
  measure: ReportMeasureId;
  definition: MeasureDefinition;
  from: string;
  to: string;
  asOf: string;
  /** The first day the figures are final: `to` plus the measure's `finalAfterMonths`. */
  finalOn: string;
  /** Whether `asOf` is before `finalOn`: the figures may still grow. */
  provisional: boolean;
  breakdowns: readonly ReportDimension[];
  /** Interior cells first, then totals; keys follow `breakdowns`, null marking a total. */
  cells: ReportTableCell[];
  suppressionThreshold: number;
  suppressedCells: number;
}

/** A cell as a report returns it: the count after disclosure control, and the average where the measure has one. */
export type ReportTableCell = Omit<ProtectedCell, 'sum'> & { average: number | null };

/**
 * A cell's average, to one decimal place, only beside a count that is shown: an average next to a
 * suppressed count would give back the sum, and with it what suppression withheld.
 */
function averageOf(cell: ProtectedCell, sum: number | undefined, per: number | undefined): number | null {
  if (sum === undefined || per === undefined || cell.suppression || cell.count === 0) return null;
  return Math.round((sum / cell.count / per) * 10) / 10;
}

/** A report request a caller got wrong: the message says what to change. */
export class ReportRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportRequestError';
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const dayOf = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/** Checks a request against the measure; throws ReportRequestError naming what is wrong. */
export function validateReportRequest(request: ReportRequest): void {
  const measure = MEASURES[request.measure];
  if (!ISO_DATE.test(request.from) || !ISO_DATE.test(request.to)) throw new ReportRequestError('from and to must be dates, YYYY-MM-DD.');
  const days = dayOf(request.to) - dayOf(request.from);
  if (!(days > 0)) throw new ReportRequestError('to must be after from (the period is from inclusive, to exclusive).');
  if (days > MAX_PERIOD_DAYS) throw new ReportRequestError(`A report covers at most ${MAX_PERIOD_DAYS} days; split the period.`);
  if (request.breakdowns.length > MAX_BREAKDOWNS) throw new ReportRequestError(`At most ${MAX_BREAKDOWNS} breakdowns per report.`);
  if (new Set(request.breakdowns).size !== request.breakdowns.length) throw new ReportRequestError('Each breakdown may appear once.');
  const seen = new Set<ReportDimension>();
  for (const dimension of [...request.breakdowns, ...request.filters.map((f) => f.dimension)]) {
    if (!measure.dimensions.includes(dimension)) {
      throw new ReportRequestError(`${request.measure} cannot be broken down or filtered by ${dimension}; it supports ${measure.dimensions.join(', ')}.`);
    }
  }
  for (const filter of request.filters) {
    if (seen.has(filter.dimension)) throw new ReportRequestError(`Give one filter per dimension (${filter.dimension} appears twice).`);
    seen.add(filter.dimension);
    if (filter.values.length === 0 || filter.values.length > MAX_FILTER_VALUES) {
      throw new ReportRequestError(`A filter takes 1 to ${MAX_FILTER_VALUES} values (${filter.dimension}).`);
    }
    if (filter.values.some((value) => value.length > 100)) throw new ReportRequestError('A filter value is at most 100 characters.');
  }
}

/** Every subset of the breakdowns, finest first: the interior, then each level of totals. */
function groupings(breakdowns: readonly ReportDimension[]): ReportDimension[][] {
  const subsets: ReportDimension[][] = [];
  for (let mask = (1 << breakdowns.length) - 1; mask >= 0; mask--) subsets.push(breakdowns.filter((_, i) => mask & (1 << i)));
  return subsets.sort((a, b) => b.length - a.length);
}

const compareKeys = (a: TableCell, b: TableCell): number => {
  for (let i = 0; i < a.keys.length; i++) {
    const x = a.keys[i] ?? '\uffff';
    const y = b.keys[i] ?? '\uffff';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

/**
 * Runs a measure as aggregate SQL in its source (one statement per grouping: the interior and each
 * level of totals, so totals are exact even where one young person falls in several parts), then
 * applies disclosure control to the whole table before anything leaves.
 */
export async function runReport(sources: ReportSources, request: ReportRequest, options: { threshold: number; now: Date }): Promise<ReportResult> {
  validateReportRequest(request);
  const measure = MEASURES[request.measure];
  const aggregate = measure.aggregate(sources);
  const filters = Object.fromEntries(request.filters.map((f) => [f.dimension, f.values]));
  const asOf = options.now.toISOString();
  const cells: TableCell[] = [];
  // Dimensions from other systems (through identity links), resolved once for every grouping.
  const personValues: AggregateQuery['personValues'] = {};
  const lastDay = new Date(Date.parse(`${request.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  for (const dimension of new Set([...request.breakdowns, ...request.filters.map((f) => f.dimension)])) {
    const resolve = measure.personValues?.[dimension];
    if (!resolve) continue;
    try {
      personValues[dimension] = await resolve(sources, lastDay);
    } catch (error) {
      if (error instanceof SourceFailure) throw error;
      const named = (error as { source?: unknown } | null)?.source;
      if (named !== 'UMIS' && named !== 'YOIS' && measure.source === 'GATEWAY_STORE') throw error;
      throw new SourceFailure(named === 'UMIS' || named === 'YOIS' ? named : (measure.source as 'UMIS' | 'YOIS' | 'IYSS'), `the ${dimension} breakdown could not be worked out`, { cause: error });
    }
  }
  let datesOfBirth: ReadonlyMap<string, string> | undefined;
  if (measure.datesOfBirth) {
    try {
      datesOfBirth = await measure.datesOfBirth(sources);
    } catch (error) {
      if (error instanceof SourceFailure) throw error;
      const named = (error as { source?: unknown } | null)?.source;
      throw new SourceFailure(named === 'IYSS' || named === 'UMIS' || named === 'YOIS' ? named : 'IYSS', 'the dates of birth of linked records could not be read', { cause: error });
    }
  }
  for (const groupBy of groupings(request.breakdowns)) {
    let rows: AggregateRow[];
    try {
      rows = await aggregate.count({ from: request.from, to: request.to, groupBy, filters, personValues, datesOfBirth });
    } catch (error) {
      if (error instanceof SourceFailure) throw error;
      // The gateway store is no source that can be down on its own: its failure is the gateway's.
      if (measure.source === 'GATEWAY_STORE') throw error;
      throw new SourceFailure(measure.source, 'the report query did not complete', { cause: error });
    }
    const level: TableCell[] = rows.map((row) => ({ keys: request.breakdowns.map((d) => row.keys[d] ?? null), count: row.count, sum: row.sum }));
    // The grand total is always listed, zero or not, so a caller can tell "none" from "not asked".
    if (groupBy.length === 0 && level.length === 0) level.push({ keys: request.breakdowns.map(() => null), count: 0 });
    cells.push(...level.sort(compareKeys));
  }
  const additive = request.breakdowns.map((d) => !measure.nonAdditive.includes(d));
  const protectedCells = suppressCells(cells, options.threshold, additive);
  const definition = definitionOf(measure);
  const final = finalOn(request.to, definition.finalAfterMonths);
  return {
    measure: request.measure,
    definition,
    from: request.from,
    to: request.to,
    asOf,
    finalOn: final,
    provisional: asOf.slice(0, 10) < final,
    breakdowns: request.breakdowns,
    cells: protectedCells.map(({ sum, ...cell }) => ({ ...cell, average: averageOf(cell, sum, measure.average?.per) })),
    suppressionThreshold: options.threshold,
    suppressedCells: protectedCells.filter((c) => c.suppression).length,
  };
}

/**
 * The day after the last day whose events a period's figures wait for: the period's last day plus
 * `months`, clamped to the month's end (as the sources' YYYYMMDD comparisons are), plus one day.
 */
export function finalOn(to: string, months: number): string {
  if (months === 0) return to;
  const last = new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000);
  const year = last.getUTCFullYear();
  const month = last.getUTCMonth() + months;
  const monthEnd = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(last.getUTCDate(), monthEnd);
  return new Date(Date.UTC(year, month, day) + 86_400_000).toISOString().slice(0, 10);
}
