/**
 * The policy and break-glass stores on a live SQL Server, when MSSQL_URL names a scratch database
 * (skipped otherwise; the compiled T-SQL checks in src/authz/__tests__ always run).
 */
import { sql } from 'kysely';
import { createBreakGlassStore } from '../../src/authz/breakGlassStore';
import { defaultPolicyText } from '../../src/authz/PolicyService';
import { createPolicyService, PolicyChangeRefused } from '../../src/authz/policyStore';
import { schemaFromSdl } from '../../src/schema/buildSchema';
import { openGatewayStore, type GatewayStore } from '../../src/store/GatewayStore';

const MSSQL_URL = process.env.MSSQL_URL;
// Skipped without MSSQL_URL: no SQL Server can be installed on this machine or in CI, so there is no
// server to run against; set it to a scratch database and the suite runs (and fails if it is down).
const live = MSSQL_URL ? describe : describe.skip;
// The Migrator's own tables too, so the reopen below runs the baseline migration again and it re-creates the dropped tables.
const TABLES = ['policy_head', 'policy_decision', 'policy_version', 'break_glass_closure', 'break_glass_review', 'break_glass_grant', 'kysely_migration', 'kysely_migration_lock'];

live('policy versions and break-glass on SQL Server (MSSQL_URL)', () => {
  let store: GatewayStore;
  const clock = { current: new Date('2026-11-24T09:00:00.000Z'), now() { return new Date(this.current); } };

  const dropTables = async () => {
    for (const table of TABLES) await sql.raw(`IF OBJECT_ID(N'${table}', N'U') IS NOT NULL DROP TABLE [${table}]`).execute(store.database.db);
  };

  beforeAll(async () => {
    store = await openGatewayStore(MSSQL_URL!);
    await dropTables();
    store = await openGatewayStore(MSSQL_URL!); // re-creates the dropped tables and their triggers
  }, 120_000);
  afterAll(async () => {
    await dropTables();
    await store.close();
  });

  it('installs version 1, and takes a change into force only with a second officer', async () => {
    const policy = createPolicyService(store.database, { schema: schemaFromSdl(), defaultDocument: defaultPolicyText, clock, refreshMs: 0 });
    await policy.ensureInstalled();
    expect((await policy.current()).version).toBe(1);
    const document = JSON.parse(defaultPolicyText()) as { roles: Record<string, { denies?: string[] }> };
    document.roles.youth_worker!.denies = ['YoungPerson.contacts'];
    const proposed = await policy.propose(JSON.stringify(document, null, 2), 'Contacts for casework only', { sub: 'alice', name: 'Alice' });
    expect(proposed).toMatchObject({ version: 2, status: 'PROPOSED', basedOnVersion: 1 });
    await expect(policy.approve(2, { sub: 'alice', name: 'Alice' }, 'mine')).rejects.toBeInstanceOf(PolicyChangeRefused);
    expect(await policy.approve(2, { sub: 'bob', name: 'Bob' }, 'Agreed')).toMatchObject({ status: 'ACTIVE' });
    expect((await policy.current()).roles.get('youth_worker')!.denies.has('YoungPerson.contacts')).toBe(true);
    expect((await policy.versions()).map((v) => [v.version, v.status])).toEqual([[2, 'ACTIVE'], [1, 'SUPERSEDED']]);
  });

  it('opens, expires and reviews break-glass once', async () => {
    const grants = createBreakGlassStore(store.database, clock);
    const grant = await grants.open({ personId: 'P-TEST000001', holder: 'bo', holderName: 'Bo', holderRoles: ['practitioner'], reason: 'Child missing overnight, checking', minutes: 30 });
    expect((await grants.activeFor('bo', clock.now())).get('P-TEST000001')).toBe(grant.grantId);
    expect((await grants.activeFor('bo', new Date(clock.current.getTime() + 30 * 60_000))).size).toBe(0);
    expect((await grants.reviewQueue(10)).map((g) => g.grantId)).toContain(grant.grantId);
    expect(await grants.review(grant.grantId, { reviewedBy: 'sam', reviewerName: 'Sam', outcome: 'JUSTIFIED', notes: 'Protocol followed' })).toBe(true);
    expect(await grants.review(grant.grantId, { reviewedBy: 'sam', reviewerName: 'Sam', outcome: 'NOT_JUSTIFIED', notes: 'Again' })).toBe(false);
  });
});
