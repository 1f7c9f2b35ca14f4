/**
 * Youth justice measures computed in YOIS's own database: GROUP BY pushed down, one statement per
 * grouping, so the gateway receives counts and never loads a person's rows.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { ageBand, castInteger, postcodeDistrict } from '../drivers/aggregateSql';
import type { Database } from '../drivers/createDatabase';
import { neededDimensions, type AggregateQuery, type ReportDimension, type SourceAggregate } from '../aggregates';
import { groupCounts } from '../drivers/groupCounts';
import { compactDateOf, NO } from './mapping';
import type { YoisTables } from './tables';

/** Outcome codes that are not a formal disposal: a community resolution does not make a first-time entrant. */
const INFORMAL_OUTCOMES = ['CR'] as const;
const NO_DATE = '00000000';

export interface YoisAggregates {
  /**
   * Young people whose first formal outcome (youth caution, youth conditional caution or any court
   * outcome; not a community resolution) is dated in the period, aged 10-17 on that date.
   */
  firstTimeEntrants: SourceAggregate;
}

const FTE_DIMENSIONS: readonly ReportDimension[] = ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'];

function compactOrThrow(iso: string): string {
  const compact = compactDateOf(iso);
  if (!compact) throw new RangeError(`not an ISO date: ${iso}`);
  return compact;
}

export function createYoisAggregates(database: Database<YoisTables>): YoisAggregates {
  const { db, engine } = database;

  /** One row per first-time entrant in the period, with every dimension as a named column. */
  function firstTimeEntrantRows(query: AggregateQuery) {
    const firstEntry = db
      .selectFrom('YP_OUTCOME as o')
      .innerJoin('YP_OFFENCE as f', 'f.OFFENCE_ID', 'o.OFFENCE_ID')
      .select(['f.PERSON_ID', (eb) => eb.fn.min('o.OUTCOME_DATE').as('FIRST_DATE')])
      .where('o.DELETED_FLAG', '=', NO)
      .where('f.DELETED_FLAG', '=', NO)
      .where('o.OUTCOME_TYPE_CODE', 'not in', INFORMAL_OUTCOMES)
      .where('o.OUTCOME_DATE', '<>', NO_DATE)
      .groupBy('f.PERSON_ID');
    const dateOfBirth = castInteger(engine, sql.ref('p.DOB'));
    const entryDate = castInteger(engine, sql.ref('fe.FIRST_DATE'));
    const columns: Record<ReportDimension, RawBuilder<string> | null> = {
      MONTH: sql<string>`concat(substring(${sql.ref('fe.FIRST_DATE')}, 1, 4), '-', substring(${sql.ref('fe.FIRST_DATE')}, 5, 2))`,
      AGE_BAND: ageBand(dateOfBirth, entryDate),
      GENDER: sql<string>`case upper(${sql.ref('p.SEX')}) when 'M' then 'MALE' when 'F' then 'FEMALE' else 'NOT_STATED' end`,
      ETHNICITY: sql<string>`coalesce(${sql.ref('e.DESCRIPTION')}, 'Not recorded')`,
      POSTCODE_DISTRICT: postcodeDistrict(engine, sql.ref('p.POSTCODE')),
      ACTIVITY_TYPE: null,
    };
    return (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .selectFrom(firstEntry.as('fe'))
      .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'fe.PERSON_ID')
      .leftJoin('LU_ETHNICITY as e', 'e.ETHNICITY_CODE', 'p.ETHNICITY_CODE')
      .select(sql.ref('fe.PERSON_ID').as('UNIT'))
      .select([...neededDimensions(query)].map((d) => (columns[d] as RawBuilder<string>).as(d)))
      .where('p.DELETED_FLAG', '=', NO)
      .where('p.DOB', 'is not', null)
      .where('p.DOB', '<>', NO_DATE)
      .where('fe.FIRST_DATE', '>=', compactOrThrow(query.from))
      .where('fe.FIRST_DATE', '<', compactOrThrow(query.to))
      // Aged 10 to 17 on the date of the first formal outcome (see ageBand for the arithmetic).
      .where(sql`${entryDate} - ${dateOfBirth}`, '>=', sql.lit(100000))
      .where(sql`${entryDate} - ${dateOfBirth}`, '<', sql.lit(180000));
  }

  return {
    firstTimeEntrants: {
      dimensions: FTE_DIMENSIONS,
      async count(query) {
        return groupCounts(db, firstTimeEntrantRows(query), query);
      },
    },
  };
}
