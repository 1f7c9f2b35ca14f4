/**
 * The identity tables in the gateway store, their row and state types, and the schema function that
 * creates whatever is missing.
 *
 * - `identity_person`: gateway person IDs (see ./personIds.ts).
 * - `identity_link`: one row per (person, record); `active = 1` is the record's current person,
 *   inactive rows are earlier placements. A unique key allows one active row per record
 *   (./oneActiveLink.ts), so two writers racing to place a record cannot both succeed.
 * - `identity_link_event`: every change, with who, when, why, and the state before and after as
 *   JSON (./identityDecisions.ts undoes one by putting the before state back).
 * - `identity_rejected_pair`: record pairs a person said are different people.
 */
import { sql, type Expression, type Kysely, type Transaction } from 'kysely';
import { columnTypes } from '../../../adapters/drivers/columnTypes';
import type { Database } from '../../../adapters/drivers/createDatabase';
import type { Engine } from '../../../adapters/drivers/databaseUrl';
import { tableExists } from '../../../adapters/drivers/insertRows';
import type { RecordRef } from '../matchRecord';
import { ensureOneActiveLinkPerRecord } from './oneActiveLink';

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
  /** The review queue: record pairs a match run scored between the thresholds (./reviewQueue.ts). */
  identity_review_item: {
    /** `R-` and random characters: says nothing about the records. */
    item_id: string;
    /** Record keys (`SYSTEM:sourceId`), `record_a` < `record_b`; one item per pair, ever. */
    record_a: string;
    record_b: string;
    status: ReviewStatus;
    score: number;
    model_version: string;
    /** The MatchExplanation of the pair as the run that last proposed it scored it. */
    explanation_json: string;
    queued_at: string;
    updated_at: string;
    resolved_by: string | null;
    resolved_at: string | null;
    resolution_reason: string | null;
    /** The identity event the resolution made (undoing it reopens the item). */
    event_id: string | null;
  };
  /** Why each record is in its person: the pair that placed it, while the link it explains is current. */
  identity_link_explanation: {
    source_system: string;
    source_id: string;
    /** The person the explained link put the record in; a later move makes the row stale (not shown). */
    person_id: string;
    /** The record it was matched with (`SYSTEM:sourceId`). */
    partner: string;
    model_version: string;
    explanation_json: string;
    made_at: string;
  };
}

/**
 * Where a review item stands. OPEN: waiting for a person. CONFIRMED / REJECTED: a person decided
 * (kept for good: the pair is never queued again). CLOSED: a later run no longer proposes the pair
 * (linked automatically, or the records changed), reopened if one proposes it again.
 */
export type ReviewStatus = 'OPEN' | 'CONFIRMED' | 'REJECTED' | 'CLOSED';

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
export type Db = Kysely<IdentityTables> | Transaction<IdentityTables>;

export const identityDb = <DB>(database: StoreDatabase<DB>): Kysely<IdentityTables> => database.db as unknown as Kysely<IdentityTables>;

/** The actor recorded for links a match run makes. */
export const MATCHER_ACTOR = 'matcher';

export function engineTypes(engine: Engine): { float: Expression<unknown>; longText: Expression<unknown> } {
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
  await ensureOneActiveLinkPerRecord(database.engine, db as unknown as Kysely<unknown>);
  await ensureIdentityReviewSchema(database);
}

/**
 * Creates the review queue and link explanation tables when missing (gateway store migration 0005).
 * `ensureIdentitySchema` calls it too, so a store made by the baseline already has them and 0005
 * finds nothing to do; a store migrated before 0005 gets them from it.
 */
export async function ensureIdentityReviewSchema<DB>(database: StoreDatabase<DB>): Promise<void> {
  const db = identityDb(database);
  const t = columnTypes(database.engine);
  const { float, longText } = engineTypes(database.engine);
  if (!(await tableExists(db, 'identity_review_item'))) {
    await db.schema
      .createTable('identity_review_item')
      .addColumn('item_id', t.text(32), (c) => c.primaryKey())
      .addColumn('record_a', t.text(80), (c) => c.notNull())
      .addColumn('record_b', t.text(80), (c) => c.notNull())
      .addColumn('status', t.text(16), (c) => c.notNull())
      .addColumn('score', float, (c) => c.notNull())
      .addColumn('model_version', t.text(64), (c) => c.notNull())
      .addColumn('explanation_json', longText, (c) => c.notNull())
      .addColumn('queued_at', t.text(32), (c) => c.notNull())
      .addColumn('updated_at', t.text(32), (c) => c.notNull())
      .addColumn('resolved_by', t.text(128))
      .addColumn('resolved_at', t.text(32))
      .addColumn('resolution_reason', t.text(1000))
      .addColumn('event_id', t.text(32))
      .execute();
    await db.schema.createIndex('identity_review_item_pair').on('identity_review_item').columns(['record_a', 'record_b']).unique().execute();
    await db.schema.createIndex('identity_review_item_b').on('identity_review_item').columns(['record_b']).execute();
    await db.schema.createIndex('identity_review_item_status').on('identity_review_item').columns(['status', 'item_id']).execute();
  }
  if (!(await tableExists(db, 'identity_link_explanation'))) {
    await db.schema
      .createTable('identity_link_explanation')
      .addColumn('source_system', t.text(8), (c) => c.notNull())
      .addColumn('source_id', t.text(64), (c) => c.notNull())
      .addColumn('person_id', t.text(16), (c) => c.notNull())
      .addColumn('partner', t.text(80), (c) => c.notNull())
      .addColumn('model_version', t.text(64), (c) => c.notNull())
      .addColumn('explanation_json', longText, (c) => c.notNull())
      .addColumn('made_at', t.text(32), (c) => c.notNull())
      .addPrimaryKeyConstraint('identity_link_explanation_pk', ['source_system', 'source_id'])
      .execute();
  }
}

