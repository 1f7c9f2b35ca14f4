import type { SelectQueryBuilder } from 'kysely';
import type { Engine } from './databaseUrl';

/** Caps a query's rows in the engine's own syntax: `TOP` on SQL Server, `LIMIT` elsewhere. */
export function capRows<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  engine: Engine,
  rows: number,
): SelectQueryBuilder<DB, TB, O> {
  return engine === 'mssql' ? query.top(rows) : query.limit(rows);
}

/** A LIKE pattern for "starts with". Wildcard characters are stripped (escaping differs by engine), so input is only ever data. */
export function likePrefix(text: string): string {
  return `${text.replace(/[\\%_[\]]/g, '')}%`;
}
