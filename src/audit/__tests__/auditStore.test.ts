import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDatabase, type Database } from '../../../adapters/drivers/createDatabase';
// eslint-disable-next-line import/no-restricted-paths -- a test may use the test helpers; the rule guards production code
import { rejectionMessage } from '../../../test/support/rejectionMessage';
// eslint-disable-next-line import/no-restricted-paths -- a test may use the test helpers; the rule guards production code
import { createScratchMysqlDatabase, testEngines } from '../../../test/support/testDatabases';
import type { AuditEventInput } from '../AuditEvent';
import { createAuditLog, ensureAuditSchema, GENESIS_HASH, verifyAuditChain, type AuditTables } from '../auditStore';

const T0 = Date.parse('2026-11-24T09:00:00.000Z');

function event(n: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    at: new Date(T0 + n * 60_000).toISOString(),
    requestId: `req-${n}`,
    principal: { sub: n % 2 ? 'worker-a' : 'worker-b', roles: ['practitioner'], tier: 1, units: ['CU1'] },
    operation: 'query Person',
    purpose: n % 3 ? 'allocated casework' : null,
    people: [{ personId: `P-${String(n).padStart(10, '0')}`, breakGlassId: null, returned: ['YoungPerson.forename', 'YoungPerson.id'], denied: [] }],
    returned: ['Query.youngPerson', 'YoungPerson.forename', 'YoungPerson.id'],
    denied: [],
    outcome: 'RETURNED',
    ...overrides,
  };
}

describe.each(testEngines())('the audit chain on %s', (engine) => {
  let database: Database<AuditTables>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    if (engine === 'mysql') {
      const scratch = await createScratchMysqlDatabase('audit_store');
      database = createDatabase<AuditTables>(scratch.url);
      cleanup = async () => {
        await database.close();
        await scratch.drop();
      };
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-store-'));
      database = createDatabase<AuditTables>(`sqlite:${path.join(dir, 'gateway.db')}`);
      cleanup = async () => {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      };
    }
    await ensureAuditSchema(database);
    await ensureAuditSchema(database); // idempotent: every start runs it
  });
  afterAll(() => cleanup());

  it('starts empty and intact', async () => {
    expect(await verifyAuditChain(database)).toEqual({ events: 0, firstBrokenSeq: null, reason: null });
  });

  it('keeps 60 concurrent appends in one unbroken chain, in order, each linked to the one before', async () => {
    const log = createAuditLog(database);
    const stored = await Promise.all(Array.from({ length: 60 }, (_, i) => log.record(event(i + 1))));
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(stored[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.prevHash).toBe(stored[i - 1]!.hash);
    expect(stored.map((e) => e.requestId)).toEqual(Array.from({ length: 60 }, (_, i) => `req-${i + 1}`));
    expect(await verifyAuditChain(database)).toEqual({ events: 60, firstBrokenSeq: null, reason: null });
  });

  // Replicas share a server store; an embedded SQLite store is for one gateway process.
  if (engine === 'mysql') it('stays one chain when two gateway replicas (two pools) append at once', async () => {
    // Each replica has its own process-level queue; only the locked chain head row orders them.
    const other = createDatabase<AuditTables>((database.location as { url: string }).url);
    try {
      const [a, b] = [createAuditLog(database), createAuditLog(other)];
      const before = (await verifyAuditChain(database)).events;
      const stored = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).record(event(1000 + i, { principal: { sub: `replica-${i % 2}`, roles: ['practitioner'], tier: 1, units: [] } }))));
      expect(new Set(stored.map((e) => e.seq)).size).toBe(40);
      expect(Math.max(...stored.map((e) => e.seq))).toBe(before + 40);
      expect(await verifyAuditChain(database)).toEqual({ events: before + 40, firstBrokenSeq: null, reason: null });
    } finally {
      await other.close();
    }
  });

  it('answers by young person, caller, time range and break-glass, newest first, in pages', async () => {
    const log = createAuditLog(database);
    const glassEvent = await log.record(event(61, { people: [{ personId: 'P-BREAKGLASS', breakGlassId: 'BG-7', returned: ['YoungPerson.offences'], denied: [] }] }));
    const byPerson = await log.query({ personId: 'P-0000000007' }, { first: 10 });
    expect(byPerson.events.map((e) => e.requestId)).toEqual(['req-7']);
    const bySub = await log.query({ sub: 'worker-b' }, { first: 5 });
    expect(bySub.totalCount).toBe(30);
    expect(bySub.hasNextPage).toBe(true);
    expect(bySub.events.map((e) => e.seq)).toEqual([60, 58, 56, 54, 52]);
    const next = await log.query({ sub: 'worker-b' }, { first: 5, beforeSeq: 52 });
    expect(next.events[0]!.seq).toBe(50);
    const window = await log.query({ from: new Date(T0 + 10 * 60_000).toISOString(), to: new Date(T0 + 13 * 60_000).toISOString() }, { first: 10 });
    expect(window.events.map((e) => e.seq)).toEqual([12, 11, 10]);
    const glass = await log.query({ breakGlassId: 'BG-7' }, { first: 10 });
    expect(glass.events.map((e) => ({ seq: e.seq, breakGlassIds: e.breakGlassIds }))).toEqual([{ seq: glassEvent.seq, breakGlassIds: ['BG-7'] }]);
  });

  it('refuses UPDATE and DELETE on the event and person tables', async () => {
    const db = database.db;
    expect(await rejectionMessage(db.updateTable('audit_event').set({ sub: 'someone-else' }).where('seq', '=', 3).execute())).toMatch(/append-only/);
    expect(await rejectionMessage(db.deleteFrom('audit_event').where('seq', '=', 3).execute())).toMatch(/append-only/);
    expect(await rejectionMessage(db.updateTable('audit_event_person').set({ person_id: 'P-X' }).where('seq', '=', 3).execute())).toMatch(/append-only/);
    expect(await rejectionMessage(db.deleteFrom('audit_event_person').execute())).toMatch(/append-only/);
    expect((await verifyAuditChain(database)).firstBrokenSeq).toBeNull();
  });

  it('reports the first broken link when someone with rights to drop the triggers rewrites history', async () => {
    await sql.raw('DROP TRIGGER IF EXISTS audit_event_no_update').execute(database.db);
    await database.db.updateTable('audit_event').set({ purpose: 'nothing to see' }).where('seq', '=', 17).execute();
    expect(await verifyAuditChain(database)).toEqual({
      events: 16,
      firstBrokenSeq: 17,
      reason: 'its content does not match its hash (the event was changed)',
    });
    await ensureAuditSchema(database); // the next start puts the trigger back
    expect(await rejectionMessage(database.db.updateTable('audit_event').set({ purpose: null }).where('seq', '=', 17).execute())).toMatch(/append-only/);
  });
});
