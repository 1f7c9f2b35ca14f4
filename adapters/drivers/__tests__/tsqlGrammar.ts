/**
 * An offline check that a statement is T-SQL SQL Server will accept, as close as this machine allows.
 *
 * The grammar is node-sql-parser's `transactsql`, the best-kept T-SQL grammar on npm. Used alone it
 * proves too little, both ways (measured, see test/tsql/gatewayStatements.test.ts):
 * - it ACCEPTS what SQL Server rejects: `limit 5`, `ifnull(...)`, `a || b`, backticks,
 *   `create table if not exists`, `true`, any function name;
 * - it REJECTS valid T-SQL: `offset @1 rows fetch next @2 rows only` (parameters there),
 *   `CREATE TRIGGER`, `exec @r = sp_getapplock ...`.
 * So each statement is checked in three ways: the grammar, on the statement with Kysely's numbered
 * parameters (@1, @2...) written as literals (a literal is valid wherever a parameter is, so this only
 * works around the parser); a scan for the other engines' constructs the grammar lets through; and
 * every function called must be a SQL Server built-in. Statements the grammar has no rule for (our
 * trigger and application-lock batches) must match their one template exactly instead.
 */
import { Parser } from 'node-sql-parser';

const parser = new Parser();

/** SQL Server built-in functions and type names the gateway may call or declare; any other `name(` fails. */
const SQL_SERVER_CALLABLES = new Set(
  (
    'count count_big sum min max avg cast convert try_cast try_convert coalesce isnull nullif iif len upper lower ' +
    'replace substring concat ltrim rtrim trim charindex left right datediff dateadd datepart datefromparts eomonth ' +
    'year month day getdate getutcdate sysutcdatetime schema_id object_id abs round floor ceiling string_agg row_number ' +
    // types with a length or precision, and T-SQL keywords followed by a parenthesis
    'nvarchar varchar nchar char varbinary decimal numeric datetime2 float top in values exists over with key from join and or not as on'
  ).split(' '),
);

/** Constructs of SQLite, MySQL or PostgreSQL that SQL Server rejects and the grammar accepts. */
const FOREIGN_CONSTRUCTS: Array<[RegExp, string]> = [
  [/\blimit\b/i, '`limit` (SQL Server pages with TOP or OFFSET ... FETCH)'],
  [/`/, 'backtick quoting'],
  [/\|\|/, '`||` concatenation'],
  [/\bif\s+not\s+exists\b/i, '`if not exists` in DDL'],
  [/\b(true|false)\b/i, 'boolean literals'],
  [/\breturning\b/i, '`returning` (SQL Server has OUTPUT)'],
  [/\bon\s+duplicate\s+key\b/i, '`on duplicate key`'],
  [/\bilike\b/i, '`ilike`'],
];

/** Batches the grammar has no rule for, each the one template the gateway sends (src/store/appendOnlyTable.ts, migrationLocks.ts, storeInitLock.ts). */
const TEMPLATES: Array<[RegExp, string]> = [
  [
    /^CREATE OR ALTER TRIGGER \[([a-z_]+)_append_only\] ON \[\1\] INSTEAD OF UPDATE, DELETE AS BEGIN SET NOCOUNT ON; THROW 51000, N'\1 is append-only: rows cannot be changed or deleted', 1; END$/,
    'append-only trigger',
  ],
  [
    /^declare @result int; exec @result = sp_getapplock @Resource = N'kysely_migration', @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = \d+; if @result < 0 throw 51002, N'could not take the migration lock', 1;$/,
    'migration lock',
  ],
  [
    /^declare @got int; exec @got = sp_getapplock @Resource = @1, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = 1000; select @got as got$/,
    'store initialisation lock',
  ],
];

/** Text with string literals and quoted identifiers blanked, so scans see only keywords, operators and names. */
function codeOnly(sql: string): string {
  return sql.replace(/N?'(?:[^']|'')*'|"(?:[^"]|"")*"|\[[^\]]*\]/g, (token) => (token.startsWith('"') || token.startsWith('[') ? '"q"' : "'s'"));
}

export type TsqlVerdict = { ok: true; by: 'grammar' | 'template'; template?: string } | { ok: false; reason: string };

/** Whether `sql` (as Kysely's MssqlQueryCompiler or our raw T-SQL wrote it) is T-SQL, and how that was decided. */
export function checkTsql(sql: string): TsqlVerdict {
  const template = TEMPLATES.find(([pattern]) => pattern.test(sql));
  if (template) return { ok: true, by: 'template', template: template[1] };
  const code = codeOnly(sql);
  for (const [pattern, what] of FOREIGN_CONSTRUCTS) {
    if (pattern.test(code)) return { ok: false, reason: `not T-SQL: ${what}` };
  }
  for (const match of code.matchAll(/(^|[^.\w@])([a-z_][\w]*)\s*\(/gi)) {
    const name = match[2]!.toLowerCase();
    if (!SQL_SERVER_CALLABLES.has(name)) return { ok: false, reason: `not a SQL Server function or type: ${name}(` };
  }
  try {
    parser.astify(sql.replace(/@\d+\b/g, '1'), { database: 'transactsql' });
  } catch (error) {
    return { ok: false, reason: `T-SQL grammar: ${(error as Error).message.slice(0, 200)}` };
  }
  return { ok: true, by: 'grammar' };
}
