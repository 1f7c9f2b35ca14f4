/**
 * Writing a match run's clusters as persons and links. Human decisions outrank the matcher: a
 * CONFIRMED link is never moved by a match run, and a rejected pair is never put back together by one.
 */
import { chunk, insertRows, MAX_PARAMETERS_PER_STATEMENT } from '../../../adapters/drivers/insertRows';
import { compareRecordRefs, recordKey, type RecordRef } from '../matchRecord';
import type { MatchedPair, MatchResult } from '../matchRecords';
import { retryOnWriteConflict, WriteConflict } from '../../store/writeConflicts';
import { identityDb, MATCHER_ACTOR, type Db, type LinkEvent, type LinkState, type StoreDatabase } from './identitySchema';
import { activeLinksOf, activeLinksOfPersons, activeRejections, eventRow, isoInstant, newEventId, requireText, stateOf, type LinkRow } from './linkRows';
import { allocatePersonIds } from './personIds';
import { syncReviewQueue, writeLinkExplanations, type ReviewQueueSummary } from './reviewQueue';

export interface ApplySummary {
  personsCreated: number;
  /** Records given a person for the first time. */
  linksCreated: number;
  /** Records moved from one person to another by the matcher. */
  linksMoved: number;
  unchanged: number;
  /** Records the matcher would have moved but a person had confirmed where they are. */
  keptConfirmed: number;
  /** Records the matcher would have joined to a person holding a record someone rejected them with. */
  keptApartByRejection: number;
  events: number;
  /** What the run did to the review queue (./reviewQueue.ts). */
  reviewQueue: ReviewQueueSummary;
}

/** How a record joined its cluster: its strongest automatic link (deterministic first). */
function bestLinks(pairs: readonly MatchedPair[]): Map<string, MatchedPair> {
  const best = new Map<string, MatchedPair>();
  const better = (p: MatchedPair, q: MatchedPair | undefined) =>
    !q || (p.method !== q.method ? p.method === 'DETERMINISTIC' : p.score > q.score);
  for (const pair of pairs) {
    if (pair.decision !== 'AUTO_LINK') continue;
    for (const key of [recordKey(pair.a), recordKey(pair.b)]) if (better(pair, best.get(key))) best.set(key, pair);
  }
  return best;
}

/**
 * Writes a match run's clusters as persons and links. Idempotent: running the same result again
 * changes nothing and writes no events. Each cluster becomes the existing person that already holds
 * most of its records (records a person confirmed count first), or a new person; a record moves only
 * when its current link is the matcher's own and no rejected pair forbids the move. One LINK event
 * per person changed.
 */
export async function applyMatchResult<DB>(database: StoreDatabase<DB>,
  result: Pick<MatchResult, 'scope' | 'clusters' | 'pairs' | 'changed' | 'removed'>,
  now: Date | string,
  options: { actor?: string; reason?: string } = {},
): Promise<ApplySummary> {
  const at = isoInstant(now);
  const actor = requireText('actor', options.actor ?? MATCHER_ACTOR, 128);
  const reason = requireText('reason', options.reason ?? `${result.scope === 'FULL' ? 'Full' : 'Incremental'} match run`, 1000);
  // A lost race (another request or replica placed some of these records first) rolled everything
  // back; running again reads the winner's links and keeps them (insert, or read back and retry).
  return retryOnWriteConflict(() => applyOnce(database, result, at, actor, reason));
}

