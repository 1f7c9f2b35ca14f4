/**
 * Policy versions in the gateway store (one DDL for SQLite, MariaDB/MySQL and SQL Server):
 * - `policy_version`: every proposed document with who proposed it, when, why, and the active version
 *   it was written against. Append-only.
 * - `policy_decision`: at most one decision per version (primary key): APPROVED or REJECTED, by whom,
 *   when, why. Append-only.
 * - `policy_head`: one row naming the active version. Approval moves it with a compare-and-set, so
 *   two approvals racing (in one process or across replicas) cannot both take effect.
 */
import { sql, type Kysely } from 'kysely';
import type { GraphQLSchema } from 'graphql';
import { columnTypes } from '../../adapters/drivers/columnTypes';
import type { Engine } from '../../adapters/drivers/databaseUrl';
import { tableExists } from '../../adapters/drivers/insertRows';
import { ensureAppendOnly } from '../store/appendOnlyTable';
import { compilePolicy, type CompiledPolicy } from './compilePolicy';
import { parsePolicy, type PolicyProblem } from './parsePolicy';
import type { PolicySource } from './PolicyService';

export interface PolicyTables {
  policy_version: {
    version: number;
    document: string;
    proposed_by: string;
    proposer_name: string;
    proposed_at: string;
    reason: string;
    based_on: number | null;
  };
  policy_decision: {
    version: number;
    decision: string;
    decided_by: string;
    decider_name: string;
    decided_at: string;
    reason: string;
  };
  policy_head: { head_id: number; active_version: number };
}

export interface PolicyDatabase<DB = unknown> {
  readonly engine: Engine;
  readonly db: Kysely<DB>;
}

export type PolicyStatus = 'PROPOSED' | 'ACTIVE' | 'SUPERSEDED' | 'REJECTED';

export interface PolicyDecisionRecord {
  decision: 'APPROVED' | 'REJECTED';
  decidedBy: string;
  deciderName: string;
  decidedAt: string;
  reason: string;
}

export interface PolicyVersionRecord {
  version: number;
  document: string;
  proposedBy: string;
  proposerName: string;
  proposedAt: string;
  reason: string;
  basedOnVersion: number | null;
  decision: PolicyDecisionRecord | null;
  status: PolicyStatus;
}

export interface Officer {
  sub: string;
  name: string;
}

/** The document does not validate: every problem, with its line. */
export class PolicyInvalid extends Error {
  constructor(readonly problems: PolicyProblem[]) {
    super(`The policy is invalid: line ${problems[0]?.line ?? 1}: ${problems[0]?.path ?? ''}: ${problems[0]?.message ?? ''}`);
    this.name = 'PolicyInvalid';
  }
}

/** A change the two-officer rule or the version history does not allow; `reason` is for clients. */
export class PolicyChangeRefused extends Error {
  constructor(
    message: string,
    readonly reason: 'OWN_PROPOSAL' | 'NOT_PROPOSED' | 'POLICY_STALE' | 'NO_SUCH_VERSION',
  ) {
    super(message);
    this.name = 'PolicyChangeRefused';
  }
}

/** The policy in force plus its history and the two-officer change procedure. */
export interface PolicyService extends PolicySource {
  /** Installs the shipped default as version 1 when the store holds no policy yet. */
  ensureInstalled(): Promise<void>;
  versions(status?: PolicyStatus | null): Promise<PolicyVersionRecord[]>;
  version(version: number): Promise<PolicyVersionRecord | null>;
  /** The compiled form of any stored version (for diffs and matrices). */
  compiled(version: number): Promise<CompiledPolicy | null>;
  propose(document: string, reason: string, by: Officer): Promise<PolicyVersionRecord>;
  approve(version: number, by: Officer, reason: string): Promise<PolicyVersionRecord>;
  reject(version: number, by: Officer, reason: string): Promise<PolicyVersionRecord>;
}

const tables = <DB>(database: PolicyDatabase<DB>) => database.db as unknown as Kysely<PolicyTables>;
const HEAD = 1;
/** Who installed the shipped default: recorded honestly as the system, not as an officer. */
const SYSTEM: Officer = { sub: 'system', name: 'Shipped default policy' };

/** The longest reason for a proposal or decision the store keeps (the columns' size); the API refuses longer ones first. */
export const POLICY_REASON_MAX = 2000;

