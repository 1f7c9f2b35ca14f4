import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../../../adapters/drivers/databaseUrl';
import { ensureTriagePanelSchema } from '../../referrals/triagePanelSchema';

/**
 * Check requests, repeat referrals and the panel's maintained agency list (src/referrals/triagePanelSchema.ts):
 * `referral.kind` and `referral.subject_key`, `referral_person`, `panel_agency` (seeded with the agencies
 * the panel allocates to) and `panel_allocation`. Existing referrals are carried over.
 */
export function triagePanelMigration(engine: Engine): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator hands every migration a Kysely<any>
    async up(db: Kysely<any>) {
      await ensureTriagePanelSchema({ engine, db }, new Date().toISOString());
    },
  };
}
