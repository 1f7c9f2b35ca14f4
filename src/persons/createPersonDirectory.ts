import {
  applyMatchResult,
  confirmLink,
  eventsForPerson,
  IdentityOperationError,
  linkEvent,
  linksForPersons,
  personIdsFor,
  linkExplanations,
  rejectLink,
  resolveReview,
  reviewItem,
  reviewItems,
  splitPerson,
  undo,
  type IdentityLink,
  type LinkEvent,
  type ReviewItem,
} from '../identity/linkStore';
import type { RecordRef as MatchRef } from '../identity/matchRecord';
import { decodePersonId, encodePersonId } from '../ids/personId';
import {
  IdentityChangeRefused,
  type IdentityEventView,
  type IdentityOperations,
  type PersonDirectory,
  type LinkView,
  type PersonView,
  type RecordRef,
  type ReviewItemView,
} from './PersonDirectory';

const toMatchRef = (ref: RecordRef): MatchRef => ({ source: ref.system, sourceId: ref.sourceId });
const fromMatchRef = (ref: MatchRef): RecordRef => ({ system: ref.source as RecordRef['system'], sourceId: ref.sourceId });

function reviewView(item: ReviewItem): ReviewItemView {
  return {
    id: item.itemId,
    status: item.status,
    score: item.score,
    explanation: item.explanation,
    records: [fromMatchRef(item.a), fromMatchRef(item.b)],
    queuedAt: item.queuedAt,
    resolvedBy: item.resolvedBy,
    resolvedAt: item.resolvedAt,
    resolutionReason: item.resolutionReason,
  };
}

function view(personId: string, links: readonly IdentityLink[]): PersonView {
  return {
    personId,
    records: links.map((link) => ({
      system: link.source as RecordRef['system'],
      sourceId: link.sourceId,
      method: links.length === 1 && link.method !== 'CONFIRMED' ? 'SINGLE' : link.method,
    })),
  };
}

function eventView(event: LinkEvent): IdentityEventView {
  return {
    id: event.eventId,
    personId: event.personId ?? '',
    system: (event.record?.source as RecordRef['system'] | undefined) ?? null,
    sourceId: event.record?.sourceId ?? null,
    action: event.action,
    actor: event.actor,
    reason: event.reason,
    at: event.at,
  };
}

/** The person a separating change created: where its first record ended up. */
function personAfter(event: LinkEvent): string {
  return event.after.links.find((entry) => entry.link)?.link?.personId ?? event.personId ?? '';
}

async function refusing<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof IdentityOperationError) throw new IdentityChangeRefused(error.message);
    throw error;
  }
}

/** The provisional person of a record no match run has placed: its ID is the record reference. */
function provisional(ref: MatchRef): PersonView {
  return { personId: encodePersonId(ref), records: [{ system: ref.source as RecordRef['system'], sourceId: ref.sourceId, method: 'SINGLE' }] };
}

/** A record reference naming a person record (`yp:IYSS|UMIS|YOIS:id`), or null. */
function recordRefOf(id: string): MatchRef | null {
  const key = decodePersonId(id);
  return key && key.source !== 'DMS' ? { source: key.source, sourceId: key.sourceId } : null;
}

/** The gateway store, as the identity link store sees it (its tables live there beside the gateway's own). */
export type IdentityStore = Parameters<typeof linksForPersons>[0];

/**
 * People and identity decisions over the link store in the gateway store. Reads never write: a
 * record the matcher has not seen yet (created in its system since the last run) is a provisional
 * person whose ID is its record reference, until a match run (or a mutation naming it) places it.
 */
