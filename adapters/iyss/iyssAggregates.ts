/**
 * Youth service measures computed in IYSS's own database (GROUP BY pushed down, one statement per
 * grouping): positive-activity participation and NEET status. The gateway receives counts only.
 */
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import { neededDimensions, type AggregateQuery, type ReportDimension, type SourceAggregate } from '../aggregates';
import { ageBand, castInteger, isoMonthOfDateTime, postcodeDistrict } from '../drivers/aggregateSql';
import type { Database } from '../drivers/createDatabase';
import { groupCounts } from '../drivers/groupCounts';
import type { IyssTables } from './tables';

/** Attendance codes that count as taking part: present, or late. */
const TOOK_PART = ['P', 'L'] as const;
/** Most months one NEET report may span (one snapshot per month). */
export const MAX_NEET_MONTHS = 36;

export interface IyssAggregates {
  /** Distinct young people who attended (present or late) at least one group session in the period. */
  positiveActivityParticipation: SourceAggregate;
  /** Young people aged 16-18 at a month's end whose latest education status on that day is NEET, per month. */
  neet16To18: SourceAggregate;
  /** The same, with each young person's age from the date of birth the gateway gives (`AggregateQuery.datesOfBirth`) where it gives one. */
  neet16To18ByGivenDateOfBirth: SourceAggregate;
}

