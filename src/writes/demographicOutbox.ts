import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Database } from '../../adapters/drivers/createDatabase';
import { tableExists } from '../../adapters/drivers/insertRows';
import { capRows } from '../../adapters/drivers/queryHelpers';
import type { DemographicChange } from '../../adapters/types';

/**
 * The durable outbox of demographic changes, in the gateway store. A change made once is queued as one
 * row per linked record it is to reach (each system's write is its own transaction, so each has its
 * own row), written in one store transaction before any system is touched: a system that is down gets
 * it later, however long, even across restarts and replicas. Each row names the link that carried the
 * change (its method, who made it and when), so a link later rejected can be traced to what it carried.
 */
export interface OutboxTables {
  demographic_outbox: {
    outbox_id: string;
    change_id: string;
    person_id: string;
    source_system: string;
    source_id: string;
    /** The identity link the change travelled along: DETERMINISTIC, PROBABILISTIC or CONFIRMED. */
    link_method: string;
    link_made_by: string;
    link_made_at: string;
    /** The fields this system accepts, as JSON (a `DemographicChange`). */
    change_json: string;
    /** PENDING until applied; APPLIED; REJECTED when the system refused it for good (record gone). */
    status: string;
    attempts: number;
    next_attempt_at: string;
    last_error: string | null;
    /** A deliverer's lease, so two replicas never apply one row at once. */
    claimed_until: string | null;
    requested_by: string;
    requested_at: string;
    applied_at: string | null;
  };
}

export type DeliveryStatus = 'PENDING' | 'APPLIED' | 'REJECTED';

/** One change on its way to one record. */
export interface OutboxEntry {
  outboxId: string;
  changeId: string;
  personId: string;
  system: 'IYSS' | 'UMIS' | 'YOIS';
  sourceId: string;
  link: { method: string; madeBy: string; madeAt: string };
  change: DemographicChange;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  requestedBy: string;
  requestedAt: string;
  appliedAt: string | null;
}

type OutboxDb = Kysely<OutboxTables>;
type Row = OutboxTables['demographic_outbox'];
const outboxDb = <DB>(database: Pick<Database<DB>, 'db'>): OutboxDb => database.db as unknown as OutboxDb;

