/**
 * The access audit in the gateway store: an append-only, hash-chained table of events.
 *
 * Tables (one DDL for SQLite, MariaDB/MySQL and SQL Server):
 * - `audit_event`: one row per audited request. `hash` is SHA-256 over the row's content and
 *   `prev_hash`, the previous row's hash, so changing, removing or reordering any row breaks the
 *   chain at that row. Triggers refuse UPDATE and DELETE.
 * - `audit_event_person`: which young people (and break-glass grants) each event concerns, so an
 *   auditor's "by young person" and "by break-glass" questions use an index. Append-only too, and
 *   checked against the chained `persons_json` by verification.
 * - `audit_chain_head`: one row, the last sequence number and hash. Writers lock it, so the chain
 *   stays in order even with several gateway replicas on one MySQL or SQL Server store; verification
 *   compares it with the last event, so cutting events off the end is detected too.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Engine } from '../../adapters/drivers/databaseUrl';
import { insertRows, tableExists } from '../../adapters/drivers/insertRows';
import { capRows } from '../../adapters/drivers/queryHelpers';
import { ensureAppendOnly } from '../store/appendOnlyTable';
import { retryOnWriteConflict, WriteConflict } from '../store/writeConflicts';
import type { AuditCheckpoint } from './auditCheckpoints';
import type {
  AuditChainVerification,
  AuditedPerson,
  AuditEventInput,
  AuditFilter,
  AuditLog,
  AuditPage,
  StoredAuditEvent,
} from './AuditEvent';

export interface AuditTables {
  audit_event: {
    seq: number;
    at: string;
    request_id: string;
    sub: string;
    roles_json: string;
    tier: number;
    units_json: string;
    operation: string | null;
    purpose: string | null;
    /** Distinct break-glass grants of the event, comma-separated; the per-person ones are in `persons_json`. */
    break_glass_id: string | null;
    persons_json: string;
    returned_json: string;
    denied_json: string;
    outcome: string;
    prev_hash: string;
    hash: string;
  };
  audit_event_person: { seq: number; person_id: string; break_glass_id: string | null };
  audit_chain_head: { id: number; last_seq: number; last_hash: string; updated_at: string };
}

type AuditRow = AuditTables['audit_event'];
type Db = Kysely<AuditTables> | Transaction<AuditTables>;

/** Any database opened with createDatabase, whatever its other tables (the gateway store's, usually). */
export interface AuditDatabase<DB = unknown> {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
}

/** The `prev_hash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** Events written in one transaction at most, when requests arrive faster than the store commits. */
const MAX_EVENTS_PER_COMMIT = 100;

const auditDb = <DB>(database: AuditDatabase<DB>): Kysely<AuditTables> => database.db as unknown as Kysely<AuditTables>;

// ---------------------------------------------------------------------------------------------
// Schema

function longText(engine: Engine) {
  // Hundreds of people in one response make long JSON; MySQL counts VARCHARs against a 64 KB row limit.
  return sql.raw(engine === 'mssql' ? 'nvarchar(max)' : engine === 'mysql' ? 'mediumtext' : 'text');
}

