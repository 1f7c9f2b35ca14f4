import { runFullMatch } from '../../src/identity/runFullMatch';
import type { ReviewItemView } from '../../src/persons/PersonDirectory';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';
import { storeRowCounts } from '../support/storeRows';

const PURPOSE = { 'x-purpose': 'data_quality' };
const EXPLANATION = 'modelVersion method rule priorWeight total matchProbability autoLinkThreshold reviewThreshold decision guard fields { field level weight m u termFrequency }';
const RECORD = 'system sourceId personId iyss { sourceId forename surname dateOfBirth address { postcode } } umis { sourceId forename surname dateOfBirth } yois { sourceId forename surname dateOfBirth pncNumber }';
const QUEUE = `query($status: IdentityReviewStatus, $first: Int, $after: String) {
  identityReviewQueue(status: $status, first: $first, after: $after) {
    edges { cursor node { id status score queuedAt resolvedBy resolutionReason explanation { ${EXPLANATION} } records { ${RECORD} } } }
    pageInfo { hasNextPage endCursor } } }`;
/** The same, without the fields above tier 1 (a tier-1 caller asking for them gets a refusal per field). */
const QUEUE_TIER1 = QUEUE.replace(' umis { sourceId forename surname dateOfBirth } yois { sourceId forename surname dateOfBirth pncNumber }', '');
const RESOLVE = `mutation($id: ID!, $decision: IdentityReviewDecision!, $reason: String!) {
  resolveIdentityReview(itemId: $id, decision: $decision, reason: $reason) { id status resolvedBy resolutionReason records { system sourceId personId } } }`;
const LINKS = `query($id: ID!) { identityLinks(personId: $id) { system sourceId method score madeBy matchedWith { system sourceId } explanation { ${EXPLANATION} } } }`;

interface QueueNode {
  id: string;
  status: string;
  score: number;
  explanation: { modelVersion: string; total: number; reviewThreshold: number; autoLinkThreshold: number; decision: string; fields: Array<{ field: string; level: string; weight: number }> };
  records: Array<{ system: string; sourceId: string; personId: string; iyss: unknown; umis: unknown; yois: unknown }>;
}

const key = (r: { system: string; sourceId: string }) => `${r.system}:${r.sourceId}`;

