/**
 * Referrals in the gateway store.
 *
 * Tables (one DDL for SQLite, MariaDB/MySQL and SQL Server):
 * - `referral`: one row per referral with its current status (and panel date), and a version number
 *   that every step bumps, so two people acting on one referral at once cannot both succeed.
 * - `referral_step`: the trail, one row per step with who, when (as stated and as recorded), the
 *   status after it, and its details as JSON (a checks snapshot is kept whole, so it stays as it was
 *   when the source data changes). Append-only: triggers refuse UPDATE and DELETE.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Engine } from '../../adapters/drivers/databaseUrl';
import { chunk, MAX_PARAMETERS_PER_STATEMENT, tableExists } from '../../adapters/drivers/insertRows';
import { capRows } from '../../adapters/drivers/queryHelpers';
import { ensureAppendOnly } from '../store/appendOnlyTable';
import type { ReferralActor, ReferralKind, ReferralSource, ReferralStatus, ReferralStepDetail, ReferralStepRecord, ReferralView } from './Referral';
import { projectReferral } from './projectReferral';
import { subjectKey, type TriagePanelTables } from './triagePanelSchema';
import { nextStatus, type StepInput, type WorkflowState, type WorkflowStep } from './referralWorkflow';

export interface ReferralTables {
  referral: {
    referral_id: string;
    referral_no: number;
    /** Added by migration 0003 (default REFERRAL). */
    kind: string;
    subject_key: string | null;
    source: string;
    received_at: string;
    family_consented: number | null;
    status: string;
    panel_date: string | null;
    version: number;
    created_at: string;
    updated_at: string;
  };
  /** Young people handed to a Core Unit by an acknowledged referral: need to know for that unit, for a while. */
  referral_allocation: {
    referral_id: string;
    person_id: string;
    unit_id: string;
    acknowledged_at: string;
  };
  referral_step: {
    referral_id: string;
    step_no: number;
    kind: string;
    occurred_at: string;
    recorded_at: string;
    actor: string;
    actor_name: string;
    status_after: string;
    detail_json: string;
  };
  referral_person: TriagePanelTables['referral_person'];
  panel_allocation: TriagePanelTables['panel_allocation'];
}

type Db = Kysely<ReferralTables> | Transaction<ReferralTables>;
type ReferralRow = ReferralTables['referral'];

/** Any database opened with createDatabase, whatever its other tables (the gateway store's, usually). */
export interface ReferralDatabase<DB = unknown> {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
}

const referralDb = <DB>(database: ReferralDatabase<DB>): Kysely<ReferralTables> => database.db as unknown as Kysely<ReferralTables>;

/** No referral has that ID. */
export class ReferralNotFound extends Error {
  constructor(referralId: string) {
    super(`No referral has the ID ${referralId}`);
    this.name = 'ReferralNotFound';
  }
}

/** Another change to the same referral was recorded first; the caller should look again and retry. */
export class ReferralChangedConcurrently extends Error {
  constructor(referralId: string) {
    super(`Referral ${referralId} changed while this step was being recorded; look at it again and retry`);
    this.name = 'ReferralChangedConcurrently';
  }
}

