/**
 * The identity links in the gateway store: which source records are one gateway person, how each
 * link was made (a deterministic rule, a probabilistic score, or confirmed by a named person) and
 * the full history of every change, each of which can be undone.
 *
 * Tables (one DDL for SQLite, MariaDB/MySQL and SQL Server):
 * - `identity_person`: gateway person IDs (`P-` and 10 random base32 characters). An ID says
 *   nothing about the records behind it, so nobody can compute the ID of `YOIS:300001` and ask
 *   about it; it is stable because it is stored: a rerun keeps each person that still holds most
 *   of its records (see `applyMatchResult`), whatever the process or the order of the run.
 * - `identity_link`: one row per (person, record); `active = 1` is the record's current person,
 *   inactive rows are earlier placements.
 * - `identity_link_event`: every change, with who, when, why, and the state before and after as
 *   JSON. `undo` puts the before state back when nothing has changed those records since.
 * - `identity_rejected_pair`: record pairs a person said are different people; the matcher is
 *   given them as constraints (`loadMatchConstraints`), and `applyMatchResult` refuses to join them.
 *
 * Human decisions outrank the matcher: a CONFIRMED link is never moved by a match run, and a
 * rejected pair is never put back together by one.
 */
import { randomBytes } from 'node:crypto';
import { sql, type Expression, type Kysely, type Transaction } from 'kysely';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Database } from '../../adapters/drivers/createDatabase';
import type { Engine } from '../../adapters/drivers/databaseUrl';
import { chunk, insertRows, MAX_PARAMETERS_PER_STATEMENT, tableExists } from '../../adapters/drivers/insertRows';
import type { SourceSystem } from '../../adapters/types';
import { compareRecordRefs, parseRecordKey, recordKey, type RecordRef } from './matchRecord';
import type { MatchConstraints, MatchedPair, MatchResult } from './matchRecords';

export type LinkMethod = 'DETERMINISTIC' | 'PROBABILISTIC' | 'CONFIRMED';
export type LinkAction = 'LINK' | 'CONFIRM' | 'REJECT' | 'SPLIT' | 'UNDO';

export interface IdentityTables {
  identity_person: { person_id: string; created_at: string };
  identity_link: {
    person_id: string;
    source_system: string;
    source_id: string;
    method: LinkMethod;
    score: number | null;
    made_by: string;
    made_at: string;
    active: number;
  };
  identity_link_event: {
    event_id: string;
    person_id: string | null;
    source_system: string | null;
    source_id: string | null;
    action: LinkAction;
    actor: string;
    reason: string;
    at: string;
    before_json: string;
    after_json: string;
  };
  identity_rejected_pair: {
    /** Record keys (`SYSTEM:sourceId`), `record_a` < `record_b`. */
    record_a: string;
    record_b: string;
    rejected_by: string;
    rejected_at: string;
    event_id: string;
    active: number;
  };
}

/** A record's placement in a gateway person. */
export interface LinkState {
  personId: string;
  method: LinkMethod;
  /** The match score for a probabilistic or deterministic link; null for a confirmation or a lone record. */
  score: number | null;
  madeBy: string;
  /** ISO date-time. */
  madeAt: string;
}

export interface IdentityLink extends RecordRef, LinkState {}

/** What an event changed: each record's placement, and rejected pairs, before or after. */
export interface LinkEventState {
  links: Array<RecordRef & { link: LinkState | null }>;
  rejectedPairs: Array<{ a: string; b: string; active: boolean }>;
  /** On an UNDO event's after state: the event it undid. */
  undoes?: string;
}

export interface LinkEvent {
  eventId: string;
  personId: string | null;
  /** The record the change is about (the first, when it is about several). */
  record: RecordRef | null;
  action: LinkAction;
  actor: string;
  reason: string;
  at: string;
  before: LinkEventState;
  after: LinkEventState;
}

/** An identity operation that cannot be done as asked (unknown person, record not linked, stale undo...). */
export class IdentityOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityOperationError';
  }
}

