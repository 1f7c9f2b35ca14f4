/**
 * Youth justice measures computed in YOIS's own database: GROUP BY pushed down, one statement per
 * grouping, so the gateway receives counts and never loads a person's rows.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { ageBand, castInteger, isoMonthOfDateTime, postcodeDistrict, valueByPerson } from '../drivers/aggregateSql';
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
  /** The proven re-offending cohort: young people with a proven offence (formal outcome) dated in the period; index date the first. */
  reoffendingCohort: SourceAggregate;
  /** Of the cohort, those with a further offence committed within 12 months after the index date and itself proven. */
  reoffenders: SourceAggregate;
  /** The further offences themselves (within 12 months after the index date, proven): the frequency's numerator. */
  reoffences: SourceAggregate;
  /** Breach warnings (strikes) issued in the period on live orders. */
  breachWarnings: SourceAggregate;
  /** Orders with one or more breach warnings issued in the period. */
  ordersWarned: SourceAggregate;
  /** Orders whose second strike was issued in the period (each goes to the in-house panel). */
  ordersAtSecondStrike: SourceAggregate;
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
    const columns: Partial<Record<ReportDimension, RawBuilder<string> | null>> = {
      MONTH: sql<string>`concat(substring(${sql.ref('fe.FIRST_DATE')}, 1, 4), '-', substring(${sql.ref('fe.FIRST_DATE')}, 5, 2))`,
      AGE_BAND: ageBand(dateOfBirth, entryDate),
      GENDER: sql<string>`case upper(${sql.ref('p.SEX')}) when 'M' then 'MALE' when 'F' then 'FEMALE' else 'NOT_STATED' end`,
      ETHNICITY: sql<string>`coalesce(${sql.ref('e.DESCRIPTION')}, 'Not recorded')`,
      POSTCODE_DISTRICT: postcodeDistrict(engine, sql.ref('p.POSTCODE')),
      ACTIVITY_TYPE: null,
      CORE_UNIT: null,
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

  /** Proven offences: a live offence with a live formal outcome (not a community resolution). */
  function provenOffences() {
    return db
      .selectFrom('YP_OUTCOME as o')
      .innerJoin('YP_OFFENCE as f', 'f.OFFENCE_ID', 'o.OFFENCE_ID')
      .where('o.DELETED_FLAG', '=', NO)
      .where('f.DELETED_FLAG', '=', NO)
      .where('o.OUTCOME_TYPE_CODE', 'not in', INFORMAL_OUTCOMES)
      .where('o.OUTCOME_DATE', '<>', NO_DATE);
  }

  /**
   * One row per counted unit of the re-offending measures: each cohort member (`COHORT`), each who
   * re-offended (`REOFFENDERS`), or each re-offence (`REOFFENCES`), with the person's dimensions at
   * the index date. `YYYYMMDD + 10000` is the same day a year later (29 February runs to 1 March);
   * eighteen months on is `+ 10600` for an index date in January to June, `+ 19400` (two years less six
   * months) for July to December. A day past a month's end (31 August + 18 months) still orders right.
   */
  function reoffendingRows(query: AggregateQuery, unit: 'COHORT' | 'REOFFENDERS' | 'REOFFENCES') {
    const index = provenOffences()
      .select(['f.PERSON_ID', (eb) => eb.fn.min('o.OUTCOME_DATE').as('INDEX_DATE')])
      .where('o.OUTCOME_DATE', '>=', compactOrThrow(query.from))
      .where('o.OUTCOME_DATE', '<', compactOrThrow(query.to))
      .groupBy('f.PERSON_ID');
    const indexDate = castInteger(engine, sql.ref('ix.INDEX_DATE'));
    const dateOfBirth = castInteger(engine, sql.ref('p.DOB'));
    const columns: Partial<Record<ReportDimension, RawBuilder<string> | null>> = {
      MONTH: sql<string>`concat(substring(${sql.ref('ix.INDEX_DATE')}, 1, 4), '-', substring(${sql.ref('ix.INDEX_DATE')}, 5, 2))`,
      AGE_BAND: ageBand(dateOfBirth, indexDate),
      GENDER: sql<string>`case upper(${sql.ref('p.SEX')}) when 'M' then 'MALE' when 'F' then 'FEMALE' else 'NOT_STATED' end`,
      ETHNICITY: sql<string>`coalesce(${sql.ref('e.DESCRIPTION')}, 'Not recorded')`,
      POSTCODE_DISTRICT: postcodeDistrict(engine, sql.ref('p.POSTCODE')),
      ACTIVITY_TYPE: null,
      CORE_UNIT: neededDimensions(query).has('CORE_UNIT') ? valueByPerson(sql.ref('p.PERSON_ID'), query.personValues?.CORE_UNIT) : null,
    };
    let rows = (db as unknown as Kysely<Record<string, Record<string, unknown>>>)
      .selectFrom(index.as('ix'))
      .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'ix.PERSON_ID')
      .leftJoin('LU_ETHNICITY as e', 'e.ETHNICITY_CODE', 'p.ETHNICITY_CODE')
      .where('p.DELETED_FLAG', '=', NO);
    if (unit !== 'COHORT') {
      const later = provenOffences().select(['f.PERSON_ID', 'f.OFFENCE_ID', 'f.OFFENCE_DATE', 'o.OUTCOME_DATE']);
      const offenceDate = castInteger(engine, sql.ref('r.OFFENCE_DATE'));
      const provenOn = castInteger(engine, sql.ref('r.OUTCOME_DATE'));
      // Committed within the 12-month follow-up, and proven within it or the 6-month waiting period after it.
      const waitingEnds = sql<number>`case when substring(${sql.ref('ix.INDEX_DATE')}, 5, 2) <= '06' then ${indexDate} + ${sql.lit(10600)} else ${indexDate} + ${sql.lit(19400)} end`;
      rows = rows
        .innerJoin(later.as('r'), 'r.PERSON_ID', 'ix.PERSON_ID')
        .where(offenceDate, '>', indexDate)
        .where(offenceDate, '<=', sql<number>`${indexDate} + ${sql.lit(10000)}`)
        .where(provenOn, '<=', waitingEnds);
    }
    return rows
      .select(sql.ref(unit === 'REOFFENCES' ? 'r.OFFENCE_ID' : 'ix.PERSON_ID').as('UNIT'))
      .select([...neededDimensions(query)].map((d) => (columns[d] as RawBuilder<string>).as(d)));
  }

  const reoffending = (unit: 'COHORT' | 'REOFFENDERS' | 'REOFFENCES'): SourceAggregate => ({
    dimensions: FTE_DIMENSIONS,
    count: (query) => groupCounts(db, reoffendingRows(query, unit), query),
  });

  /**
   * One row per breach warning issued in the period on a live order of a live young person (`WARNINGS`),
   * or per order warned (`ORDERS`), or per order whose second strike fell in the period (`SECOND_STRIKES`);
   * age on the order's start date, month of the warning.
   */
  function breachRows(query: AggregateQuery, unit: 'WARNINGS' | 'ORDERS' | 'SECOND_STRIKES') {
    const dateOfBirth = castInteger(engine, sql.ref('p.DOB'));
    const columns: Partial<Record<ReportDimension, RawBuilder<string> | null>> = {
      MONTH: isoMonthOfDateTime(engine, sql.ref('w.ISSUED_DATE')),
      AGE_BAND: ageBand(dateOfBirth, castInteger(engine, sql.ref('o.ORDER_START'))),
      GENDER: sql<string>`case upper(${sql.ref('p.SEX')}) when 'M' then 'MALE' when 'F' then 'FEMALE' else 'NOT_STATED' end`,
      ETHNICITY: sql<string>`coalesce(${sql.ref('e.DESCRIPTION')}, 'Not recorded')`,
      POSTCODE_DISTRICT: postcodeDistrict(engine, sql.ref('p.POSTCODE')),
      ACTIVITY_TYPE: null,
      CORE_UNIT: null,
    };
    let rows = db
      .selectFrom('YP_BREACH_WARNING as w')
      .innerJoin('YP_ORDER as o', 'o.ORDER_ID', 'w.ORDER_ID')
      .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'o.PERSON_ID')
      .leftJoin('LU_ETHNICITY as e', 'e.ETHNICITY_CODE', 'p.ETHNICITY_CODE')
      .where('w.DELETED_FLAG', '=', NO)
      .where('o.DELETED_FLAG', '=', NO)
      .where('p.DELETED_FLAG', '=', NO)
      .where('w.ISSUED_DATE', '>=', `${query.from} 00:00:00`)
      .where('w.ISSUED_DATE', '<', `${query.to} 00:00:00`);
    if (unit === 'SECOND_STRIKES') rows = rows.where('w.STRIKE_NO', '=', 2);
    return rows
      .select(sql.ref(unit === 'WARNINGS' ? 'w.WARNING_ID' : 'o.ORDER_ID').as('UNIT'))
      .select([...neededDimensions(query)].map((d) => (columns[d] as RawBuilder<string>).as(d)));
  }

  const breach = (unit: 'WARNINGS' | 'ORDERS' | 'SECOND_STRIKES'): SourceAggregate => ({
    dimensions: FTE_DIMENSIONS,
    count: (query) => groupCounts(db, breachRows(query, unit), query),
  });

  return {
    breachWarnings: breach('WARNINGS'),
    ordersWarned: breach('ORDERS'),
    ordersAtSecondStrike: breach('SECOND_STRIKES'),
    reoffendingCohort: reoffending('COHORT'),
    reoffenders: reoffending('REOFFENDERS'),
    reoffences: reoffending('REOFFENCES'),
    firstTimeEntrants: {
      dimensions: FTE_DIMENSIONS,
      async count(query) {
        return groupCounts(db, firstTimeEntrantRows(query), query);
      },
    },
  };
}

/**
 * Each live young person's Core Unit allocations open on `onDate` (ISO), latest started first: the
 * dimension a report of another system's measure needs, not a measure (IDs and unit codes only).
 */
export async function yoisAllocationsOpenOn(database: Database<YoisTables>, onDate: string): Promise<Array<{ personSourceId: string; unit: string; start: string }>> {
  const rows = await database.db
    .selectFrom('YP_CASE_ALLOCATION as c')
    .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'c.PERSON_ID')
    .select(['c.PERSON_ID', 'c.UNIT_CODE', 'c.ALLOC_START'])
    .where('c.DELETED_FLAG', '=', NO)
    .where('p.DELETED_FLAG', '=', NO)
    .where('c.ALLOC_START', '<=', `${onDate} 23:59:59`)
    .where((eb) => eb.or([eb('c.ALLOC_END', 'is', null), eb('c.ALLOC_END', '>=', `${onDate} 00:00:00`)]))
    .orderBy('c.ALLOC_START', 'desc')
    .orderBy('c.ALLOCATION_ID', 'desc')
    .execute();
  return rows.map((row) => ({ personSourceId: String(row.PERSON_ID), unit: row.UNIT_CODE.trim().toUpperCase(), start: String(row.ALLOC_START) }));
}
