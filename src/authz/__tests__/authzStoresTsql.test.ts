/**
 * The policy and break-glass stores on SQL Server, without a server: statements are compiled with
 * Kysely's SQL Server compiler and recorded, so their shape can be checked.
 */
import { createRecordingDatabase } from '../../../adapters/drivers/recordingDatabase';
import { createBreakGlassStore, ensureBreakGlassSchema } from '../breakGlassStore';
import { ensurePolicySchema } from '../policyStore';

const recording = () => createRecordingDatabase<unknown>({ database: 'gateway', rows: () => [] });
const clock = { now: () => new Date('2026-11-24T09:00:00.000Z') };

describe('authorization stores on SQL Server (compiled T-SQL)', () => {
  it('creates the policy tables with Unicode text, an unbounded document and append-only triggers', async () => {
    const database = recording();
    await ensurePolicySchema(database);
    const sqls = database.statements.map((s) => s.sql);
    expect(sqls.find((s) => s.startsWith('create table "policy_version"'))).toContain('"document" nvarchar(max) not null');
    expect(sqls.find((s) => s.startsWith('create table "policy_decision"'))).toContain('"version" integer primary key');
    expect(sqls.find((s) => s.startsWith('create table "policy_head"'))).toContain('"active_version" integer not null');
    expect(sqls.filter((s) => /^CREATE OR ALTER TRIGGER/.test(s)).map((s) => /\[(\w+)_append_only\]/.exec(s)![1])).toEqual(['policy_version', 'policy_decision']);
  });

  it('creates the break-glass tables and reads grants with parameters and TOP', async () => {
    const database = recording();
    await ensureBreakGlassSchema(database);
    const sqls = database.statements.map((s) => s.sql);
    expect(sqls.find((s) => s.startsWith('create table "break_glass_grant"'))).toContain('"reason" nvarchar(2000) not null');
    expect(sqls.find((s) => s.startsWith('create table "break_glass_closure"'))).toContain('"grant_id" nvarchar(48) primary key');
    expect(sqls.filter((s) => /^CREATE OR ALTER TRIGGER/.test(s)).map((s) => /\[(\w+)_append_only\]/.exec(s)![1])).toEqual([
      'break_glass_grant',
      'break_glass_review',
      'break_glass_closure',
    ]);

    const store = createBreakGlassStore(database, clock);
    database.statements.length = 0;
    await store.activeFor('worker-bo', clock.now());
    await store.reviewQueue(50);
    const [active, queue] = database.statements;
    // A closed grant is excluded in the same statement.
    expect(active!.sql).toBe(
      'select "g"."grant_id", "g"."person_id" from "break_glass_grant" as "g" left join "break_glass_closure" as "c" on "c"."grant_id" = "g"."grant_id" ' +
        'where "g"."holder" = @1 and "g"."expires_at" > @2 and "g"."opened_at" <= @3 and "c"."grant_id" is null order by "g"."opened_at"',
    );
    expect(active!.parameters).toEqual(['worker-bo', '2026-11-24T09:00:00.000Z', '2026-11-24T09:00:00.000Z']);
    expect(queue!.sql).toMatch(/^select top\(50\) "g"\.\* from "break_glass_grant" as "g" left join "break_glass_review" as "r"/);
  });

  it('reads the reviews and closures of a person\u2019s grants in IN lists under SQL Server\u2019s 2,100 parameters', async () => {
    const grants = Array.from({ length: 4_500 }, (_, i) => ({
      grant_id: `BG-${i}`, person_id: 'P-TEST000001', holder: 'bo', holder_name: 'Bo', holder_roles: '["practitioner"]',
      reason: 'Child missing overnight', opened_at: '2026-01-01T00:00:00.000Z', expires_at: '2026-01-01T01:00:00.000Z',
    }));
    const database = createRecordingDatabase<unknown>({ database: 'gateway', rows: (s) => (s.sql.startsWith('select') && s.sql.includes('from "break_glass_grant"') ? grants : []) });
    const found = await createBreakGlassStore(database, clock).byPerson('P-TEST000001');
    expect(found).toHaveLength(4_500);
    const lists = database.statements.filter((s) => /from "break_glass_(review|closure)"/.test(s.sql));
    // 4,500 grant IDs: three chunks for reviews and three for closures, every grant asked about once in each.
    expect(lists).toHaveLength(6);
    for (const statement of lists) expect(statement.parameters.length).toBeLessThanOrEqual(2_000);
    expect(lists.filter((s) => s.sql.includes('break_glass_review')).flatMap((s) => s.parameters)).toHaveLength(4_500);
  });
});
