import type { Kysely, Migration } from 'kysely';
import { columnTypes } from '../../../adapters/drivers/columnTypes';
import type { Engine } from '../../../adapters/drivers/databaseUrl';
import { tableExists } from '../../../adapters/drivers/insertRows';
import { ensureAuditSchema } from '../../audit/auditStore';
import { ensureBreakGlassSchema } from '../../authz/breakGlassStore';
import { ensurePolicySchema } from '../../authz/policyStore';
import { ensureIdentitySchema } from '../../identity/linkStore';
import { ensureReferralSchema } from '../../referrals/referralStore';
import { ensureWriteLedgerSchema } from '../../writes/writeLedger';

/**
 * The store as it stood when migrations began: the gateway's metadata, audit, referrals,
 * break-glass, policy versions, identity links (with one active link per record) and the record
 * write ledger, created by each module's schema function.
 *
 * Those functions create only what is missing, so this migration also adopts a store made by a
 * gateway from before migrations (its tables are found and kept; only the record of this migration
 * is added). It runs once per store, under the Migrator's lock; a later change to the store is a
 * new migration after this one, never an edit of these functions' existing tables.
 */
export function baselineMigration(engine: Engine): Migration {
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Migrator hands every migration a Kysely<any>
    async up(db: Kysely<any>) {
      // Every statement goes through `db`: on SQLite it is the Migrator's one connection.
      const database = { engine, db };
      if (!(await tableExists(db, 'gateway_meta'))) {
        const t = columnTypes(engine);
        await db.schema
          .createTable('gateway_meta')
          .addColumn('meta_key', t.text(64), (c) => c.primaryKey())
          .addColumn('meta_value', t.text(256), (c) => c.notNull())
          .addColumn('updated_at', t.text(32), (c) => c.notNull())
          .execute();
      }
      await ensureAuditSchema(database);
      await ensureReferralSchema(database);
      await ensureBreakGlassSchema(database);
      await ensurePolicySchema(database);
      await ensureIdentitySchema(database);
      await ensureWriteLedgerSchema(database);
    },
  };
}
