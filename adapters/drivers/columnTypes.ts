import { sql, type Expression } from 'kysely';
import type { Engine } from './databaseUrl';

/**
 * Column types that mean the same on every engine, so one DDL definition serves SQLite, MySQL and
 * SQL Server. Text is NVARCHAR on SQL Server because names carry Turkish and other non-Latin-1 letters.
 */
export interface ColumnTypes {
  text(length: number): Expression<unknown>;
  char(length: number): Expression<unknown>;
  int: Expression<unknown>;
  smallint: Expression<unknown>;
  datetime: Expression<unknown>;
}

export function columnTypes(engine: Engine): ColumnTypes {
  return {
    text: (length) => (engine === 'mssql' ? sql.raw(`nvarchar(${length})`) : sql.raw(`varchar(${length})`)),
    char: (length) => sql.raw(`char(${length})`),
    int: sql.raw('integer'),
    smallint: sql.raw('smallint'),
    datetime: sql.raw(engine === 'mssql' ? 'datetime2' : engine === 'mysql' ? 'datetime' : 'text'),
  };
}
