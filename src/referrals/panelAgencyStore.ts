/**
 * The agencies the Children and Young People's Partnership Panel allocates cases to (NIA, Safer London
 * Foundation, IGIP, ...): a maintained list in the gateway store (`panel_agency`, from migration
 * 0003), so a review names agencies by ID and reports can count allocations (`panel_allocation`).
 * An agency is retired, never deleted: past reviews keep naming it.
 */
import type { Kysely } from 'kysely';
import type { ReferralDatabase } from './referralStore';
import type { TriagePanelTables } from './triagePanelSchema';

export interface PanelAgencyRecord {
  id: string;
  name: string;
  active: boolean;
  changedBy: string;
  changedAt: string;
}

/** Something about the requested change to the list that cannot be; `reason` is machine-readable. */
export class PanelAgencyRefused extends Error {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'PanelAgencyRefused';
  }
}

export interface PanelAgencyStore {
  list(includeRetired: boolean): Promise<PanelAgencyRecord[]>;
  /** Agencies by ID, in key order; null for an unknown ID. */
  byIds(ids: readonly string[]): Promise<Array<PanelAgencyRecord | null>>;
  /** Adds an agency, or brings back a retired one (renamed to `name`). Refused when it is already on the list. */
  add(id: string, name: string, actor: string): Promise<PanelAgencyRecord>;
  /** Retires an active agency. */
  retire(id: string, actor: string): Promise<PanelAgencyRecord>;
}

const recordOf = (row: TriagePanelTables['panel_agency']): PanelAgencyRecord => ({
  id: row.agency_id,
  name: row.name,
  active: Number(row.active) === 1,
  changedBy: row.changed_by,
  changedAt: row.changed_at,
});

export function createPanelAgencyStore<DB>(database: ReferralDatabase<DB>, clock: { now(): Date }): PanelAgencyStore {
  const db = database.db as unknown as Kysely<TriagePanelTables>;
  const find = async (id: string) => db.selectFrom('panel_agency').selectAll().where('agency_id', '=', id).executeTakeFirst();

  async function change(id: string, set: { name?: string; active: number }, actor: string, version: number): Promise<PanelAgencyRecord> {
    const moved = await db
      .updateTable('panel_agency')
      .set({ ...set, changed_by: actor, changed_at: clock.now().toISOString(), version: version + 1 })
      .where('agency_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new PanelAgencyRefused(`Panel agency ${id} changed while this change was being made; look again and retry`, 'CONCURRENT_CHANGE');
    return recordOf((await find(id))!);
  }

  return {
    async list(includeRetired) {
      let query = db.selectFrom('panel_agency').selectAll();
      if (!includeRetired) query = query.where('active', '=', 1);
      return (await query.orderBy('agency_id').execute()).map(recordOf);
    },

    async byIds(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('panel_agency').selectAll().where('agency_id', 'in', [...new Set(ids)]).execute();
      const byId = new Map(rows.map((row) => [row.agency_id, recordOf(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    },

    async add(id, name, actor) {
      const existing = await find(id);
      if (existing && Number(existing.active) === 1) throw new PanelAgencyRefused(`${id} is already on the panel's list of agencies`, 'ALREADY_LISTED');
      if (existing) return change(id, { name, active: 1 }, actor, Number(existing.version));
      try {
        await db.insertInto('panel_agency').values({ agency_id: id, name, active: 1, changed_by: actor, changed_at: clock.now().toISOString(), version: 1 }).execute();
      } catch (error) {
        // Someone added the same ID at the same moment: the primary key lets one through.
        if (await find(id)) throw new PanelAgencyRefused(`${id} is already on the panel's list of agencies`, 'ALREADY_LISTED');
        throw error;
      }
      return recordOf((await find(id))!);
    },

    async retire(id, actor) {
      const existing = await find(id);
      if (!existing) throw new PanelAgencyRefused(`No panel agency has the ID ${id}`, 'NOT_FOUND');
      if (Number(existing.active) !== 1) throw new PanelAgencyRefused(`${id} is already retired`, 'ALREADY_RETIRED');
      return change(id, { active: 0 }, actor, Number(existing.version));
    },
  };
}
