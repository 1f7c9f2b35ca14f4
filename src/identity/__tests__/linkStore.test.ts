import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../../../adapters/drivers/createDatabase';
import { generatePopulation } from '../../../adapters/synthetic/population';
// eslint-disable-next-line import/no-restricted-paths -- a test may use the test helpers; the rule guards production code
import { createScratchMysqlDatabase, testEngines } from '../../../test/support/testDatabases';
import { renderSystems, type RenderedSystems } from '../evaluation/renderSeedSystems';
import {
  applyMatchResult,
  confirmLink,
  newPersonId,
  ensureIdentitySchema,
  eventsForPerson,
  IdentityOperationError,
  linkEvent,
  linksForPersons,
  loadMatchConstraints,
  personIdFor,
  personIdsFor,
  rejectLink,
  splitPerson,
  undo,
  type IdentityTables,
} from '../linkStore';
import { recordKey, type MatchRecord, type RecordRef } from '../matchRecord';
import { matchIncrementally, matchRecords } from '../matchRecords';

const T0 = '2026-11-24T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const officer = { actor: 'triage.officer@hackney.example', reason: 'Checked with the school: different children' };

/** Every active link, as `record -> person`, for comparing whole states. */
async function snapshot(database: Database<IdentityTables>): Promise<Record<string, string>> {
  const rows = await database.db.selectFrom('identity_link').selectAll().where('active', '=', 1).execute();
  return Object.fromEntries(rows.map((r) => [`${r.source_system}:${r.source_id}`, `${r.person_id}/${r.method}`]).sort());
}

async function rejectedPairs(database: Database<IdentityTables>): Promise<string[]> {
  const rows = await database.db.selectFrom('identity_rejected_pair').selectAll().where('active', '=', 1).execute();
  return rows.map((r) => `${r.record_a}|${r.record_b}`).sort();
}

