/**
 * The review queue and link explanations.
 *
 * A match run proposes, besides its automatic links, pairs that scored between the review and the
 * automatic-link thresholds (or that a guard held at review). Each becomes one stored review item
 * for a person to confirm or reject (./identityDecisions.ts `resolveReview`); a decided item is kept
 * for good, so the pair is never queued again, and the decision itself outlives every later run: a
 * confirmation pins both records to their person, a rejection is a rejected pair the matcher never
 * joins. An open item a later run no longer proposes (linked automatically, or the records changed)
 * is CLOSED, and reopened if a run proposes it again.
 *
 * Every link a match run makes keeps the pair that made it (which fields agreed at which level, each
 * weight, the total, the thresholds, the model version) for as long as the record stays in that person.
 */
import { randomBytes } from 'node:crypto';
import { chunk, insertRows, MAX_PARAMETERS_PER_STATEMENT } from '../../../adapters/drivers/insertRows';
import { capRows } from '../../../adapters/drivers/queryHelpers';
import { parseRecordKey, recordKey, type RecordRef } from '../matchRecord';
import type { MatchedPair, MatchResult } from '../matchRecords';
import type { MatchExplanation } from '../model/matchModel';
import { identityDb, type Db, type IdentityTables, type ReviewStatus, type StoreDatabase } from './identitySchema';
import { activeLinksOf, activeRejections, pairKeyOf } from './linkRows';

type ItemRow = IdentityTables['identity_review_item'];

export interface ReviewItem {
  itemId: string;
  /** The pair, in record-key order. */
  a: RecordRef;
  b: RecordRef;
  status: ReviewStatus;
  score: number;
  modelVersion: string;
  explanation: MatchExplanation;
  queuedAt: string;
  /** When a run last changed the item (queued, rescored, closed, reopened) or a person resolved it. */
  updatedAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolutionReason: string | null;
  eventId: string | null;
}

export interface LinkExplanation extends RecordRef {
  personId: string;
  /** The record this one was matched with. */
  partner: RecordRef;
  modelVersion: string;
  explanation: MatchExplanation;
  madeAt: string;
}

export interface ReviewQueueSummary {
  /** Pairs queued for the first time. */
  queued: number;
  /** Closed items a run proposed again. */
  reopened: number;
  /** Open items rescored (another model, or changed records). */
  rescored: number;
  /** Open items this run no longer proposes. */
  closed: number;
  /** Proposed pairs a person already decided: left as decided. */
  keptDecided: number;
}