/** Any database opened with createDatabase, whatever its other tables (the gateway store's, usually). */
export type StoreDatabase<DB> = Pick<Database<DB>, 'engine' | 'db'>;
type Db = Kysely<IdentityTables> | Transaction<IdentityTables>;

const identityDb = <DB>(database: StoreDatabase<DB>): Kysely<IdentityTables> => database.db as unknown as Kysely<IdentityTables>;

/** The actor recorded for links a match run makes. */
export const MATCHER_ACTOR = 'matcher';

// ---------------------------------------------------------------------------------------------
// Schema

function engineTypes(engine: Engine): { float: Expression<unknown>; longText: Expression<unknown> } {
  return {
    float: sql.raw(engine === 'mssql' ? 'float' : engine === 'mysql' ? 'double' : 'real'),
    // JSON of a split can outgrow a VARCHAR, and MySQL counts VARCHARs against its 64 KB row limit.
    longText: sql.raw(engine === 'mssql' ? 'nvarchar(max)' : engine === 'mysql' ? 'mediumtext' : 'text'),
  };
}

/** Creates the identity tables and indexes that are missing. Safe to call on every start. */
export async function ensureIdentitySchema<DB>(database: StoreDatabase<DB>): Promise<void> {
  const db = identityDb(database);
  const t = columnTypes(database.engine);
  const { float, longText } = engineTypes(database.engine);
  if (!(await tableExists(db, 'identity_person'))) {
    await db.schema
      .createTable('identity_person')
      .addColumn('person_id', t.text(16), (c) => c.primaryKey())
      .addColumn('created_at', t.text(32), (c) => c.notNull())
      .execute();
  }
  if (!(await tableExists(db, 'identity_link'))) {
    await db.schema
      .createTable('identity_link')
      .addColumn('person_id', t.text(16), (c) => c.notNull())
      .addColumn('source_system', t.text(8), (c) => c.notNull())
      .addColumn('source_id', t.text(64), (c) => c.notNull())
      .addColumn('method', t.text(16), (c) => c.notNull())
      .addColumn('score', float)
      .addColumn('made_by', t.text(128), (c) => c.notNull())
      .addColumn('made_at', t.text(32), (c) => c.notNull())
      .addColumn('active', t.smallint, (c) => c.notNull())
      .addPrimaryKeyConstraint('identity_link_pk', ['person_id', 'source_system', 'source_id'])
      .execute();
    await db.schema
      .createIndex('identity_link_record')
      .on('identity_link')
      .columns(['source_system', 'source_id', 'active'])
      .execute();
  }
  if (!(await tableExists(db, 'identity_link_event'))) {
    await db.schema
      .createTable('identity_link_event')
      .addColumn('event_id', t.text(32), (c) => c.primaryKey())
      .addColumn('person_id', t.text(16))
      .addColumn('source_system', t.text(8))
      .addColumn('source_id', t.text(64))
      .addColumn('action', t.text(16), (c) => c.notNull())
      .addColumn('actor', t.text(128), (c) => c.notNull())
      .addColumn('reason', t.text(1000), (c) => c.notNull())
      .addColumn('at', t.text(32), (c) => c.notNull())
      .addColumn('before_json', longText, (c) => c.notNull())
      .addColumn('after_json', longText, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('identity_link_event_person').on('identity_link_event').columns(['person_id', 'at']).execute();
  }
  if (!(await tableExists(db, 'identity_rejected_pair'))) {
    await db.schema
      .createTable('identity_rejected_pair')
      .addColumn('record_a', t.text(80), (c) => c.notNull())
      .addColumn('record_b', t.text(80), (c) => c.notNull())
      .addColumn('rejected_by', t.text(128), (c) => c.notNull())
      .addColumn('rejected_at', t.text(32), (c) => c.notNull())
      .addColumn('event_id', t.text(32), (c) => c.notNull())
      .addColumn('active', t.smallint, (c) => c.notNull())
      .addPrimaryKeyConstraint('identity_rejected_pair_pk', ['record_a', 'record_b'])
      .execute();
    await db.schema.createIndex('identity_rejected_pair_b').on('identity_rejected_pair').columns(['record_b']).execute();
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `P-` and 10 Crockford base32 characters (50 bits) from a cryptographic random source. Never derived
 * from a record key: a derived ID would let anyone compute the ID of any record and probe for it.
 */
export function newPersonId(): string {
  const bytes = randomBytes(7);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 10; i++) id += CROCKFORD[Number((bits >> BigInt(5 * i)) & 31n)];
  return `P-${id}`;
}

function isoInstant(now: Date | string): string {
  const date = now instanceof Date ? now : new Date(now);
  if (Number.isNaN(date.getTime())) throw new IdentityOperationError(`'${String(now)}' is not a date-time`);
  return date.toISOString();
}

function newEventId(at: string): string {
  // Time first, so IDs sort in the order events happened; random after, so replicas never collide.
  return `E-${Date.parse(at).toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
}

function requireText(name: string, value: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw new IdentityOperationError(`${name} is required`);
  if (text.length > max) throw new IdentityOperationError(`${name} is longer than ${max} characters`);
  return text;
}

const pairKeyOf = (x: string, y: string): [string, string] => (x < y ? [x, y] : [y, x]);

type LinkRow = IdentityTables['identity_link'];

function stateOf(row: LinkRow): LinkState {
  return {
    personId: row.person_id,
    method: row.method,
    score: row.score === null ? null : Number(row.score),
    madeBy: row.made_by,
    madeAt: row.made_at,
  };
}

function sameState(x: LinkState | null, y: LinkState | null): boolean {
  if (x === null || y === null) return x === y;
  return x.personId === y.personId && x.method === y.method && x.score === y.score && x.madeBy === y.madeBy && x.madeAt === y.madeAt;
}

function describe(ref: RecordRef): string {
  return `${ref.source} record ${ref.sourceId}`;
}

/** Active links of the given records, by record key. */
async function activeLinksOf(db: Db, refs: readonly RecordRef[]): Promise<Map<string, LinkRow>> {
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

async function activeLinksOfPersons(db: Db, personIds: readonly string[]): Promise<LinkRow[]> {
  const rows: LinkRow[] = [];
  for (const part of chunk([...new Set(personIds)], MAX_PARAMETERS_PER_STATEMENT)) {
    rows.push(...(await db.selectFrom('identity_link').selectAll().where('active', '=', 1).where('person_id', 'in', part).execute()));
  }
  return rows;
}

async function existingPersonIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunk([...new Set(ids)], MAX_PARAMETERS_PER_STATEMENT)) {
    const rows = await db.selectFrom('identity_person').select('person_id').where('person_id', 'in', part).execute();
    for (const row of rows) found.add(row.person_id);
  }
  return found;
}

/** `count` fresh random person IDs, skipping IDs already used in the store or in `taken`. */
async function allocatePersonIds(db: Db, count: number, taken: Set<string>): Promise<string[]> {
  const ids: Array<string | null> = new Array<string | null>(count).fill(null);
  let pending = ids.map((_, i) => i);
  while (pending.length > 0) {
    const candidates = pending.map(() => newPersonId());
    const used = await existingPersonIds(db, candidates);
    const retry: number[] = [];
    pending.forEach((seedIndex, j) => {
      const candidate = candidates[j] as string;
      if (used.has(candidate) || taken.has(candidate)) retry.push(seedIndex);
      else {
        ids[seedIndex] = candidate;
        taken.add(candidate);
      }
    });
    pending = retry;
  }
  return ids as string[];
}

/** Active rejected pairs touching any of `keys` (all of them when `keys` is null). */
async function activeRejections(db: Db, keys: readonly string[] | null): Promise<Map<string, Set<string>>> {
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

async function ensurePerson(db: Db, personId: string, at: string): Promise<void> {
  const found = await db.selectFrom('identity_person').select('person_id').where('person_id', '=', personId).executeTakeFirst();
  if (!found) await db.insertInto('identity_person').values({ person_id: personId, created_at: at }).execute();
}

/**
 * Moves one record from `before` to `after` (either may be null), checking the store still holds
 * `before`, so two officers acting at once cannot both succeed on a stale view.
 */
async function setLink(db: Db, ref: RecordRef, before: LinkState | null, after: LinkState | null): Promise<void> {
  const current = (await activeLinksOf(db, [ref])).get(recordKey(ref));
  if (!sameState(current ? stateOf(current) : null, before)) {
    throw new IdentityOperationError(`${describe(ref)} changed while this operation ran; try again`);
  }
  if (current) {
    await db
      .updateTable('identity_link')
      .set({ active: 0 })
      .where('person_id', '=', current.person_id)
      .where('source_system', '=', ref.source)
      .where('source_id', '=', ref.sourceId)
      .where('active', '=', 1)
      .execute();
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

async function rejectionStates(db: Db, pairs: ReadonlyArray<readonly [string, string]>): Promise<boolean[]> {
  const states: boolean[] = [];
  for (const [x, y] of pairs) {
    const [a, b] = pairKeyOf(x, y);
    const row = await db.selectFrom('identity_rejected_pair').select('active').where('record_a', '=', a).where('record_b', '=', b).executeTakeFirst();
    states.push(row !== undefined && Number(row.active) === 1);
  }
  return states;
}

async function setRejection(db: Db, x: string, y: string, active: boolean, actor: string, at: string, eventId: string): Promise<void> {
  const [a, b] = pairKeyOf(x, y);
  const existing = await db.selectFrom('identity_rejected_pair').select('active').where('record_a', '=', a).where('record_b', '=', b).executeTakeFirst();
  const values = { rejected_by: actor, rejected_at: at, event_id: eventId, active: active ? 1 : 0 };
  if (existing) {
    await db.updateTable('identity_rejected_pair').set(values).where('record_a', '=', a).where('record_b', '=', b).execute();
  } else {
    await db.insertInto('identity_rejected_pair').values({ record_a: a, record_b: b, ...values }).execute();
  }
}

function eventRow(event: LinkEvent): IdentityTables['identity_link_event'] {
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

function eventFromRow(row: IdentityTables['identity_link_event']): LinkEvent {
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

// ---------------------------------------------------------------------------------------------
// Reads

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

// ---------------------------------------------------------------------------------------------
// A match run

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
  result: Pick<MatchResult, 'scope' | 'clusters' | 'pairs'>,
  now: Date | string,
  options: { actor?: string; reason?: string } = {},
): Promise<ApplySummary> {
  const at = isoInstant(now);
  const actor = requireText('actor', options.actor ?? MATCHER_ACTOR, 128);
  const reason = requireText('reason', options.reason ?? `${result.scope === 'FULL' ? 'Full' : 'Incremental'} match run`, 1000);
  const best = bestLinks(result.pairs);
  const summary: ApplySummary = { personsCreated: 0, linksCreated: 0, linksMoved: 0, unchanged: 0, keptConfirmed: 0, keptApartByRejection: 0, events: 0 };

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
      if (deactivated !== leaving.length) {
        throw new IdentityOperationError('Identity links changed while the match run was being applied; run it again');
      }
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

// ---------------------------------------------------------------------------------------------
// A triage officer's decisions

export interface DecisionInput {
  actor: string;
  reason: string;
  /** When the decision was made; default now. */
  now?: Date | string;
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
  return identityDb(database)
    .transaction()
    .execute(async (db) => {
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
  return identityDb(database)
    .transaction()
    .execute((db) => separate(db, 'REJECT', input.personId, [input.record], actor, reason, at));
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
  return identityDb(database)
    .transaction()
    .execute((db) => separate(db, 'SPLIT', personId, records, who, why, at));
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
  return identityDb(database)
    .transaction()
    .execute(async (db) => {
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
      return undoEvent;
    });
}
