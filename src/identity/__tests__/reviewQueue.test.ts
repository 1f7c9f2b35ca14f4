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
  ensureIdentitySchema,
  IdentityOperationError,
  linkExplanations,
  linksForPersons,
  loadMatchConstraints,
  personIdsFor,
  resolveReview,
  reviewItem,
  reviewItems,
  reviewQueueCounts,
  undo,
  type IdentityTables,
  type ReviewItem,
} from '../linkStore';
import { recordKey } from '../matchRecord';
import { matchIncrementally, matchRecords } from '../matchRecords';

const T0 = '2026-11-24T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const steward = { actor: 'data.steward@hackney.example' };

describe.each(testEngines())('the review queue on %s', (engine) => {
  let database: Database<IdentityTables>;
  let cleanup: () => Promise<void>;
  let rendered: RenderedSystems;

  beforeAll(async () => {
    rendered = renderSystems(generatePopulation({ seed: 7, size: 400 }), { seed: 7 });
    if (engine === 'mysql') {
      const scratch = await createScratchMysqlDatabase('review');
      database = createDatabase<IdentityTables>(scratch.url);
      cleanup = async () => { await database.close(); await scratch.drop(); };
    } else {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-'));
      database = createDatabase<IdentityTables>(`sqlite:${path.join(dir, 'gateway.db')}`);
      cleanup = async () => { await database.close(); fs.rmSync(dir, { recursive: true, force: true }); };
    }
    await ensureIdentitySchema(database);
  });
  afterAll(async () => {
    await cleanup?.();
  });

  const fullRun = async (minutes: number) => applyMatchResult(database, matchRecords(rendered.records, await loadMatchConstraints(database)), at(minutes));
  const open = () => reviewItems(database, { status: 'OPEN', limit: 10_000 });
  const together = async (item: ReviewItem) => {
    const [a, b] = await personIdsFor(database, [item.a, item.b]);
    return a === b;
  };

  it('queues the pairs a full run scores between the thresholds, each with its explanation, and a rerun changes nothing', async () => {
    const result = matchRecords(rendered.records);
    const summary = await fullRun(0);
    const items = await open();
    expect(items.length).toBeGreaterThan(3);
    expect(summary.reviewQueue.queued).toBe(items.length);
    // Every queued pair is one the run proposed for review, in two persons now.
    const proposed = new Set(result.pairs.filter((p) => p.decision === 'REVIEW').map((p) => [recordKey(p.a), recordKey(p.b)].sort().join('|')));
    for (const item of items) {
      expect(proposed.has(`${recordKey(item.a)}|${recordKey(item.b)}`)).toBe(true);
      expect(await together(item)).toBe(false);
      expect(item.itemId).toMatch(/^R-[0-9a-z]{9}[0-9a-f]{12}$/);
      expect(item.explanation.modelVersion).toBe(result.index.model.version);
      expect(item.explanation.decision).toBe('REVIEW');
      expect(item.explanation.total).toBeCloseTo(item.score, 6);
      expect(item.explanation.total).toBeGreaterThanOrEqual(item.explanation.thresholds.review);
      expect(item.explanation.fields.map((f) => f.field)).toEqual(expect.arrayContaining(['forename', 'surname', 'dateOfBirth', 'postcode']));
    }
    const again = await fullRun(1);
    expect(again.reviewQueue).toEqual({ queued: 0, reopened: 0, rescored: 0, closed: 0, keptDecided: 0 });
    expect((await open()).map((i) => i.itemId)).toEqual(items.map((i) => i.itemId));
  });

  it('lists the likeliest first on request: every open item once, score descending, ties oldest first, across pages', async () => {
    const all = await open();
    const pages: ReviewItem[] = [];
    let after: string | null = null;
    for (;;) {
      const page: ReviewItem[] = await reviewItems(database, { status: 'OPEN', limit: 3, after, order: 'MOST_LIKELY_FIRST' });
      pages.push(...page);
      if (page.length < 3) break;
      after = (page.at(-1) as ReviewItem).itemId;
    }
    expect(pages.map((i) => i.itemId).sort()).toEqual(all.map((i) => i.itemId).sort());
    for (let i = 1; i < pages.length; i++) {
      const [before, item] = [pages[i - 1] as ReviewItem, pages[i] as ReviewItem];
      expect(before.score > item.score || (before.score === item.score && before.itemId < item.itemId)).toBe(true);
    }
    expect(await reviewItems(database, { status: 'OPEN', limit: 3, after: 'no-such-item', order: 'MOST_LIKELY_FIRST' })).toEqual([]);
  });

  it('keeps each link\u2019s explanation while the record stays in that person', async () => {
    const result = matchRecords(rendered.records);
    const linked = result.pairs.find((p) => p.decision === 'AUTO_LINK' && p.method === 'PROBABILISTIC')!;
    const [personId] = await personIdsFor(database, [linked.a]);
    const [links] = await linksForPersons(database, [personId!]);
    const explained = await linkExplanations(database, links as ReviewItem['a'][]);
    const mine = explained.get(recordKey(linked.a))!;
    expect(mine.personId).toBe(personId);
    expect(mine.explanation).toMatchObject({ method: 'PROBABILISTIC', decision: 'AUTO_LINK', modelVersion: result.index.model.version });
    // Its partner is in the same person, and the explanation is the pair's.
    const [partnerPerson] = await personIdsFor(database, [mine.partner]);
    expect(partnerPerson).toBe(personId);
    expect(mine.explanation.total).toBeGreaterThanOrEqual(mine.explanation.thresholds.autoLink);
  });

  it('resolves items: a confirmation joins and pins the pair, a rejection keeps it apart, and the next runs keep both decisions', async () => {
    const items = await open();
    const [toConfirm, toReject] = items;
    const confirmed = await resolveReview(database, { itemId: toConfirm!.itemId, decision: 'CONFIRM', ...steward, reason: 'Same child: checked with the school', now: at(10) });
    expect(confirmed.item.status).toBe('CONFIRMED');
    expect(confirmed.personIds[0]).toBe(confirmed.personIds[1]);
    expect(confirmed.event).toMatchObject({ action: 'CONFIRM', actor: steward.actor });
    const [links] = await linksForPersons(database, [confirmed.personIds[0]]);
    for (const ref of [toConfirm!.a, toConfirm!.b]) {
      expect((links as Array<{ source: string; sourceId: string; method: string }>).find((l) => l.source === ref.source && l.sourceId === ref.sourceId)?.method).toBe('CONFIRMED');
    }
    // The confirmed links are explained by the reviewed pair.
    const explained = await linkExplanations(database, [toConfirm!.a, toConfirm!.b]);
    expect(explained.get(recordKey(toConfirm!.a))?.explanation.total).toBeCloseTo(toConfirm!.score, 6);

    const rejected = await resolveReview(database, { itemId: toReject!.itemId, decision: 'REJECT', ...steward, reason: 'Different children: twins', now: at(11) });
    expect(rejected.item.status).toBe('REJECTED');
    expect(rejected.personIds[0]).not.toBe(rejected.personIds[1]);
    expect((await loadMatchConstraints(database)).rejectedPairs.map(([a, b]) => `${recordKey(a)}|${recordKey(b)}`)).toContain(`${recordKey(toReject!.a)}|${recordKey(toReject!.b)}`);

    // A resolved item is resolved: not again, and not by an unknown ID.
    await expect(resolveReview(database, { itemId: toConfirm!.itemId, decision: 'REJECT', ...steward, reason: 'Changed my mind', now: at(12) })).rejects.toThrow(IdentityOperationError);
    await expect(resolveReview(database, { itemId: 'R-nobody', decision: 'REJECT', ...steward, reason: 'Probe', now: at(12) })).rejects.toThrow(/No review item/);

    // The next full run (re-estimating the model) and an incremental run over both pairs keep the decisions.
    const next = await fullRun(20);
    expect(next.keptConfirmed + next.unchanged).toBeGreaterThan(0);
    const incremental = matchIncrementally(
      matchRecords(rendered.records, await loadMatchConstraints(database)).index,
      rendered.records.filter((r) => [toConfirm!.a, toConfirm!.b, toReject!.a, toReject!.b].some((ref) => ref.source === r.source && ref.sourceId === r.sourceId)),
    );
    await applyMatchResult(database, incremental, at(21));
    expect(await together(toConfirm!)).toBe(true);
    expect(await together(toReject!)).toBe(false);
    expect((await reviewItem(database, toConfirm!.itemId))?.status).toBe('CONFIRMED');
    expect((await reviewItem(database, toReject!.itemId))?.status).toBe('REJECTED');
    expect((await open()).some((i) => [toConfirm!.itemId, toReject!.itemId].includes(i.itemId))).toBe(false);
    const counts = await reviewQueueCounts(database);
    expect(counts.CONFIRMED).toBe(1);
    expect(counts.REJECTED).toBe(1);

    // Undoing the rejection reopens its item; a run then proposes the pair again and it stays open.
    await undo(database, rejected.event.eventId, steward.actor, 'Rejected the wrong pair', at(30));
    expect((await reviewItem(database, toReject!.itemId))?.status).toBe('OPEN');
    await fullRun(31);
    expect((await reviewItem(database, toReject!.itemId))?.status).toBe('OPEN');
  });

  it('closes an open item a run no longer proposes, and reopens it when one does', async () => {
    const [item] = await open();
    // A run whose records no longer include one side of the pair does not propose it.
    const without = rendered.records.filter((r) => !(r.source === item!.b.source && r.sourceId === item!.b.sourceId));
    const partial = matchRecords(without, await loadMatchConstraints(database));
    await applyMatchResult(database, { ...partial, clusters: partial.clusters }, at(40));
    expect((await reviewItem(database, item!.itemId))?.status).toBe('CLOSED');
    const back = await fullRun(41);
    expect(back.reviewQueue.reopened).toBeGreaterThanOrEqual(1);
    expect((await reviewItem(database, item!.itemId))?.status).toBe('OPEN');
  });
});
