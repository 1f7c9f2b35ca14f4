import { columnTypes } from '../../adapters/drivers/columnTypes';
import { createDatabase, type Database, type PoolOptions } from '../../adapters/drivers/createDatabase';
import { tableExists } from '../../adapters/drivers/insertRows';
import { ensureAuditSchema } from '../audit/auditStore';
import { ensureBreakGlassSchema } from '../authz/breakGlassStore';
import { ensurePolicySchema } from '../authz/policyStore';
import { ensureReferralSchema } from '../referrals/referralStore';
import { withStoreInitLock } from './storeInitLock';

/** The gateway's own metadata table; identity links, policy versions, break-glass, audit and referrals add theirs. */
export interface GatewayTables {
  gateway_meta: { meta_key: string; meta_value: string; updated_at: string };
}

/** The gateway store: its own database (SQLite by default, MariaDB or SQL Server by URL). */
export interface GatewayStore {
  readonly database: Database<GatewayTables>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const SCHEMA_VERSION = '1';

/** Opens the store and creates its tables when they are missing. */
export async function openGatewayStore(url: string, pool?: Partial<PoolOptions>): Promise<GatewayStore> {
  const database = createDatabase<GatewayTables>(url, { pool });
  // Replicas starting together on an empty store take turns creating the tables.
  await withStoreInitLock(database, () => ensureStoreSchema(database));
  return { database, ping: () => database.ping(), close: () => database.close() };
}

async function ensureStoreSchema(database: Database<GatewayTables>): Promise<void> {
  const { db, engine } = database;
  if (!(await tableExists(db, 'gateway_meta'))) {
    const t = columnTypes(engine);
    await db.schema
      .createTable('gateway_meta')
      .addColumn('meta_key', t.text(64), (c) => c.primaryKey())
      .addColumn('meta_value', t.text(256), (c) => c.notNull())
      .addColumn('updated_at', t.text(32), (c) => c.notNull())
      .execute();
    await db
      .insertInto('gateway_meta')
      .values({ meta_key: 'schema_version', meta_value: SCHEMA_VERSION, updated_at: new Date().toISOString() })
      .execute();
  }
  await ensureAuditSchema(database);
  await ensureReferralSchema(database);
  await ensureBreakGlassSchema(database);
  await ensurePolicySchema(database);
}
