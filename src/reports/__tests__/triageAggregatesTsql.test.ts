/**
 * The T-SQL the gateway store's triage and panel aggregates send to SQL Server, captured without a
 * server (see recordingDatabase; test/support/tsqlGrammarCheck.ts checks each statement parses).
 */
import { createRecordingDatabase } from '../../../adapters/drivers/recordingDatabase';
import { onlyStatement } from '../../../adapters/drivers/__tests__/tsqlAssertions';
import type { ReferralTables } from '../../referrals/referralStore';
import { createTriageAggregates } from '../triageAggregates';

const HOSTILE = "POLICE'; DROP TABLE referral;--";

describe('triage and panel aggregates on SQL Server', () => {
  it('panel cases closed: weeks open from datediff(day, ...) over the instants\' dates, summed beside the count', async () => {
    const database = createRecordingDatabase<ReferralTables>({ database: 'gateway' });
    await createTriageAggregates(database).panelCasesClosed.count({ from: '2032-01-01', to: '2033-01-01', groupBy: ['MONTH'], filters: { REFERRAL_SOURCE: [HOSTILE] } });
    const statement = onlyStatement(database.statements);
    expect(statement.sql).toMatch(/^select count\(distinct "t"\."UNIT"\) as "n", sum\("t"\."VALUE"\) as "s"/);
    expect(statement.sql).toContain('datediff(day, cast(substring("f"."FIRST_LISTED", 1, 10) as date), cast(substring("c"."CLOSED_AT", 1, 10) as date))');
    expect(statement.parameters).toEqual(expect.arrayContaining([HOSTILE, 'PANEL_REVIEWED', 'CLOSED', 'LISTED_FOR_PANEL', '2032-01-01', '2033-01-01']));
    expect(statement.sql).not.toContain(HOSTILE);
    await database.close();
  });
});
