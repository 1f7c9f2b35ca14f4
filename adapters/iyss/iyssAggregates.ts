/**
 * Youth service measures computed in IYSS's own database (GROUP BY pushed down, one statement per
 * grouping): positive-activity participation and NEET status. The gateway receives counts only.
 */
import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { AggregateQuery, ReportDimension, SourceAggregate } from '../aggregates';
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
  const personColumns = (onDate: Expression<number>): Record<'AGE_BAND' | 'GENDER' | 'ETHNICITY' | 'POSTCODE_DISTRICT', RawBuilder<string>> => ({
    AGE_BAND: ageBand(legacyDate('p.DOB'), onDate),
    GENDER: sql<string>`case upper(${sql.ref('p.Sex')}) when 'M' then 'MALE' when 'F' then 'FEMALE' when 'O' then 'OTHER' else 'NOT_STATED' end`,
    ETHNICITY: sql<string>`coalesce(${sql.ref('e.Description')}, 'Not recorded')`,
    POSTCODE_DISTRICT: postcodeDistrict(engine, sql.ref('p.Postcode')),
  });

  function participationRows(query: AggregateQuery) {
    const person = personColumns(sql.lit(compactNumber(dayBefore(query.to))));
    return anyDb
      .selectFrom('tblAttendance as a')
      .innerJoin('tblGroupSession as g', 'g.GroupSessionID', 'a.GroupSessionID')
      .innerJoin('tblYoungPerson as p', 'p.YoungPersonID', 'a.YoungPersonID')
      .leftJoin('tlkpActivityType as at', 'at.ActivityTypeCode', 'g.ActivityTypeCode')
      .leftJoin('tlkpEthnicity as e', 'e.EthnicityCode', 'p.EthnicityCode')
      .select([
        sql.ref('p.YoungPersonID').as('UNIT'),
        isoMonthOfDateTime(engine, sql.ref('g.SessionDate')).as('MONTH'),
        sql<string>`coalesce(${sql.ref('at.Description')}, ${sql.ref('g.ActivityTypeCode')})`.as('ACTIVITY_TYPE'),
        person.AGE_BAND.as('AGE_BAND'),
        person.GENDER.as('GENDER'),
        person.ETHNICITY.as('ETHNICITY'),
        person.POSTCODE_DISTRICT.as('POSTCODE_DISTRICT'),
      ])
      .where('a.IsDeleted', '=', 0)
      .where('g.IsDeleted', '=', 0)
      .where('p.IsDeleted', '=', 0)
      .where('a.AttendanceCode', 'in', TOOK_PART)
      .where('g.SessionDate', '>=', query.from)
      .where('g.SessionDate', '<', query.to);
  }

  function neetRows(query: AggregateQuery) {
    const months = monthsOf(query.from, query.to);
    if (months.length > MAX_NEET_MONTHS) throw new RangeError(`a NEET report spans at most ${MAX_NEET_MONTHS} months`);
    // The months as a derived table of constants the gateway computed (never a caller's text).
    const monthTable = sql.join(
      months.map((m) => sql`select ${sql.lit(m.month)} as MONTH, ${sql.lit(compactNumber(m.lastDay))} as MONTH_END`),
      sql` union all `,
    );
    const monthEnd = sql.ref<number>('m.MONTH_END');
    const person = personColumns(monthEnd);
    const dob = legacyDate('p.DOB');
    const statusDate = legacyDate('s.EffectiveDate');
    const laterDate = legacyDate('s2.EffectiveDate');
    return anyDb
      .selectFrom('tblEducationStatus as s')
      .innerJoin(sql`(${monthTable})`.as('m'), (join) => join.on(statusDate, '<=', monthEnd))
      .innerJoin('tblYoungPerson as p', 'p.YoungPersonID', 's.YoungPersonID')
      .innerJoin('tlkpNeetStatus as n', 'n.NeetCode', 's.NeetCode')
      .leftJoin('tlkpEthnicity as e', 'e.EthnicityCode', 'p.EthnicityCode')
      .select([
        sql.ref('p.YoungPersonID').as('UNIT'),
        sql.ref('m.MONTH').as('MONTH'),
        person.AGE_BAND.as('AGE_BAND'),
        person.GENDER.as('GENDER'),
        person.ETHNICITY.as('ETHNICITY'),
        person.POSTCODE_DISTRICT.as('POSTCODE_DISTRICT'),
      ])
      .where('s.IsDeleted', '=', 0)
      .where('p.IsDeleted', '=', 0)
      .where('n.IsNEET', '=', 1)
      // Aged 16 to 18 on the month's last day (see ageBand for the arithmetic).
      .where(sql`${monthEnd} - ${dob}`, '>=', sql.lit(160000))
      .where(sql`${monthEnd} - ${dob}`, '<', sql.lit(190000))
      // The status in force on that day: no later live status on or before it (ties broken by ID).
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('tblEducationStatus as s2')
              .select(sql.lit(1).as('one'))
              .whereRef('s2.YoungPersonID', '=', 's.YoungPersonID')
              .where('s2.IsDeleted', '=', 0)
              .where(laterDate, '<=', monthEnd)
              .where((eb) =>
                eb.or([
                  eb(laterDate, '>', statusDate),
                  eb.and([eb(laterDate, '=', statusDate), eb('s2.EducationStatusID', '>', eb.ref('s.EducationStatusID'))]),
                ]),
              ),
          ),
        ),
      );
  }

  return {
    positiveActivityParticipation: { dimensions: PARTICIPATION_DIMENSIONS, count: (query) => groupCounts(db, participationRows(query), query) },
    neet16To18: { dimensions: NEET_DIMENSIONS, count: (query) => groupCounts(db, neetRows(query), query) },
  };
}