export function createPersonDirectory(store: IdentityStore, clock: { now(): Date }): PersonDirectory & IdentityOperations {
  async function storedPersons(personIds: readonly string[]): Promise<Array<PersonView | Error>> {
    const links = await linksForPersons(store, personIds);
    return personIds.map((id, index) => {
      const found = links[index]!;
      if (found instanceof Error) return found;
      return found.length ? view(id, found) : new Error(`Gateway person ${id} no longer holds any record`);
    });
  }

  async function personsForRecords(records: ReadonlyArray<RecordRef>): Promise<PersonView[]> {
    const refs = records.map(toMatchRef);
    const ids = await personIdsFor(store, refs);
    const unique = [...new Set(ids.filter((id): id is string => id !== null))];
    const people = new Map<string, PersonView>();
    (await storedPersons(unique)).forEach((person, index) => {
      if (!(person instanceof Error)) people.set(unique[index]!, person);
    });
    return refs.map((ref, index) => people.get(ids[index] ?? '') ?? provisional(ref));
  }

  async function personsByIds(personIds: readonly string[]): Promise<Array<PersonView | Error>> {
    const refs = personIds.map(recordRefOf);
    const stored = personIds.filter((_, index) => refs[index] === null);
    const byRecord = refs.filter((ref): ref is MatchRef => ref !== null);
    const [storedViews, recordViews] = await Promise.all([
      stored.length ? storedPersons(stored) : [],
      byRecord.length ? personsForRecords(byRecord.map((ref) => ({ system: ref.source as RecordRef['system'], sourceId: ref.sourceId }))) : [],
    ]);
    let s = 0;
    let r = 0;
    return refs.map((ref) => (ref === null ? storedViews[s++]! : recordViews[r++]!));
  }

  return {
    personsByIds,
    personsForRecords,

    async eventScope(eventId) {
      const event = await linkEvent(store, eventId);
      if (!event) return null;
      const entries = [...event.before.links, ...event.after.links];
      const records = new Map(entries.map((entry) => [`${entry.source}:${entry.sourceId}`, { system: entry.source as RecordRef['system'], sourceId: entry.sourceId }]));
      const personIds = new Set<string>(event.personId ? [event.personId] : []);
      for (const entry of entries) if (entry.link) personIds.add(entry.link.personId);
      return { records: [...records.values()], personIds: [...personIds] };
    },

    async place(personId) {
      const ref = recordRefOf(personId);
      if (!ref) return personId;
      const [held] = await personIdsFor(store, [ref]);
      if (held) return held;
      await applyMatchResult(store, { scope: 'INCREMENTAL', clusters: [[ref]], pairs: [] }, clock.now(), {
        reason: 'Record placed as a person of its own by an identity or break-glass change',
      });
      const [placed] = await personIdsFor(store, [ref]);
      return placed!;
    },

    confirm: (personId, record, actor, reason) =>
      refusing(async () => {
        await confirmLink(store, { personId, record: toMatchRef(record), actor, reason, now: clock.now() });
        return personId;
      }),
    reject: (personId, record, actor, reason) =>
      refusing(async () => personAfter(await rejectLink(store, { personId, record: toMatchRef(record), actor, reason, now: clock.now() }))),
    split: (personId, records, actor, reason) =>
      refusing(async () => personAfter(await splitPerson(store, personId, records.map(toMatchRef), actor, reason, clock.now()))),
    undo: (eventId, actor, reason) =>
      refusing(async () => {
        const event = await undo(store, eventId, actor, reason, clock.now());
        return event.personId ?? personAfter(event);
      }),
    history: async (personId) => (await eventsForPerson(store, personId)).map(eventView).reverse(),
    reviewItems: async (status, after, limit, order) => (await reviewItems(store, { status, after, limit, order })).map(reviewView),
    reviewItem: async (itemId) => {
      const item = await reviewItem(store, itemId);
      return item ? reviewView(item) : null;
    },
    resolveReview: (itemId, decision, actor, reason) =>
      refusing(async () => {
        const resolved = await resolveReview(store, { itemId, decision, actor, reason, now: clock.now() });
        return { item: reviewView(resolved.item), personIds: [...new Set([...resolved.personIds, resolved.event.personId ?? ''])].filter(Boolean) };
      }),
    async links(personId) {
      const [links] = await linksForPersons(store, [personId]);
      if (!links || links instanceof Error) return [];
      const explained = await linkExplanations(store, links);
      return links.map((link): LinkView => {
        const why = explained.get(`${link.source}:${link.sourceId}`);
        return {
          ...fromMatchRef(link),
          method: link.method,
          score: link.score,
          madeBy: link.madeBy,
          madeAt: link.madeAt,
          matchedWith: why ? fromMatchRef(why.partner) : null,
          explanation: why?.explanation ?? null,
        };
      });
    },
  };
}
