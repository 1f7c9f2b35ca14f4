/**
 * A person's decisions about identity links: confirm, reject, split, undo, and resolving a review item. Each runs as one
 * transaction, is recorded as an event with the state before and after, and outranks the matcher.
 */
import type { Transaction } from 'kysely';
import { compareRecordRefs, recordKey, type RecordRef } from '../matchRecord';
import { isWriteConflict } from '../../store/writeConflicts';
import { identityDb, IdentityOperationError, type Db, type IdentityTables, type LinkEvent, type LinkEventState, type LinkState, type StoreDatabase } from './identitySchema';
import {
  activeLinksOf,
  activeLinksOfPersons,
  activeRejections,
  describe,
  eventFromRow,
  eventRow,
  isoInstant,
  newEventId,
  rejectionStates,
  requireText,
  sameState,
  setLink,
  setRejection,
  stateOf,
  type LinkRow,
} from './linkRows';
import { allocatePersonIds, existingPersonIds } from './personIds';
import { explainDecidedLinks, itemFromRow, type ReviewItem } from './reviewQueue';

export interface DecisionInput {
  actor: string;
  reason: string;
  /** When the decision was made; default now. */
  now?: Date | string;
}

/**
 * Runs a person's decision as one transaction. Losing a race with another writer (the database's
 * one-active-link key, a deadlock, a busy SQLite file) rolled it back whole, and the decision was
 * made on a view that is now stale: it is refused, to be looked at again, rather than retried blind.
 */
async function decide<DB, T>(database: StoreDatabase<DB>, work: (db: Transaction<IdentityTables>) => Promise<T>): Promise<T> {
  try {
    return await identityDb(database).transaction().execute(work);
  } catch (error) {
    if (error instanceof IdentityOperationError || !isWriteConflict(error)) throw error;
    throw new IdentityOperationError('The identity links changed while this change was being made, so nothing was changed; look at the person again and retry');
  }
}

async function recordEvent(db: Db, event: Omit<LinkEvent, 'eventId'>): Promise<LinkEvent> {
  const full: LinkEvent = { eventId: newEventId(event.at), ...event };
  await db.insertInto('identity_link_event').values(eventRow(full)).execute();
  return full;
}

async function requirePerson(db: Db, personId: string): Promise<void> {
  const found = await existingPersonIds(db, [personId]);
  if (!found.has(personId)) throw new IdentityOperationError(`No gateway person ${personId}`);
}

/**
 * Confirms that `record` is `personId`: a link the matcher made (or proposed for review) becomes a
 * person's decision, which no match run will undo. A record in another person moves here. Refused
 * while the record and one of the person's records are a rejected pair: undo the rejection first.
 */
export async function confirmLink<DB>(database: StoreDatabase<DB>,
  input: DecisionInput & { personId: string; record: RecordRef },
): Promise<LinkEvent> {
  const actor = requireText('actor', input.actor, 128);
  const reason = requireText('reason', input.reason, 1000);
  const at = isoInstant(input.now ?? new Date());
  return decide(database, async (db) => {
      await requirePerson(db, input.personId);
      const key = recordKey(input.record);
      const row = (await activeLinksOf(db, [input.record])).get(key);
      if (row?.person_id === input.personId && row.method === 'CONFIRMED') {
        throw new IdentityOperationError(`${describe(input.record)} is already confirmed to ${input.personId}`);
      }
      const members = (await activeLinksOfPersons(db, [input.personId])).map((r) => `${r.source_system}:${r.source_id}`);
      const rejected = await activeRejections(db, [key]);
      const clash = members.find((member) => rejected.get(key)?.has(member));
      if (clash) {
        // The other record is not named: it may be in a system the caller may not know of.
        throw new IdentityOperationError(`${describe(input.record)} was rejected as a match for another record of this person; undo that rejection first`);
      }
      const before = row ? stateOf(row) : null;
      const after: LinkState = { personId: input.personId, method: 'CONFIRMED', score: before?.score ?? null, madeBy: actor, madeAt: at };
      await setLink(db, input.record, before, after);
      return recordEvent(db, {
        personId: input.personId,
        record: input.record,
        action: 'CONFIRM',
        actor,
        reason,
        at,
        before: { links: [{ ...input.record, link: before }], rejectedPairs: [] },
        after: { links: [{ ...input.record, link: after }], rejectedPairs: [] },
      });
    });
}

