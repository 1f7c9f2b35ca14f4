import type { CreateTableBuilder, Kysely } from 'kysely';
import { columnTypes } from '../drivers/columnTypes';
import type { Engine } from '../drivers/databaseUrl';
import { legacyColumnTypes } from '../drivers/legacyColumnTypes';
import type { UmisTables } from './tables';

/** The tables in creation (and insert) order: code tables, then workers, then clients and what hangs off them. */
export const UMIS_TABLES = [
  'ref_ethnicity',
  'ref_assessment_type',
  'ref_domain',
  'ref_review_outcome',
  'worker',
  'client',
  'client_alias',
  'assessment',
  'assessment_domain_score',
  'plan',
  'plan_goal',
  'plan_review',
  'client_worker_assignment',
] as const satisfies ReadonlyArray<keyof UmisTables>;

/**
 * The UMIS legacy schema, written once and compiled for SQLite, MySQL or SQL Server. Like production it
 * declares no foreign keys; every table carries `is_active` and UTC created/modified stamps.
 */
export function umisSchemaStatements(db: Kysely<UmisTables>, engine: Engine) {
  const t = columnTypes(engine);
  const legacy = legacyColumnTypes(engine);
  // GUIDs are 36-character text ('xxxxxxxx-xxxx-...'), not a native uniqueidentifier.
  const guid = legacy.guid;
  const schema = db.schema;
  /** The flag and stamps every operational table ends with. */
  const audited = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    table
      .addColumn('is_active', legacy.flag, (c) => c.notNull().defaultTo(1))
      .addColumn('created_utc', t.datetime, (c) => c.notNull())
      .addColumn('modified_utc', t.datetime, (c) => c.notNull());
  const index = (name: string, table: keyof UmisTables, column: string) =>
    schema.createIndex(name).on(table).column(column);

  return [
    schema
      .createTable('ref_ethnicity')
      .addColumn('ethnicity_code', t.text(4), (c) => c.primaryKey())
      .addColumn('description', t.text(100), (c) => c.notNull())
      .addColumn('is_active', legacy.flag, (c) => c.notNull().defaultTo(1)),
    schema
      .createTable('ref_assessment_type')
      .addColumn('assessment_type_code', t.text(8), (c) => c.primaryKey())
      .addColumn('description', t.text(100), (c) => c.notNull())
      .addColumn('is_active', legacy.flag, (c) => c.notNull().defaultTo(1)),
    schema
      .createTable('ref_domain')
      .addColumn('domain_code', t.text(8), (c) => c.primaryKey())
      .addColumn('description', t.text(100), (c) => c.notNull())
      .addColumn('display_order', t.smallint, (c) => c.notNull()),
    schema
      .createTable('ref_review_outcome')
      .addColumn('review_outcome_code', t.text(8), (c) => c.primaryKey())
      .addColumn('description', t.text(100), (c) => c.notNull()),
    audited(
      schema
        .createTable('worker')
        .addColumn('worker_id', guid, (c) => c.primaryKey())
        .addColumn('given_name', t.text(60), (c) => c.notNull())
        .addColumn('family_name', t.text(60), (c) => c.notNull())
        .addColumn('job_title', t.text(100))
        .addColumn('unit_code', t.text(4))
    ),
    audited(
      schema
        .createTable('client')
        .addColumn('client_id', guid, (c) => c.primaryKey())
        .addColumn('given_name', t.text(60), (c) => c.notNull())
        .addColumn('family_name', t.text(60), (c) => c.notNull())
        .addColumn('preferred_name', t.text(60))
        .addColumn('date_of_birth', legacy.date)
        .addColumn('gender_code', t.char(1), (c) => c.notNull())
        .addColumn('ethnicity_code', t.text(4))
        .addColumn('address_line_1', t.text(100))
        .addColumn('post_code', t.text(8))
        .addColumn('upn', t.text(13))
    ),
    index('ix_client_family_name', 'client', 'family_name'),
    index('ix_client_given_name', 'client', 'given_name'),
    index('ix_client_date_of_birth', 'client', 'date_of_birth'),
    index('ix_client_post_code', 'client', 'post_code'),
    audited(
      schema
        .createTable('client_alias')
        .addColumn('client_alias_id', guid, (c) => c.primaryKey())
        .addColumn('client_id', guid, (c) => c.notNull())
        .addColumn('alias_type_code', t.text(4), (c) => c.notNull())
        .addColumn('given_name', t.text(60))
        .addColumn('family_name', t.text(60))
    ),
    index('ix_client_alias_client_id', 'client_alias', 'client_id'),
    index('ix_client_alias_family_name', 'client_alias', 'family_name'),
    audited(
      schema
        .createTable('assessment')
        .addColumn('assessment_id', guid, (c) => c.primaryKey())
        .addColumn('client_id', guid, (c) => c.notNull())
        .addColumn('assessment_type_code', t.text(8), (c) => c.notNull())
        .addColumn('status_code', t.char(1), (c) => c.notNull())
        .addColumn('started_date', legacy.date, (c) => c.notNull())
        .addColumn('completed_date', legacy.date)
        .addColumn('assessor_worker_id', guid)
        .addColumn('summary', t.text(2000))
    ),
    index('ix_assessment_client_id', 'assessment', 'client_id'),
    audited(
      schema
        .createTable('assessment_domain_score')
        .addColumn('assessment_domain_score_id', guid, (c) => c.primaryKey())
        .addColumn('assessment_id', guid, (c) => c.notNull())
        .addColumn('domain_code', t.text(8), (c) => c.notNull())
        .addColumn('score', t.smallint, (c) => c.notNull())
        .addColumn('analysis', t.text(2000))
    ),
    index('ix_assessment_domain_score_assessment_id', 'assessment_domain_score', 'assessment_id'),
    audited(
      schema
        .createTable('plan')
        .addColumn('plan_id', guid, (c) => c.primaryKey())
        .addColumn('client_id', guid, (c) => c.notNull())
        .addColumn('title', t.text(200), (c) => c.notNull())
        .addColumn('plan_status_code', t.char(1), (c) => c.notNull())
        .addColumn('start_date', legacy.date, (c) => c.notNull())
        .addColumn('next_review_date', legacy.date)
        .addColumn('closed_date', legacy.date)
        .addColumn('owner_worker_id', guid)
    ),
    index('ix_plan_client_id', 'plan', 'client_id'),
    audited(
      schema
        .createTable('plan_goal')
        .addColumn('plan_goal_id', guid, (c) => c.primaryKey())
        .addColumn('plan_id', guid, (c) => c.notNull())
        .addColumn('sequence_no', t.smallint, (c) => c.notNull())
        .addColumn('goal_text', t.text(500), (c) => c.notNull())
    ),
    index('ix_plan_goal_plan_id', 'plan_goal', 'plan_id'),
    audited(
      schema
        .createTable('plan_review')
        .addColumn('plan_review_id', guid, (c) => c.primaryKey())
        .addColumn('plan_id', guid, (c) => c.notNull())
        .addColumn('review_date', legacy.date, (c) => c.notNull())
        .addColumn('reviewer_worker_id', guid)
        .addColumn('review_outcome_code', t.text(8), (c) => c.notNull())
        .addColumn('notes', t.text(2000))
    ),
    index('ix_plan_review_plan_id', 'plan_review', 'plan_id'),
    audited(
      schema
        .createTable('client_worker_assignment')
        .addColumn('client_worker_assignment_id', guid, (c) => c.primaryKey())
        .addColumn('client_id', guid, (c) => c.notNull())
        .addColumn('worker_id', guid)
        .addColumn('unit_code', t.text(4), (c) => c.notNull())
        .addColumn('start_date', legacy.date, (c) => c.notNull())
        .addColumn('end_date', legacy.date)
    ),
    index('ix_client_worker_assignment_client_id', 'client_worker_assignment', 'client_id'),
  ];
}
