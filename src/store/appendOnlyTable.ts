import { sql, type Kysely } from 'kysely';
import type { Engine } from '../../adapters/drivers/databaseUrl';

/**
 * The statements that make a table refuse UPDATE and DELETE, in the engine's own trigger syntax.
 * Idempotent (`IF NOT EXISTS` / `CREATE OR ALTER`), so they run on every start and put back a
 * trigger someone dropped.
 *
 * Triggers stop the gateway (and anyone using its connection) from rewriting history; they do not
 * stop a database administrator, who can drop them, or TRUNCATE, which fires no trigger on MySQL or
 * SQL Server. That is what the hash chain is for: a change made around the triggers is detected by
 * `npm run audit:verify`. Grants narrow it further (README, "For auditors").
 */
export function appendOnlyTriggerStatements(engine: Engine, table: string): string[] {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  const message = `${table} is append-only: rows cannot be changed or deleted`;
  switch (engine) {
    case 'sqlite':
      return (['UPDATE', 'DELETE'] as const).map(
        (event) =>
          `CREATE TRIGGER IF NOT EXISTS ${table}_no_${event.toLowerCase()} BEFORE ${event} ON ${table} ` +
          `BEGIN SELECT RAISE(ABORT, '${message}'); END`,
      );
    case 'mysql':
      return (['UPDATE', 'DELETE'] as const).map(
        (event) =>
          `CREATE TRIGGER IF NOT EXISTS ${table}_no_${event.toLowerCase()} BEFORE ${event} ON ${table} ` +
          `FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${message}'`,
      );
    case 'mssql':
      // INSTEAD OF: the statement never touches the rows; THROW aborts it and rolls back the transaction.
      return [
        `CREATE OR ALTER TRIGGER [${table}_append_only] ON [${table}] INSTEAD OF UPDATE, DELETE AS ` +
          `BEGIN SET NOCOUNT ON; THROW 51000, N'${message}', 1; END`,
      ];
  }
}

/** Makes `table` refuse UPDATE and DELETE (each trigger in its own batch, as SQL Server requires). */
export async function ensureAppendOnly<DB>(database: { engine: Engine; db: Kysely<DB> }, table: string): Promise<void> {
  for (const statement of appendOnlyTriggerStatements(database.engine, table)) {
    await sql.raw(statement).execute(database.db);
  }
}
