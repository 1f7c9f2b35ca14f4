import { sql, type Kysely } from 'kysely';
import type { AggregateQuery, AggregateRow, ReportDimension } from '../aggregates';

/** A derived table: one row per counted unit and cell, with `UNIT` and each dimension as a named column. */
export interface UnitRows {
  as(alias: 't'): unknown;
}

/**
 * Counts distinct units per group of the asked dimensions, filtered by dimension values, in one
 * statement: `select t.A, t.B, count(distinct t.UNIT) from (...) t where ... group by t.A, t.B`.
 * Grouping by the derived table's plain columns (not expressions) keeps MySQL's ONLY_FULL_GROUP_BY
 * and SQL Server satisfied. The unit (a person's ID) is counted, never selected.
 */
export async function groupCounts<DB>(db: Kysely<DB>, rows: UnitRows, query: AggregateQuery, options: { sumOfValue?: boolean } = {}): Promise<AggregateRow[]> {
  const anyDb = db as unknown as Kysely<{ t: Record<string, unknown> }>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the derived table's columns are the dimension names
  let statement = anyDb.selectFrom(rows.as('t') as any).select(sql<number>`count(distinct ${sql.ref('t.UNIT')})`.as('n'));
  // With `sumOfValue` the rows must hold one row per unit: a unit's VALUE is summed as often as it appears.
  if (options.sumOfValue) statement = statement.select(sql<number>`sum(${sql.ref('t.VALUE')})`.as('s'));
  for (const dimension of query.groupBy) {
    statement = statement.select(sql.ref(`t.${dimension}`).as(dimension)).groupBy(sql.ref(`t.${dimension}`));
  }
  for (const [dimension, values] of Object.entries(query.filters) as Array<[ReportDimension, readonly string[]]>) {
    if (values.length === 0) continue;
    statement = statement.where(sql.ref(`t.${dimension}`), 'in', values);
  }
  const result = await statement.execute();
  return result.map((row) => {
    const record = row as Record<string, unknown>;
    const keys: AggregateRow['keys'] = {};
    for (const dimension of query.groupBy) keys[dimension] = String(record[dimension]);
    return options.sumOfValue ? { keys, count: Number(record.n), sum: Number(record.s) } : { keys, count: Number(record.n) };
  });
}
