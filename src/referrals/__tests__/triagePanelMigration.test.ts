import { Migrator, type Kysely } from 'kysely';
import { createDatabase } from '../../../adapters/drivers/createDatabase';
// eslint-disable-next-line import/no-restricted-paths -- a test may use the test helpers; the rule guards production code
import { rejectionMessage } from '../../../test/support/rejectionMessage';
import { gatewayStoreMigrations } from '../../store/migrations';
import type { ReferralTables } from '../referralStore';
import type { TriagePanelTables } from '../triagePanelSchema';

/** A store that ran 0001 and 0002 and holds referrals, brought up to 0003: what it held is carried over. */
describe('migration 0003_triage_panel on a store that already holds referrals', () => {
  it('keys existing referrals by the details given, keeps whom their latest checks found, and starts the panel agency list', async () => {
    const database = createDatabase<ReferralTables & TriagePanelTables>('sqlite::memory:');
    const db = database.db as Kysely<ReferralTables & TriagePanelTables>;
    try {
      const migrator = new Migrator({ db, provider: gatewayStoreMigrations('sqlite') });
      expect((await migrator.migrateTo('0002_demographic_outbox')).error).toBeUndefined();
      const at = '2026-11-24T08:10:00.000Z';
      const referral = (id: string, no: number) => ({
        referral_id: id, referral_no: no, source: 'POLICE_NOTIFICATION', received_at: at, family_consented: null, status: 'CHECKED',
        panel_date: null, version: 3, created_at: at, updated_at: at,
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table as 0001 made it, without 0003's columns
      await (db as Kysely<any>).insertInto('referral').values([referral('R-1', 1), referral('R-2', 2)]).execute();
      const step = (id: string, no: number, kind: string, detail: unknown) => ({
        referral_id: id, step_no: no, kind, occurred_at: at, recorded_at: at, actor: 'triage-tom', actor_name: 'Tom', status_after: 'CHECKED', detail_json: JSON.stringify(detail),
      });
      const checks = (personId: string | null) => ({ kind: 'CHECKS_RUN', checks: { bestCandidate: personId ? { personId } : null } });
      await db.insertInto('referral_step').values([
        step('R-1', 1, 'RECEIVED', { kind: 'RECEIVED', source: 'POLICE_NOTIFICATION', information: 'x', subject: { forename: 'Merve', surname: 'Öztürk', dateOfBirth: '2011-08-17' }, familyMembers: [], familyConsented: null }),
        step('R-1', 2, 'CHECKS_RUN', checks('P-OLD')),
        step('R-1', 3, 'CHECKS_RUN', checks('P-NEW')),
        step('R-2', 1, 'RECEIVED', { kind: 'RECEIVED', source: 'POLICE_NOTIFICATION', information: 'x', subject: { forename: 'Merve', surname: 'Ozturk' }, familyMembers: [], familyConsented: null }),
        step('R-2', 2, 'CHECKS_RUN', checks(null)),
      ]).execute();

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = await db.selectFrom('referral').select(['referral_id', 'kind', 'subject_key']).orderBy('referral_id').execute();
      expect(rows).toEqual([
        { referral_id: 'R-1', kind: 'REFERRAL', subject_key: 'ozturk|merve|2011-08-17' },
        { referral_id: 'R-2', kind: 'REFERRAL', subject_key: null },
      ]);
      expect(await db.selectFrom('referral_person').selectAll().execute()).toEqual([{ referral_id: 'R-1', step_no: 3, person_id: 'P-NEW', system: null, source_id: null }]);
      expect((await db.selectFrom('panel_agency').select('agency_id').orderBy('agency_id').execute()).map((r) => r.agency_id)).toEqual(['IGIP', 'NIA', 'SAFER_LONDON', 'YOUNG_HACKNEY']);
      // Not `.rejects.toThrow`: after another test file in the worker, better-sqlite3's error is not an Error to jest.
      expect(await rejectionMessage(db.deleteFrom('referral_person').execute())).toMatch(/append-only/);
    } finally {
      await database.close();
    }
  }, 30_000); // every migration from 0001 on SQLite: a few seconds when the machine is busy
});
