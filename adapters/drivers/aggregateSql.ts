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

/** Whole days from one ISO 8601 instant (text) to a later one, by their dates (times of day do not count). */
export function daysBetween(engine: Engine, from: Expression<unknown>, to: Expression<unknown>): RawBuilder<number> {
  switch (engine) {
    case 'sqlite':
      return sql<number>`cast(julianday(substr(${to}, 1, 10)) - julianday(substr(${from}, 1, 10)) as integer)`;
    case 'mysql':
      return sql<number>`datediff(substring(${to}, 1, 10), substring(${from}, 1, 10))`;
    case 'mssql':
      return sql<number>`datediff(day, cast(substring(${from}, 1, 10) as date), cast(substring(${to}, 1, 10) as date))`;
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

const NUMERIC_ID = /^\d{1,18}$/;

/**
 * A dimension whose value per person the gateway resolved from other systems (see
 * `AggregateQuery.personValues`): `case when ID in (...) then 'A' when ID in (...) then 'B' else 'other' end`.
 * The IDs are the source's own numeric person IDs, written as literals (checked digits only: no caller
 * text), so a list of thousands needs no parameters (SQL Server allows 2,100); the values are parameters.
 */
export function valueByPerson(personId: Expression<unknown>, resolved: { values: ReadonlyMap<string, string>; otherwise: string } | undefined): RawBuilder<string> {
  if (!resolved) throw new RangeError('this dimension needs its values per person, resolved by the gateway');
  const byValue = new Map<string, number[]>();
  for (const [id, value] of resolved.values) {
    if (!NUMERIC_ID.test(id)) throw new RangeError(`not a numeric person ID: ${id.slice(0, 20)}`);
    const ids = byValue.get(value) ?? [];
    ids.push(Number(id));
    byValue.set(value, ids);
  }
  if (byValue.size === 0) return sql<string>`${resolved.otherwise}`;
  const branches = [...byValue].sort(([a], [b]) => (a < b ? -1 : 1)).map(
    ([value, ids]) => sql`when ${personId} in (${sql.join(ids.sort((x, y) => x - y).map((id) => sql.lit(id)))}) then ${value}`,
  );
  return sql<string>`case ${sql.join(branches, sql` `)} else ${resolved.otherwise} end`;
}
