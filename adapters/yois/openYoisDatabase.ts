import { createDatabase, type Database, type DatabaseOptions } from '../drivers/createDatabase';
import type { YoisTables } from './tables';

/**
 * Opens the YOIS database. YOIS's SQL Server schema is non-Unicode VARCHAR, so string parameters must
 * go as VARCHAR: an NVARCHAR parameter compared with a VARCHAR column forces an implicit conversion
 * of the column and defeats its indexes. SQLite and MySQL ignore the option.
 */
export function openYoisDatabase(url: string, options: Omit<DatabaseOptions, 'mssqlVarcharStrings'> = {}): Database<YoisTables> {
  return createDatabase<YoisTables>(url, { ...options, mssqlVarcharStrings: true });
}
