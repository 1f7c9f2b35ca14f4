/**
 * The audit and referral stores on SQL Server, without a server: statements are compiled with
 * Kysely's SQL Server compiler and recorded, so their shape can be checked (types, brackets, @
 * parameters, the locking hint, TOP, and the T-SQL append-only triggers).
 */
import { createRecordingDatabase, type RecordedStatement } from '../../../adapters/drivers/recordingDatabase';
import { SQL_SERVER_PARAMETER_LIMIT } from '../../../adapters/drivers/__tests__/tsqlAssertions';
import { ensureReferralSchema } from '../../referrals/referralStore';
import { appendOnlyTriggerStatements } from '../../store/appendOnlyTable';
import type { AuditEventInput } from '../AuditEvent';
import { appendAuditEvents, ensureAuditSchema, GENESIS_HASH, queryAuditEvents } from '../auditStore';

/** A recording SQL Server database that answers the chain-head read as a fresh chain would. */
function recordingDatabase(options: { headMoves?: boolean } = {}) {
  const database = createRecordingDatabase<unknown>({
    database: 'gateway',
    // Unless the head is to look moved by another writer, the guarded head update changes its one row.
    affectedRows: (statement) => (!options.headMoves && statement.sql.startsWith('update "audit_chain_head"') ? 1 : 0),
    rows: (statement: RecordedStatement) =>
      /^select .*from \[audit_chain_head\]/i.test(statement.sql) ? [{ last_seq: 0, last_hash: GENESIS_HASH }] : /count\(\*\)/i.test(statement.sql) ? [{ n: 0 }] : [],
  });
  return { database, statements: database.statements };
}

function event(n: number): AuditEventInput {
  return {
    at: '2026-11-24T09:00:00.000Z',
    requestId: `r-${n}`,
    principal: { sub: 'u', roles: ['practitioner'], tier: 1, units: ['CU1'] },
    operation: 'query Person',
    purpose: null,
    people: [{ personId: `P-${String(n).padStart(10, '0')}`, breakGlassId: null, returned: ['YoungPerson.id'], denied: [] }],
    returned: ['Query.youngPerson', 'YoungPerson.id'],
    denied: [],
    outcome: 'RETURNED',
  };
}

describe('audit and referral stores on SQL Server (compiled T-SQL)', () => {
  it('creates the tables with Unicode text, unbounded JSON and INSTEAD OF triggers that THROW', async () => {
    const { database, statements } = recordingDatabase();
    await ensureAuditSchema(database);
    const sqls = statements.map((s) => s.sql);
    const events = sqls.find((s) => s.startsWith('create table "audit_event"'))!;
    expect(events).toContain('"seq" integer primary key');
    expect(events).toContain('"sub" nvarchar(256) not null');
    expect(events).toContain('"persons_json" nvarchar(max) not null');
    expect(events).toContain('"hash" char(64) not null');
    expect(sqls.filter((s) => /^CREATE OR ALTER TRIGGER/.test(s))).toEqual([
      "CREATE OR ALTER TRIGGER [audit_event_append_only] ON [audit_event] INSTEAD OF UPDATE, DELETE AS BEGIN SET NOCOUNT ON; THROW 51000, N'audit_event is append-only: rows cannot be changed or deleted', 1; END",
      "CREATE OR ALTER TRIGGER [audit_event_person_append_only] ON [audit_event_person] INSTEAD OF UPDATE, DELETE AS BEGIN SET NOCOUNT ON; THROW 51000, N'audit_event_person is append-only: rows cannot be changed or deleted', 1; END",
    ]);
  });

  it('appends under an UPDLOCK/HOLDLOCK on the chain head, and moves the head only from where it was read', async () => {
    const { database, statements } = recordingDatabase({ headMoves: true });
    // The head update changes no row (another writer moved it), so the append stops (and would roll back) after moving the head.
    await expect(appendAuditEvents(database, [event(1)])).rejects.toThrow('the audit chain head moved while events were appended');
    const [lock, insertEvent, insertPerson, moveHead] = statements;
    expect(lock!.sql).toBe('select [last_seq], [last_hash] from [audit_chain_head] with (updlock, holdlock) where [id] = @1');
    expect(insertEvent!.sql).toMatch(/^insert into "audit_event" \("seq", "at", .*\) values \(@1, @2, /);
    expect(insertPerson!.sql).toBe('insert into "audit_event_person" ("seq", "person_id", "break_glass_id") values (@1, @2, @3)');
    expect(moveHead!.sql).toBe('update "audit_chain_head" set "last_seq" = @1, "last_hash" = @2, "updated_at" = @3 where "id" = @4 and "last_seq" = @5');
    expect(moveHead!.parameters[0]).toBe(1);
  });

  it('writes a full group of events in statements under the parameter limit', async () => {
    const { database, statements } = recordingDatabase();
    const stored = await appendAuditEvents(database, Array.from({ length: 100 }, (_, i) => event(i + 1)));
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const inserts = statements.filter((s) => s.sql.startsWith('insert into "audit_event"'));
    expect(inserts.length).toBe(1);
    for (const statement of statements) expect(statement.parameters.length).toBeLessThan(SQL_SERVER_PARAMETER_LIMIT);
  });

  it('pages the trail with TOP and a subquery on the person index', async () => {
    const { database, statements } = recordingDatabase();
    await queryAuditEvents(database, { personId: 'P-0000000001', from: '2026-11-01T00:00:00Z' }, { first: 20, beforeSeq: 100 });
    expect(statements[0]!.sql).toBe(
      'select top(21) * from "audit_event" where "seq" in (select "audit_event_person"."seq" from "audit_event_person" where "audit_event_person"."person_id" = @1) and "at" >= @2 and "seq" < @3 order by "seq" desc',
    );
  });

  it('creates the referral tables and an append-only trail', async () => {
    const { database, statements } = recordingDatabase();
    await ensureReferralSchema(database);
    const sqls = statements.map((s) => s.sql);
    expect(sqls.find((s) => s.startsWith('create table "referral_step"'))).toContain('"detail_json" nvarchar(max) not null');
    expect(sqls.find((s) => s.startsWith('create table "referral_allocation"'))).toContain('"person_id" nvarchar(64) not null');
    expect(sqls.filter((s) => /TRIGGER/.test(s))).toEqual([
      ...appendOnlyTriggerStatements('mssql', 'referral_step'),
      ...appendOnlyTriggerStatements('mssql', 'referral_allocation'),
    ]);
  });
});
