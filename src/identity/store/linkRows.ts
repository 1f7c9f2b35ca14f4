/**
 * The primitives every identity write shares: reading active links and rejections, moving one
 * record with a check that nobody moved it first, setting a rejection, and events to and from rows.
 */
import { randomBytes } from 'node:crypto';
import { chunk, MAX_PARAMETERS_PER_STATEMENT } from '../../../adapters/drivers/insertRows';
import type { SourceSystem } from '../../../adapters/types';
import { recordKey, type RecordRef } from '../matchRecord';
import { WriteConflict } from '../../store/writeConflicts';
import { IdentityOperationError, type Db, type IdentityTables, type LinkEvent, type LinkEventState, type LinkState } from './identitySchema';
import { ensurePerson } from './personIds';

export function isoInstant(now: Date | string): string {
  const date = now instanceof Date ? now : new Date(now);
  if (Number.isNaN(date.getTime())) throw new IdentityOperationError(`'${String(now)}' is not a date-time`);
  return date.toISOString();
}

export function newEventId(at: string): string {
  // Time first, so IDs sort in the order events happened; random after, so replicas never collide.
  return `E-${Date.parse(at).toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
}

export function requireText(name: string, value: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw new IdentityOperationError(`${name} is required`);
  if (text.length > max) throw new IdentityOperationError(`${name} is longer than ${max} characters`);
  return text;
}

export const pairKeyOf = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

export type LinkRow = IdentityTables['identity_link'];

export function stateOf(row: LinkRow): LinkState {
  return {
    personId: row.person_id,
    method: row.method,
    score: row.score === null ? null : Number(row.score),
    madeBy: row.made_by,
    madeAt: row.made_at,
  };
}

export function sameState(x: LinkState | null, y: LinkState | null): boolean {
  if (x === null || y === null) return x === y;
  return x.personId === y.personId && x.method === y.method && x.score === y.score && x.madeBy === y.madeBy && x.madeAt === y.madeAt;
}

export function describe(ref: RecordRef): string {
  return `${ref.source} record ${ref.sourceId}`;
}

/** Active links of the given records, by record key. */
export async function activeLinksOf(db: Db, refs: readonly RecordRef[]): Promise<Map<string, LinkRow>> {
  const found = new Map<string, LinkRow>();
  const bySystem = new Map<string, string[]>();
  for (const ref of refs) {
    const ids = bySystem.get(ref.source) ?? [];
    ids.push(ref.sourceId);
    bySystem.set(ref.source, ids);
  }
  for (const [system, ids] of bySystem) {
    for (const part of chunk([...new Set(ids)], MAX_PARAMETERS_PER_STATEMENT)) {
      const rows = await db
        .selectFrom('identity_link')
        .selectAll()
        .where('active', '=', 1)
        .where('source_system', '=', system)
        .where('source_id', 'in', part)
        .execute();
      for (const row of rows) found.set(`${row.source_system}:${row.source_id}`, row);
    }
  }
  return found;
}

export async function activeLinksOfPersons(db: Db, personIds: readonly string[]): Promise<LinkRow[]> {
  const rows: LinkRow[] = [];
  for (const part of chunk([...new Set(personIds)], MAX_PARAMETERS_PER_STATEMENT)) {
    rows.push(...(await db.selectFrom('identity_link').selectAll().where('active', '=', 1).where('person_id', 'in', part).execute()));
  }
  return rows;
}


export async function activeRejections(db: Db, keys: readonly string[] | null): Promise<Map<string, Set<string>>> {
  const partners = new Map<string, Set<string>>();
  const add = (x: string, y: string) => {
    let set = partners.get(x);
    if (!set) partners.set(x, (set = new Set()));
    set.add(y);
  };
  const query = () => db.selectFrom('identity_rejected_pair').select(['record_a', 'record_b']).where('active', '=', 1);
  const rows: Array<{ record_a: string; record_b: string }> = [];
  if (keys === null) rows.push(...(await query().execute()));
  else {
    for (const part of chunk([...new Set(keys)], MAX_PARAMETERS_PER_STATEMENT / 2)) {
      rows.push(...(await query().where((eb) => eb.or([eb('record_a', 'in', part), eb('record_b', 'in', part)])).execute()));
    }
  }
  for (const row of rows) {
    add(row.record_a, row.record_b);
    add(row.record_b, row.record_a);
  }
  return partners;
}


/**
 * Moves one record from `before` to `after` (either may be null), checking the store still holds
 * `before`, so two officers acting at once cannot both succeed on a stale view.
 */
export async function setLink(db: Db, ref: RecordRef, before: LinkState | null, after: LinkState | null): Promise<void> {
  const current = (await activeLinksOf(db, [ref])).get(recordKey(ref));
  if (!sameState(current ? stateOf(current) : null, before)) {
    throw new IdentityOperationError(`${describe(ref)} changed while this operation ran; try again`);
  }
  if (current) {
    // Another writer may have moved the record since it was read (read committed, or a replica): then nothing is updated.
    const moved = await db
      .updateTable('identity_link')
      .set({ active: 0 })
      .where('person_id', '=', current.person_id)
      .where('source_system', '=', ref.source)
      .where('source_id', '=', ref.sourceId)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new WriteConflict(`${describe(ref)} changed while this operation ran`);
  }
  if (!after) return;
  await ensurePerson(db, after.personId, after.madeAt);
  const values = { method: after.method, score: after.score, made_by: after.madeBy, made_at: after.madeAt, active: 1 };
  const existing = await db
    .selectFrom('identity_link')
    .select('person_id')
    .where('person_id', '=', after.personId)
    .where('source_system', '=', ref.source)
    .where('source_id', '=', ref.sourceId)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('identity_link')
      .set(values)
      .where('person_id', '=', after.personId)
      .where('source_system', '=', ref.source)
      .where('source_id', '=', ref.sourceId)
      .execute();
  } else {
    await db.insertInto('identity_link').values({ person_id: after.personId, source_system: ref.source, source_id: ref.sourceId, ...values }).execute();
  }
}

export async function rejectionStates(db: Db, pairs: ReadonlyArray<readonly [string, string]>): Promise<boolean[]> {
  const states: boolean[] = [];
  for (const [x, y] of pairs) {
    const [a, b] = pairKeyOf(x, y);
    const row = await db.selectFrom('identity_rejected_pair').select('active').where('record_a', '=', a).where('record_b', '=', b).executeTakeFirst();
    states.push(row !== undefined && Number(row.active) === 1);
  }
  return states;
}

export async function setRejection(db: Db, x: string, y: string, active: boolean, actor: string, at: string, eventId: string): Promise<void> {
  const [a, b] = pairKeyOf(x, y);
  const existing = await db.selectFrom('identity_rejected_pair').select('active').where('record_a', '=', a).where('record_b', '=', b).executeTakeFirst();
  const values = { rejected_by: actor, rejected_at: at, event_id: eventId, active: active ? 1 : 0 };
  if (existing) {
    await db.updateTable('identity_rejected_pair').set(values).where('record_a', '=', a).where('record_b', '=', b).execute();
  } else {
    await db.insertInto('identity_rejected_pair').values({ record_a: a, record_b: b, ...values }).execute();
  }
}

export function eventRow(event: LinkEvent): IdentityTables['identity_link_event'] {
  return {
    event_id: event.eventId,
    person_id: event.personId,
    source_system: event.record?.source ?? null,
    source_id: event.record?.sourceId ?? null,
    action: event.action,
    actor: event.actor,
    reason: event.reason,
    at: event.at,
    before_json: JSON.stringify(event.before),
    after_json: JSON.stringify(event.after),
  };
}

export function eventFromRow(row: IdentityTables['identity_link_event']): LinkEvent {
  return {
    eventId: row.event_id,
    personId: row.person_id,
    record: row.source_system && row.source_id ? { source: row.source_system as SourceSystem, sourceId: row.source_id } : null,
    action: row.action,
    actor: row.actor,
    reason: row.reason,
    at: row.at,
    before: JSON.parse(row.before_json) as LinkEventState,
    after: JSON.parse(row.after_json) as LinkEventState,
  };
}