/** Moves `records` out of `personId` into one new person, remembering each moved record as rejected with each record left behind. */
async function separate(
  db: Db,
  action: 'REJECT' | 'SPLIT',
  personId: string,
  records: readonly RecordRef[],
  actor: string,
  reason: string,
  at: string,
): Promise<LinkEvent> {
  await requirePerson(db, personId);
  if (records.length === 0) throw new IdentityOperationError('Name at least one record to split off');
  const links = await activeLinksOfPersons(db, [personId]);
  const memberKeys = links.map((row) => `${row.source_system}:${row.source_id}`);
  const moving = [...new Map(records.map((ref) => [recordKey(ref), ref])).values()].sort(compareRecordRefs);
  for (const ref of moving) {
    if (!memberKeys.includes(recordKey(ref))) throw new IdentityOperationError(`${describe(ref)} is not linked to ${personId}`);
  }
  const staying = memberKeys.filter((key) => !moving.some((ref) => recordKey(ref) === key));
  if (staying.length === 0) {
    throw new IdentityOperationError(`${personId} would be left with no records; split off fewer than all of them`);
  }
  const [newPersonId] = await allocatePersonIds(db, 1, new Set());
  const pairs = moving.flatMap((ref) => staying.map((key) => [recordKey(ref), key] as const));
  const wasRejected = await rejectionStates(db, pairs);
  const eventId = newEventId(at);
  const byKey = new Map(links.map((row) => [`${row.source_system}:${row.source_id}`, row]));
  const beforeLinks: LinkEventState['links'] = [];
  const afterLinks: LinkEventState['links'] = [];
  for (const ref of moving) {
    const before = stateOf(byKey.get(recordKey(ref)) as LinkRow);
    const after: LinkState = { personId: newPersonId as string, method: 'CONFIRMED', score: null, madeBy: actor, madeAt: at };
    await setLink(db, ref, before, after);
    beforeLinks.push({ ...ref, link: before });
    afterLinks.push({ ...ref, link: after });
  }
  for (const [x, y] of pairs) await setRejection(db, x, y, true, actor, at, eventId);
  const event: LinkEvent = {
    eventId,
    personId,
    record: moving[0] as RecordRef,
    action,
    actor,
    reason,
    at,
    before: { links: beforeLinks, rejectedPairs: pairs.map(([a, b], i) => ({ a, b, active: wasRejected[i] as boolean })) },
    after: { links: afterLinks, rejectedPairs: pairs.map(([a, b]) => ({ a, b, active: true })) },
  };
  await db.insertInto('identity_link_event').values(eventRow(event)).execute();
  return event;
}

/**
 * Rejects `record` as part of `personId`: it leaves for a new person of its own, and the record is
 * remembered as a different person from each record left behind, so no match run joins them again.
 */
export async function rejectLink<DB>(database: StoreDatabase<DB>,
  input: DecisionInput & { personId: string; record: RecordRef },
): Promise<LinkEvent> {
  const actor = requireText('actor', input.actor, 128);
  const reason = requireText('reason', input.reason, 1000);
  const at = isoInstant(input.now ?? new Date());
  return decide(database, (db) => separate(db, 'REJECT', input.personId, [input.record], actor, reason, at));
}

/**
 * Splits `personId`: the named records become one new person together (confirmed as such), each
 * remembered as a different person from every record that stays.
 */
export async function splitPerson<DB>(database: StoreDatabase<DB>,
  personId: string,
  records: readonly RecordRef[],
  actor: string,
  reason: string,
  now: Date | string = new Date(),
): Promise<LinkEvent> {
  const who = requireText('actor', actor, 128);
  const why = requireText('reason', reason, 1000);
  const at = isoInstant(now);
  return decide(database, (db) => separate(db, 'SPLIT', personId, records, who, why, at));
}

/**
 * Undoes an event: puts back the links and rejections as they were before it, provided nothing has
 * changed them since (otherwise undo the later events first). Writes an UNDO event, which can itself
 * be undone.
 */
