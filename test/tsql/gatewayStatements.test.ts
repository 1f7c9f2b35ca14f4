/**
 * The statements a gateway sends to SQL Server when it starts with its store and sources there:
 * the store's migrations (Kysely's Migrator tables, its lock, the baseline DDL), the append-only
 * triggers, the initialisation lock, the first policy and the first-match check, compiled by the
 * production compiler (Kysely's MssqlQueryCompiler, through the recording database) and each
 * checked as T-SQL. The adapters', stores' and writes' statements are checked the same way after
 * their own test files (test/support/tsqlGrammarCheck.ts). A live run is test/live/gateway.live.test.ts.
 */
import { createRecordingDatabase, type RecordingDatabase } from '../../adapters/drivers/recordingDatabase';
import { checkTsql } from '../../adapters/drivers/__tests__/tsqlGrammar';
import { folderFileStore } from '../../adapters/dms/folderFileStore';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { assembleServices, matchIfUnlinked, type SourceDatabases } from '../../src/server/createServices';
import { APPEND_ONLY_TABLES, type GatewayStore, type GatewayTables } from '../../src/store/GatewayStore';
import { ensureAppendOnly } from '../../src/store/appendOnlyTable';
import { migrateGatewayStore } from '../../src/store/migrateGatewayStore';
import { withStoreInitLock } from '../../src/store/storeInitLock';

describe('the T-SQL check itself', () => {
  it.each([
    ['select "person_id" from "identity_person" limit @1', /limit/],
    ['select 1 from t limit 5', /limit/],
    ['select ifnull("a", 1) from "t"', /ifnull/],
    ['select "a" || "b" from "t"', /\|\|/],
    ['create table if not exists "t" ("a" int)', /if not exists/],
    ['select `a` from `t`', /backtick/],
    ['select "a" from "t" order by "a" offset @1', /grammar/],
    ['select "a" from "t" whre "a" = @1', /grammar/],
  ])('rejects %s', (sql, reason) => {
    const verdict = checkTsql(sql);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toMatch(reason);
  });

  it.each([
    'select top(1) "person_id" from "identity_person"',
    'select "a" from "t" order by "a" offset @1 rows fetch next @2 rows only',
    'select "seq" from "audit_chain_head" with (updlock, holdlock) where "id" = @1',
    "select 'limit' as \"limit\" from \"t\"",
  ])('accepts %s', (sql) => {
    expect(checkTsql(sql)).toMatchObject({ ok: true, by: 'grammar' });
  });
});

describe('a gateway starting with its store on SQL Server', () => {
  let store: RecordingDatabase<GatewayTables>;
  let sources: Record<'iyss' | 'umis' | 'yois' | 'dms', RecordingDatabase<unknown>>;

  beforeAll(async () => {
    // The lock is granted at once (sp_getapplock returns 0); every other statement finds no rows: an empty store.
    store = createRecordingDatabase<GatewayTables>({ database: 'gateway', rows: (s) => (s.sql.includes('@got') ? [{ got: 0 }] : []) });
    sources = {
      iyss: createRecordingDatabase({ database: 'iyss' }),
      umis: createRecordingDatabase({ database: 'umis' }),
      yois: createRecordingDatabase({ database: 'yois' }),
      dms: createRecordingDatabase({ database: 'dms' }),
    };
    // What openGatewayStore and createServices do, in order, over databases that record instead of connecting.
    await migrateGatewayStore(store);
    await withStoreInitLock(store, async () => {
      for (const table of APPEND_ONLY_TABLES) await ensureAppendOnly(store, table);
    });
    const gatewayStore: GatewayStore = { database: store, ping: async () => {}, close: async () => {} };
    const config = loadConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'x'.repeat(40) });
    const services = assembleServices(config, createLogger('silent'), gatewayStore, { ...sources, files: folderFileStore('/nonexistent') } as unknown as SourceDatabases);
    await withStoreInitLock(store, async () => {
      await services.policy.ensureInstalled();
      await matchIfUnlinked(services);
    });
  });

  it('sends only T-SQL: every statement parses, none by leniency', () => {
    const statements = [...new Set([store, ...Object.values(sources)].flatMap((database) => database.statements.map((s) => s.sql)))];
    const verdicts = statements.map((sql) => ({ sql, verdict: checkTsql(sql) }));
    expect(verdicts.filter(({ verdict }) => !verdict.ok)).toEqual([]);
    // The ones the grammar has no rule for are only our own fixed batches: one trigger per append-only table and two locks.
    const byTemplate = verdicts.filter(({ verdict }) => verdict.ok && verdict.by === 'template');
    expect(byTemplate.map(({ verdict }) => (verdict.ok ? verdict.template : '')).sort()).toEqual(
      [...APPEND_ONLY_TABLES.map(() => 'append-only trigger'), 'migration lock', 'store initialisation lock'].sort(),
    );
    expect(verdicts.length - byTemplate.length).toBeGreaterThanOrEqual(50);
  });

  it('runs the baseline migration under the migration lock and records it', () => {
    const sqls = store.statements.map((s) => s.sql);
    const lock = sqls.findIndex((sql) => sql.includes("sp_getapplock @Resource = N'kysely_migration'"));
    const firstTable = sqls.findIndex((sql) => sql.startsWith('create table "gateway_meta"'));
    expect(lock).toBeGreaterThanOrEqual(0);
    expect(firstTable).toBeGreaterThan(lock);
    expect(store.statements.find((s) => s.sql.startsWith('insert into "kysely_migration"'))!.parameters[0]).toBe('0001_baseline');
  });

  it('asks for the first person with TOP, and never sends LIMIT', () => {
    expect(store.statements.map((s) => s.sql)).toContain('select top(1) "person_id" from "identity_person"');
  });
});