/** Creates the audit tables, their indexes, the chain head and the append-only triggers. Safe on every start. */
export async function ensureAuditSchema<DB>(database: AuditDatabase<DB>): Promise<void> {
  const db = auditDb(database);
  const t = columnTypes(database.engine);
  const long = longText(database.engine);
  if (!(await tableExists(db, 'audit_event'))) {
    await db.schema
      .createTable('audit_event')
      .addColumn('seq', t.int, (c) => c.primaryKey())
      .addColumn('at', t.text(32), (c) => c.notNull())
      .addColumn('request_id', t.text(64), (c) => c.notNull())
      .addColumn('sub', t.text(256), (c) => c.notNull())
      .addColumn('roles_json', t.text(2000), (c) => c.notNull())
      .addColumn('tier', t.smallint, (c) => c.notNull())
      .addColumn('units_json', t.text(2000), (c) => c.notNull())
      .addColumn('operation', t.text(256))
      .addColumn('purpose', t.text(200))
      .addColumn('break_glass_id', t.text(400))
      .addColumn('persons_json', long, (c) => c.notNull())
      .addColumn('returned_json', long, (c) => c.notNull())
      .addColumn('denied_json', long, (c) => c.notNull())
      .addColumn('outcome', t.text(16), (c) => c.notNull())
      .addColumn('prev_hash', t.char(64), (c) => c.notNull())
      .addColumn('hash', t.char(64), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_event_sub').on('audit_event').columns(['sub', 'seq']).execute();
    await db.schema.createIndex('audit_event_at').on('audit_event').columns(['at']).execute();
  }
  if (!(await tableExists(db, 'audit_event_person'))) {
    await db.schema
      .createTable('audit_event_person')
      .addColumn('seq', t.int, (c) => c.notNull())
      .addColumn('person_id', t.text(32), (c) => c.notNull())
      .addColumn('break_glass_id', t.text(64))
      .addPrimaryKeyConstraint('audit_event_person_pk', ['seq', 'person_id'])
      .execute();
    await db.schema.createIndex('audit_event_person_person').on('audit_event_person').columns(['person_id', 'seq']).execute();
    await db.schema.createIndex('audit_event_person_break_glass').on('audit_event_person').columns(['break_glass_id']).execute();
  }
  if (!(await tableExists(db, 'audit_chain_head'))) {
    await db.schema
      .createTable('audit_chain_head')
      .addColumn('id', t.int, (c) => c.primaryKey())
      .addColumn('last_seq', t.int, (c) => c.notNull())
      .addColumn('last_hash', t.char(64), (c) => c.notNull())
      .addColumn('updated_at', t.text(32), (c) => c.notNull())
      .execute();
  }
  const head = await db.selectFrom('audit_chain_head').select('id').where('id', '=', 1).executeTakeFirst();
  if (!head) {
    try {
      await db
        .insertInto('audit_chain_head')
        .values({ id: 1, last_seq: 0, last_hash: GENESIS_HASH, updated_at: new Date().toISOString() })
        .execute();
    } catch (error) {
      // Another replica starting at the same moment created it first.
      if (!(await db.selectFrom('audit_chain_head').select('id').where('id', '=', 1).executeTakeFirst())) throw error;
    }
  }
  await ensureAppendOnly(database, 'audit_event');
  await ensureAppendOnly(database, 'audit_event_person');
}

// ---------------------------------------------------------------------------------------------
// Hashing

/** SHA-256 (hex) over the event's stored content and the previous hash, in a fixed field order. */
export function auditEventHash(row: Omit<AuditRow, 'hash'>): string {
  const content = JSON.stringify([
    'audit-event-v1',
    Number(row.seq),
    row.at,
    row.request_id,
    row.sub,
    row.roles_json,
    Number(row.tier),
    row.units_json,
    row.operation,
    row.purpose,
    row.break_glass_id,
    row.persons_json,
    row.returned_json,
    row.denied_json,
    row.outcome,
    row.prev_hash,
  ]);
  return createHash('sha256').update(content, 'utf8').digest('hex');
}

const clip = (text: string | null, max: number): string | null => (text === null ? null : text.length > max ? text.slice(0, max) : text);

function breakGlassIdsOf(people: readonly AuditedPerson[]): string[] {
  return [...new Set(people.map((p) => p.breakGlassId).filter((id): id is string => Boolean(id)))].sort();
}

/** The row for `input` at position `seq` after `prevHash`. Values are clipped to their columns before hashing. */
export function auditRow(input: AuditEventInput, seq: number, prevHash: string): AuditRow {
  const people = input.people.map((p) => ({
    personId: p.personId,
    breakGlassId: clip(p.breakGlassId, 64),
    returned: p.returned,
    denied: p.denied,
  }));
  const breakGlass = breakGlassIdsOf(people);
  const content: Omit<AuditRow, 'hash'> = {
    seq,
    at: input.at,
    request_id: clip(input.requestId, 64) ?? '',
    sub: clip(input.principal.sub, 256) ?? '',
    roles_json: JSON.stringify(input.principal.roles).slice(0, 2000),
    tier: input.principal.tier,
    units_json: JSON.stringify(input.principal.units).slice(0, 2000),
    operation: clip(input.operation, 256),
    purpose: clip(input.purpose, 200),
    break_glass_id: breakGlass.length ? clip(breakGlass.join(','), 400) : null,
    persons_json: JSON.stringify(people),
    returned_json: JSON.stringify(input.returned),
    denied_json: JSON.stringify(input.denied),
    outcome: input.outcome,
    prev_hash: prevHash,
  };
  return { ...content, hash: auditEventHash(content) };
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function storedEvent(row: AuditRow): StoredAuditEvent {
  const people = parseJson<AuditedPerson[]>(row.persons_json, []);
  return {
    seq: Number(row.seq),
    at: row.at,
    requestId: row.request_id,
    principal: {
      sub: row.sub,
      roles: parseJson<string[]>(row.roles_json, []),
      tier: Number(row.tier),
      units: parseJson<string[]>(row.units_json, []),
    },
    operation: row.operation,
    purpose: row.purpose,
    breakGlassIds: breakGlassIdsOf(people),
    people,
    returned: parseJson<string[]>(row.returned_json, []),
    denied: parseJson<string[]>(row.denied_json, []),
    outcome: row.outcome as StoredAuditEvent['outcome'],
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

// ---------------------------------------------------------------------------------------------
// Appending

/** Reads the chain head, locking its row until the transaction ends (MySQL, SQL Server). */
async function lockHead(db: Db, engine: Engine): Promise<{ last_seq: number; last_hash: string }> {
  let head: { last_seq: number; last_hash: string } | undefined;
  if (engine === 'mssql') {
    const result = await sql<{ last_seq: number; last_hash: string }>`select [last_seq], [last_hash] from [audit_chain_head] with (updlock, holdlock) where [id] = ${1}`.execute(db);
    head = result.rows[0];
  } else if (engine === 'mysql') {
    head = await db.selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1).forUpdate().executeTakeFirst();
  } else {
    // SQLite has one writer at a time; the conditional update of the head below catches a second process.
    head = await db.selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirst();
  }
  if (!head) throw new Error('audit chain head is missing: run the gateway once to create the audit tables');
  return { last_seq: Number(head.last_seq), last_hash: head.last_hash };
}

/** Appends events in order, in one transaction: all are committed, or none. */
export async function appendAuditEvents<DB>(database: AuditDatabase<DB>, inputs: readonly AuditEventInput[]): Promise<StoredAuditEvent[]> {
  if (inputs.length === 0) return [];
  // Another process appending at the same moment (SQLite's one writer, a deadlock) rolls this
  // transaction back whole; run again, it reads the head the other left and chains after it.
  return retryOnWriteConflict(() => auditDb(database)
    .transaction()
    .execute(async (db) => {
      const head = await lockHead(db, database.engine);
      let seq = head.last_seq;
      let prev = head.last_hash;
      const rows = inputs.map((input) => {
        seq += 1;
        const row = auditRow(input, seq, prev);
        prev = row.hash;
        return row;
      });
      await insertRows(db, 'audit_event', rows);
      await insertRows(
        db,
        'audit_event_person',
        rows.flatMap((row, i) =>
          (inputs[i] as AuditEventInput).people.map((p) => ({ seq: row.seq, person_id: p.personId, break_glass_id: clip(p.breakGlassId, 64) })),
        ),
      );
      const moved = await db
        .updateTable('audit_chain_head')
        .set({ last_seq: seq, last_hash: prev, updated_at: new Date().toISOString() })
        .where('id', '=', 1)
        .where('last_seq', '=', head.last_seq)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new WriteConflict('the audit chain head moved while events were appended');
      return rows.map(storedEvent);
    }));
}

interface Pending {
  input: AuditEventInput;
  resolve(event: StoredAuditEvent): void;
  reject(error: unknown): void;
}

/**
 * Serialises appends within this process and commits them in groups: while one transaction runs,
 * arriving events queue, and the next transaction writes them all in order. A failed group is
 * retried one event at a time, so one bad event never fails the requests queued beside it.
 */
function chainWriter<DB>(database: AuditDatabase<DB>): (input: AuditEventInput) => Promise<StoredAuditEvent> {
  const queue: Pending[] = [];
  let running = false;

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (queue.length > 0) {
        const group = queue.splice(0, MAX_EVENTS_PER_COMMIT);
        try {
          const stored = await appendAuditEvents(database, group.map((p) => p.input));
          group.forEach((p, i) => p.resolve(stored[i] as StoredAuditEvent));
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error);
            continue;
          }
          for (const p of group) {
            try {
              p.resolve((await appendAuditEvents(database, [p.input]))[0] as StoredAuditEvent);
            } catch (single) {
              p.reject(single);
            }
          }
        }
      }
    } finally {
      running = false;
    }
  }

  return (input) =>
    new Promise<StoredAuditEvent>((resolve, reject) => {
      queue.push({ input, resolve, reject });
      void drain();
    });
}

