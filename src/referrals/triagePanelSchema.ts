/**
 * What migration 0003 adds to the referral tables (one DDL for SQLite, MariaDB/MySQL and SQL Server):
 * - `referral.kind`: a referral, or checks for a multi-agency meeting or a pre-sentence report;
 * - `referral.subject_key`: the subject's name and date of birth as given, normalised, so a repeat
 *   referral is seen on receipt, before any checks;
 * - `referral_person`: the records of the young person each run of a referral's checks found (as
 *   identity links held them then), so later referrals of the same person are connected through
 *   today's identity links. Append-only;
 * - `panel_agency`: the agencies the panel allocates to (NIA, Safer London Foundation, IGIP, ...), a
 *   maintained list; `panel_allocation`: one row per agency a review allocated a case to, for counting.
 *   Append-only.
 */
import type { Kysely } from 'kysely';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Engine } from '../../adapters/drivers/databaseUrl';
import { tableExists } from '../../adapters/drivers/insertRows';
import { ensureAppendOnly } from '../store/appendOnlyTable';
import type { ReferralPerson, ReferralStepDetail } from './Referral';

export interface TriagePanelTables {
  referral: { referral_id: string; kind: string; subject_key: string | null };
  referral_step: { referral_id: string; step_no: number; kind: string; detail_json: string };
  referral_person: {
    referral_id: string;
    step_no: number;
    person_id: string;
    /** Null on rows carried over from checks run before records were kept: the person ID alone. */
    system: string | null;
    source_id: string | null;
  };
  panel_agency: {
    agency_id: string;
    name: string;
    active: number;
    changed_by: string;
    changed_at: string;
    version: number;
  };
  panel_allocation: {
    referral_id: string;
    step_no: number;
    agency_id: string;
    panel_date: string;
  };
}

/** The agencies the seed documents name as allocated through the panel; the list starts with them. */
export const STARTING_PANEL_AGENCIES: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'IGIP', name: 'Integrated Gangs Intervention Project' },
  { id: 'NIA', name: 'NIA (formerly Hackney Women\u2019s Aid)' },
  { id: 'SAFER_LONDON', name: 'Safer London Foundation' },
  { id: 'YOUNG_HACKNEY', name: 'Young Hackney' },
];

const fold = (value: string | null): string =>
  (value ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/**
 * The subject as given, normalised (accents, case, spaces and hyphens do not count): forename, surname
 * and date of birth. Null unless all three were given: fewer would connect namesakes.
 */
export function subjectKey(subject: Pick<ReferralPerson, 'forename' | 'surname' | 'dateOfBirth'>): string | null {
  const forename = fold(subject.forename);
  const surname = fold(subject.surname);
  if (!forename || !surname || !subject.dateOfBirth) return null;
  return `${surname}|${forename}|${subject.dateOfBirth}`.slice(0, 320);
}

export const PANEL_AGENCY_SYSTEM_ACTOR = 'gateway (migration 0003)';

/** Creates what is missing and carries existing referrals over. Runs once, as migration 0003_triage_panel. */
export async function ensureTriagePanelSchema<DB>(database: { engine: Engine; db: Kysely<DB> }, now: string): Promise<void> {
  const db = database.db as unknown as Kysely<TriagePanelTables>;
  const t = columnTypes(database.engine);
  await db.schema
    .alterTable('referral')
    .addColumn('kind', t.text(32), (c) => c.notNull().defaultTo('REFERRAL'))
    .execute();
  await db.schema.alterTable('referral').addColumn('subject_key', t.text(320)).execute();
  await db.schema.createIndex('referral_subject_key').on('referral').columns(['subject_key']).execute();

  if (!(await tableExists(db, 'referral_person'))) {
    await db.schema
      .createTable('referral_person')
      .addColumn('referral_id', t.text(16), (c) => c.notNull())
      .addColumn('step_no', t.int, (c) => c.notNull())
      .addColumn('person_id', t.text(96), (c) => c.notNull())
      .addColumn('system', t.text(8))
      .addColumn('source_id', t.text(64))
      .execute();
    await db.schema.createIndex('referral_person_record').on('referral_person').columns(['system', 'source_id']).execute();
    await db.schema.createIndex('referral_person_person').on('referral_person').columns(['person_id']).execute();
    await db.schema.createIndex('referral_person_referral').on('referral_person').columns(['referral_id', 'step_no']).execute();
  }
  if (!(await tableExists(db, 'panel_agency'))) {
    await db.schema
      .createTable('panel_agency')
      .addColumn('agency_id', t.text(32), (c) => c.primaryKey())
      .addColumn('name', t.text(200), (c) => c.notNull())
      .addColumn('active', t.smallint, (c) => c.notNull())
      .addColumn('changed_by', t.text(256), (c) => c.notNull())
      .addColumn('changed_at', t.text(32), (c) => c.notNull())
      .addColumn('version', t.int, (c) => c.notNull())
      .execute();
    await db
      .insertInto('panel_agency')
      .values(STARTING_PANEL_AGENCIES.map((agency) => ({ agency_id: agency.id, name: agency.name, active: 1, changed_by: PANEL_AGENCY_SYSTEM_ACTOR, changed_at: now, version: 1 })))
      .execute();
  }
  if (!(await tableExists(db, 'panel_allocation'))) {
    await db.schema
      .createTable('panel_allocation')
      .addColumn('referral_id', t.text(16), (c) => c.notNull())
      .addColumn('step_no', t.int, (c) => c.notNull())
      .addColumn('agency_id', t.text(32), (c) => c.notNull())
      .addColumn('panel_date', t.text(10), (c) => c.notNull())
      .addPrimaryKeyConstraint('panel_allocation_pk', ['referral_id', 'step_no', 'agency_id'])
      .execute();
    await db.schema.createIndex('panel_allocation_agency').on('panel_allocation').columns(['agency_id', 'panel_date']).execute();
  }

  // Existing referrals: their subject key from what was received, and the person their latest checks found.
  const steps = await db
    .selectFrom('referral_step')
    .select(['referral_id', 'step_no', 'kind', 'detail_json'])
    .where('kind', 'in', ['RECEIVED', 'CHECKS_RUN'])
    .orderBy('referral_id')
    .orderBy('step_no')
    .execute();
  const latestCheck = new Map<string, { stepNo: number; personId: string | null }>();
  for (const step of steps) {
    const detail = JSON.parse(step.detail_json) as ReferralStepDetail;
    if (detail.kind === 'RECEIVED') {
      const key = subjectKey(detail.subject);
      if (key) await db.updateTable('referral').set({ subject_key: key }).where('referral_id', '=', step.referral_id).execute();
    } else if (detail.kind === 'CHECKS_RUN') {
      latestCheck.set(step.referral_id, { stepNo: Number(step.step_no), personId: detail.checks.bestCandidate?.personId ?? null });
    }
  }
  for (const [referralId, { stepNo, personId }] of latestCheck) {
    if (personId) await db.insertInto('referral_person').values({ referral_id: referralId, step_no: stepNo, person_id: personId, system: null, source_id: null }).execute();
  }
  await ensureAppendOnly(database, 'referral_person');
  await ensureAppendOnly(database, 'panel_allocation');
}