async function applyOnce<DB>(database: StoreDatabase<DB>,
  result: Pick<MatchResult, 'scope' | 'clusters' | 'pairs' | 'changed' | 'removed'>,
  at: string,
  actor: string,
  reason: string,
): Promise<ApplySummary> {
  const best = bestLinks(result.pairs);
  const summary: ApplySummary = {
    personsCreated: 0,
    linksCreated: 0,
    linksMoved: 0,
    unchanged: 0,
    keptConfirmed: 0,
    keptApartByRejection: 0,
    events: 0,
    reviewQueue: { queued: 0, reopened: 0, rescored: 0, closed: 0, keptDecided: 0 },
  };

  await identityDb(database)
    .transaction()
    .execute(async (db) => {
      const refs = result.clusters.flat();
      const keys = refs.map(recordKey);
      const current = await activeLinksOf(db, refs);
      // Where each record ends up; starts as where it is, for everyone in the persons touched, so
      // rejections are checked against whole persons and not just the records in this run.
      const finalPerson = new Map<string, string>();
      for (const row of await activeLinksOfPersons(db, [...new Set([...current.values()].map((row) => row.person_id))])) {
        finalPerson.set(`${row.source_system}:${row.source_id}`, row.person_id);
      }
      const rejectedPartners = await activeRejections(db, result.scope === 'FULL' ? null : keys);

      // Clusters to persons: greedy by records held, then confirmed records held; each person used once.
      const candidates: Array<{ cluster: number; personId: string; confirmed: number; held: number }> = [];
      result.clusters.forEach((cluster, index) => {
        const tally = new Map<string, { confirmed: number; held: number }>();
        for (const ref of cluster) {
          const row = current.get(recordKey(ref));
          if (!row) continue;
          const entry = tally.get(row.person_id) ?? { confirmed: 0, held: 0 };
          entry.held++;
          if (row.method === 'CONFIRMED') entry.confirmed++;
          tally.set(row.person_id, entry);
        }
        for (const [personId, entry] of tally) candidates.push({ cluster: index, personId, ...entry });
      });
      candidates.sort((x, y) => y.held - x.held || y.confirmed - x.confirmed || (x.personId < y.personId ? -1 : x.personId > y.personId ? 1 : x.cluster - y.cluster));
      const target = new Array<string | null>(result.clusters.length).fill(null);
      const usedPersons = new Set<string>();
      for (const c of candidates) {
        if (target[c.cluster] !== null || usedPersons.has(c.personId)) continue;
        target[c.cluster] = c.personId;
        usedPersons.add(c.personId);
      }
      const unassigned = target.flatMap((t, i) => (t === null ? [i] : []));
      const taken = new Set(usedPersons);
      const fresh = await allocatePersonIds(db, unassigned.length, taken);
      const newPersons = new Set<string>(fresh);
      unassigned.forEach((clusterIndex, j) => (target[clusterIndex] = fresh[j] as string));

      const holds = (personId: string, key: string) => finalPerson.get(key) === personId;
      const conflicts = (key: string, personId: string): boolean => {
        for (const partner of rejectedPartners.get(key) ?? []) if (holds(personId, partner)) return true;
        return false;
      };

      const changes: Array<{ ref: RecordRef; before: LinkState | null; after: LinkState }> = [];
      const loners: RecordRef[] = [];
      result.clusters.forEach((cluster, index) => {
        const personId = target[index] as string;
        for (const ref of cluster) {
          const key = recordKey(ref);
          const row = current.get(key);
          if (row?.person_id === personId) {
            summary.unchanged++;
            continue;
          }
          if (row?.method === 'CONFIRMED') {
            summary.keptConfirmed++;
            continue;
          }
          if (conflicts(key, personId)) {
            summary.keptApartByRejection++;
            if (!row) loners.push(ref);
            continue;
          }
          const pair = best.get(key);
          finalPerson.set(key, personId);
          changes.push({
            ref,
            before: row ? stateOf(row) : null,
            after: {
              personId,
              method: pair?.method ?? 'DETERMINISTIC',
              score: pair?.score ?? null,
              madeBy: actor,
              madeAt: at,
            },
          });
        }
      });
      const lonerIds = await allocatePersonIds(db, loners.length, taken);
      loners.forEach((ref, i) => {
        const personId = lonerIds[i] as string;
        newPersons.add(personId);
        changes.push({ ref, before: null, after: { personId, method: 'DETERMINISTIC', score: null, madeBy: actor, madeAt: at } });
      });

      // Write: persons, then the records leaving their links, then the new links, then one event per person.
      // A set, not changes.some per person: that was quadratic, minutes at 100,000 people.
      const targeted = new Set(changes.map((c) => c.after.personId));
      const created = [...newPersons].filter((id) => targeted.has(id));
      await insertRows(db, 'identity_person', created.map((person_id) => ({ person_id, created_at: at })));
      summary.personsCreated = created.length;
      const leaving = changes.filter((c) => c.before !== null);
      const bySystem = new Map<string, string[]>();
      for (const c of leaving) {
        const ids = bySystem.get(c.ref.source);
        if (ids) ids.push(c.ref.sourceId);
        else bySystem.set(c.ref.source, [c.ref.sourceId]);
      }
      let deactivated = 0;
      for (const [system, ids] of bySystem) {
        for (const part of chunk(ids, MAX_PARAMETERS_PER_STATEMENT)) {
          const updated = await db
            .updateTable('identity_link')
            .set({ active: 0 })
            .where('active', '=', 1)
            .where('source_system', '=', system)
            .where('source_id', 'in', part)
            .executeTakeFirst();
          deactivated += Number(updated.numUpdatedRows);
        }
      }
      if (deactivated !== leaving.length) throw new WriteConflict('Identity links changed while the match run was being applied');
      // A record returning to a person it was once in reuses that (inactive) row.
      const returning = new Set<string>();
      const formerRows = await linkRowsFor(db, changes.filter((c) => c.before !== null || !newPersons.has(c.after.personId)));
      for (const row of formerRows) returning.add(`${row.person_id}|${row.source_system}:${row.source_id}`);
      const inserts: LinkRow[] = [];
      for (const c of changes) {
        const values = { method: c.after.method, score: c.after.score, made_by: c.after.madeBy, made_at: c.after.madeAt, active: 1 };
        if (returning.has(`${c.after.personId}|${recordKey(c.ref)}`)) {
          await db
            .updateTable('identity_link')
            .set(values)
            .where('person_id', '=', c.after.personId)
            .where('source_system', '=', c.ref.source)
            .where('source_id', '=', c.ref.sourceId)
            .execute();
        } else {
          inserts.push({ person_id: c.after.personId, source_system: c.ref.source, source_id: c.ref.sourceId, ...values });
        }
        if (c.before === null) summary.linksCreated++;
        else summary.linksMoved++;
      }
      await insertRows(db, 'identity_link', inserts);
      await writeLinkExplanations(db, changes.map((c) => ({ ref: c.ref, personId: c.after.personId, pair: best.get(recordKey(c.ref)) })), at);

      const byPerson = new Map<string, typeof changes>();
      for (const c of changes) {
        const list = byPerson.get(c.after.personId);
        if (list) list.push(c);
        else byPerson.set(c.after.personId, [c]);
      }
      const events: LinkEvent[] = [];
      for (const [personId, list] of byPerson) {
        list.sort((x, y) => compareRecordRefs(x.ref, y.ref));
        events.push({
          eventId: newEventId(at),
          personId,
          record: list[0]?.ref ?? null,
          action: 'LINK',
          actor,
          reason,
          at,
          before: { links: list.map((c) => ({ ...c.ref, link: c.before })), rejectedPairs: [] },
          after: { links: list.map((c) => ({ ...c.ref, link: c.after })), rejectedPairs: [] },
        });
      }
      await insertRows(db, 'identity_link_event', events.map(eventRow));
      summary.events = events.length;
      summary.reviewQueue = await syncReviewQueue(db, result, at);
    });
  return summary;
}

/** Rows (active or not) for the changes' target (person, record) pairs: a record may be returning to a person it left. */
async function linkRowsFor(
  db: Db,
  changes: ReadonlyArray<{ ref: RecordRef; after: LinkState }>,
): Promise<LinkRow[]> {
  const rows: LinkRow[] = [];
  const bySystem = new Map<string, string[]>();
  for (const c of changes) {
    const ids = bySystem.get(c.ref.source);
    if (ids) ids.push(c.ref.sourceId);
    else bySystem.set(c.ref.source, [c.ref.sourceId]);
  }
  const wanted = new Set(changes.map((c) => `${c.after.personId}|${recordKey(c.ref)}`));
  for (const [system, ids] of bySystem) {
    for (const part of chunk([...new Set(ids)], MAX_PARAMETERS_PER_STATEMENT)) {
      const found = await db.selectFrom('identity_link').selectAll().where('source_system', '=', system).where('source_id', 'in', part).execute();
      for (const row of found) if (wanted.has(`${row.person_id}|${row.source_system}:${row.source_id}`)) rows.push(row);
    }
  }
  return rows;
}
