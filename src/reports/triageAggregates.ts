/**
 * Partnership Triage and panel volumes, counted as aggregate SQL in the gateway store (where referrals
 * and their steps are kept): one statement per grouping, referrals counted, never selected.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { neededDimensions, type AggregateQuery, type ReportDimension, type SourceAggregate } from '../../adapters/aggregates';
import { daysBetween } from '../../adapters/drivers/aggregateSql';
import { groupCounts } from '../../adapters/drivers/groupCounts';
import type { ReferralDatabase, ReferralTables } from '../referrals/referralStore';

export interface TriageAggregates {
  /** Referrals received in the period (by the time they were received). */
  referralsReceived: SourceAggregate;
  /** Referrals whose partner-system checks were run in the period. */
  referralsChecked: SourceAggregate;
  /** Referrals handed off to a Core Unit in the period. */
  referralsHandedOff: SourceAggregate;
  /** Referrals listed for a panel in the period (first listing or a return for review). */
  panelListings: SourceAggregate;
  /** Referrals listed for the panel for the first time in the period: new panel cases. */
  newPanelCases: SourceAggregate;
  /** Panel cases a review closed in the period, each once, with the days each was open summed (VALUE). */
  panelCasesClosed: SourceAggregate;
  /** Case-and-agency pairs a panel held in the period allocated. */
  panelAllocations: SourceAggregate;
  /** Check requests (multi-agency meetings, pre-sentence reports) received in the period. */
  checkRequests: SourceAggregate;
}

export const TRIAGE_DIMENSIONS: readonly ReportDimension[] = ['MONTH', 'REFERRAL_SOURCE', 'REFERRAL_STATUS'];

/** Referrals only: check requests (multi-agency meetings, pre-sentence reports) are not referrals received. */
const REFERRAL = 'REFERRAL';

type StepKind = 'CHECKS_RUN' | 'HANDED_OFF' | 'LISTED_FOR_PANEL';

