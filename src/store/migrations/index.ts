import type { Migration, MigrationProvider } from 'kysely';
import type { Engine } from '../../../adapters/drivers/databaseUrl';
import { baselineMigration } from './0001_baseline';
import { demographicOutboxMigration } from './0002_demographic_outbox';
import { triagePanelMigration } from './0003_triage_panel';
import { identityReviewMigration } from './0005_identity_review';
import { workerAllocationMigration } from './0006_worker_allocation';

/**
 * The gateway store's migrations, in the order they run (Kysely sorts the names). Add a change as
 * a new file and a new entry with the next number; never edit or rename one that has shipped, as
 * a store records each by name and refuses to start when one it ran is missing.
 */
export function gatewayStoreMigrations(engine: Engine): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001_baseline': baselineMigration(engine),
    '0002_demographic_outbox': demographicOutboxMigration(engine),
    '0003_triage_panel': triagePanelMigration(engine),
    '0005_identity_review': identityReviewMigration(engine),
    '0006_worker_allocation': workerAllocationMigration(engine),
  };
  return { getMigrations: async () => migrations };
}