async function eventCount(database: Database<IdentityTables>): Promise<number> {
  const row = await database.db.selectFrom('identity_link_event').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('newPersonId', () => {
  it('is opaque and random: 10 Crockford base32 characters, a thousand draws all different', () => {
    const ids = Array.from({ length: 1_000 }, () => newPersonId());
    for (const id of ids) expect(id).toMatch(/^P-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe.each(testEngines())('linkStore on %s', (engine) => {
  let database: Database<IdentityTables>;
  let cleanup: () => Promise<void>;
  let rendered: RenderedSystems;

  async function openStore(): Promise<{ database: Database<IdentityTables>; cleanup: () => Promise<void> }> {
    if (engine === 'mysql') {
      const scratch = await createScratchMysqlDatabase('identity');
      const db = createDatabase<IdentityTables>(scratch.url);
      return { database: db, cleanup: async () => { await db.close(); await scratch.drop(); } };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-'));
    const db = createDatabase<IdentityTables>(`sqlite:${path.join(dir, 'gateway.db')}`);
    return { database: db, cleanup: async () => { await db.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }

  beforeAll(async () => {
    rendered = renderSystems(generatePopulation({ seed: 5, size: 400 }), { seed: 5 });
    ({ database, cleanup } = await openStore());
    await ensureIdentitySchema(database);
    await ensureIdentitySchema(database); // idempotent
  });
  afterAll(async () => {
    await cleanup?.();
  });

  /** A person with at least three records, and its records. */
  async function bigPerson(): Promise<{ personId: string; records: RecordRef[] }> {
    const clusters = matchRecords(rendered.records).clusters.filter((c) => c.length >= 3);
    const first = clusters[0] as RecordRef[];
    const personId = (await personIdFor(database, first[0]!.source, first[0]!.sourceId)) as string;
    const [links] = await linksForPersons(database, [personId]);
    return { personId, records: (links as RecordRef[]).map(({ source, sourceId }) => ({ source, sourceId })) };
  }

  it('applies a full run: every record gets a person, one LINK event per person, and a rerun changes nothing', async () => {
    const result = matchRecords(rendered.records);
    const summary = await applyMatchResult(database, result, T0);
    expect(summary.linksCreated).toBe(rendered.records.length);
    expect(summary.personsCreated).toBe(result.clusters.length);
    expect(summary.events).toBe(result.clusters.length);

    const personIds = await personIdsFor(database, rendered.records);
    expect(personIds.every((id) => typeof id === 'string')).toBe(true);
    // Records the matcher put together share a person, under an ID nobody can compute from the records.
    for (const cluster of result.clusters.slice(0, 50)) {
      const ids = await personIdsFor(database, cluster);
      expect(new Set(ids).size).toBe(1);
      expect(ids[0]).toMatch(/^P-[0-9A-HJKMNP-TV-Z]{10}$/);
    }

    const before = await snapshot(database);
    const events = await eventCount(database);
    const again = await applyMatchResult(database, matchRecords(rendered.records), at(1));
    expect(again).toMatchObject({ linksCreated: 0, linksMoved: 0, personsCreated: 0, events: 0 });
    expect(await snapshot(database)).toEqual(before);
    expect(await eventCount(database)).toBe(events);
  });

  it('answers batches in key order, with an error for an unknown person', async () => {
    const { personId, records } = await bigPerson();
    const answer = await linksForPersons(database, ['P-UNKNOWN000', personId, personId]);
    expect(answer[0]).toBeInstanceOf(IdentityOperationError);
    expect((answer[1] as RecordRef[]).map(recordKey)).toEqual(records.map(recordKey));
    expect(answer[2]).toEqual(answer[1]);
    expect(await personIdFor(database, 'IYSS', 'no-such-record')).toBeNull();
  });

  it('confirms a link, with an event, and undo restores the link as it was', async () => {
    const { personId, records } = await bigPerson();
    const record = records[1] as RecordRef;
    const before = await snapshot(database);
    const event = await confirmLink(database, { personId, record, ...officer, reason: 'Same child: confirmed with the school', now: at(10) });
    expect(event).toMatchObject({ action: 'CONFIRM', actor: officer.actor, personId });
    expect(event.before.links[0]?.link?.method).not.toBe('CONFIRMED');
    expect(event.after.links[0]?.link).toMatchObject({ personId, method: 'CONFIRMED', madeBy: officer.actor });
    expect((await snapshot(database))[recordKey(record)]).toBe(`${personId}/CONFIRMED`);
    await expect(confirmLink(database, { personId, record, ...officer, now: at(11) })).rejects.toThrow(IdentityOperationError);

    const undone = await undo(database, event.eventId, officer.actor, 'Confirmed the wrong record', at(12));
    expect(undone).toMatchObject({ action: 'UNDO', after: { undoes: event.eventId } });
    expect(await snapshot(database)).toEqual(before);
    // Already undone: the state no longer matches the event's after state.
    await expect(undo(database, event.eventId, officer.actor, 'again', at(13))).rejects.toThrow(/changed since/);
    const history = await eventsForPerson(database, personId);
    expect(history.map((e) => e.action)).toEqual(expect.arrayContaining(['LINK', 'CONFIRM', 'UNDO']));
  });

  it('rejects a link: the record leaves for a person of its own, and no rerun joins them again', async () => {
    const { personId, records } = await bigPerson();
    const record = records[0] as RecordRef;
    const before = await snapshot(database);
    const event = await rejectLink(database, { personId, record, ...officer, now: at(20) });
    expect(event.action).toBe('REJECT');
    const newPerson = await personIdFor(database, record.source, record.sourceId);
    expect(newPerson).not.toBe(personId);
    expect(newPerson).toMatch(/^P-/);
    const [remaining] = await linksForPersons(database, [personId]);
    expect((remaining as RecordRef[]).map(recordKey)).toEqual(records.slice(1).map(recordKey));
    expect(await rejectedPairs(database)).toHaveLength(records.length - 1);

    // A full rerun with the human decisions as constraints, and one without them: neither rejoins.
    const afterReject = await snapshot(database);
    const constrained = await applyMatchResult(database, matchRecords(rendered.records, await loadMatchConstraints(database)), at(21));
    expect(constrained.events).toBe(0);
    const unconstrained = await applyMatchResult(database, matchRecords(rendered.records), at(22));
    expect(unconstrained.linksMoved).toBe(0);
    expect(await snapshot(database)).toEqual(afterReject);

    // Confirming the rejected record back into the person is refused until the rejection is undone.
    await expect(confirmLink(database, { personId, record, ...officer, now: at(23) })).rejects.toThrow(/rejected/);
    await undo(database, event.eventId, officer.actor, 'Rejected in error', at(24));
    expect(await snapshot(database)).toEqual(before);
    expect(await rejectedPairs(database)).toEqual([]);
  });

  it('splits a person, remembers the split as rejections, and undo puts it back', async () => {
    const { personId, records } = await bigPerson();
    const moving = records.slice(0, 2);
    const before = await snapshot(database);
    const event = await splitPerson(database, personId, moving, officer.actor, 'Two children under one record', at(30));
    expect(event.action).toBe('SPLIT');
    const ids = await personIdsFor(database, moving);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).not.toBe(personId);
    expect(await rejectedPairs(database)).toHaveLength(2 * (records.length - 2));
    // Undoing the split after a later change to those records is refused: undo the later one first.
    const later = await confirmLink(database, { personId: ids[0] as string, record: moving[0] as RecordRef, ...officer, now: at(31) }).catch((e: unknown) => e);
    expect(later).toBeInstanceOf(IdentityOperationError); // split-off records are already confirmed
    const laterReject = await rejectLink(database, { personId: ids[0] as string, record: moving[1] as RecordRef, ...officer, now: at(32) });
    await expect(undo(database, event.eventId, officer.actor, 'too soon', at(33))).rejects.toThrow(/undo the later events first/);
    await undo(database, laterReject.eventId, officer.actor, 'back', at(34));
    await undo(database, event.eventId, officer.actor, 'Split in error', at(35));
    expect(await snapshot(database)).toEqual(before);
    expect(await rejectedPairs(database)).toEqual([]);
  });

  it('undoes a match run event: the records go back to where they were', async () => {
    const { personId } = await bigPerson();
    const [linkEventOfPerson] = (await eventsForPerson(database, personId)).filter((e) => e.action === 'LINK');
    expect(linkEventOfPerson).toBeDefined();
    const event = linkEventOfPerson!;
    const stored = await linkEvent(database, event.eventId);
    expect(stored?.after.links.length).toBe(event.after.links.length);
    await undo(database, event.eventId, officer.actor, 'Matcher linked too eagerly', at(40));
    const ids = await personIdsFor(database, event.after.links);
    expect(ids.every((id) => id === null)).toBe(true);
    // Undoing the undo relinks them.
    const [undoEvent] = (await eventsForPerson(database, personId)).filter((e) => e.action === 'UNDO' && e.after.undoes === event.eventId);
    await undo(database, undoEvent!.eventId, officer.actor, 'Redo', at(41));
    expect(new Set(await personIdsFor(database, event.after.links))).toEqual(new Set([personId]));
  });

  it('applies an incremental run: a changed record moves, a new record joins its person', async () => {
    const full = matchRecords(rendered.records, await loadMatchConstraints(database));
    await applyMatchResult(database, full, at(50));
    // A person in two systems; the newcomer is their record in the third (issue 12: a second record
    // in a system the person is already in goes to review instead of joining).
    const pairCluster = full.clusters.find((c) => c.length === 2 && c[0]!.source !== c[1]!.source) as RecordRef[];
    const personId = (await personIdFor(database, pairCluster[0]!.source, pairCluster[0]!.sourceId)) as string;
    const missing = (['IYSS', 'UMIS', 'YOIS'] as const).find((system) => !pairCluster.some((r) => r.source === system)) as MatchRecord['source'];
    const anchor = rendered.records.find((r) => recordKey(r) === recordKey(pairCluster[0] as RecordRef)) as MatchRecord;
    const newcomer: MatchRecord = { ...anchor, source: missing, sourceId: missing === 'UMIS' ? '00000000-0000-4000-8000-000000000001' : '990001', upn: null, pncNumber: null };
    const incremental = matchIncrementally(full.index, [newcomer]);
    const summary = await applyMatchResult(database, incremental, at(51));
    expect(summary.linksCreated).toBe(1);
    expect(await personIdFor(database, newcomer.source, newcomer.sourceId)).toBe(personId);
    const [event] = (await eventsForPerson(database, personId)).filter((e) => e.at === at(51));
    expect(event?.action).toBe('LINK');
    expect(event?.after.links.map(recordKey)).toEqual([recordKey(newcomer)]);
  });

  it('refuses invalid operations with a clear IdentityOperationError', async () => {
    const { personId, records } = await bigPerson();
    const stranger: RecordRef = { source: 'YOIS', sourceId: '999999' };
    await expect(rejectLink(database, { personId: 'P-NOSUCHPERS', record: stranger, ...officer })).rejects.toThrow(/No gateway person/);
    await expect(rejectLink(database, { personId, record: stranger, ...officer })).rejects.toThrow(/is not linked to/);
    await expect(splitPerson(database, personId, records, officer.actor, 'all of them')).rejects.toThrow(/left with no records/);
    await expect(splitPerson(database, personId, [], officer.actor, 'none')).rejects.toThrow(/at least one record/);
    await expect(confirmLink(database, { personId, record: records[0] as RecordRef, actor: officer.actor, reason: '  ' })).rejects.toThrow(/reason is required/);
    await expect(undo(database, 'E-nosuchevent', officer.actor, 'why')).rejects.toThrow(/No identity event/);
    await expect(applyMatchResult(database, matchRecords([]), 'not a date')).rejects.toThrow(IdentityOperationError);
  });
});
