import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../../../adapters/drivers/databaseUrl';
import { ensureWorkerAllocationSchema } from '../../access/workerAllocationStore';

/** Named workers allocated to a young person across services, and their early ends (src/access/workerAllocationStore.ts). */
export function workerAllocationMigration(engine: Engine): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator hands every migration a Kysely<any>
    async up(db: Kysely<any>) {
      await ensureWorkerAllocationSchema({ engine, db });
    },
  };
}