// ---------------------------------------------------------------------------------------------
// Reading

function filtered(db: Db, filter: AuditFilter) {
  let query = db.selectFrom('audit_event');
  if (filter.personId || filter.breakGlassId) {
    query = query.where('seq', 'in', (eb) => {
      let people = eb.selectFrom('audit_event_person').select('audit_event_person.seq');
      if (filter.personId) people = people.where('audit_event_person.person_id', '=', filter.personId);
      if (filter.breakGlassId) people = people.where('audit_event_person.break_glass_id', '=', filter.breakGlassId);
      return people;
    });
  }
  if (filter.sub) query = query.where('sub', '=', filter.sub);
  if (filter.from) query = query.where('at', '>=', new Date(filter.from).toISOString());
  if (filter.to) query = query.where('at', '<', new Date(filter.to).toISOString());
  return query;
}

export async function queryAuditEvents<DB>(
  database: AuditDatabase<DB>,
  filter: AuditFilter,
  page: { first: number; beforeSeq?: number | null },
): Promise<AuditPage> {
  const db = auditDb(database);
  let query = filtered(db, filter).selectAll();
  if (page.beforeSeq) query = query.where('seq', '<', page.beforeSeq);
  const rows = await capRows(query.orderBy('seq', 'desc'), database.engine, page.first + 1).execute();
  const count = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { events: rows.slice(0, page.first).map(storedEvent), hasNextPage: rows.length > page.first, totalCount: Number(count.n) };
}

