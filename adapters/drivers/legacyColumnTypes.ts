import { sql, type Expression } from 'kysely';
import type { Engine } from './databaseUrl';

/**
 * Column types some legacy schemas use beyond those in columnTypes.ts, with the same meaning on every
 * engine. Kept apart so adding them changes nothing for schemas that do not use them.
 */
export interface LegacyColumnTypes {
  /**
   * A calendar date with no time. SQLite has no date type, so it stores 'YYYY-MM-DD' text (declared
   * `text`, not `date`, which would give the column numeric affinity). MySQL and SQL Server use DATE;
   * mysql2 (dateStrings) reads it back as 'YYYY-MM-DD', the mssql driver as a Date at UTC midnight.
   */
  date: Expression<unknown>;
  /**
   * A 1/0 flag. BIT on SQL Server (which reads back as a boolean), TINYINT on MySQL (BIT(1) would
   * read back as a Buffer), SMALLINT on SQLite. Compare it with the numbers 1 and 0 on every engine.
   */
  flag: Expression<unknown>;
  /**
   * A GUID held as 36-character text. NCHAR on SQL Server: parameters are sent as NVARCHAR, and
   * comparing those with a non-Unicode CHAR key would convert the column and turn index seeks into scans.
   */
  guid: Expression<unknown>;
}

export function legacyColumnTypes(engine: Engine): LegacyColumnTypes {
  return {
    date: sql.raw(engine === 'sqlite' ? 'text' : 'date'),
    flag: sql.raw(engine === 'mssql' ? 'bit' : engine === 'mysql' ? 'tinyint' : 'smallint'),
    guid: sql.raw(engine === 'mssql' ? 'nchar(36)' : 'char(36)'),
  };
}
