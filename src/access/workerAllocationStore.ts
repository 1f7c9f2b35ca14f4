/**
 * Worker allocations in the gateway store (one DDL for SQLite, MariaDB/MySQL and SQL Server):
 * - `worker_allocation`: which worker stays with which young person, from and until which day, why,
 *   and who allocated them when. Append-only: an allocation is never changed or deleted.
 * - `worker_allocation_end`: at most one early end per allocation (primary key), append-only. Ending
 *   is an appended fact: an allocation with an end is never in force again.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Engine } from '../../adapters/drivers/databaseUrl';
import { chunk, MAX_PARAMETERS_PER_STATEMENT, tableExists } from '../../adapters/drivers/insertRows';
import { ensureAppendOnly } from '../store/appendOnlyTable';
import { dayOf, type WorkerAllocationEndRecord, type WorkerAllocationRecord, type WorkerAllocations } from './workerAllocations';

export interface WorkerAllocationTables {
  worker_allocation: {
    allocation_id: string;
    person_id: string;
    worker: string;
    worker_name: string;
    starts_on: string;
    ends_on: string;
    reason: string;
    allocated_by: string;
    allocator_name: string;
    allocated_at: string;
  };
  worker_allocation_end: {
    allocation_id: string;
    ended_by: string;
    ender_name: string;
    ended_at: string;
    reason: string;
  };
}

export interface WorkerAllocationDatabase<DB = unknown> {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
}

const tables = <DB>(database: WorkerAllocationDatabase<DB>) => database.db as unknown as Kysely<WorkerAllocationTables>;

/** The longest reason the store keeps (its column's size); the API refuses longer ones first. */
export const WORKER_ALLOCATION_TEXT_MAX = 2000;
/** The longest worker `sub` and name the store keeps (as token claims are limited). */
export const WORKER_SUB_MAX = 128;
export const WORKER_NAME_MAX = 256;

