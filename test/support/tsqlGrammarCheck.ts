/**
 * After every test file: each statement a recording database compiled for SQL Server in it (the
 * adapters', the stores', the migrations', the writes') is checked as T-SQL (tsqlGrammar.ts), so any
 * test that drives a code path over Kysely's SQL Server compiler also proves its SQL parses.
 */
import { recordedMssqlStatements } from '../../adapters/drivers/recordingDatabase';

afterAll(async () => {
  if (recordedMssqlStatements.length === 0) return;
  const { checkTsql } = await import('../../adapters/drivers/__tests__/tsqlGrammar');
  const failures = [...new Set(recordedMssqlStatements.map((statement) => statement.sql))]
    .map((sql) => ({ sql, verdict: checkTsql(sql) }))
    .filter(({ verdict }) => !verdict.ok);
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} statement(s) compiled for SQL Server are not T-SQL:\n` +
        failures.map(({ sql, verdict }) => `- ${sql}\n  ${verdict.ok ? '' : verdict.reason}`).join('\n'),
    );
  }
});
