/**
 * The aggregate contract: counts a source computes in its own database (GROUP BY pushed down), for
 * reports. Nothing here names a legacy table or code; each adapter maps its own to these terms.
 * An aggregate never returns a person or record ID, only group keys and counts.
 */

/** What a report can be broken down by. Each aggregate says which of these it supports. */
export type ReportDimension =
  | 'MONTH'
  | 'AGE_BAND'
  | 'GENDER'
  | 'ETHNICITY'
  | 'POSTCODE_DISTRICT'
  | 'ACTIVITY_TYPE'
  | 'CORE_UNIT'
  | 'REFERRAL_SOURCE'
  | 'REFERRAL_STATUS'
  | 'PANEL_AGENCY'
  | 'REQUEST_KIND';

/** One aggregate request: the period, the dimensions to group by, and filters on dimension values. */
export interface AggregateQuery {
  /** Inclusive ISO date. */
  from: string;
  /** Exclusive ISO date. */
  to: string;
  groupBy: readonly ReportDimension[];
  /** Only rows whose dimension value is one of these (values as the aggregate returns them). */
  filters: Partial<Record<ReportDimension, readonly string[]>>;
  /**
   * A dimension the source cannot work out from its own records (e.g. a Core Unit recorded in another
   * system): its value per person, keyed by the source's own person ID, resolved by the gateway;
   * `otherwise` for people not listed. Only IDs and values: the counting stays in the source.
   */
  personValues?: Partial<Record<ReportDimension, { values: ReadonlyMap<string, string>; otherwise: string }>>;
  /** Dates of birth (ISO) the gateway resolved from other systems, by the source's own person ID, to use instead of the source's own. */
  datesOfBirth?: ReadonlyMap<string, string>;
}

/** One group: its key per grouped dimension, and the count. */
export interface AggregateRow {
  keys: Partial<Record<ReportDimension, string>>;
  count: number;
  /** For a measure that averages a quantity: its sum over the group's units (never shown; the gateway divides). */
  sum?: number;
}

/** An aggregate a source computes: which dimensions it can group and filter by, and the query. */
export interface SourceAggregate {
  readonly dimensions: readonly ReportDimension[];
  count(query: AggregateQuery): Promise<AggregateRow[]>;
}

/** Age bands used across measures (age on the date the definition names). */
export const AGE_BANDS = ['0-9', '10-14', '15-17', '18+'] as const;

/** The dimensions a query groups or filters by: the only ones its SQL needs to compute. */
export function neededDimensions(query: AggregateQuery): Set<ReportDimension> {
  return new Set<ReportDimension>([...query.groupBy, ...(Object.keys(query.filters) as ReportDimension[])]);
}