// ---------------------------------------------------------------------------------------------
// Verification

const VERIFY_PAGE = 1_000;

/**
 * Walks the chain from its first event: sequence numbers without gaps, each `prev_hash` equal to the
 * previous event's hash, each hash equal to one recomputed from the stored content, the person index
 * equal to the chained `persons_json`, and the head equal to the last event. Reports the first break.
 */
export async function verifyAuditChain<DB>(
  database: AuditDatabase<DB>,
  options: { checkpoints?: readonly AuditCheckpoint[] } = {},
): Promise<AuditChainVerification> {
  const db = auditDb(database);
  const anchored = new Map<number, string>();
  const wanted = new Set((options.checkpoints ?? []).map((checkpoint) => checkpoint.seq));
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  const broken = (seq: number, reason: string): AuditChainVerification => ({ events: expectedSeq - 1, firstBrokenSeq: seq, reason });
  for (;;) {
    const rows = await capRows(
      db.selectFrom('audit_event').selectAll().where('seq', '>=', expectedSeq).orderBy('seq', 'asc'),
      database.engine,
      VERIFY_PAGE,
    ).execute();
    if (rows.length === 0) break;
    const last = Number(rows.at(-1)!.seq);
    const indexRows = await db
      .selectFrom('audit_event_person')
      .select(['seq', 'person_id', 'break_glass_id'])
      .where('seq', '>=', expectedSeq)
      .where('seq', '<=', last)
      .execute();
    const index = new Map<number, string[]>();
    for (const row of indexRows) {
      const key = Number(row.seq);
      index.set(key, [...(index.get(key) ?? []), `${row.person_id}|${row.break_glass_id ?? ''}`]);
    }
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return broken(expectedSeq, `event ${expectedSeq} is missing (the next stored event is ${seq})`);
      if (row.prev_hash !== prevHash) return broken(seq, `its prev_hash does not match the hash of event ${seq - 1}`);
      const { hash, ...content } = row;
      if (auditEventHash(content) !== hash) return broken(seq, 'its content does not match its hash (the event was changed)');
      const people = parseJson<AuditedPerson[]>(row.persons_json, []);
      const expected = people.map((p) => `${p.personId}|${p.breakGlassId ?? ''}`).sort();
      const indexed = (index.get(seq) ?? []).sort();
      if (expected.join('\n') !== indexed.join('\n')) return broken(seq, 'its person index rows do not match the people it records');
      if (wanted.has(seq)) anchored.set(seq, hash);
      prevHash = hash;
      expectedSeq += 1;
    }
  }
  const head = await db.selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirst();
  const events = expectedSeq - 1;
  if (!head) return { events, firstBrokenSeq: events + 1, reason: 'the chain head row is missing' };
  if (Number(head.last_seq) !== events || head.last_hash !== prevHash) {
    return {
      events,
      firstBrokenSeq: events + 1,
      reason: `the chain head records ${Number(head.last_seq)} events but ${events} are stored intact (events were removed from the end, or the head was changed)`,
    };
  }
  return checkAgainstCheckpoints(events, anchored, options.checkpoints ?? []);
}

