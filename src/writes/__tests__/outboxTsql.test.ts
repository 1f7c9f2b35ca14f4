import { createRecordingDatabase } from '../../../adapters/drivers/recordingDatabase';
import { createDemographicOutbox } from '../demographicOutbox';

describe('demographic outbox T-SQL', () => {
  it('leases due rows with TOP on SQL Server, never LIMIT, values only as parameters', async () => {
    const store = createRecordingDatabase<unknown>({ database: 'GATEWAY' });
    await createDemographicOutbox(store).claimDue(new Date('2026-01-10T12:00:00Z'), 100, 60_000);
    expect(store.statements[0]!.sql).toBe('select top(100) "outbox_id" from "demographic_outbox" where "status" = @1 and "next_attempt_at" <= @2 order by "next_attempt_at"');
    expect(store.statements[0]!.parameters).toEqual(['PENDING', '2026-01-10T12:00:00.000Z']);
    for (const statement of store.statements) expect(statement.sql).not.toMatch(/\blimit\b/i);
  });
});