export async function ensureWorkerAllocationSchema<DB>(database: WorkerAllocationDatabase<DB>): Promise<void> {
  const db = tables(database);
  const t = columnTypes(database.engine);
  if (!(await tableExists(db, 'worker_allocation'))) {
    await db.schema
      .createTable('worker_allocation')
      .addColumn('allocation_id', t.text(48), (c) => c.primaryKey())
      .addColumn('person_id', t.text(64), (c) => c.notNull())
      .addColumn('worker', t.text(256), (c) => c.notNull())
      .addColumn('worker_name', t.text(WORKER_NAME_MAX), (c) => c.notNull())
      .addColumn('starts_on', t.text(10), (c) => c.notNull())
      .addColumn('ends_on', t.text(10), (c) => c.notNull())
      .addColumn('reason', t.text(WORKER_ALLOCATION_TEXT_MAX), (c) => c.notNull())
      .addColumn('allocated_by', t.text(256), (c) => c.notNull())
      .addColumn('allocator_name', t.text(256), (c) => c.notNull())
      .addColumn('allocated_at', t.text(32), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('worker_allocation_worker').on('worker_allocation').columns(['worker', 'ends_on']).execute();
    await db.schema.createIndex('worker_allocation_person').on('worker_allocation').columns(['person_id']).execute();
  }
  if (!(await tableExists(db, 'worker_allocation_end'))) {
    await db.schema
      .createTable('worker_allocation_end')
      .addColumn('allocation_id', t.text(48), (c) => c.primaryKey())
      .addColumn('ended_by', t.text(256), (c) => c.notNull())
      .addColumn('ender_name', t.text(256), (c) => c.notNull())
      .addColumn('ended_at', t.text(32), (c) => c.notNull())
      .addColumn('reason', t.text(WORKER_ALLOCATION_TEXT_MAX), (c) => c.notNull())
      .execute();
  }
  await ensureAppendOnly(database, 'worker_allocation');
  await ensureAppendOnly(database, 'worker_allocation_end');
}

type AllocationRow = WorkerAllocationTables['worker_allocation'];
type EndRow = WorkerAllocationTables['worker_allocation_end'];

function endOf(row: EndRow): WorkerAllocationEndRecord {
  return { endedBy: row.ended_by, enderName: row.ender_name, endedAt: row.ended_at, reason: row.reason };
}

function recordOf(row: AllocationRow, end: EndRow | undefined): WorkerAllocationRecord {
  return {
    allocationId: row.allocation_id,
    personId: row.person_id,
    worker: row.worker,
    workerName: row.worker_name,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    reason: row.reason,
    allocatedBy: row.allocated_by,
    allocatorName: row.allocator_name,
    allocatedAt: row.allocated_at,
    ended: end ? endOf(end) : null,
  };
}

/** Worker allocations over the gateway store; times come from `clock`, so end dates are tested without waiting. */
export function createWorkerAllocationStore<DB>(database: WorkerAllocationDatabase<DB>, clock: { now(): Date }): WorkerAllocations {
  const db = tables(database);
  const withEnds = async (rows: AllocationRow[]): Promise<WorkerAllocationRecord[]> => {
    if (rows.length === 0) return [];
    const ends: EndRow[] = [];
    // A list of people's allocations can outnumber SQL Server's 2,100 parameters: one IN list per chunk.
    for (const part of chunk(rows.map((r) => r.allocation_id), MAX_PARAMETERS_PER_STATEMENT)) {
      ends.push(...(await db.selectFrom('worker_allocation_end').selectAll().where('allocation_id', 'in', part).execute()));
    }
    const endById = new Map(ends.map((e) => [e.allocation_id, e]));
    return rows.map((row) => recordOf(row, endById.get(row.allocation_id)));
  };
  return {
    async inForceFor(worker, now) {
      const today = dayOf(now);
      // An ended allocation is out whatever its end date: one statement still, the end joined in.
      const rows = await db
        .selectFrom('worker_allocation as a')
        .leftJoin('worker_allocation_end as e', 'e.allocation_id', 'a.allocation_id')
        .select(['a.allocation_id', 'a.person_id'])
        .where('a.worker', '=', worker)
        .where('a.ends_on', '>=', today)
        .where('a.starts_on', '<=', today)
        .where('e.allocation_id', 'is', null)
        .orderBy('a.allocated_at')
        .execute();
      return new Map(rows.map((row) => [row.person_id, row.allocation_id]));
    },
    async allocate(allocation) {
      const row: AllocationRow = {
        allocation_id: `WA-${randomUUID()}`,
        person_id: allocation.personId,
        worker: allocation.worker,
        worker_name: allocation.workerName,
        starts_on: allocation.startsOn,
        ends_on: allocation.endsOn,
        reason: allocation.reason,
        allocated_by: allocation.allocatedBy,
        allocator_name: allocation.allocatorName,
        allocated_at: clock.now().toISOString(),
      };
      await db.insertInto('worker_allocation').values(row).execute();
      return recordOf(row, undefined);
    },
    async get(allocationId) {
      const row = await db.selectFrom('worker_allocation').selectAll().where('allocation_id', '=', allocationId).executeTakeFirst();
      return row ? (await withEnds([row]))[0]! : null;
    },
    async byPersonIds(personIds) {
      const rows: AllocationRow[] = [];
      for (const part of chunk([...new Set(personIds)], MAX_PARAMETERS_PER_STATEMENT)) {
        if (part.length) rows.push(...(await db.selectFrom('worker_allocation').selectAll().where('person_id', 'in', part).execute()));
      }
      const records = await withEnds(rows);
      const byPerson = new Map<string, WorkerAllocationRecord[]>();
      for (const record of records) byPerson.set(record.personId, [...(byPerson.get(record.personId) ?? []), record]);
      const newestFirst = (a: WorkerAllocationRecord, b: WorkerAllocationRecord) =>
        b.allocatedAt.localeCompare(a.allocatedAt) || b.allocationId.localeCompare(a.allocationId);
      return personIds.map((id) => [...(byPerson.get(id) ?? [])].sort(newestFirst));
    },
    async end(allocationId, end) {
      const ended = () => db.selectFrom('worker_allocation_end').select('allocation_id').where('allocation_id', '=', allocationId).executeTakeFirst();
      if (await ended()) return false;
      try {
        await db
          .insertInto('worker_allocation_end')
          .values({ allocation_id: allocationId, ended_by: end.endedBy, ender_name: end.enderName, ended_at: clock.now().toISOString(), reason: end.reason })
          .execute();
        return true;
      } catch (error) {
        // A concurrent end loses on the primary key and is told so the same way.
        if (await ended()) return false;
        throw error;
      }
    },
  };
}