export async function ensureOutboxSchema<DB>(database: Pick<Database<DB>, 'db' | 'engine'>): Promise<void> {
  const db = outboxDb(database);
  if (await tableExists(db, 'demographic_outbox')) return;
  const t = columnTypes(database.engine);
  const long = sql.raw(database.engine === 'mssql' ? 'nvarchar(max)' : database.engine === 'mysql' ? 'mediumtext' : 'text');
  await db.schema
    .createTable('demographic_outbox')
    .addColumn('outbox_id', t.char(36), (c) => c.primaryKey())
    .addColumn('change_id', t.char(36), (c) => c.notNull())
    .addColumn('person_id', t.text(64), (c) => c.notNull())
    .addColumn('source_system', t.text(8), (c) => c.notNull())
    .addColumn('source_id', t.text(64), (c) => c.notNull())
    .addColumn('link_method', t.text(16), (c) => c.notNull())
    .addColumn('link_made_by', t.text(256), (c) => c.notNull())
    .addColumn('link_made_at', t.text(32), (c) => c.notNull())
    .addColumn('change_json', long, (c) => c.notNull())
    .addColumn('status', t.text(10), (c) => c.notNull())
    .addColumn('attempts', t.int, (c) => c.notNull())
    .addColumn('next_attempt_at', t.text(32), (c) => c.notNull())
    .addColumn('last_error', t.text(256))
    .addColumn('claimed_until', t.text(32))
    .addColumn('requested_by', t.text(256), (c) => c.notNull())
    .addColumn('requested_at', t.text(32), (c) => c.notNull())
    .addColumn('applied_at', t.text(32))
    .execute();
  await db.schema.createIndex('demographic_outbox_due').on('demographic_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('demographic_outbox_person').on('demographic_outbox').columns(['person_id']).execute();
  await db.schema.createIndex('demographic_outbox_change').on('demographic_outbox').columns(['change_id']).execute();
}

function entryOf(row: Row): OutboxEntry {
  return {
    outboxId: row.outbox_id.trim(),
    changeId: row.change_id.trim(),
    personId: row.person_id,
    system: row.source_system as OutboxEntry['system'],
    sourceId: row.source_id,
    link: { method: row.link_method, madeBy: row.link_made_by, madeAt: row.link_made_at },
    change: JSON.parse(row.change_json) as DemographicChange,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at,
    appliedAt: row.applied_at,
  };
}

export interface NewDelivery {
  system: OutboxEntry['system'];
  sourceId: string;
  link: OutboxEntry['link'];
  change: DemographicChange;
}

export interface DemographicOutbox {
  /** Queues one change for each record, in one transaction; resolves to the change ID. */
  enqueue(personId: string, requestedBy: string, deliveries: readonly NewDelivery[], now: Date): Promise<{ changeId: string; entries: OutboxEntry[] }>;
  byChange(changeId: string): Promise<OutboxEntry[]>;
  /** A person's changes still on their way, and those applied or refused in the last `days`, newest first. */
  byPerson(personId: string): Promise<OutboxEntry[]>;
  /** Rows due now, each leased to this caller for `leaseMs` (none another deliverer holds). */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  /** Leases these rows (if nobody else holds them): for delivering a change at once, as it is made. */
  claim(outboxIds: readonly string[], now: Date, leaseMs: number): Promise<OutboxEntry[]>;
  applied(outboxId: string, now: Date): Promise<void>;
  failed(outboxId: string, now: Date, error: string, retryAt: Date | null): Promise<void>;
}

export function createDemographicOutbox<DB>(database: Pick<Database<DB>, 'db' | 'engine'>): DemographicOutbox {
  const db = outboxDb(database);
  const select = () => db.selectFrom('demographic_outbox').selectAll();

  const leaseOne = async (outboxId: string, now: Date, leaseMs: number): Promise<boolean> => {
    const at = now.toISOString();
    const taken = await db
      .updateTable('demographic_outbox')
      .set({ claimed_until: new Date(now.getTime() + leaseMs).toISOString() })
      .where('outbox_id', '=', outboxId)
      .where('status', '=', 'PENDING')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', at)]))
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  };

  const claimIds = async (ids: readonly string[], now: Date, leaseMs: number): Promise<OutboxEntry[]> => {
    const leased: string[] = [];
    for (const id of ids) if (await leaseOne(id, now, leaseMs)) leased.push(id);
    if (leased.length === 0) return [];
    return (await select().where('outbox_id', 'in', leased).execute()).map(entryOf);
  };

  return {
    async enqueue(personId, requestedBy, deliveries, now) {
      const changeId = randomUUID();
      const at = now.toISOString();
      const rows: Row[] = deliveries.map((delivery) => ({
        outbox_id: randomUUID(),
        change_id: changeId,
        person_id: personId,
        source_system: delivery.system,
        source_id: delivery.sourceId,
        link_method: delivery.link.method,
        link_made_by: delivery.link.madeBy,
        link_made_at: delivery.link.madeAt,
        change_json: JSON.stringify(delivery.change),
        status: 'PENDING',
        attempts: 0,
        next_attempt_at: at,
        last_error: null,
        claimed_until: null,
        requested_by: requestedBy,
        requested_at: at,
        applied_at: null,
      }));
      if (rows.length) await db.transaction().execute((trx) => trx.insertInto('demographic_outbox').values(rows).execute());
      return { changeId, entries: rows.map(entryOf) };
    },
    async byChange(changeId) {
      return (await select().where('change_id', '=', changeId).orderBy('source_system').execute()).map(entryOf);
    },
    async byPerson(personId) {
      return (await select().where('person_id', '=', personId).orderBy('requested_at', 'desc').orderBy('source_system').execute()).map(entryOf);
    },
    async claimDue(now, limit, leaseMs) {
      const due = await capRows(
        db.selectFrom('demographic_outbox').select('outbox_id').where('status', '=', 'PENDING').where('next_attempt_at', '<=', now.toISOString()).orderBy('next_attempt_at'),
        database.engine,
        limit,
      ).execute();
      return claimIds(due.map((row) => row.outbox_id), now, leaseMs);
    },
    claim: claimIds,
    async applied(outboxId, now) {
      await db.updateTable('demographic_outbox').set({ status: 'APPLIED', applied_at: now.toISOString(), claimed_until: null, last_error: null }).where('outbox_id', '=', outboxId).execute();
    },
    async failed(outboxId, now, error, retryAt) {
      await db
        .updateTable('demographic_outbox')
        .set((eb) => ({
          status: retryAt ? 'PENDING' : 'REJECTED',
          attempts: eb('attempts', '+', 1),
          next_attempt_at: (retryAt ?? now).toISOString(),
          last_error: error.slice(0, 250),
          claimed_until: null,
        }))
        .where('outbox_id', '=', outboxId)
        .execute();
    },
  };
}
