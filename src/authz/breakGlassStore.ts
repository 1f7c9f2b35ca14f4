/**
 * Break-glass grants in the gateway store (one DDL for SQLite, MariaDB/MySQL and SQL Server):
 * - `break_glass_grant`: who, for which young person, why, from when until when. Append-only: a
 *   grant is never shortened, lengthened or deleted; it expires by the clock.
 * - `break_glass_review`: at most one review per grant (primary key), also append-only.
 * - `break_glass_closure`: at most one early end per grant (primary key), append-only. Ending a grant
 *   is an appended fact, not a change to the grant: a grant with a closure is never in force again.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Engine } from '../../adapters/drivers/databaseUrl';
import { chunk, MAX_PARAMETERS_PER_STATEMENT, tableExists } from '../../adapters/drivers/insertRows';
import { capRows } from '../../adapters/drivers/queryHelpers';
import { ensureAppendOnly } from '../store/appendOnlyTable';
import type { BreakGlassClosureCause, BreakGlassClosureRecord, BreakGlassGrantRecord, BreakGlassGrants, BreakGlassReviewOutcome } from './breakGlass';

export interface BreakGlassTables {
  break_glass_grant: {
    grant_id: string;
    person_id: string;
    holder: string;
    holder_name: string;
    holder_roles: string;
    reason: string;
    opened_at: string;
    expires_at: string;
  };
  break_glass_review: {
    grant_id: string;
    reviewed_by: string;
    reviewer_name: string;
    reviewed_at: string;
    outcome: string;
    notes: string;
  };
  break_glass_closure: {
    grant_id: string;
    closed_by: string;
    closer_name: string;
    closed_at: string;
    cause: string;
    reason: string;
  };
}

export interface BreakGlassDatabase<DB = unknown> {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
}

const tables = <DB>(database: BreakGlassDatabase<DB>) => database.db as unknown as Kysely<BreakGlassTables>;

/** The longest reason or review notes the store keeps (their columns' size); the API refuses longer ones first. */
export const BREAK_GLASS_TEXT_MAX = 2000;

export async function ensureBreakGlassSchema<DB>(database: BreakGlassDatabase<DB>): Promise<void> {
  const db = tables(database);
  const t = columnTypes(database.engine);
  if (!(await tableExists(db, 'break_glass_grant'))) {
    await db.schema
      .createTable('break_glass_grant')
      .addColumn('grant_id', t.text(48), (c) => c.primaryKey())
      .addColumn('person_id', t.text(64), (c) => c.notNull())
      .addColumn('holder', t.text(256), (c) => c.notNull())
      .addColumn('holder_name', t.text(256), (c) => c.notNull())
      .addColumn('holder_roles', t.text(1000), (c) => c.notNull())
      .addColumn('reason', t.text(BREAK_GLASS_TEXT_MAX), (c) => c.notNull())
      .addColumn('opened_at', t.text(32), (c) => c.notNull())
      .addColumn('expires_at', t.text(32), (c) => c.notNull())
      .execute();
    await db.schema.createIndex('break_glass_holder').on('break_glass_grant').columns(['holder', 'expires_at']).execute();
    await db.schema.createIndex('break_glass_person').on('break_glass_grant').columns(['person_id']).execute();
  }
  if (!(await tableExists(db, 'break_glass_review'))) {
    await db.schema
      .createTable('break_glass_review')
      .addColumn('grant_id', t.text(48), (c) => c.primaryKey())
      .addColumn('reviewed_by', t.text(256), (c) => c.notNull())
      .addColumn('reviewer_name', t.text(256), (c) => c.notNull())
      .addColumn('reviewed_at', t.text(32), (c) => c.notNull())
      .addColumn('outcome', t.text(16), (c) => c.notNull())
      .addColumn('notes', t.text(BREAK_GLASS_TEXT_MAX), (c) => c.notNull())
      .execute();
  }
  if (!(await tableExists(db, 'break_glass_closure'))) {
    await db.schema
      .createTable('break_glass_closure')
      .addColumn('grant_id', t.text(48), (c) => c.primaryKey())
      .addColumn('closed_by', t.text(256), (c) => c.notNull())
      .addColumn('closer_name', t.text(256), (c) => c.notNull())
      .addColumn('closed_at', t.text(32), (c) => c.notNull())
      .addColumn('cause', t.text(32), (c) => c.notNull())
      .addColumn('reason', t.text(BREAK_GLASS_TEXT_MAX), (c) => c.notNull())
      .execute();
  }
  await ensureAppendOnly(database, 'break_glass_grant');
  await ensureAppendOnly(database, 'break_glass_review');
  await ensureAppendOnly(database, 'break_glass_closure');
}

type GrantRow = BreakGlassTables['break_glass_grant'];
type ReviewRow = BreakGlassTables['break_glass_review'];
type ClosureRow = BreakGlassTables['break_glass_closure'];
type Db = Kysely<BreakGlassTables> | Transaction<BreakGlassTables>;

function closureOf(row: ClosureRow): BreakGlassClosureRecord {
  return { closedBy: row.closed_by, closerName: row.closer_name, closedAt: row.closed_at, cause: row.cause as BreakGlassClosureCause, reason: row.reason };
}

/**
 * Appends the closure unless the grant already has one; false when it had. A concurrent close loses on
 * the primary key and is told so the same way.
 */
async function appendClosure(db: Db, row: ClosureRow): Promise<boolean> {
  const closed = () => db.selectFrom('break_glass_closure').select('grant_id').where('grant_id', '=', row.grant_id).executeTakeFirst();
  if (await closed()) return false;
  try {
    await db.insertInto('break_glass_closure').values(row).execute();
    return true;
  } catch (error) {
    if (await closed()) return false;
    throw error;
  }
}

