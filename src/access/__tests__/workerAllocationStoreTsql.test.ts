/**
 * The worker allocation store on SQL Server, without a server: statements are compiled with Kysely's
 * SQL Server compiler and recorded, so their shape can be checked (and, after this file, each is
 * checked as T-SQL by test/support/tsqlGrammarCheck.ts).
 */
import { createRecordingDatabase } from '../../../adapters/drivers/recordingDatabase';
import { createWorkerAllocationStore, ensureWorkerAllocationSchema } from '../workerAllocationStore';

const clock = { now: () => new Date('2026-12-05T09:00:00.000Z') };

describe('the worker allocation store on SQL Server (compiled T-SQL)', () => {
  it('creates both tables with Unicode text and append-only triggers, and reads a worker\u2019s allocations in force in one statement', async () => {
    const database = createRecordingDatabase<unknown>({ database: 'gateway', rows: () => [] });
    await ensureWorkerAllocationSchema(database);
    const sqls = database.statements.map((s) => s.sql);
    expect(sqls.find((s) => s.startsWith('create table "worker_allocation"'))).toContain('"reason" nvarchar(2000) not null');
    expect(sqls.find((s) => s.startsWith('create table "worker_allocation_end"'))).toContain('"allocation_id" nvarchar(48) primary key');
    expect(sqls.filter((s) => /^CREATE OR ALTER TRIGGER/.test(s)).map((s) => /\[(\w+)_append_only\]/.exec(s)![1])).toEqual(['worker_allocation', 'worker_allocation_end']);

    database.statements.length = 0;
    await createWorkerAllocationStore(database, clock).inForceFor('worker-amal', clock.now());
    const [inForce] = database.statements;
    // Started, not past its end date, not ended: one statement, the end joined in.
    expect(inForce!.sql).toBe(
      'select "a"."allocation_id", "a"."person_id" from "worker_allocation" as "a" left join "worker_allocation_end" as "e" on "e"."allocation_id" = "a"."allocation_id" ' +
        'where "a"."worker" = @1 and "a"."ends_on" >= @2 and "a"."starts_on" <= @3 and "e"."allocation_id" is null order by "a"."allocated_at"',
    );
    expect(inForce!.parameters).toEqual(['worker-amal', '2026-12-05', '2026-12-05']);
  });

  it('reads many people\u2019s allocations and their ends in IN lists under SQL Server\u2019s 2,100 parameters, in key order', async () => {
    const people = Array.from({ length: 4_500 }, (_, i) => `P-T${String(i).padStart(9, '0')}`);
    const rows = people.map((personId, i) => ({
      allocation_id: `WA-${i}`, person_id: personId, worker: 'amal', worker_name: 'Amal', starts_on: '2026-12-01', ends_on: '2026-12-31',
      reason: 'Stays with the child', allocated_by: 'rahima', allocator_name: 'Rahima', allocated_at: '2026-12-01T09:00:00.000Z',
    }));
    const database = createRecordingDatabase<unknown>({
      database: 'gateway',
      rows: (s) => (s.sql.startsWith('select * from "worker_allocation" where') ? rows.filter((r) => s.parameters.includes(r.person_id)) : []),
    });
    const found = await createWorkerAllocationStore(database, clock).byPersonIds([...people].reverse());
    expect(found).toHaveLength(4_500);
    expect(found[0]![0]!.personId).toBe(people[4_499]);
    const lists = database.statements.filter((s) => / in \(/.test(s.sql));
    expect(lists).toHaveLength(6);
    for (const statement of lists) expect(statement.parameters.length).toBeLessThanOrEqual(2_000);
  });
});
