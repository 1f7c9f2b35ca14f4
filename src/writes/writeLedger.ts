import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Database } from '../../adapters/drivers/createDatabase';
import { tableExists } from '../../adapters/drivers/insertRows';
import { isUniqueViolation } from '../../adapters/drivers/writeHelpers';

/**
 * The write ledger in the gateway store: one row per write a caller asked for, keyed by the caller and
 * their idempotency key (a unique key, so two concurrent retries cannot both claim it). It is what makes
 * a retried mutation write once, and the record of every write: who, when, which operation, which
 * legacy system and record, for which young person.
 */
export interface WriteLedgerTables {
  record_write: {
    /** SHA-256 of the caller's `sub` and their idempotency key: keys are per caller, never shared. */
    write_key: string;
    actor: string;
    idempotency_key: string;
    coordinate: string;
    /** SHA-256 of the operation and its arguments: a key reused for a different request is refused. */
    request_hash: string;
    /** PENDING while the source is written, DONE with its result, FAILED when nothing was written. */
    status: string;
    person_id: string | null;
    source_system: string | null;
    record_id: string | null;
    result_json: string | null;
    created_at: string;
    completed_at: string | null;
  };
}

type LedgerDb = Kysely<WriteLedgerTables>;
const ledgerDb = <DB>(database: Pick<Database<DB>, 'db'>): LedgerDb => database.db as unknown as LedgerDb;

export async function ensureWriteLedgerSchema<DB>(database: Pick<Database<DB>, 'db' | 'engine'>): Promise<void> {
  const db = ledgerDb(database);
  if (await tableExists(db, 'record_write')) return;
  const t = columnTypes(database.engine);
  const long = sql.raw(database.engine === 'mssql' ? 'nvarchar(max)' : database.engine === 'mysql' ? 'mediumtext' : 'text');
  await db.schema
    .createTable('record_write')
    .addColumn('write_key', t.char(64), (c) => c.primaryKey())
    .addColumn('actor', t.text(256), (c) => c.notNull())
    .addColumn('idempotency_key', t.text(128), (c) => c.notNull())
    .addColumn('coordinate', t.text(64), (c) => c.notNull())
    .addColumn('request_hash', t.char(64), (c) => c.notNull())
    .addColumn('status', t.text(8), (c) => c.notNull())
    .addColumn('person_id', t.text(64))
    .addColumn('source_system', t.text(8))
    .addColumn('record_id', t.text(64))
    .addColumn('result_json', long)
    .addColumn('created_at', t.text(32), (c) => c.notNull())
    .addColumn('completed_at', t.text(32))
    .execute();
  await db.schema.createIndex('record_write_person').on('record_write').columns(['person_id']).execute();
}

export interface WriteRequest {
  actor: string;
  idempotencyKey: string;
  coordinate: string;
  /** The arguments that define the write (its key left out). */
  request: unknown;
  personId: string | null;
}

/** What a claim found: go ahead, the first result, a retry still in flight, or a key used for something else. */
export type WriteClaim =
  | { kind: 'CLAIMED'; writeKey: string }
  | { kind: 'DONE'; result: unknown }
  | { kind: 'IN_PROGRESS' }
  | { kind: 'KEY_REUSED' };

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface WriteLedger {
  claim(request: WriteRequest): Promise<WriteClaim>;
  /** Stores the result a retry will get back. */
  complete(writeKey: string, outcome: { system: string; recordId: string; result: unknown }): Promise<void>;
  /** Nothing was written: the key may be used again (for the same request). */
  fail(writeKey: string): Promise<void>;
  /** The claim's state now (for a retry waiting on one in flight); IN_PROGRESS for a key never used. */
  read(writeKey: string): Promise<WriteClaim>;
  /** The ledger key for a caller's idempotency key. */
  keyOf(actor: string, idempotencyKey: string): string;
}

export function createWriteLedger<DB>(database: Pick<Database<DB>, 'db'>, clock: { now(): Date }): WriteLedger {
  const db = ledgerDb(database);
  const keyOf = (actor: string, idempotencyKey: string) => sha256(`${actor}\u0000${idempotencyKey}`);

  const stateOf = async (writeKey: string, requestHash: string | null): Promise<WriteClaim | null> => {
    const row = await db.selectFrom('record_write').select(['status', 'request_hash', 'result_json']).where('write_key', '=', writeKey).executeTakeFirst();
    if (!row) return null;
    if (requestHash !== null && row.request_hash.trim() !== requestHash) return { kind: 'KEY_REUSED' };
    if (row.status === 'DONE') return { kind: 'DONE', result: JSON.parse(row.result_json ?? 'null') };
    if (row.status === 'FAILED') return { kind: 'CLAIMED', writeKey };
    return { kind: 'IN_PROGRESS' };
  };

  return {
    keyOf,
    async claim(request) {
      const writeKey = keyOf(request.actor, request.idempotencyKey);
      const requestHash = sha256(JSON.stringify([request.coordinate, request.request]));
      try {
        await db
          .insertInto('record_write')
          .values({
            write_key: writeKey,
            actor: request.actor,
            idempotency_key: request.idempotencyKey,
            coordinate: request.coordinate,
            request_hash: requestHash,
            status: 'PENDING',
            person_id: request.personId,
            source_system: null,
            record_id: null,
            result_json: null,
            created_at: clock.now().toISOString(),
            completed_at: null,
          })
          .execute();
        return { kind: 'CLAIMED', writeKey };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const state = await stateOf(writeKey, requestHash);
      if (state?.kind !== 'CLAIMED') return state ?? { kind: 'IN_PROGRESS' };
      // An earlier attempt wrote nothing: take the key again, unless a concurrent retry took it first.
      const taken = await db.updateTable('record_write').set({ status: 'PENDING' }).where('write_key', '=', writeKey).where('status', '=', 'FAILED').executeTakeFirst();
      return Number(taken.numUpdatedRows) === 1 ? { kind: 'CLAIMED', writeKey } : { kind: 'IN_PROGRESS' };
    },
    async complete(writeKey, outcome) {
      await db
        .updateTable('record_write')
        .set({ status: 'DONE', source_system: outcome.system, record_id: outcome.recordId, result_json: JSON.stringify(outcome.result), completed_at: clock.now().toISOString() })
        .where('write_key', '=', writeKey)
        .execute();
    },
    async fail(writeKey) {
      await db.updateTable('record_write').set({ status: 'FAILED', completed_at: clock.now().toISOString() }).where('write_key', '=', writeKey).execute();
    },
    async read(writeKey) {
      return (await stateOf(writeKey, null)) ?? { kind: 'IN_PROGRESS' };
    },
  };
}