export async function undo<DB>(database: StoreDatabase<DB>, eventId: string, actor: string, reason: string, now: Date | string = new Date()): Promise<LinkEvent> {
  const who = requireText('actor', actor, 128);
  const why = requireText('reason', reason, 1000);
  const at = isoInstant(now);
  return decide(database, async (db) => {
      const row = await db.selectFrom('identity_link_event').selectAll().where('event_id', '=', eventId).executeTakeFirst();
      if (!row) throw new IdentityOperationError(`No identity event ${eventId}`);
      const event = eventFromRow(row);
      const current = await activeLinksOf(db, event.after.links);
      for (const entry of event.after.links) {
        const present = current.get(recordKey(entry));
        if (!sameState(present ? stateOf(present) : null, entry.link)) {
          throw new IdentityOperationError(
            `${describe(entry)} has changed since event ${eventId}; undo the later events first`,
          );
        }
      }
      const rejectionNow = await rejectionStates(db, event.after.rejectedPairs.map((p) => [p.a, p.b] as const));
      event.after.rejectedPairs.forEach((pair, i) => {
        if (rejectionNow[i] !== pair.active) {
          throw new IdentityOperationError(`The rejection of ${pair.a} with ${pair.b} has changed since event ${eventId}; undo the later events first`);
        }
      });
      const beforeByKey = new Map(event.before.links.map((entry) => [recordKey(entry), entry.link]));
      for (const entry of event.after.links) await setLink(db, entry, entry.link, beforeByKey.get(recordKey(entry)) ?? null);
      const undoId = newEventId(at);
      for (const pair of event.before.rejectedPairs) await setRejection(db, pair.a, pair.b, pair.active, who, at, undoId);
      const undoEvent: LinkEvent = {
        eventId: undoId,
        personId: event.personId,
        record: event.record,
        action: 'UNDO',
        actor: who,
        reason: why,
        at,
        before: { links: event.after.links, rejectedPairs: event.after.rejectedPairs },
        after: { links: event.before.links, rejectedPairs: event.before.rejectedPairs, undoes: eventId },
      };
      await db.insertInto('identity_link_event').values(eventRow(undoEvent)).execute();
      // A review item resolved by the undone event is open again.
      await db
        .updateTable('identity_review_item')
        .set({ status: 'OPEN', resolved_by: null, resolved_at: null, resolution_reason: null, event_id: null, updated_at: at })
        .where('event_id', '=', eventId)
        .execute();
      return undoEvent;
    });
}

export type ReviewDecision = 'CONFIRM' | 'REJECT';

export interface ReviewResolution {
  item: ReviewItem;
  event: LinkEvent;
  /** Where each record of the pair is afterwards, in the item's order (a, b). */
  personIds: [string, string];
}

/**
 * Resolves an open review item. CONFIRM: the two records are one young person. When they are in two
 * persons, one record moves into the other's person (the one a person has not confirmed elsewhere,
 * else the one from the smaller person); both links become CONFIRMED, so no run separates them. Refused
 * when each was confirmed to its own person, or when the moving record was rejected with one of the
 * other person's records. REJECT: they are different young people: a rejected pair the matcher never
 * joins (if they are in one person now, one record is taken out, as `rejectLink` does: the one not
 * confirmed there, else the second).
 * One event; undoing it reopens the item.
 */