/**
 * An internally consistent chain can still have been cut short with its head rewritten, or rewritten
 * from some event on: each signed checkpoint, kept outside the store, names an event that must still
 * be there with the same hash.
 */
function checkAgainstCheckpoints(events: number, anchored: ReadonlyMap<number, string>, checkpoints: readonly AuditCheckpoint[]): AuditChainVerification {
  const ordered = [...checkpoints].sort((a, b) => a.seq - b.seq);
  for (const checkpoint of ordered) {
    if (checkpoint.seq > events) {
      const latest = ordered.at(-1)!;
      return {
        events,
        firstBrokenSeq: events + 1,
        reason: `a signed checkpoint of ${latest.at} records event ${latest.seq}, but the chain ends at event ${events} (events were removed from the end and the head rewritten)`,
      };
    }
    if (checkpoint.seq > 0 && anchored.get(checkpoint.seq) !== checkpoint.hash) {
      return {
        events,
        firstBrokenSeq: checkpoint.seq,
        reason: `event ${checkpoint.seq} does not match the signed checkpoint of ${checkpoint.at} (the chain was rewritten from this event or before it)`,
      };
    }
  }
  return { events, firstBrokenSeq: null, reason: null };
}

/** The audit log over the gateway store; `checkpoints` reads the signed checkpoints kept outside it, when there are any. */
export function createAuditLog<DB>(database: AuditDatabase<DB>, options: { checkpoints?: () => Promise<AuditCheckpoint[]> } = {}): AuditLog {
  const append = chainWriter(database);
  let newest: { seq: number; hash: string } | null = null;
  return {
    async record(input) {
      const event = await append(input);
      if (!newest || event.seq > newest.seq) newest = { seq: event.seq, hash: event.hash };
      return event;
    },
    query: (filter, page) => queryAuditEvents(database, filter, page),
    verify: async () => verifyAuditChain(database, { checkpoints: options.checkpoints ? await options.checkpoints() : [] }),
    async latest() {
      if (newest) return newest;
      // Read once: afterwards this process's own appends say how far the chain has grown.
      const head = await auditDb(database).selectFrom('audit_chain_head').select(['last_seq', 'last_hash']).where('id', '=', 1).executeTakeFirst();
      if (!newest && head && Number(head.last_seq) > 0) newest = { seq: Number(head.last_seq), hash: head.last_hash };
      return newest;
    },
  };
}
