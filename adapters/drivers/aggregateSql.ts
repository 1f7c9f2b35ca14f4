/**
 * The few SQL fragments aggregate queries need that the three engines spell differently. Each takes
 * an expression and returns one; none carries a caller's value (literals are inlined constants).
 */
import { sql, type Expression, type RawBuilder } from 'kysely';
import type { Engine } from './databaseUrl';

/** Text of digits as an integer: `CAST(x AS INTEGER | SIGNED | INT)`. */
export function castInteger(engine: Engine, value: Expression<unknown>): RawBuilder<number> {
  switch (engine) {
    case 'sqlite':
      return sql<number>`cast(${value} as integer)`;
    case 'mysql':
      return sql<number>`cast(${value} as signed)`;
    case 'mssql':
      return sql<number>`cast(${value} as int)`;
  }
}

/** Length in characters. */
export function textLength(engine: Engine, value: Expression<unknown>): RawBuilder<number> {
  switch (engine) {
    case 'sqlite':
      return sql<number>`length(${value})`;
    case 'mysql':
      return sql<number>`char_length(${value})`;
    case 'mssql':
      return sql<number>`len(${value})`;
  }
}

/**
 * The outward code (postcode district, e.g. `E8`, `N16`) of a postcode however it was spaced: the
 * upper-cased postcode without spaces, less its last three characters (the inward code).
 * 'Not recorded' when there is no usable postcode.
 */
export function postcodeDistrict(engine: Engine, postcode: Expression<string | null>): RawBuilder<string> {
  const compact = sql`replace(upper(${postcode}), ' ', '')`;
  return sql<string>`case when ${postcode} is null or ${textLength(engine, compact)} < 5 then 'Not recorded' else substring(${compact}, 1, ${textLength(engine, compact)} - 3) end`;
}

/**
 * The age band, in whole years, between a date of birth and a later date, both as `YYYYMMDD` integers:
 * their difference divided by 10,000 is the age (the month-day part only borrows when the birthday
 * has not come yet), so the bands compare the difference with 100,000, 150,000 and 180,000.
 */
export function ageBand(dateOfBirth: Expression<number>, onDate: Expression<number>): RawBuilder<string> {
  const difference = sql`(${onDate} - ${dateOfBirth})`;
  return sql<string>`case when ${dateOfBirth} is null or ${dateOfBirth} = 0 then 'Not recorded' when ${difference} < 100000 then '0-9' when ${difference} < 150000 then '10-14' when ${difference} < 180000 then '15-17' else '18+' end`;
}

/** `YYYY-MM` of a DATETIME column (text on SQLite, a date type on MySQL and SQL Server). */
export function isoMonthOfDateTime(engine: Engine, value: Expression<unknown>): RawBuilder<string> {
  switch (engine) {
    case 'sqlite':
      return sql<string>`substr(${value}, 1, 7)`;
    case 'mysql':
      return sql<string>`date_format(${value}, '%Y-%m')`;
    case 'mssql':
      return sql<string>`convert(char(7), ${value}, 126)`;
  }
}