function recordOf(grant: GrantRow, review: ReviewRow | undefined, closure: ClosureRow | undefined): BreakGlassGrantRecord {
  return {
    grantId: grant.grant_id,
    personId: grant.person_id,
    holder: grant.holder,
    holderName: grant.holder_name,
    holderRoles: JSON.parse(grant.holder_roles) as string[],
    reason: grant.reason,
    openedAt: grant.opened_at,
    expiresAt: grant.expires_at,
    review: review
      ? { reviewedBy: review.reviewed_by, reviewerName: review.reviewer_name, reviewedAt: review.reviewed_at, outcome: review.outcome as BreakGlassReviewOutcome, notes: review.notes }
      : null,
    closure: closure ? closureOf(closure) : null,
  };
}

/** Break-glass grants over the gateway store; times come from `clock`, so expiry is tested without sleeping. */
export function createBreakGlassStore<DB>(database: BreakGlassDatabase<DB>, clock: { now(): Date }): BreakGlassGrants {
  const db = tables(database);
  const withReviews = async (grants: GrantRow[]): Promise<BreakGlassGrantRecord[]> => {
    if (grants.length === 0) return [];
    // A person's grants over the years can outnumber SQL Server's 2,100 parameters: one IN list per chunk.
    const reviews = [];
    const closures = [];
    for (const part of chunk(grants.map((g) => g.grant_id), MAX_PARAMETERS_PER_STATEMENT)) {
      reviews.push(...(await db.selectFrom('break_glass_review').selectAll().where('grant_id', 'in', part).execute()));
      closures.push(...(await db.selectFrom('break_glass_closure').selectAll().where('grant_id', 'in', part).execute()));
    }
    const reviewByGrant = new Map(reviews.map((r) => [r.grant_id, r]));
    const closureByGrant = new Map(closures.map((c) => [c.grant_id, c]));
    return grants.map((g) => recordOf(g, reviewByGrant.get(g.grant_id), closureByGrant.get(g.grant_id)));
  };
  return {
    async activeFor(sub, now) {
      const at = now.toISOString();
      // A closed grant is out whatever its expiry: one statement still, the closure joined in.
      const rows = await db
        .selectFrom('break_glass_grant as g')
        .leftJoin('break_glass_closure as c', 'c.grant_id', 'g.grant_id')
        .select(['g.grant_id', 'g.person_id'])
        .where('g.holder', '=', sub)
        .where('g.expires_at', '>', at)
        .where('g.opened_at', '<=', at)
        .where('c.grant_id', 'is', null)
        .orderBy('g.opened_at')
        .execute();
      return new Map(rows.map((row) => [row.person_id, row.grant_id]));
    },
    async open({ personId, holder, holderName, holderRoles, reason, minutes }) {
      const opened = clock.now();
      const row: GrantRow = {
        grant_id: `BG-${randomUUID()}`,
        person_id: personId,
        holder,
        holder_name: holderName,
        holder_roles: JSON.stringify(holderRoles),
        reason,
        opened_at: opened.toISOString(),
        expires_at: new Date(opened.getTime() + minutes * 60_000).toISOString(),
      };
      await db.insertInto('break_glass_grant').values(row).execute();
      return recordOf(row, undefined, undefined);
    },
    async get(grantId) {
      const row = await db.selectFrom('break_glass_grant').selectAll().where('grant_id', '=', grantId).executeTakeFirst();
      return row ? (await withReviews([row]))[0]! : null;
    },
    async byPerson(personId) {
      const rows = await db.selectFrom('break_glass_grant').selectAll().where('person_id', '=', personId).orderBy('opened_at', 'desc').execute();
      return withReviews(rows);
    },
    async reviewQueue(limit) {
      const query = db
        .selectFrom('break_glass_grant as g')
        .leftJoin('break_glass_review as r', 'r.grant_id', 'g.grant_id')
        .selectAll('g')
        .where('r.grant_id', 'is', null)
        .orderBy('g.opened_at');
      const rows = await capRows(query, database.engine, limit).execute();
      return withReviews(rows);
    },
    async review(grantId, review) {
      const reviewedAt = clock.now().toISOString();
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('break_glass_review')
            .values({ grant_id: grantId, reviewed_by: review.reviewedBy, reviewer_name: review.reviewerName, reviewed_at: reviewedAt, outcome: review.outcome, notes: review.notes })
            .execute();
          // Judged unjustified, the access ends now, not at its expiry (a grant its holder closed already stays
          // closed, and one that has expired has nothing left to end).
          const grant = await trx.selectFrom('break_glass_grant').select('expires_at').where('grant_id', '=', grantId).executeTakeFirst();
          if (review.outcome === 'NOT_JUSTIFIED' && grant && reviewedAt < grant.expires_at) {
            await appendClosure(trx, {
              grant_id: grantId,
              closed_by: review.reviewedBy,
              closer_name: review.reviewerName,
              closed_at: reviewedAt,
              cause: 'REVIEWED_NOT_JUSTIFIED',
              reason: review.notes,
            });
          }
        });
        return true;
      } catch (error) {
        // The primary key admits one review per grant: a second (or a concurrent) one is refused here.
        if (await db.selectFrom('break_glass_review').select('grant_id').where('grant_id', '=', grantId).executeTakeFirst()) return false;
        throw error;
      }
    },
    close(grantId, closure) {
      return appendClosure(db, {
        grant_id: grantId,
        closed_by: closure.closedBy,
        closer_name: closure.closerName,
        closed_at: clock.now().toISOString(),
        cause: closure.cause,
        reason: closure.reason,
      });
    },
  };
}
