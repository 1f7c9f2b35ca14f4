/**
 * Reading the identity links: each record's person, each person's links and history, and the
 * decisions people made, as constraints for the next match run.
 */
import type { SourceSystem } from '../../../adapters/types';
import { compareRecordRefs, parseRecordKey, recordKey, type RecordRef } from '../matchRecord';
import type { MatchConstraints } from '../matchRecords';
import { identityDb, IdentityOperationError, type IdentityLink, type LinkEvent, type LinkMethod, type StoreDatabase } from './identitySchema';
import { activeLinksOf, activeLinksOfPersons, eventFromRow, stateOf } from './linkRows';
import { existingPersonIds } from './personIds';

/** The gateway person each record belongs to now, in key order (null where the record is not linked). */
export async function personIdsFor<DB>(database: StoreDatabase<DB>, refs: readonly RecordRef[]): Promise<Array<string | null>> {
  const links = await activeLinksOf(identityDb(database), refs);
  return refs.map((ref) => links.get(recordKey(ref))?.person_id ?? null);
}

export async function personIdFor<DB>(database: StoreDatabase<DB>, source: SourceSystem, sourceId: string): Promise<string | null> {
  return (await personIdsFor(database, [{ source, sourceId }]))[0] ?? null;
}

/**
 * Each person's current links, in key order (records in record order). An unknown person ID gets
 * an IdentityOperationError in its place (the DataLoader contract); a person whose records have all
 * moved elsewhere gets an empty list.
 */
export async function linksForPersons<DB>(database: StoreDatabase<DB>, personIds: readonly string[]): Promise<Array<IdentityLink[] | Error>> {
  const db = identityDb(database);
  const known = await existingPersonIds(db, personIds);
  const rows = await activeLinksOfPersons(db, personIds.filter((id) => known.has(id)));
  const byPerson = new Map<string, IdentityLink[]>();
  for (const row of rows) {
    const list = byPerson.get(row.person_id) ?? [];
    list.push({ source: row.source_system as SourceSystem, sourceId: row.source_id, ...stateOf(row) });
    byPerson.set(row.person_id, list);
  }
  return personIds.map((id) =>
    known.has(id) ? (byPerson.get(id) ?? []).sort(compareRecordRefs) : new IdentityOperationError(`No gateway person ${id}`),
  );
}

/** A person's history, oldest first: the events recorded against this person ID (a record split off is recorded against the person it left). */
export async function eventsForPerson<DB>(database: StoreDatabase<DB>, personId: string): Promise<LinkEvent[]> {
  const rows = await identityDb(database)
    .selectFrom('identity_link_event')
    .selectAll()
    .where('person_id', '=', personId)
    .orderBy('at')
    .orderBy('event_id')
    .execute();
  return rows.map(eventFromRow);
}

export async function linkEvent<DB>(database: StoreDatabase<DB>, eventId: string): Promise<LinkEvent | null> {
  const row = await identityDb(database).selectFrom('identity_link_event').selectAll().where('event_id', '=', eventId).executeTakeFirst();
  return row ? eventFromRow(row) : null;
}

/** The human decisions, as constraints for the next match run. */
export async function loadMatchConstraints<DB>(database: StoreDatabase<DB>): Promise<Required<MatchConstraints>> {
  const db = identityDb(database);
  const rejected = await db.selectFrom('identity_rejected_pair').select(['record_a', 'record_b']).where('active', '=', 1).execute();
  const confirmed = await db
    .selectFrom('identity_link')
    .select(['person_id', 'source_system', 'source_id'])
    .where('active', '=', 1)
    .where('method', '=', 'CONFIRMED')
    .execute();
  return {
    rejectedPairs: rejected.map((row) => [parseRecordKey(row.record_a), parseRecordKey(row.record_b)] as const),
    pinned: new Map(confirmed.map((row) => [`${row.source_system}:${row.source_id}`, row.person_id])),
  };
}

/** Every active link, for checks across systems (a weekly gap report): one row per linked record. */
export async function allActiveLinks<DB>(database: StoreDatabase<DB>): Promise<Array<{ personId: string; source: SourceSystem; sourceId: string; method: LinkMethod }>> {
  const rows = await identityDb(database)
    .selectFrom('identity_link')
    .select(['person_id', 'source_system', 'source_id', 'method'])
    .where('active', '=', 1)
    .execute();
  return rows.map((row) => ({ personId: row.person_id, source: row.source_system as SourceSystem, sourceId: row.source_id, method: row.method }));
}

/** Pairs of records in two systems that belong to one gateway person now (active links), e.g. YOIS and UMIS. */
export async function linkedRecordPairs<DB>(database: StoreDatabase<DB>, from: SourceSystem, to: SourceSystem): Promise<Array<{ fromId: string; toId: string }>> {
  const rows = await identityDb(database)
    .selectFrom('identity_link as a')
    .innerJoin('identity_link as b', 'b.person_id', 'a.person_id')
    .select(['a.source_id as fromId', 'b.source_id as toId'])
    .where('a.active', '=', 1)
    .where('b.active', '=', 1)
    .where('a.source_system', '=', from)
    .where('b.source_system', '=', to)
    .execute();
  return rows.map((row) => ({ fromId: row.fromId, toId: row.toId }));
}