export async function ensurePolicySchema<DB>(database: PolicyDatabase<DB>): Promise<void> {
  const db = tables(database);
  const t = columnTypes(database.engine);
  const long = sql.raw(database.engine === 'mssql' ? 'nvarchar(max)' : database.engine === 'mysql' ? 'mediumtext' : 'text');
  if (!(await tableExists(db, 'policy_version'))) {
    await db.schema
      .createTable('policy_version')
      .addColumn('version', t.int, (c) => c.primaryKey())
      .addColumn('document', long, (c) => c.notNull())
      .addColumn('proposed_by', t.text(256), (c) => c.notNull())
      .addColumn('proposer_name', t.text(256), (c) => c.notNull())
      .addColumn('proposed_at', t.text(32), (c) => c.notNull())
      .addColumn('reason', t.text(POLICY_REASON_MAX), (c) => c.notNull())
      .addColumn('based_on', t.int)
      .execute();
  }
  if (!(await tableExists(db, 'policy_decision'))) {
    await db.schema
      .createTable('policy_decision')
      .addColumn('version', t.int, (c) => c.primaryKey())
      .addColumn('decision', t.text(16), (c) => c.notNull())
      .addColumn('decided_by', t.text(256), (c) => c.notNull())
      .addColumn('decider_name', t.text(256), (c) => c.notNull())
      .addColumn('decided_at', t.text(32), (c) => c.notNull())
      .addColumn('reason', t.text(POLICY_REASON_MAX), (c) => c.notNull())
      .execute();
  }
  if (!(await tableExists(db, 'policy_head'))) {
    await db.schema
      .createTable('policy_head')
      .addColumn('head_id', t.int, (c) => c.primaryKey())
      .addColumn('active_version', t.int, (c) => c.notNull())
      .execute();
  }
  await ensureAppendOnly(database, 'policy_version');
  await ensureAppendOnly(database, 'policy_decision');
}

type VersionRow = PolicyTables['policy_version'];
type DecisionRow = PolicyTables['policy_decision'];

function recordOf(row: VersionRow, decision: DecisionRow | undefined, active: number | null): PolicyVersionRecord {
  const version = Number(row.version);
  const status: PolicyStatus = !decision
    ? 'PROPOSED'
    : decision.decision === 'REJECTED'
      ? 'REJECTED'
      : version === active
        ? 'ACTIVE'
        : 'SUPERSEDED';
  return {
    version,
    document: row.document,
    proposedBy: row.proposed_by,
    proposerName: row.proposer_name,
    proposedAt: row.proposed_at,
    reason: row.reason,
    basedOnVersion: row.based_on === null ? null : Number(row.based_on),
    decision: decision
      ? { decision: decision.decision as 'APPROVED' | 'REJECTED', decidedBy: decision.decided_by, deciderName: decision.decider_name, decidedAt: decision.decided_at, reason: decision.reason }
      : null,
    status,
  };
}

export interface PolicyServiceOptions {
  schema: GraphQLSchema;
  defaultDocument: () => string;
  clock: { now(): Date };
  refreshMs: number;
}