export async function resolveReview<DB>(
  database: StoreDatabase<DB>,
  input: DecisionInput & { itemId: string; decision: ReviewDecision },
): Promise<ReviewResolution> {
  const actor = requireText('actor', input.actor, 128);
  const reason = requireText('reason', input.reason, 1000);
  const at = isoInstant(input.now ?? new Date());
  return decide(database, async (db) => {
    const row = await db.selectFrom('identity_review_item').selectAll().where('item_id', '=', input.itemId).executeTakeFirst();
    if (!row) throw new IdentityOperationError(`No review item ${input.itemId}`);
    const item = itemFromRow(row);
    if (item.status !== 'OPEN') throw new IdentityOperationError(`Review item ${item.itemId} is ${item.status.toLowerCase()} already`);
    const [ka, kb] = [recordKey(item.a), recordKey(item.b)];
    const links = await activeLinksOf(db, [item.a, item.b]);
    const [la, lb] = [links.get(ka), links.get(kb)];
    if (!la || !lb) throw new IdentityOperationError('A record of this pair is in no person yet; run a match first');
    const unchanged = (ref: RecordRef, link: LinkRow) => ({ ...ref, link: stateOf(link) });

    let event: LinkEvent;
    if (input.decision === 'REJECT') {
      if (la.person_id === lb.person_id) {
        // The record a person has not confirmed there leaves (the second, when both or neither are).
        const leaving = lb.method === 'CONFIRMED' && la.method !== 'CONFIRMED' ? item.a : item.b;
        event = await separate(db, 'REJECT', la.person_id, [leaving], actor, reason, at);
      } else {
        const [was] = await rejectionStates(db, [[ka, kb]]);
        const eventId = newEventId(at);
        await setRejection(db, ka, kb, true, actor, at, eventId);
        // The records stay where they are; they are in the event so an undo is judged (and checked) against them.
        const stay = [unchanged(item.a, la), unchanged(item.b, lb)];
        event = { eventId, personId: la.person_id, record: item.b, action: 'REJECT', actor, reason, at,
          before: { links: stay, rejectedPairs: [{ a: ka, b: kb, active: was as boolean }] },
          after: { links: stay, rejectedPairs: [{ a: ka, b: kb, active: true }] } };
        await db.insertInto('identity_link_event').values(eventRow(event)).execute();
      }
    } else {
      let target = la.person_id;
      let mover: { ref: RecordRef; row: LinkRow } | null = null;
      if (la.person_id !== lb.person_id) {
        const [aConfirmed, bConfirmed] = [la.method === 'CONFIRMED', lb.method === 'CONFIRMED'];
        if (aConfirmed && bConfirmed) {
          throw new IdentityOperationError('Each record of this pair was confirmed to its own person; reject one of those links first');
        }
        const sizes = new Map<string, number>();
        for (const link of await activeLinksOfPersons(db, [la.person_id, lb.person_id])) sizes.set(link.person_id, (sizes.get(link.person_id) ?? 0) + 1);
        const moveA = bConfirmed || (!aConfirmed && (sizes.get(la.person_id) ?? 0) < (sizes.get(lb.person_id) ?? 0));
        mover = moveA ? { ref: item.a, row: la } : { ref: item.b, row: lb };
        target = moveA ? lb.person_id : la.person_id;
        const moverKey = recordKey(mover.ref);
        const members = (await activeLinksOfPersons(db, [target])).map((r) => `${r.source_system}:${r.source_id}`);
        const rejected = await activeRejections(db, [moverKey]);
        if (members.some((member) => rejected.get(moverKey)?.has(member))) {
          throw new IdentityOperationError('A record of this pair was rejected as a match for another record of that person; undo that rejection first');
        }
      }
      const before: LinkEventState['links'] = [];
      const after: LinkEventState['links'] = [];
      for (const [ref, link] of [[item.a, la], [item.b, lb]] as const) {
        const was = stateOf(link);
        const next: LinkState =
          link.method === 'CONFIRMED' && link.person_id === target
            ? was
            : { personId: target, method: 'CONFIRMED', score: was.score ?? item.score, madeBy: actor, madeAt: at };
        if (next !== was) await setLink(db, ref, was, next);
        before.push({ ...ref, link: was });
        after.push({ ...ref, link: next });
      }
      event = await recordEvent(db, {
        personId: target,
        record: mover?.ref ?? item.b,
        action: 'CONFIRM',
        actor,
        reason,
        at,
        before: { links: before, rejectedPairs: [] },
        after: { links: after, rejectedPairs: [] },
      });
      await explainDecidedLinks(db, item, target, at);
    }
    const status = input.decision === 'CONFIRM' ? 'CONFIRMED' : 'REJECTED';
    await db
      .updateTable('identity_review_item')
      .set({ status, resolved_by: actor, resolved_at: at, resolution_reason: reason, event_id: event.eventId, updated_at: at })
      .where('item_id', '=', item.itemId)
      .where('status', '=', 'OPEN')
      .execute();
    const placed = await activeLinksOf(db, [item.a, item.b]);
    return {
      item: { ...item, status, resolvedBy: actor, resolvedAt: at, resolutionReason: reason, eventId: event.eventId, updatedAt: at },
      event,
      personIds: [placed.get(ka)?.person_id ?? la.person_id, placed.get(kb)?.person_id ?? lb.person_id],
    };
  });
}
