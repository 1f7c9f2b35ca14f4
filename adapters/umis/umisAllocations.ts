/**
 * UMIS Core Unit allocations (worker assignments) open on a date, for reports that break another
 * system's measure down by Core Unit: IDs and unit codes only, never a measure.
 */
import type { Database } from '../drivers/createDatabase';
import type { UmisTables } from './tables';

const ACTIVE = 1;

/** Each live client's assignments open on `onDate` (ISO), latest started first. */
export async function umisAllocationsOpenOn(database: Database<UmisTables>, onDate: string): Promise<Array<{ clientId: string; unit: string; start: string }>> {
  const rows = await database.db
    .selectFrom('client_worker_assignment as a')
    .innerJoin('client as c', 'c.client_id', 'a.client_id')
    .select(['a.client_id', 'a.unit_code', 'a.start_date'])
    .where('a.is_active', '=', ACTIVE)
    .where('c.is_active', '=', ACTIVE)
    .where('a.start_date', '<=', onDate)
    .where((eb) => eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>=', onDate)]))
    .orderBy('a.start_date', 'desc')
    .orderBy('a.client_worker_assignment_id')
    .execute();
  return rows.map((row) => ({ clientId: row.client_id, unit: row.unit_code.trim().toUpperCase(), start: String(row.start_date) }));
}