export function createTriageAggregates<DB>(database: ReferralDatabase<DB>): TriageAggregates {
  const db = database.db as unknown as Kysely<ReferralTables>;
  const month = (instant: RawBuilder<string> | ReturnType<typeof sql.ref>) => sql<string>`substring(${instant}, 1, 7)`;
  const columns = (at: ReturnType<typeof sql.ref>): Partial<Record<ReportDimension, RawBuilder<string>>> => ({
    MONTH: month(at),
    REFERRAL_SOURCE: sql<string>`${sql.ref('r.source')}`,
    REFERRAL_STATUS: sql<string>`${sql.ref('r.status')}`,
  });
  /** The asked dimensions' columns: MONTH of `at`, the referral's own, and any a measure adds. */
  const dimensionsOf = (query: AggregateQuery, at: ReturnType<typeof sql.ref>, more: Partial<Record<ReportDimension, RawBuilder<string>>> = {}) => {
    const all = { ...columns(at), ...more };
    return [...neededDimensions(query)].map((d) => all[d]!.as(d));
  };
  /** Each referral's first listing for the panel: when it became a panel case. */
  const firstListings = () =>
    db
      .selectFrom('referral_step')
      .select(['referral_id', (eb) => eb.fn.min('occurred_at').as('FIRST_LISTED')])
      .where('kind', '=', 'LISTED_FOR_PANEL')
      .groupBy('referral_id');

  const received: SourceAggregate = {
    dimensions: TRIAGE_DIMENSIONS,
    count: (query) =>
      groupCounts(
        db,
        db
          .selectFrom('referral as r')
          .select(sql.ref('r.referral_id').as('UNIT'))
          .select(dimensionsOf(query, sql.ref('r.received_at')))
          .where('r.kind', '=', REFERRAL)
          .where('r.received_at', '>=', query.from)
          .where('r.received_at', '<', query.to),
        query,
      ),
  };

  const stepped = (kind: StepKind): SourceAggregate => ({
    dimensions: TRIAGE_DIMENSIONS,
    count: (query) =>
      groupCounts(
        db,
        db
          .selectFrom('referral_step as s')
          .innerJoin('referral as r', 'r.referral_id', 's.referral_id')
          .select(sql.ref('r.referral_id').as('UNIT'))
          .select(dimensionsOf(query, sql.ref('s.occurred_at')))
          .where('s.kind', '=', kind)
          .where('r.kind', '=', REFERRAL)
          .where('s.occurred_at', '>=', query.from)
          .where('s.occurred_at', '<', query.to),
        query,
      ),
  });

  const newPanelCases: SourceAggregate = {
    dimensions: TRIAGE_DIMENSIONS,
    count: (query) => {
      return groupCounts(
        db,
        (db as unknown as Kysely<ReferralTables & { f: { referral_id: string; FIRST_LISTED: string } }>)
          .selectFrom(firstListings().as('f'))
          .innerJoin('referral as r', 'r.referral_id', 'f.referral_id')
          .select(sql.ref('r.referral_id').as('UNIT'))
          .select(dimensionsOf(query, sql.ref('f.FIRST_LISTED')))
          .where('r.kind', '=', REFERRAL)
          .where('f.FIRST_LISTED', '>=', query.from)
          .where('f.FIRST_LISTED', '<', query.to),
        query,
      );
    },
  };

  // Each case once, at its last closing in the period; open from its first listing for the panel.
  const panelCasesClosed: SourceAggregate = {
    dimensions: TRIAGE_DIMENSIONS,
    count: (query) => {
      const closed = db
        .selectFrom('referral_step')
        .select(['referral_id', (eb) => eb.fn.max('occurred_at').as('CLOSED_AT')])
        .where('kind', '=', 'PANEL_REVIEWED')
        .where('status_after', '=', 'CLOSED')
        .where('occurred_at', '>=', query.from)
        .where('occurred_at', '<', query.to)
        .groupBy('referral_id');
      return groupCounts(
        db,
        (db as unknown as Kysely<ReferralTables & { c: { referral_id: string; CLOSED_AT: string }; f: { referral_id: string; FIRST_LISTED: string } }>)
          .selectFrom(closed.as('c'))
          .innerJoin(firstListings().as('f'), 'f.referral_id', 'c.referral_id')
          .innerJoin('referral as r', 'r.referral_id', 'c.referral_id')
          .select(sql.ref('r.referral_id').as('UNIT'))
          .select(daysBetween(database.engine, sql.ref('f.FIRST_LISTED'), sql.ref('c.CLOSED_AT')).as('VALUE'))
          .select(dimensionsOf(query, sql.ref('c.CLOSED_AT')))
          .where('r.kind', '=', REFERRAL),
        query,
        { sumOfValue: true },
      );
    },
  };

  const panelAllocations: SourceAggregate = {
    dimensions: [...TRIAGE_DIMENSIONS, 'PANEL_AGENCY'],
    count: (query) =>
      groupCounts(
        db,
        db
          .selectFrom('panel_allocation as a')
          .innerJoin('referral as r', 'r.referral_id', 'a.referral_id')
          // One unit per case and agency (concat is in SQLite 3.44+, MariaDB and SQL Server 2012+).
          .select(sql<string>`concat(${sql.ref('a.referral_id')}, ':', ${sql.ref('a.agency_id')})`.as('UNIT'))
          .select(dimensionsOf(query, sql.ref('a.panel_date'), { PANEL_AGENCY: sql<string>`${sql.ref('a.agency_id')}` }))
          .where('r.kind', '=', REFERRAL)
          .where('a.panel_date', '>=', query.from)
          .where('a.panel_date', '<', query.to),
        query,
      ),
  };

  const checkRequests: SourceAggregate = {
    dimensions: ['MONTH', 'REQUEST_KIND', 'REFERRAL_STATUS'],
    count: (query) =>
      groupCounts(
        db,
        db
          .selectFrom('referral as r')
          .select(sql.ref('r.referral_id').as('UNIT'))
          .select(dimensionsOf(query, sql.ref('r.received_at'), { REQUEST_KIND: sql<string>`${sql.ref('r.kind')}` }))
          .where('r.kind', '<>', REFERRAL)
          .where('r.received_at', '>=', query.from)
          .where('r.received_at', '<', query.to),
        query,
      ),
  };

  return {
    checkRequests,
    panelAllocations,
    panelCasesClosed,
    referralsReceived: received,
    referralsChecked: stepped('CHECKS_RUN'),
    referralsHandedOff: stepped('HANDED_OFF'),
    panelListings: stepped('LISTED_FOR_PANEL'),
    newPanelCases,
  };
}