/** `R-`, the time (so items sort in the order they were queued) and random characters. */
export function newReviewItemId(at: string): string {
  return `R-${Date.parse(at).toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
}

export function itemFromRow(row: ItemRow): ReviewItem {
  return {
    itemId: row.item_id,
    a: parseRecordKey(row.record_a),
    b: parseRecordKey(row.record_b),
    status: row.status,
    score: Number(row.score),
    modelVersion: row.model_version,
    explanation: JSON.parse(row.explanation_json) as MatchExplanation,
    queuedAt: row.queued_at,
    updatedAt: row.updated_at,
    resolvedBy: row.resolved_by,
    resolvedAt: row.resolved_at,
    resolutionReason: row.resolution_reason,
    eventId: row.event_id,
  };
}

const PAIR_SEPARATOR = '|';
const pairId = (x: string, y: string): string => pairKeyOf(x, y).join(PAIR_SEPARATOR);

/** Items touching any of `keys` (every item when `keys` is null). */
async function itemsTouching(db: Db, keys: readonly string[] | null): Promise<ItemRow[]> {
  const query = () => db.selectFrom('identity_review_item').selectAll();
  if (keys === null) return query().execute();
  const rows = new Map<string, ItemRow>();
  for (const part of chunk([...new Set(keys)], MAX_PARAMETERS_PER_STATEMENT / 2)) {
    for (const row of await query().where((eb) => eb.or([eb('record_a', 'in', part), eb('record_b', 'in', part)])).execute()) rows.set(row.item_id, row);
  }
  return [...rows.values()];
}

/**
 * Brings the queue up to date with a match run, in the run's transaction, after its links are written.
 * Proposed: the run's REVIEW pairs whose records are not in one person now and that no one rejected.
 * A full run judges every open item; an incremental one only those touching its changed or removed
 * records (its other pairs were not compared again).
 */
export async function syncReviewQueue(
  db: Db,
  result: Pick<MatchResult, 'scope' | 'pairs' | 'changed' | 'removed'>,
  at: string,
): Promise<ReviewQueueSummary> {
  const summary: ReviewQueueSummary = { queued: 0, reopened: 0, rescored: 0, closed: 0, keptDecided: 0 };
  const reviewPairs = result.pairs.filter((pair) => pair.decision === 'REVIEW');
  const refs = reviewPairs.flatMap((pair) => [pair.a, pair.b]);
  const placed = await activeLinksOf(db, refs);
  const rejected = await activeRejections(db, refs.map(recordKey));
  const proposed = new Map<string, MatchedPair>();
  for (const pair of reviewPairs) {
    const [ka, kb] = [recordKey(pair.a), recordKey(pair.b)];
    const [pa, pb] = [placed.get(ka)?.person_id, placed.get(kb)?.person_id];
    if (pa !== undefined && pa === pb) continue;
    if (rejected.get(ka)?.has(kb)) continue;
    proposed.set(pairId(ka, kb), pair);
  }
  const scope = result.scope === 'FULL' ? null : new Set([...(result.changed ?? []), ...(result.removed ?? [])].map(recordKey));
  const existing = await itemsTouching(db, scope === null ? null : [...scope, ...refs.map(recordKey)]);
  const byPair = new Map(existing.map((row) => [pairId(row.record_a, row.record_b), row]));

  const inserts: ItemRow[] = [];
  const rescore = async (row: ItemRow, pair: MatchedPair, status: ReviewStatus) => {
    await db
      .updateTable('identity_review_item')
      .set({ status, score: pair.score, model_version: pair.explanation.modelVersion, explanation_json: JSON.stringify(pair.explanation), updated_at: at })
      .where('item_id', '=', row.item_id)
      .execute();
  };
  for (const [id, pair] of proposed) {
    const row = byPair.get(id);
    if (!row) {
      const [a, b] = pairKeyOf(recordKey(pair.a), recordKey(pair.b));
      inserts.push({
        item_id: newReviewItemId(at),
        record_a: a,
        record_b: b,
        status: 'OPEN',
        score: pair.score,
        model_version: pair.explanation.modelVersion,
        explanation_json: JSON.stringify(pair.explanation),
        queued_at: at,
        updated_at: at,
        resolved_by: null,
        resolved_at: null,
        resolution_reason: null,
        event_id: null,
      });
      summary.queued++;
    } else if (row.status === 'CONFIRMED' || row.status === 'REJECTED') {
      summary.keptDecided++;
    } else if (row.status === 'CLOSED') {
      await rescore(row, pair, 'OPEN');
      summary.reopened++;
    } else if (Number(row.score) !== pair.score || row.model_version !== pair.explanation.modelVersion) {
      await rescore(row, pair, 'OPEN');
      summary.rescored++;
    }
  }
  await insertRows(db, 'identity_review_item', inserts);

  const closing = existing.filter(
    (row) =>
      row.status === 'OPEN' &&
      !proposed.has(pairId(row.record_a, row.record_b)) &&
      (scope === null || scope.has(row.record_a) || scope.has(row.record_b)),
  );
  for (const part of chunk(closing.map((row) => row.item_id), MAX_PARAMETERS_PER_STATEMENT)) {
    await db.updateTable('identity_review_item').set({ status: 'CLOSED', updated_at: at }).where('item_id', 'in', part).where('status', '=', 'OPEN').execute();
  }
  summary.closed = closing.length;
  return summary;
}

/**
 * Keeps, for each record a run placed, the pair that placed it (`pair` undefined: a record of its
 * own, nothing to explain). Replaces what was kept for those records before.
 */
export async function writeLinkExplanations(
  db: Db,
  placements: ReadonlyArray<{ ref: RecordRef; personId: string; pair: MatchedPair | undefined }>,
  at: string,
): Promise<void> {
  const bySystem = new Map<string, string[]>();
  for (const { ref } of placements) {
    const ids = bySystem.get(ref.source);
    if (ids) ids.push(ref.sourceId);
    else bySystem.set(ref.source, [ref.sourceId]);
  }
  for (const [system, ids] of bySystem) {
    for (const part of chunk(ids, MAX_PARAMETERS_PER_STATEMENT)) {
      await db.deleteFrom('identity_link_explanation').where('source_system', '=', system).where('source_id', 'in', part).execute();
    }
  }
  const rows: Array<IdentityTables['identity_link_explanation']> = [];
  for (const { ref, personId, pair } of placements) {
    if (!pair) continue;
    const key = recordKey(ref);
    const partner = recordKey(pair.a) === key ? pair.b : pair.a;
    rows.push({
      source_system: ref.source,
      source_id: ref.sourceId,
      person_id: personId,
      partner: recordKey(partner),
      model_version: pair.explanation.modelVersion,
      explanation_json: JSON.stringify(pair.explanation),
      made_at: at,
    });
  }
  await insertRows(db, 'identity_link_explanation', rows);
}

/** Keeps a person's decision as the explanation of the links it made (a confirmed review pair). */
export async function explainDecidedLinks(db: Db, item: ReviewItem, personId: string, at: string): Promise<void> {
  const pair: MatchedPair = {
    a: item.a,
    b: item.b,
    score: item.score,
    method: item.explanation.method,
    decision: 'REVIEW',
    rule: null,
    explanation: item.explanation,
  };
  await writeLinkExplanations(db, [item.a, item.b].map((ref) => ({ ref, personId, pair })), at);
}

// ---------------------------------------------------------------------------------------------
// Reads

/**
 * Items with `status` after the item `after` (exclusive), at most `limit`: in the order they were
 * queued, or highest score first (ties oldest first), continuing from `after`'s own score.
 */
export async function reviewItems<DB>(
  database: StoreDatabase<DB>,
  options: { status: ReviewStatus; after?: string | null; limit: number; order?: 'QUEUED' | 'MOST_LIKELY_FIRST' },
): Promise<ReviewItem[]> {
  const db = identityDb(database);
  let query = db.selectFrom('identity_review_item').selectAll().where('status', '=', options.status);
  if (options.order === 'MOST_LIKELY_FIRST') {
    if (options.after) {
      const after = options.after;
      // The cursor item's score is compared in the database, column to column: a score sent back as a
      // parameter is a decimal literal to MariaDB, which does not compare equal to the stored double.
      const cursorScore = () => db.selectFrom('identity_review_item as after_item').select('after_item.score').where('after_item.item_id', '=', after);
      query = query.where((eb) => eb.or([eb('score', '<', cursorScore()), eb.and([eb('score', '=', cursorScore()), eb('item_id', '>', after)])]));
    }
    const rows = await capRows(query.orderBy('score', 'desc').orderBy('item_id'), database.engine, options.limit).execute();
    return rows.map(itemFromRow);
  }
  if (options.after) query = query.where('item_id', '>', options.after);
  const rows = await capRows(query.orderBy('item_id'), database.engine, options.limit).execute();
  return rows.map(itemFromRow);
}

export async function reviewItem<DB>(database: StoreDatabase<DB>, itemId: string): Promise<ReviewItem | null> {
  const row = await identityDb(database).selectFrom('identity_review_item').selectAll().where('item_id', '=', itemId).executeTakeFirst();
  return row ? itemFromRow(row) : null;
}

/** How many items have each status. */
export async function reviewQueueCounts<DB>(database: StoreDatabase<DB>): Promise<Record<ReviewStatus, number>> {
  const rows = await identityDb(database)
    .selectFrom('identity_review_item')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  const counts: Record<ReviewStatus, number> = { OPEN: 0, CONFIRMED: 0, REJECTED: 0, CLOSED: 0 };
  for (const row of rows) counts[row.status] = Number(row.n);
  return counts;
}

/** The explanation of each record's current link, by record key; left out where there is none or it explains an earlier placement. */
export async function linkExplanations<DB>(database: StoreDatabase<DB>, refs: readonly RecordRef[]): Promise<Map<string, LinkExplanation>> {
  const db = identityDb(database);
  const current = await activeLinksOf(db, refs);
  const found = new Map<string, LinkExplanation>();
  const bySystem = new Map<string, string[]>();
  for (const ref of refs) {
    const ids = bySystem.get(ref.source);
    if (ids) ids.push(ref.sourceId);
    else bySystem.set(ref.source, [ref.sourceId]);
  }
  for (const [system, ids] of bySystem) {
    for (const part of chunk([...new Set(ids)], MAX_PARAMETERS_PER_STATEMENT)) {
      const rows = await db.selectFrom('identity_link_explanation').selectAll().where('source_system', '=', system).where('source_id', 'in', part).execute();
      for (const row of rows) {
        const key = `${row.source_system}:${row.source_id}`;
        if (current.get(key)?.person_id !== row.person_id) continue;
        found.set(key, {
          ...parseRecordKey(key),
          personId: row.person_id,
          partner: parseRecordKey(row.partner),
          modelVersion: row.model_version,
          explanation: JSON.parse(row.explanation_json) as MatchExplanation,
          madeAt: row.made_at,
        });
      }
    }
  }
  return found;
}
