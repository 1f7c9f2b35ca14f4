/**
 * Checks shared by the compiled-T-SQL tests (each adapter's tsql.test.ts, the identity store's): what a
 * statement captured by a recording database (../recordingDatabase) must look like on SQL Server, and
 * readers for the values it binds. Not a test file itself: jest runs only `*.test.ts`.
 */
import { MssqlAdapter, MssqlQueryCompiler, type CompiledQuery } from 'kysely';
import { PinnedLockMssqlAdapter } from '../migrationLocks';
import { MssqlDriverDialect } from '../mssqlDialect';
import { recordedMssqlStatements, recordingDialect, type RecordedStatement } from '../recordingDatabase';

/** SQL Server refuses a request with more than 2,100 parameters. */
export const SQL_SERVER_PARAMETER_LIMIT = 2_100;

/** The one statement recorded. */
export function onlyStatement(statements: readonly RecordedStatement[]): RecordedStatement {
  expect(statements).toHaveLength(1);
  return statements[0]!;
}

/** Every identifier a schema declares (tables, columns, indexes), read from its compiled DDL. */
export function schemaIdentifiers(ddl: ReadonlyArray<{ compile(): CompiledQuery }>): Set<string> {
  return new Set(ddl.flatMap((s) => [...s.compile().sql.matchAll(/"([^"]+)"/g)].map((m) => m[1]!)));
}

/** The placeholders in a statement, in the order they appear. */
export function placeholdersIn(sqlText: string): string[] {
  return sqlText.match(/@\d+/g) ?? [];
}

/** The value bound to the placeholder that follows `prefix` (e.g. `"p"."IsDeleted" = `). */
export function valueAfter(statement: RecordedStatement, prefix: string): unknown {
  const at = statement.sql.indexOf(prefix);
  expect(at).toBeGreaterThanOrEqual(0);
  const match = /^@(\d+)/.exec(statement.sql.slice(at + prefix.length));
  expect(match).not.toBeNull();
  return statement.parameters[Number(match![1]) - 1];
}

/**
 * The values bound in every `<column> in (@a, @b, ...)` list of the statement, in order; each item of a
 * list must be a placeholder. `<column> in (select ...)` is a subquery, not a list, and is passed over.
 */
export function inLists(statement: RecordedStatement, column: string): unknown[][] {
  const pattern = new RegExp(`${column.replace(/[."]/g, (c) => `\\${c}`)} in \\((?!select )([^)]*)\\)`, 'g');
  return [...statement.sql.matchAll(pattern)].map((match) =>
    match[1]!.split(', ').map((placeholder) => {
      expect(placeholder).toMatch(/^@\d+$/);
      return statement.parameters[Number(placeholder.slice(1)) - 1];
    }),
  );
}

/** The values bound in the first `<column> in (@a, @b, ...)` list, which must be there. */
export function inListValues(statement: RecordedStatement, column: string): unknown[] {
  const lists = inLists(statement, column);
  expect(lists.length).toBeGreaterThan(0);
  return lists[0]!;
}

/**
 * Asserts no word of `text` outside double quotes is one of the schema's identifiers: every table,
 * column and index name is quoted.
 */
export function expectNoBareIdentifiers(text: string, identifiers: ReadonlySet<string>): void {
  const unquoted = text.replace(/"[^"]*"/g, '""');
  for (const word of unquoted.match(/[A-Za-z_]\w*/g) ?? []) expect(identifiers.has(word)).toBe(false);
}

export interface SafeTsqlOptions {
  /** The schema's identifiers (see `schemaIdentifiers`); none may appear unquoted. */
  schemaIdentifiers: ReadonlySet<string>;
  /**
   * SQL the adapter writes itself (e.g. a postcode normalising expression), carrying no user value:
   * left out before the string-literal and quoting checks.
   */
  rawFragments?: readonly string[];
  /**
   * Where a short string parameter may match by chance without being inline, so left out of the search
   * for parameter values: quoted identifiers (a flag 'N' inside "PERSON_ID"), placeholder names ('0' in @10).
   * The whole statement is searched unless said.
   */
  valuesMayMatchInside?: ReadonlyArray<'identifiers' | 'placeholders'>;
}

/**
 * The check every statement an adapter sends to SQL Server must pass: parameters numbered @1..@n in order
 * with n equal to the values sent, under SQL Server's parameter limit; no string literal (so no user value
 * inline) and no string parameter's text in the SQL; every identifier quoted; row caps only as TOP or
 * OFFSET ... FETCH NEXT, never LIMIT.
 *
 * Kysely's T-SQL compiler quotes identifiers ANSI-style ("p"."Surname"). That is valid T-SQL because
 * tedious (under `mssql`) opens every connection with SET QUOTED_IDENTIFIER ON (its enableQuotedIdentifier
 * option defaults to true and createDatabase does not change it). Nothing may be left bare or bracketed.
 */
export function safeTsqlCheck(options: SafeTsqlOptions): (statement: RecordedStatement) => void {
  const mayMatchInside = new Set(options.valuesMayMatchInside ?? []);
  return (statement) => {
    const { sql: text, parameters } = statement;
    expect(placeholdersIn(text)).toEqual(parameters.map((_, i) => `@${i + 1}`));
    expect(parameters.length).toBeLessThan(SQL_SERVER_PARAMETER_LIMIT);

    const withoutRaw = (options.rawFragments ?? []).reduce((rest, fragment) => rest.split(fragment).join(''), text);
    expect(withoutRaw).not.toContain("'");
    const unquoted = withoutRaw.replace(/"[^"]*"/g, '""');

    let searched = mayMatchInside.has('identifiers') ? unquoted : text;
    if (mayMatchInside.has('placeholders')) searched = searched.replace(/@\d+/g, '@');
    for (const value of parameters) {
      if (typeof value === 'string') expect(searched).not.toContain(value);
    }

    expect(unquoted).not.toMatch(/[[\]`]/);
    expect(unquoted).not.toMatch(/\w\s*\./);
    expectNoBareIdentifiers(withoutRaw, options.schemaIdentifiers);

    expect(text).not.toMatch(/\blimit\b/i);
    if (/\boffset\b/i.test(text)) expect(text).toMatch(/\bfetch next\b/i);
  };
}

/**
 * Asserts the recording database compiles with the classes production's `MssqlDriverDialect` uses, so
 * the SQL it captures is the SQL production sends.
 */
export function expectRecordingDialectMatchesProduction(): void {
  const production = new MssqlDriverDialect({ config: { server: 'unused.example.test' }, varcharStrings: false });
  expect(production.createQueryCompiler().constructor).toBe(MssqlQueryCompiler);
  expect(production.createAdapter().constructor).toBe(PinnedLockMssqlAdapter);
  // Kysely's own SQL Server adapter, with only the migration lock taken differently.
  expect(production.createAdapter()).toBeInstanceOf(MssqlAdapter);
  const recording = recordingDialect([]);
  expect(recording.createQueryCompiler().constructor).toBe(MssqlQueryCompiler);
  expect(recording.createAdapter().constructor).toBe(PinnedLockMssqlAdapter);
}

/** The compiled statements of a schema's DDL, and the `create table` statement of one table (which must be there). */
export function compiledDdl(ddl: ReadonlyArray<{ compile(): CompiledQuery }>): {
  compiled: CompiledQuery[];
  createTable: (table: string) => string;
} {
  const compiled = ddl.map((statement) => statement.compile());
  // Compiled without running: recorded too, so the T-SQL grammar check after the tests parses them.
  recordedMssqlStatements.push(...compiled.map((c) => ({ sql: c.sql, parameters: [...c.parameters] })));
  const createTable = (table: string): string => {
    const found = compiled.find((c) => c.sql.startsWith(`create table "${table}" (`));
    expect(found).toBeDefined();
    return found!.sql;
  };
  return { compiled, createTable };
}

/** Asserts the DDL creates exactly `tables`, in that order, and binds no parameter. */
export function expectCreatesTablesInOrder(compiled: readonly CompiledQuery[], tables: readonly string[]): void {
  const created = compiled.map((c) => /^create table "(\w+)"/.exec(c.sql)?.[1]).filter(Boolean);
  expect(created).toEqual([...tables]);
  for (const c of compiled) expect(c.parameters).toHaveLength(0);
}