/** The store-backed policy: cached, re-checked at most every `refreshMs`, changed only by two officers. */
export function createPolicyService<DB>(database: PolicyDatabase<DB>, options: PolicyServiceOptions): PolicyService {
  const db = tables(database);
  const { schema, clock } = options;
  const compiledCache = new Map<number, CompiledPolicy>();
  let active: { version: number; checkedAt: number } | null = null;
  let installing: Promise<void> | null = null;

  const activeVersion = async (): Promise<number | null> => {
    const head = await db.selectFrom('policy_head').select('active_version').where('head_id', '=', HEAD).executeTakeFirst();
    return head ? Number(head.active_version) : null;
  };

  const compileStored = async (version: number): Promise<CompiledPolicy | null> => {
    const known = compiledCache.get(version);
    if (known) return known;
    const row = await db.selectFrom('policy_version').select('document').where('version', '=', version).executeTakeFirst();
    if (!row) return null;
    const parsed = parsePolicy(row.document, schema);
    // A stored version that no longer validates (the schema changed under it) must not be half-applied.
    if (!parsed.ok) throw new PolicyInvalid(parsed.problems);
    const compiled = compilePolicy(parsed.policy, schema, version);
    compiledCache.set(version, compiled);
    return compiled;
  };

  const install = async () => {
    if ((await activeVersion()) !== null) return;
    const document = options.defaultDocument();
    const parsed = parsePolicy(document, schema);
    if (!parsed.ok) throw new PolicyInvalid(parsed.problems);
    const at = clock.now().toISOString();
    try {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('policy_version')
          .values({ version: 1, document, proposed_by: SYSTEM.sub, proposer_name: SYSTEM.name, proposed_at: at, reason: 'The policy shipped with the gateway', based_on: null })
          .execute();
        await trx
          .insertInto('policy_decision')
          .values({ version: 1, decision: 'APPROVED', decided_by: SYSTEM.sub, decider_name: SYSTEM.name, decided_at: at, reason: 'Installed on first start' })
          .execute();
        await trx.insertInto('policy_head').values({ head_id: HEAD, active_version: 1 }).execute();
      });
    } catch (error) {
      // Another replica installed it first.
      if ((await activeVersion()) === null) throw error;
    }
  };

  const ensureInstalled = () => (installing ??= install().catch((error: unknown) => {
    installing = null;
    throw error;
  }));

  const load = async (version: number): Promise<PolicyVersionRecord | null> => {
    const row = await db.selectFrom('policy_version').selectAll().where('version', '=', version).executeTakeFirst();
    if (!row) return null;
    const decision = await db.selectFrom('policy_decision').selectAll().where('version', '=', version).executeTakeFirst();
    return recordOf(row, decision, await activeVersion());
  };

  const decide = async (version: number, by: Officer, reason: string, decision: 'APPROVED' | 'REJECTED'): Promise<PolicyVersionRecord> => {
    const proposal = await load(version);
    if (!proposal) throw new PolicyChangeRefused(`No policy version ${version}`, 'NO_SUCH_VERSION');
    if (proposal.status !== 'PROPOSED') throw new PolicyChangeRefused(`Version ${version} is ${proposal.status}, not PROPOSED: only a proposal can be decided`, 'NOT_PROPOSED');
    if (proposal.proposedBy === by.sub) {
      throw new PolicyChangeRefused(`You proposed version ${version}: a different security officer must ${decision === 'APPROVED' ? 'approve' : 'reject'} it`, 'OWN_PROPOSAL');
    }
    const current = await activeVersion();
    if (decision === 'APPROVED' && proposal.basedOnVersion !== current) {
      throw new PolicyChangeRefused(
        `Version ${version} was written against version ${proposal.basedOnVersion}, but version ${current} is now active: re-propose it against version ${current}`,
        'POLICY_STALE',
      );
    }
    // Fails to compile -> refused before anything is written.
    if (decision === 'APPROVED') await compileStored(version);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('policy_decision')
        .values({ version, decision, decided_by: by.sub, decider_name: by.name, decided_at: clock.now().toISOString(), reason })
        .execute();
      if (decision === 'APPROVED') {
        const moved = await trx.updateTable('policy_head').set({ active_version: version }).where('head_id', '=', HEAD).where('active_version', '=', current!).executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) {
          throw new PolicyChangeRefused(`Another version became active while version ${version} was being approved: re-propose it`, 'POLICY_STALE');
        }
      }
    }).catch(async (error: unknown) => {
      if (error instanceof PolicyChangeRefused) throw error;
      // The primary key admits one decision per version: someone decided it first.
      const now = await load(version);
      if (now && now.status !== 'PROPOSED') throw new PolicyChangeRefused(`Version ${version} was decided by someone else first (${now.status})`, 'NOT_PROPOSED');
      throw error;
    });
    if (decision === 'APPROVED') active = { version, checkedAt: clock.now().getTime() };
    return (await load(version))!;
  };

  return {
    ensureInstalled,
    async current() {
      // abs: a clock set back must not freeze the cache.
      if (!active || Math.abs(clock.now().getTime() - active.checkedAt) >= options.refreshMs) {
        let version = await activeVersion();
        if (version === null) {
          await ensureInstalled();
          version = (await activeVersion())!;
        }
        active = { version, checkedAt: clock.now().getTime() };
      }
      return (await compileStored(active.version))!;
    },
    async versions(status) {
      const rows = await db.selectFrom('policy_version').selectAll().orderBy('version', 'desc').execute();
      const decisions = await db.selectFrom('policy_decision').selectAll().execute();
      const byVersion = new Map(decisions.map((d) => [Number(d.version), d]));
      const current = await activeVersion();
      return rows.map((row) => recordOf(row, byVersion.get(Number(row.version)), current)).filter((record) => !status || record.status === status);
    },
    version: load,
    compiled: compileStored,
    async propose(document, reason, by) {
      const parsed = parsePolicy(document, schema);
      if (!parsed.ok) throw new PolicyInvalid(parsed.problems);
      const basedOn = await activeVersion();
      // Version numbers come from the table; two proposals racing for one number: the loser retries.
      for (let attempt = 0; ; attempt++) {
        const last = await db.selectFrom('policy_version').select((eb) => eb.fn.max('version').as('max')).executeTakeFirst();
        const version = Number(last?.max ?? 0) + 1;
        try {
          await db
            .insertInto('policy_version')
            .values({ version, document, proposed_by: by.sub, proposer_name: by.name, proposed_at: clock.now().toISOString(), reason, based_on: basedOn })
            .execute();
          return (await load(version))!;
        } catch (error) {
          if (attempt >= 3) throw error;
        }
      }
    },
    approve: (version, by, reason) => decide(version, by, reason, 'APPROVED'),
    reject: (version, by, reason) => decide(version, by, reason, 'REJECTED'),
  };
}
