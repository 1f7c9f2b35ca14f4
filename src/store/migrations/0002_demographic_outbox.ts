import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../../../adapters/drivers/databaseUrl';
import { ensureOutboxSchema } from '../../writes/demographicOutbox';

/** The durable outbox of demographic changes on their way to each linked record (src/writes/demographicOutbox.ts). */
export function demographicOutboxMigration(engine: Engine): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator hands every migration a Kysely<any>
    async up(db: Kysely<any>) {
      await ensureOutboxSchema({ engine, db });
    },
  };
}