const PARTICIPATION_DIMENSIONS: readonly ReportDimension[] = ['MONTH', 'ACTIVITY_TYPE', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'];
const NEET_DIMENSIONS: readonly ReportDimension[] = ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'];

/** `YYYYMMDD` as a number, from an ISO date the caller validated. */
function compactNumber(iso: string): number {
  return Number(iso.replace(/-/g, ''));
}

/** The day before an ISO date, as ISO. */
function dayBefore(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/** Each month overlapping [from, to): its `YYYY-MM` and its last day inside the period. */
export function monthsOf(from: string, to: string): Array<{ month: string; lastDay: string }> {
  const months: Array<{ month: string; lastDay: string }> = [];
  const last = dayBefore(to);
  let cursor = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  while (cursor.toISOString().slice(0, 10) <= last) {
    const next = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
    const monthEnd = dayBefore(next.toISOString().slice(0, 10));
    months.push({ month: cursor.toISOString().slice(0, 7), lastDay: monthEnd < last ? monthEnd : last });
    cursor = next;
  }
  return months;
}

/** Only the dimension columns the query groups or filters by: the others would be computed for nothing. */
function selectedColumns(columns: Partial<Record<ReportDimension, RawBuilder<string>>>, query: AggregateQuery) {
  return [...neededDimensions(query)].map((dimension) => (columns[dimension] as RawBuilder<string>).as(dimension));
}

export function createIyssAggregates(database: Database<IyssTables>): IyssAggregates {
  const { db, engine } = database;
  const anyDb = db as unknown as Kysely<Record<string, Record<string, unknown>>>;

  /** IYSS keys dates as `YYYY-MM-DD` (web form) or `DD/MM/YYYY` (old import): both as a `YYYYMMDD` number. */
  const legacyDate = (column: string): RawBuilder<number> => {
    const value = sql.ref(column);
    return castInteger(
      engine,
      sql`case when ${value} like '__/__/____' then concat(substring(${value}, 7, 4), substring(${value}, 4, 2), substring(${value}, 1, 2)) else replace(${value}, '-', '') end`,
    );
  };
  const personColumns = (onDate: Expression<number>, dateOfBirth: RawBuilder<number> = legacyDate('p.DOB')): Record<'AGE_BAND' | 'GENDER' | 'ETHNICITY' | 'POSTCODE_DISTRICT', RawBuilder<string>> => ({
    AGE_BAND: ageBand(dateOfBirth, onDate),
    GENDER: sql<string>`case upper(${sql.ref('p.Sex')}) when 'M' then 'MALE' when 'F' then 'FEMALE' when 'O' then 'OTHER' else 'NOT_STATED' end`,
    ETHNICITY: sql<string>`coalesce(${sql.ref('e.Description')}, 'Not recorded')`,
    POSTCODE_DISTRICT: postcodeDistrict(engine, sql.ref('p.Postcode')),
  });

  function participationRows(query: AggregateQuery) {
    const person = personColumns(sql.lit(compactNumber(dayBefore(query.to))));
    const columns: Partial<Record<ReportDimension, RawBuilder<string>>> = {
      ...person,
      MONTH: isoMonthOfDateTime(engine, sql.ref('g.SessionDate')),
      ACTIVITY_TYPE: sql<string>`coalesce(${sql.ref('at.Description')}, ${sql.ref('g.ActivityTypeCode')})`,
    };
    return anyDb
      .selectFrom('tblAttendance as a')
      .innerJoin('tblGroupSession as g', 'g.GroupSessionID', 'a.GroupSessionID')
      .innerJoin('tblYoungPerson as p', 'p.YoungPersonID', 'a.YoungPersonID')
      .leftJoin('tlkpActivityType as at', 'at.ActivityTypeCode', 'g.ActivityTypeCode')
      .leftJoin('tlkpEthnicity as e', 'e.EthnicityCode', 'p.EthnicityCode')
      .select([sql.ref('p.YoungPersonID').as('UNIT'), ...selectedColumns(columns, query)])
      .where('a.IsDeleted', '=', 0)
      .where('g.IsDeleted', '=', 0)
      .where('p.IsDeleted', '=', 0)
      .where('a.AttendanceCode', 'in', TOOK_PART)
      .where('g.SessionDate', '>=', query.from)
      .where('g.SessionDate', '<', query.to);
  }

  /**
   * IYSS's own date of birth, or the one the gateway gives for a young person (their golden date of
   * birth from linked records): `case when ID in (...) then 20140601 ... else <IYSS's> end`, the IDs and
   * dates as checked integer literals.
   */
  const givenOrOwnDateOfBirth = (given: ReadonlyMap<string, string> | undefined): RawBuilder<number> => {
    const own = legacyDate('p.DOB');
    const byDate = new Map<number, number[]>();
    for (const [id, iso] of given ?? []) {
      if (!/^\d{1,18}$/.test(id) || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError('a given date of birth needs a numeric ID and an ISO date');
      const ids = byDate.get(compactNumber(iso)) ?? [];
      ids.push(Number(id));
      byDate.set(compactNumber(iso), ids);
    }
    if (byDate.size === 0) return own;
    const branches = [...byDate].sort(([a], [b]) => a - b).map(([date, ids]) => sql`when ${sql.ref('p.YoungPersonID')} in (${sql.join(ids.sort((x, y) => x - y).map((id) => sql.lit(id)))}) then ${sql.lit(date)}`);
    return sql<number>`case ${sql.join(branches, sql` `)} else ${own} end`;
  };

  function neetRows(query: AggregateQuery, given?: ReadonlyMap<string, string>) {
    const months = monthsOf(query.from, query.to);
    if (months.length > MAX_NEET_MONTHS) throw new RangeError(`a NEET report spans at most ${MAX_NEET_MONTHS} months`);
    // The months as a derived table of constants the gateway computed (never a caller's text).
    const monthTable = sql.join(
      months.map((m) => sql`select ${sql.lit(m.month)} as MONTH, ${sql.lit(compactNumber(m.lastDay))} as MONTH_END`),
      sql` union all `,
    );
    const monthEnd = sql.ref<number>('m.MONTH_END');
    const dob = given ? givenOrOwnDateOfBirth(given) : legacyDate('p.DOB');
    const person = personColumns(monthEnd, dob);
    const columns: Partial<Record<ReportDimension, RawBuilder<string>>> = { ...person, MONTH: sql<string>`${sql.ref('m.MONTH')}` };
    // Each live status holds from its date until the person's next one (a later date, or the same date
    // with a higher ID): computed once per status, so each month needs only a range test.
    // (Derived tables, not a WITH clause: SQL Server allows no WITH inside the derived table groupCounts wraps.)
    const statuses = () =>
      anyDb
        .selectFrom('tblEducationStatus as s')
        .select([
          sql.ref('s.EducationStatusID').as('ID'),
          sql.ref('s.YoungPersonID').as('PID'),
          sql.ref('s.NeetCode').as('CODE'),
          legacyDate('s.EffectiveDate').as('D'),
        ])
        .where('s.IsDeleted', '=', 0);
    const spans = anyDb
      .selectFrom(statuses().as('a'))
      .leftJoin(statuses().as('b'), (join) =>
        join
          .onRef('b.PID', '=', 'a.PID')
          .on((eb) => eb.or([eb('b.D', '>', eb.ref('a.D')), eb.and([eb('b.D', '=', eb.ref('a.D')), eb('b.ID', '>', eb.ref('a.ID'))])])),
      )
      .select(['a.ID', 'a.PID', 'a.CODE', 'a.D', (eb) => eb.fn.min('b.D').as('UNTIL')])
      .groupBy(['a.ID', 'a.PID', 'a.CODE', 'a.D']);
    return anyDb
      .selectFrom(spans.as('sp'))
      .innerJoin(sql`(${monthTable})`.as('m'), (join) =>
        join.on(sql.ref('sp.D'), '<=', monthEnd).on((eb) => eb.or([eb('sp.UNTIL', 'is', null), eb('sp.UNTIL', '>', monthEnd)])),
      )
      .innerJoin('tblYoungPerson as p', 'p.YoungPersonID', 'sp.PID')
      .innerJoin('tlkpNeetStatus as n', 'n.NeetCode', 'sp.CODE')
      .leftJoin('tlkpEthnicity as e', 'e.EthnicityCode', 'p.EthnicityCode')
      .select([sql.ref('p.YoungPersonID').as('UNIT'), ...selectedColumns(columns, query)])
      .where('p.IsDeleted', '=', 0)
      .where('n.IsNEET', '=', 1)
      // Aged 16 to 18 on the month's last day (see ageBand for the arithmetic).
      .where(sql`${monthEnd} - ${dob}`, '>=', sql.lit(160000))
      .where(sql`${monthEnd} - ${dob}`, '<', sql.lit(190000));
  }

  return {
    positiveActivityParticipation: { dimensions: PARTICIPATION_DIMENSIONS, count: (query) => groupCounts(db, participationRows(query), query) },
    neet16To18: { dimensions: NEET_DIMENSIONS, count: (query) => groupCounts(db, neetRows(query), query) },
    neet16To18ByGivenDateOfBirth: { dimensions: NEET_DIMENSIONS, count: (query) => groupCounts(db, neetRows(query, query.datesOfBirth ?? new Map()), query) },
  };
}