describe('the identity review queue over HTTP: list, explain, resolve, and the next run keeps the decision', () => {
  let gateway: TestGateway;
  let steward: string;
  let items: ReviewItemView[];
  /** An item with a UMIS or YOIS record whose people the steward's units do not hold. */
  let unseeable: ReviewItemView;
  let toConfirm: ReviewItemView;
  let toReject: ReviewItemView;

  const holders = async (item: ReviewItemView) => Promise.all(item.records.map((r) => gateway.personIdOf(r.system, r.sourceId)));
  const unitsOf = async (item: ReviewItemView) => [...new Set((await Promise.all((await holders(item)).map((p) => gateway.allocatedUnitsOf(p)))).flat())];
  const queue = async (token: string, variables: Record<string, unknown> = {}, text = QUEUE) => {
    const { body } = await gateway.graphql(text, { first: 100, ...variables }, token, PURPOSE);
    expect(body.errors).toBeUndefined();
    return body.data.identityReviewQueue as { edges: Array<{ cursor: string; node: QueueNode }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
  };
  const allPages = async (token: string, status = 'OPEN', text = QUEUE) => {
    const nodes: QueueNode[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await queue(token, { status, after, first: 50 }, text);
      nodes.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) return nodes;
      after = page.pageInfo.endCursor;
    }
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 400 });
    items = await gateway.services.identity.reviewItems('OPEN', null, 10_000);
    // Two items of sensitive records whose people are allocated (the steward gets those units), and one
    // of a sensitive record whose people are allocated elsewhere (no need to know).
    const sensitive: Array<{ item: ReviewItemView; units: string[]; everyoneAllocated: boolean }> = [];
    for (const item of items) {
      if (!item.records.some((r) => r.system !== 'IYSS')) continue;
      const allocations = await Promise.all((await holders(item)).map((p) => gateway.allocatedUnitsOf(p)));
      sensitive.push({ item, units: await unitsOf(item), everyoneAllocated: allocations.every((units) => units.length > 0) });
    }
    // Need to know for both people concerned: each allocated to a unit the steward will hold.
    const allocated = sensitive.filter((s) => s.everyoneAllocated);
    // Two pairs with no record in common, so each decision is judged on its own.
    const other = allocated.find((s) => !s.item.records.some((r) => allocated[0]!.item.records.some((q) => key(q) === key(r))))!;
    [toConfirm, toReject] = [allocated[0]!.item, other.item];
    const mine = new Set([...allocated[0]!.units, ...other.units]);
    unseeable = sensitive.find((s) => s.units.length > 0 && !s.units.some((u) => mine.has(u)))!.item;
    expect(unseeable).toBeDefined();
    steward = await gateway.token({ sub: 'steward-grace', roles: ['data_steward'], tier: 3, units: [...mine] });
  }, 120_000);
  afterAll(() => gateway.stop());

  it('lists the queue a full run filled, oldest first in pages, each item with both records side by side and its explanation', async () => {
    expect(items.length).toBeGreaterThan(5);
    const nodes = await allPages(steward);
    const ids = nodes.map((n) => n.id);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining([toConfirm.id, toReject.id]));
    expect(ids).not.toContain(unseeable.id);
    const node = nodes.find((n) => n.id === toConfirm.id)!;
    expect(node.status).toBe('OPEN');
    expect(node.records.map(key)).toEqual(toConfirm.records.map(key));
    for (const record of node.records) {
      // The record as its system holds it, under the field for its system only.
      const shown = { IYSS: record.iyss, UMIS: record.umis, YOIS: record.yois };
      for (const [system, value] of Object.entries(shown)) expect(value === null).toBe(system !== record.system);
      expect((shown[record.system as 'IYSS'] as { sourceId: string }).sourceId).toBe(record.sourceId);
    }
    expect(node.records[0]!.personId).not.toBe(node.records[1]!.personId);
    const { explanation } = node;
    expect(explanation.modelVersion).toMatch(/^fs1-/);
    expect(explanation.decision).toBe('REVIEW');
    expect(explanation.total).toBeCloseTo(node.score, 6);
    expect(explanation.total).toBeGreaterThanOrEqual(explanation.reviewThreshold);
    expect(explanation.fields.map((f) => f.field)).toEqual(['forename', 'surname', 'nameOrder', 'dateOfBirth', 'postcode', 'gender']);

    const first = await queue(steward, { first: 1 });
    expect(first.edges).toHaveLength(1);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[0]!.cursor });
    const second = await queue(steward, { first: 1, after: first.pageInfo.endCursor });
    expect(second.edges[0]!.node.id).toBe(ids[1]);
  });

  it('lists the likeliest first when asked: the same items, highest score first, page after page', async () => {
    const ORDERED = QUEUE.replace('$after: String)', '$after: String, $order: IdentityReviewOrder)').replace('after: $after)', 'after: $after, order: $order)');
    const oldestFirst = await allPages(steward);
    const likeliest: QueueNode[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await queue(steward, { order: 'MOST_LIKELY_FIRST', first: 3, after }, ORDERED);
      likeliest.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(likeliest.map((n) => n.id).sort()).toEqual(oldestFirst.map((n) => n.id).sort());
    const scores = likeliest.map((n) => n.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The queue is not already in that order, or this would show nothing.
    expect(oldestFirst.map((n) => n.score)).not.toEqual(scores);

    const { body } = await gateway.graphql(ORDERED, { order: 'MOST_LIKELY_FIRST', first: 3, after: 'no-such-item' }, steward, PURPOSE);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'BAD_CURSOR' });
  });

  it('shows an item only to whom may resolve it: by role, by clearance, and by need to know', async () => {
    const practitioner = await gateway.token({ sub: 'pat', roles: ['practitioner'], tier: 3, units: ['CU1'] });
    const refused = await gateway.graphql(QUEUE, { first: 5 }, practitioner, { 'x-purpose': 'allocated_casework' });
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    // A tier-1 steward sees IYSS pairs only; a steward of no unit no pair of an allocated child's UMIS or YOIS records.
    const tier1 = await gateway.token({ sub: 'steward-t1', roles: ['data_steward'], tier: 1, units: [] });
    for (const node of await allPages(tier1, 'OPEN', QUEUE_TIER1)) expect(node.records.every((r) => r.system === 'IYSS')).toBe(true);
    const noUnit = await gateway.token({ sub: 'steward-nounit', roles: ['data_steward'], tier: 3, units: [] });
    const shown = (await allPages(noUnit)).map((n) => n.id);
    expect(shown).not.toContain(toConfirm.id);
    expect(shown).not.toContain(unseeable.id);
  });

  it('answers an item the caller may not resolve exactly as one that does not exist, and changes nothing', async () => {
    const before = await storeRowCounts(gateway);
    const ask = async (id: string, token = steward) =>
      (await gateway.graphql(RESOLVE, { id, decision: 'REJECT', reason: 'Probing an item' }, token, PURPOSE)).body;
    const nobody = await ask('R-nobody');
    expect(nobody.data.resolveIdentityReview).toBeNull();
    expect(nobody.errors).toEqual([expect.objectContaining({ message: 'No review item that you may resolve has that ID', extensions: { code: 'NOT_FOUND' } })]);
    const tier1 = await gateway.token({ sub: 'steward-t1', roles: ['data_steward'], tier: 1, units: [] });
    for (const [label, answer] of [['no need to know', await ask(unseeable.id)], ['above clearance', await ask(toConfirm.id, tier1)]] as const) {
      expect({ label, data: answer.data, errors: answer.errors!.map((e) => ({ message: e.message, extensions: e.extensions })) }).toEqual({
        label,
        data: nobody.data,
        errors: nobody.errors!.map((e) => ({ message: e.message, extensions: e.extensions })),
      });
      for (const record of unseeable.records) expect(JSON.stringify(answer)).not.toContain(record.sourceId);
    }
    expect(await storeRowCounts(gateway)).toEqual(before);
    expect((await gateway.services.identity.reviewItem(unseeable.id))!.status).toBe('OPEN');
  });

  it('resolves items: a confirmation links the pair, a rejection keeps it apart; the links explain themselves; the next run keeps both', async () => {
    const confirmed = await gateway.graphql(RESOLVE, { id: toConfirm.id, decision: 'CONFIRM', reason: 'Same child: checked with the school' }, steward, PURPOSE);
    expect(confirmed.body.errors).toBeUndefined();
    const item = confirmed.body.data.resolveIdentityReview;
    expect(item).toMatchObject({ id: toConfirm.id, status: 'CONFIRMED', resolvedBy: 'steward-grace', resolutionReason: 'Same child: checked with the school' });
    const person = item.records[0].personId as string;
    expect(item.records[1].personId).toBe(person);

    const rejected = await gateway.graphql(RESOLVE, { id: toReject.id, decision: 'REJECT', reason: 'Different children: twins at one address' }, steward, PURPOSE);
    expect(rejected.body.errors).toBeUndefined();
    expect(rejected.body.data.resolveIdentityReview.status).toBe('REJECTED');
    const [ra, rb] = rejected.body.data.resolveIdentityReview.records as Array<{ personId: string }>;
    expect(ra!.personId).not.toBe(rb!.personId);

    // Resolved once only.
    const again = await gateway.graphql(RESOLVE, { id: toConfirm.id, decision: 'REJECT', reason: 'Changed my mind' }, steward, PURPOSE);
    expect(again.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'IDENTITY_CHANGE_REFUSED' });

    // The person's links: both records confirmed, explained by the reviewed pair (levels, weights, total, thresholds, model).
    const links = async () => {
      const { body } = await gateway.graphql(LINKS, { id: person }, steward, PURPOSE);
      expect(body.errors).toBeUndefined();
      return body.data.identityLinks as Array<{ system: string; sourceId: string; method: string; matchedWith: { system: string; sourceId: string } | null; explanation: QueueNode['explanation'] | null }>;
    };
    const pair = toConfirm.records.map(key);
    const shown = (await links()).filter((l) => pair.includes(key(l)));
    expect(shown).toHaveLength(2);
    for (const link of shown) {
      expect(link.method).toBe('CONFIRMED');
      expect(pair).toContain(key(link.matchedWith!));
      expect(link.explanation!.total).toBeCloseTo(toConfirm.score, 6);
      expect(link.explanation!.modelVersion).toBe(toConfirm.explanation.modelVersion);
    }

    // The next full run (as `npm run match` does it) keeps both decisions, and queues neither pair again.
    const { iyss, umis, yois } = gateway.services.sources;
    await runFullMatch(gateway.services.store.database as unknown as Parameters<typeof runFullMatch>[0], [iyss, umis, yois], new Date());
    // Read from the store: the run may move the person's other records (and with them its allocations, so what the steward may see).
    expect((await gateway.services.identity.links(person)).filter((l) => pair.includes(key(l))).map((l) => l.method)).toEqual(['CONFIRMED', 'CONFIRMED']);
    const [a, b] = await Promise.all(toReject.records.map((r) => gateway.personIdOf(r.system, r.sourceId)));
    expect(a).not.toBe(b);
    const open = (await allPages(steward)).map((n) => n.id);
    expect(open).not.toContain(toConfirm.id);
    expect(open).not.toContain(toReject.id);
    // Decided for good (from the store: what the steward may still see depends on the people's allocations now).
    expect((await gateway.services.identity.reviewItems('CONFIRMED', null, 100)).map((i) => i.id)).toEqual([toConfirm.id]);
    expect((await gateway.services.identity.reviewItems('REJECTED', null, 100)).map((i) => i.id)).toEqual([toReject.id]);
  });

  it('lists a person\u2019s links with explanations only for records the caller may see', async () => {
    // A child with a matched UMIS or YOIS record, allocated to a unit the asking steward lacks.
    const [, holder] = await Promise.all(unseeable.records.map((r) => gateway.personIdOf(r.system, r.sourceId)));
    const outsider = await gateway.token({ sub: 'steward-out', roles: ['data_steward'], tier: 3, units: ['CU-NONE'] });
    const { body } = await gateway.graphql(LINKS, { id: holder }, outsider, PURPOSE);
    expect(body.errors).toBeUndefined();
    for (const link of body.data.identityLinks as Array<{ system: string; matchedWith: { system: string } | null }>) {
      expect(link.system).toBe('IYSS');
      if (link.matchedWith) expect(link.matchedWith.system).toBe('IYSS');
    }
    // An unknown person and a record reference above the caller's clearance read alike.
    const tier1 = await gateway.token({ sub: 'steward-t1', roles: ['data_steward'], tier: 1, units: [] });
    const unknown = await gateway.graphql(LINKS, { id: 'P-ZZZZZZZZZZ' }, tier1, PURPOSE);
    const above = await gateway.graphql(LINKS, { id: `yp:YOIS:${unseeable.records.find((r) => r.system !== 'IYSS')!.sourceId}` }, tier1, PURPOSE);
    expect(unknown.body.errors![0]).toMatchObject({ message: 'No young person has that ID', extensions: { code: 'NOT_FOUND' } });
    expect(above.body).toEqual(unknown.body);
  });
});
