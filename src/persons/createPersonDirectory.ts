import {
  applyMatchResult,
  confirmLink,
  eventsForPerson,
  IdentityOperationError,
  linksForPersons,
  personIdsFor,
  rejectLink,
  splitPerson,
  undo,
  type IdentityLink,
  type LinkEvent,
} from '../identity/linkStore';
import type { RecordRef as MatchRef } from '../identity/matchRecord';
import {
  IdentityChangeRefused,
  type IdentityEventView,
  type IdentityOperations,
  type PersonDirectory,
  type PersonView,
  type RecordRef,
} from './PersonDirectory';

const toMatchRef = (ref: RecordRef): MatchRef => ({ source: ref.system, sourceId: ref.sourceId });

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

/**
 * People and identity decisions over the link store in the gateway store. A record the matcher has
 * not seen yet (created in its system since the last run) becomes a person of its own on first
 * sight, so every ID the gateway hands out can be asked for again.
 */
/** The gateway store, as the identity link store sees it (its tables live there beside the gateway's own). */
export type IdentityStore = Parameters<typeof linksForPersons>[0];

export function createPersonDirectory(store: IdentityStore, clock: { now(): Date }): PersonDirectory & IdentityOperations {
  async function personsByIds(personIds: readonly string[]): Promise<Array<PersonView | Error>> {
    const links = await linksForPersons(store, personIds);
    return personIds.map((id, index) => {
      const found = links[index]!;
      if (found instanceof Error) return found;
      return found.length ? view(id, found) : new Error(`Gateway person ${id} no longer holds any record`);
    });
  }

  return {
    personsByIds,

    async personsForRecords(records) {
      const refs = records.map(toMatchRef);
      let ids = await personIdsFor(store, refs);
      const unlinked = refs.filter((_, index) => ids[index] === null);
      if (unlinked.length) {
        await applyMatchResult(store, { scope: 'INCREMENTAL', clusters: unlinked.map((ref) => [ref]), pairs: [] }, clock.now(), {
          reason: 'Record seen for the first time since the last match run',
        });
        ids = await personIdsFor(store, refs);
      }
      const unique = [...new Set(ids.filter((id): id is string => id !== null))];
      const people = new Map<string, PersonView>();
      (await personsByIds(unique)).forEach((person, index) => {
        if (!(person instanceof Error)) people.set(unique[index]!, person);
      });
      return refs.map((ref, index) => people.get(ids[index] ?? '') ?? view(ids[index] ?? '', [{ ...ref, personId: '', method: 'PROBABILISTIC', score: null, madeBy: '', madeAt: '' }]));
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
  };
}