/** Creates the referral tables, indexes and append-only triggers when missing. Safe on every start. */
export async function ensureReferralSchema<DB>(database: ReferralDatabase<DB>): Promise<void> {
  const db = referralDb(database);
  const t = columnTypes(database.engine);
  const long = sql.raw(database.engine === 'mssql' ? 'nvarchar(max)' : database.engine === 'mysql' ? 'mediumtext' : 'text');
  if (!(await tableExists(db, 'referral'))) {
    await db.schema
      .createTable('referral')
      .addColumn('referral_id', t.text(16), (c) => c.primaryKey())
      .addColumn('referral_no', t.int, (c) => c.notNull().unique())
      .addColumn('source', t.text(32), (c) => c.notNull())
      .addColumn('received_at', t.text(32), (c) => c.notNull())
      .addColumn('family_consented', t.smallint)
      .addColumn('status', t.text(32), (c) => c.notNull())
      .addColumn('panel_date', t.text(10))
      .addColumn('version', t.int, (c) => c.notNull())
      .addColumn('created_at', t.text(32), (c) => c.notNull())
      .addColumn('updated_at', t.text(32), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('referral_status').on('referral').columns(['status', 'referral_no']).execute();
    await db.schema.createIndex('referral_panel_date').on('referral').columns(['panel_date']).execute();
  }
  if (!(await tableExists(db, 'referral_step'))) {
    await db.schema
      .createTable('referral_step')
      .addColumn('referral_id', t.text(16), (c) => c.notNull())
      .addColumn('step_no', t.int, (c) => c.notNull())
      .addColumn('kind', t.text(32), (c) => c.notNull())
      .addColumn('occurred_at', t.text(32), (c) => c.notNull())
      .addColumn('recorded_at', t.text(32), (c) => c.notNull())
      .addColumn('actor', t.text(256), (c) => c.notNull())
      .addColumn('actor_name', t.text(256), (c) => c.notNull())
      .addColumn('status_after', t.text(32), (c) => c.notNull())
      .addColumn('detail_json', long, (c) => c.notNull())
      .addPrimaryKeyConstraint('referral_step_pk', ['referral_id', 'step_no'])
      .execute();
  }
  if (!(await tableExists(db, 'referral_allocation'))) {
    await db.schema
      .createTable('referral_allocation')
      .addColumn('referral_id', t.text(16), (c) => c.primaryKey())
      .addColumn('person_id', t.text(64), (c) => c.notNull())
      .addColumn('unit_id', t.text(100), (c) => c.notNull())
      .addColumn('acknowledged_at', t.text(32), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('referral_allocation_person').on('referral_allocation').columns(['person_id']).execute();
  }
  await ensureAppendOnly(database, 'referral_step');
  await ensureAppendOnly(database, 'referral_allocation');
}

function stepRecord(row: ReferralTables['referral_step']): ReferralStepRecord {
  return {
    seq: Number(row.step_no),
    at: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: row.actor,
    actorName: row.actor_name,
    statusAfter: row.status_after as ReferralStatus,
    detail: JSON.parse(row.detail_json) as ReferralStepDetail,
  };
}

async function viewsOf(db: Db, rows: readonly ReferralRow[]): Promise<ReferralView[]> {
  const steps = new Map<string, ReferralStepRecord[]>();
  for (const part of chunk(rows.map((row) => row.referral_id), MAX_PARAMETERS_PER_STATEMENT)) {
    if (part.length === 0) continue;
    const found = await db.selectFrom('referral_step').selectAll().where('referral_id', 'in', part).orderBy('referral_id').orderBy('step_no').execute();
    for (const row of found) steps.set(row.referral_id, [...(steps.get(row.referral_id) ?? []), stepRecord(row)]);
  }
  return rows.map((row) =>
    projectReferral(
      { referralId: row.referral_id, referralNo: Number(row.referral_no), status: row.status as ReferralStatus, panelDate: row.panel_date },
      steps.get(row.referral_id) ?? [],
    ),
  );
}

function stateOf(row: ReferralRow): WorkflowState {
  return {
    referralId: row.referral_id,
    status: row.status as ReferralStatus,
    kind: (row.kind ?? 'REFERRAL') as ReferralKind,
    source: row.source as ReferralSource,
    familyConsented: row.family_consented === null ? null : Number(row.family_consented) === 1,
    panelDate: row.panel_date,
  };
}

/** What one step records. */
export interface StepToRecord {
  step: WorkflowStep;
  input?: StepInput;
  /** When it happened, as stated (ISO instant). */
  at: string;
  detail: ReferralStepDetail;
  /** The panel date the referral waits for after this step (listing, CONTINUE); kept otherwise, cleared on CLOSE. */
  panelDate?: string | null;
  /** CHECKS_RUN: the person the checks found and their records as identity links held them (kept to connect repeat referrals). */
  found?: { personId: string; records: ReadonlyArray<{ system: string; sourceId: string }> } | null;
}

/** A record of a young person's, as identity links hold it. */
export interface ReferralRecordRef {
  system: string;
  sourceId: string;
}

/** Referrals over the gateway store. Times come from `clock`, so tests control them. */
export interface ReferralStore {
  receive(detail: Extract<ReferralStepDetail, { kind: 'RECEIVED' }>, receivedAt: string, actor: ReferralActor): Promise<ReferralView>;
  get(referralId: string): Promise<ReferralView | null>;
  list(filter: { status?: ReferralStatus | null; panelDate?: string | null; first: number }): Promise<ReferralView[]>;
  /** The state the workflow decides on, without writing anything. */
  state(referralId: string): Promise<WorkflowState>;
  /** Records a step if the workflow allows it now; otherwise throws ReferralTransitionRefused and writes nothing. */
  record(referralId: string, step: StepToRecord, actor: ReferralActor): Promise<ReferralView>;
  /** For each person ID, the Core Units acknowledged referrals handed them to since `since` (ISO instant), in key order. */
  unitsByPersonIds(personIds: readonly string[], since: string): Promise<string[][]>;
  /** The young people handed to one of `units` by a referral acknowledged at or after `since` (a caseload), at most `limit`. */
  personIdsHandedToUnits(units: readonly string[], since: string, limit: number): Promise<string[]>;
  /**
   * Referrals whose latest checks found one of `records` (or, for checks run before records were kept,
   * one of `personIds`), newest first, at most `first`. The caller passes only records it may see.
   */
  foundWith(records: readonly ReferralRecordRef[], personIds: readonly string[], first: number): Promise<ReferralView[]>;
  /** What one run of a referral's checks (its step number) found: the person's records then (system null on checks run before records were kept). */
  foundRecordsOf(referralId: string, checkStep: number): Promise<Array<{ personId: string; system: string | null; sourceId: string | null }>>;
  /** Referrals whose subject was given with the same name and date of birth (`subjectKey`), newest first, at most `first`. */
  withSubjectKey(key: string, first: number): Promise<ReferralView[]>;
}

const MAX_ID_ATTEMPTS = 5;

/**
 * How long an acknowledged hand-off gives the receiving Core Unit need to know for the young person:
 * long enough for the unit to record the allocation in UMIS or YOIS, which then takes over.
 */
export const REFERRAL_ALLOCATION_DAYS = 90;

export function createReferralStore<DB>(database: ReferralDatabase<DB>, clock: { now(): Date }): ReferralStore {
  const db = referralDb(database);

  async function rowOf(trx: Db, referralId: string): Promise<ReferralRow> {
    const row = await trx.selectFrom('referral').selectAll().where('referral_id', '=', referralId).executeTakeFirst();
    if (!row) throw new ReferralNotFound(referralId);
    return row;
  }

  async function get(referralId: string): Promise<ReferralView | null> {
    const row = await db.selectFrom('referral').selectAll().where('referral_id', '=', referralId).executeTakeFirst();
    return row ? ((await viewsOf(db, [row]))[0] ?? null) : null;
  }

  return {
    async receive(detail, receivedAt, actor) {
      const now = clock.now().toISOString();
      // Short sequential IDs people can read out on the phone; a clash between replicas retries with the next number.
      for (let attempt = 1; ; attempt++) {
        try {
          const referralId = await db.transaction().execute(async (trx) => {
            const max = await trx.selectFrom('referral').select((eb) => eb.fn.max('referral_no').as('n')).executeTakeFirst();
            const referralNo = Number(max?.n ?? 0) + 1;
            const id = `R-${referralNo}`;
            await trx
              .insertInto('referral')
              .values({
                referral_id: id,
                referral_no: referralNo,
                kind: detail.requestKind ?? 'REFERRAL',
                subject_key: subjectKey(detail.subject),
                source: detail.source,
                received_at: receivedAt,
                family_consented: detail.familyConsented === null ? null : detail.familyConsented ? 1 : 0,
                status: 'RECEIVED',
                panel_date: null,
                version: 1,
                created_at: now,
                updated_at: now,
              })
              .execute();
            await trx
              .insertInto('referral_step')
              .values({
                referral_id: id,
                step_no: 1,
                kind: 'RECEIVED',
                occurred_at: receivedAt,
                recorded_at: now,
                actor: actor.sub,
                actor_name: actor.name,
                status_after: 'RECEIVED',
                detail_json: JSON.stringify(detail),
              })
              .execute();
            return id;
          });
          return (await get(referralId))!;
        } catch (error) {
          if (attempt >= MAX_ID_ATTEMPTS) throw error;
        }
      }
    },

    get,

    async list({ status, panelDate, first }) {
      let query = db.selectFrom('referral').selectAll();
      if (status) query = query.where('status', '=', status);
      if (panelDate) query = query.where('panel_date', '=', panelDate);
      const rows = await capRows(query.orderBy('referral_no', 'desc'), database.engine, first).execute();
      return viewsOf(db, rows);
    },

    async state(referralId) {
      return stateOf(await rowOf(db, referralId));
    },

    async record(referralId, { step, input, at, detail, panelDate, found }, actor) {
      const now = clock.now().toISOString();
      await db.transaction().execute(async (trx) => {
        const row = await rowOf(trx, referralId);
        const state = stateOf(row);
        const status = nextStatus(state, step, input);
        const nextPanelDate = status === 'CLOSED' || status === 'NO_FURTHER_ACTION' ? null : panelDate === undefined ? row.panel_date : panelDate;
        const moved = await trx
          .updateTable('referral')
          .set({ status, panel_date: nextPanelDate, version: Number(row.version) + 1, updated_at: now })
          .where('referral_id', '=', referralId)
          .where('version', '=', row.version)
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) throw new ReferralChangedConcurrently(referralId);
        await trx
          .insertInto('referral_step')
          .values({
            referral_id: referralId,
            // The version counts the steps: the RECEIVED step is 1, and each step bumps both.
            step_no: Number(row.version) + 1,
            kind: detail.kind,
            occurred_at: at,
            recorded_at: now,
            actor: actor.sub,
            actor_name: actor.name,
            status_after: status,
            detail_json: JSON.stringify(detail),
          })
          .execute();
        const stepNo = Number(row.version) + 1;
        if (detail.kind === 'CHECKS_RUN' && found) {
          const rows = found.records.length
            ? found.records.map((record) => ({ referral_id: referralId, step_no: stepNo, person_id: found.personId, system: record.system, source_id: record.sourceId }))
            : [{ referral_id: referralId, step_no: stepNo, person_id: found.personId, system: null, source_id: null }];
          await trx.insertInto('referral_person').values(rows).execute();
        }
        if (detail.kind === 'PANEL_REVIEWED' && detail.allocatedTo?.length) {
          await trx
            .insertInto('panel_allocation')
            .values(detail.allocatedTo.map((agencyId) => ({ referral_id: referralId, step_no: stepNo, agency_id: agencyId, panel_date: detail.panelDate })))
            .execute();
        }
        if (detail.kind === 'ACKNOWLEDGED' && detail.allocates) {
          await trx
            .insertInto('referral_allocation')
            .values({ referral_id: referralId, person_id: detail.allocates.personId, unit_id: detail.allocates.unitId, acknowledged_at: at })
            .execute();
        }
      });
      return (await get(referralId))!;
    },

    async unitsByPersonIds(personIds, since) {
      const units = new Map<string, Set<string>>();
      for (const part of chunk([...personIds], MAX_PARAMETERS_PER_STATEMENT)) {
        if (part.length === 0) continue;
        const rows = await db
          .selectFrom('referral_allocation')
          .select(['person_id', 'unit_id'])
          .where('person_id', 'in', part)
          .where('acknowledged_at', '>=', since)
          .execute();
        for (const row of rows) units.set(row.person_id, (units.get(row.person_id) ?? new Set()).add(row.unit_id));
      }
      return personIds.map((id) => [...(units.get(id) ?? [])].sort());
    },

    async personIdsHandedToUnits(units, since, limit) {
      if (units.length === 0) return [];
      const rows = await capRows(
        db
          .selectFrom('referral_allocation')
          .select('person_id')
          .distinct()
          .where('unit_id', 'in', [...units])
          .where('acknowledged_at', '>=', since)
          .orderBy('person_id'),
        database.engine,
        limit,
      ).execute();
      return rows.map((row) => row.person_id);
    },

    async foundWith(records, personIds, first) {
      // Which check step connected each referral: only its latest checks count (a re-run may find someone else).
      const matched = new Map<string, Set<number>>();
      const add = (row: { referral_id: string; step_no: number }) =>
        matched.set(row.referral_id, (matched.get(row.referral_id) ?? new Set()).add(Number(row.step_no)));
      const bySystem = new Map<string, string[]>();
      for (const record of records) bySystem.set(record.system, [...(bySystem.get(record.system) ?? []), record.sourceId]);
      for (const [system, sourceIds] of bySystem) {
        for (const part of chunk(sourceIds, MAX_PARAMETERS_PER_STATEMENT)) {
          const rows = await db.selectFrom('referral_person').select(['referral_id', 'step_no']).where('system', '=', system).where('source_id', 'in', part).execute();
          rows.forEach(add);
        }
      }
      for (const part of chunk([...personIds], MAX_PARAMETERS_PER_STATEMENT)) {
        if (part.length === 0) continue;
        const rows = await db.selectFrom('referral_person').select(['referral_id', 'step_no']).where('system', 'is', null).where('person_id', 'in', part).execute();
        rows.forEach(add);
      }
      if (matched.size === 0) return [];
      const rows: ReferralRow[] = [];
      for (const part of chunk([...matched.keys()], MAX_PARAMETERS_PER_STATEMENT)) {
        rows.push(...(await db.selectFrom('referral').selectAll().where('referral_id', 'in', part).execute()));
      }
      const views = await viewsOf(db, rows);
      return views
        .filter((view) => {
          const latest = [...view.trail].reverse().find((shown) => shown.kind === 'CHECKS_RUN');
          return latest !== undefined && matched.get(view.id)!.has(latest.seq);
        })
        .sort((a, b) => b.referralNo - a.referralNo)
        .slice(0, first);
    },

    async foundRecordsOf(referralId, checkStep) {
      const rows = await db.selectFrom('referral_person').selectAll().where('referral_id', '=', referralId).where('step_no', '=', checkStep).execute();
      return rows.map((row) => ({ personId: row.person_id, system: row.system, sourceId: row.source_id }));
    },

    async withSubjectKey(key, first) {
      const rows = await capRows(db.selectFrom('referral').selectAll().where('subject_key', '=', key).orderBy('referral_no', 'desc'), database.engine, first).execute();
      return viewsOf(db, rows);
    },
  };
}
