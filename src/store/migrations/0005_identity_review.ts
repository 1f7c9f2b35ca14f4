import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../../../adapters/drivers/databaseUrl';
import { ensureIdentityReviewSchema } from '../../identity/store/identitySchema';

/**
 * The identity review queue (pairs between the thresholds, waiting for a person) and each link's
 * explanation (src/identity/store/reviewQueue.ts). A store the baseline made after these tables
 * existed already has them; this adds them to one made before.
 */
export function identityReviewMigration(engine: Engine): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator hands every migration a Kysely<any>
    async up(db: Kysely<any>) {
      await ensureIdentityReviewSchema({ engine, db });
    },
  };
}
