/**
 * Issue 10, items 1-3, over HTTP: identity changes, lookups and break-glass check every person and
 * record they name before acting, answer "no such" and "not yours" alike, person IDs cannot be
 * computed from a record, and a read never writes to the identity store.
 */
import type { Kysely } from 'kysely';
import { runFullMatch } from '../../src/identity/runFullMatch';
import type { PersonView } from '../../src/persons/PersonDirectory';
import { startTestGateway, type GraphQLBody, type TestGateway } from '../support/startTestGateway';
import { formerlyDerivedPersonId, storeRowCounts } from '../support/storeRows';

const CONFIRM = 'mutation($p: ID!, $r: RecordRefInput!) { confirmLink(personId: $p, record: $r, reason: "Same child, checked") { id forename yoisRecords { sourceId pncNumber } } }';
const REJECT = 'mutation($p: ID!, $r: RecordRefInput!) { rejectLink(personId: $p, record: $r, reason: "Not the same child") { id } }';
const SPLIT = 'mutation($p: ID!, $rs: [RecordRefInput!]!) { splitPerson(personId: $p, records: $rs, reason: "Two children in one") { id } }';
const UNDO = 'mutation($e: ID!) { undoIdentityChange(eventId: $e, reason: "Undo a mistake") { id } }';
const PERSON = 'query($id: ID!) { youngPerson(id: $id) { id forename surname } }';
const HISTORY = 'query($id: ID!) { identityHistory(personId: $id) { id action system sourceId } }';
const BREAK_GLASS = 'mutation($id: ID!) { openBreakGlass(personId: $id, reason: "Emergency: child missing from home tonight", minutes: 5) { id personId } }';
const ACCESS = 'query($id: ID!) { personAccessHistory(personId: $id) { sub returned denied outcome } }';
const DATA_QUALITY = { 'x-purpose': 'data_quality' };
const TARGET_NOT_FOUND = { message: 'No young person or record that you may change has that reference', extensions: { code: 'NOT_FOUND' } };
const PERSON_NOT_FOUND = { message: 'No young person has that ID', extensions: { code: 'NOT_FOUND' } };

/** A record reference as the API takes it. */
const ref = (record: { system: string; sourceId: string }) => ({ system: record.system, sourceId: record.sourceId });

/** What a client can tell apart in an answer: data, and each error's message, code and reason. */
const answerOf = (body: GraphQLBody) =>
  JSON.stringify({ data: body.data ?? null, errors: (body.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code, reason: e.extensions?.reason })) });

describe('identity changes, lookups and break-glass guard every target (issue 10)', () => {
  let gateway: TestGateway;
  let person: (id: string) => Promise<PersonView>;
  /** A child with IYSS and UMIS records, allocated to `unitA`. */
  let childA: PersonView;
  let unitA: string;
  /** Another unit's child with a YOIS record holding a PNC number: the victim of the attack. */
  let victim: PersonView;
  let victimYois: { sourceId: string; pncNumber: string; surname: string };
  let victimUnits: string[];
  /** A child known only to YOIS. */
  let yoisOnly: PersonView;
  /** Two children known only to IYSS. */
  let iyssOnly: PersonView[];

  beforeAll(async () => {
    gateway = await startTestGateway({ volume: 400 });
    person = async (id) => (await gateway.services.persons.personsByIds([id]))[0] as PersonView;
    const systemsOf = async (p: PersonView) => new Set(p.records.map((r) => r.system));
    const people = new Map<string, PersonView>();
    for (const t of gateway.dataset.population.slice(0, 400)) {
      for (const record of [...gateway.dataset.iyss.truth.filter((r) => r.personKey === t.personKey).map((r) => ['IYSS', String(r.youngPersonId)] as const),
        ...gateway.dataset.yois.truth.filter((r) => r.personKey === t.personKey).map((r) => ['YOIS', r.sourceId] as const)]) {
        const id = await gateway.personIdOf(record[0], record[1]);
        if (!people.has(id)) people.set(id, await person(id));
      }
    }
    const yoisPeople = await gateway.services.sources.yois.peopleByIds(
      [...people.values()].flatMap((p) => p.records.filter((r) => r.system === 'YOIS').map((r) => r.sourceId)),
    );
    const pncOf = new Map(yoisPeople.flatMap((r) => (r instanceof Error || !('pncNumber' in r) || !r.pncNumber ? [] : [[r.sourceId, { pnc: r.pncNumber as string, surname: r.surname }] as const])));
    iyssOnly = [];
    for (const p of people.values()) {
      const systems = await systemsOf(p);
      const units = await gateway.allocatedUnitsOf(p.personId);
      if (!childA && systems.has('IYSS') && systems.has('UMIS') && !systems.has('YOIS') && units.length) {
        childA = p;
        unitA = units[0]!;
      }
      if (systems.size === 1 && systems.has('YOIS')) yoisOnly ??= p;
      if (systems.size === 1 && systems.has('IYSS') && p.records.length === 1 && iyssOnly.length < 2) {
        // A record that still reads (a soft-deleted one names nobody).
        const [read] = await gateway.services.sources.iyss.peopleByIds([p.records[0]!.sourceId]);
        if (!(read instanceof Error)) iyssOnly.push(p);
      }
    }
    for (const p of people.values()) {
      const yois = p.records.find((r) => r.system === 'YOIS' && pncOf.has(r.sourceId));
      const units = await gateway.allocatedUnitsOf(p.personId);
      if (yois && p.records.length > 1 && p.personId !== childA.personId && units.length && !units.includes(unitA)) {
        victim = p;
        victimUnits = units;
        victimYois = { sourceId: yois.sourceId, pncNumber: pncOf.get(yois.sourceId)!.pnc, surname: pncOf.get(yois.sourceId)!.surname };
        break;
      }
    }
    expect([childA, victim, yoisOnly, iyssOnly[1]].every(Boolean)).toBe(true);
  });
  afterAll(() => gateway.stop());

  describe('item 1: identity mutations check each person and record first', () => {
    it('the attack from the issue: a Core Unit leader may no longer change links at all, and a data steward in that unit cannot pull another unit\u2019s YOIS record into their child', async () => {
      const record = { system: 'YOIS', sourceId: victimYois.sourceId };
      const leader = await gateway.token({ sub: 'leader-cu', roles: ['core_unit_leader'], tier: 3, units: [unitA] });
      const asLeader = await gateway.graphql(CONFIRM, { p: childA.personId, r: record }, leader, { 'x-purpose': 'allocated_casework' });
      expect(asLeader.body.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });

      const steward = await gateway.token({ sub: 'steward-cu', roles: ['data_steward'], tier: 3, units: [unitA] });
      const before = await storeRowCounts(gateway);
      const attack = await gateway.graphql(CONFIRM, { p: childA.personId, r: record }, steward, DATA_QUALITY);
      const unknown = await gateway.graphql(CONFIRM, { p: childA.personId, r: { system: 'YOIS', sourceId: '999991' } }, steward, DATA_QUALITY);
      expect(attack.body.errors).toEqual([expect.objectContaining(TARGET_NOT_FOUND)]);
      expect(answerOf(attack.body)).toBe(answerOf(unknown.body));
      const text = JSON.stringify(attack.body);
      for (const secret of [victimYois.pncNumber, victimYois.surname, victim.personId]) expect(text).not.toContain(secret);
      expect(await storeRowCounts(gateway)).toEqual(before);
      // Still one child each.
      expect((await person(victim.personId)).records.some((r) => r.sourceId === victimYois.sourceId)).toBe(true);

      // The probe is in the victim's access history, as refused.
      const auditor = await gateway.token({ sub: 'auditor-1', roles: ['auditor'], tier: 1, units: [] });
      const history = (await gateway.graphql(ACCESS, { id: victim.personId }, auditor)).body.data.personAccessHistory as Array<{ sub: string; denied: string[] }>;
      expect(history).toContainEqual(expect.objectContaining({ sub: 'steward-cu', denied: ['Mutation.confirmLink'] }));
    });

    it('answers alike for an unknown target, a record above the caller\u2019s clearance and another unit\u2019s child, for every link mutation, and writes nothing', async () => {
      const tier1 = await gateway.token({ sub: 'steward-t1', roles: ['data_steward'], tier: 1, units: [unitA] });
      const tier3 = await gateway.token({ sub: 'steward-t3', roles: ['data_steward'], tier: 3, units: [unitA] });
      const manager = await gateway.token({ sub: 'manager-t3', roles: ['triage_manager'], tier: 3, units: [] });
      const victimIyss = victim.records.find((r) => r.system === 'IYSS');
      const cases: Array<[string, string, Record<string, unknown>[]]> = [
        // [who, mutation, variables for: unknown target, then the targets they may not see]
        [tier1, REJECT, [{ p: 'P-0000000000', r: { system: 'YOIS', sourceId: '1' } }, { p: victim.personId, r: { system: 'YOIS', sourceId: victimYois.sourceId } }, { p: yoisOnly.personId, r: ref(yoisOnly.records[0]!) }]],
        [tier1, SPLIT, [{ p: 'P-0000000000', rs: [{ system: 'YOIS', sourceId: '1' }] }, { p: victim.personId, rs: [{ system: 'YOIS', sourceId: victimYois.sourceId }] }]],
        [tier3, REJECT, [{ p: 'P-0000000000', r: { system: 'YOIS', sourceId: '1' } }, { p: victim.personId, r: { system: 'YOIS', sourceId: victimYois.sourceId } }, { p: formerlyDerivedPersonId('YOIS', victimYois.sourceId), r: { system: 'YOIS', sourceId: victimYois.sourceId } }]],
        [tier3, CONFIRM, [{ p: 'P-0000000000', r: { system: 'UMIS', sourceId: 'no-such' } }, { p: victim.personId, r: ref(childA.records.find((r) => r.system === 'UMIS')!) }]],
        [manager, REJECT, [{ p: 'P-0000000000', r: { system: 'UMIS', sourceId: 'no-such' } }, { p: childA.personId, r: ref(childA.records.find((r) => r.system === 'UMIS')!) }]],
      ];
      // A tier-2 steward cannot tell a child with IYSS records only from one who also has a YOIS record: both
      // need to know before a UMIS record joins them, so neither answer says which holds the YOIS record.
      const tier2 = await gateway.token({ sub: 'steward-t2', roles: ['data_steward'], tier: 2, units: [unitA] });
      const umisA = ref(childA.records.find((r) => r.system === 'UMIS')!);
      cases.push([tier2, CONFIRM, [{ p: 'P-0000000000', r: umisA }, { p: iyssOnly[0]!.personId, r: umisA }, { p: victim.personId, r: umisA }]]);
      if (victimIyss) cases.push([tier3, CONFIRM, [{ p: 'P-0000000000', r: { system: 'IYSS', sourceId: '1' } }, { p: childA.personId, r: { system: 'YOIS', sourceId: victimYois.sourceId } }]]);
      const before = await storeRowCounts(gateway);
      for (const [token, mutation, targets] of cases) {
        const answers = [];
        for (const variables of targets) {
          const { body } = await gateway.graphql(mutation, variables, token, DATA_QUALITY);
          expect(body.errors).toEqual([expect.objectContaining(TARGET_NOT_FOUND)]);
          answers.push(answerOf(body));
        }
        expect(new Set(answers).size).toBe(1);
      }
      expect(await storeRowCounts(gateway)).toEqual(before);
      // A probe of a record above the caller's clearance is in that child's access history too (for auditors).
      const auditor = await gateway.token({ sub: 'auditor-4', roles: ['auditor'], tier: 1, units: [] });
      const history = (await gateway.graphql(ACCESS, { id: victim.personId }, auditor)).body.data.personAccessHistory as Array<{ sub: string; denied: string[] }>;
      expect(history).toContainEqual(expect.objectContaining({ sub: 'steward-t1', denied: ['Mutation.rejectLink'] }));
    });

    it('lets a data steward with need to know move a record between two children, audited against both, and refuses the undo once need to know is gone', async () => {
      const [from, to] = iyssOnly as [PersonView, PersonView];
      const steward = await gateway.token({ sub: 'steward-move', roles: ['data_steward'], tier: 1, units: [] });
      const moved = await gateway.graphql(CONFIRM.replace(' yoisRecords { sourceId pncNumber }', ''), { p: to.personId, r: ref(from.records[0]!) }, steward, DATA_QUALITY);
      expect(moved.body.errors).toBeUndefined();
      const auditor = await gateway.token({ sub: 'auditor-2', roles: ['auditor'], tier: 1, units: [] });
      for (const id of [from.personId, to.personId]) {
        const history = (await gateway.graphql(ACCESS, { id }, auditor)).body.data.personAccessHistory as Array<{ sub: string; returned: string[] }>;
        expect(history).toContainEqual(expect.objectContaining({ sub: 'steward-move', returned: expect.arrayContaining(['Mutation.confirmLink']) }));
      }
      // The test clock stands still, so events share a time: find the change by its action.
      const event = ((await gateway.graphql(HISTORY, { id: to.personId }, steward)).body.data.identityHistory as Array<{ id: string; action: string }>).find((e) => e.action === 'CONFIRM');
      expect((await gateway.graphql(UNDO, { e: event!.id }, steward, DATA_QUALITY)).body.errors).toBeUndefined();

      // A YOIS record split off the victim by a steward allocated to the victim's unit; the steward then loses the unit.
      const insider = await gateway.token({ sub: 'steward-in', roles: ['data_steward'], tier: 3, units: victimUnits });
      const split = await gateway.graphql(SPLIT, { p: victim.personId, rs: [{ system: 'YOIS', sourceId: victimYois.sourceId }] }, insider, DATA_QUALITY);
      expect(split.body.errors).toBeUndefined();
      const newPerson = split.body.data.splitPerson.id as string;
      const splitEvent = ((await gateway.graphql(HISTORY, { id: victim.personId }, insider)).body.data.identityHistory as Array<{ id: string; action: string }>).find((e) => e.action === 'SPLIT')!;
      const outsider = await gateway.token({ sub: 'steward-out', roles: ['data_steward'], tier: 3, units: [unitA] });
      const refused = await gateway.graphql(UNDO, { e: splitEvent.id }, outsider, DATA_QUALITY);
      const unknown = await gateway.graphql(UNDO, { e: 'E-000000000000000000000' }, outsider, DATA_QUALITY);
      expect(refused.body.errors![0]).toMatchObject({ message: 'No identity change that you may undo has that ID', extensions: { code: 'NOT_FOUND' } });
      expect(answerOf(refused.body)).toBe(answerOf(unknown.body));
      // The insider may undo it when they still have need to know for both children (a child with tier-1 records only needs none).
      const needs = async (id: string) =>
        (await person(id)).records.some((r) => r.system !== 'IYSS') && !(await gateway.allocatedUnitsOf(id)).some((u) => victimUnits.includes(u));
      const undone = await gateway.graphql(UNDO, { e: splitEvent.id }, insider, DATA_QUALITY);
      if ((await needs(victim.personId)) || (await needs(newPerson))) expect(answerOf(undone.body)).toBe(answerOf(unknown.body));
      else expect(undone.body.errors).toBeUndefined();
    });
  });

  describe('item 2: person IDs cannot be computed, and every ID-taking operation answers alike', () => {
    it('gives random IDs that a full re-match keeps', async () => {
      for (const p of [childA, victim, yoisOnly]) {
        expect(p.personId).toMatch(/^P-[0-9A-HJKMNP-TV-Z]{10}$/);
        for (const r of p.records) expect(p.personId).not.toBe(formerlyDerivedPersonId(r.system, r.sourceId));
      }
      const store = gateway.services.store.database as unknown as Parameters<typeof runFullMatch>[0];
      const ids = await Promise.all(gateway.dataset.yois.truth.slice(0, 40).map((t) => gateway.personIdOf('YOIS', t.sourceId)));
      const { iyss, umis, yois } = gateway.services.sources;
      await runFullMatch(store, [iyss, umis, yois], gateway.clock.now());
      expect(await Promise.all(gateway.dataset.yois.truth.slice(0, 40).map((t) => gateway.personIdOf('YOIS', t.sourceId)))).toEqual(ids);
    });

    it('answers a tier-1 caller the same for a child known only to YOIS as for nobody, on every operation, and opens no grant', async () => {
      const practitioner = await gateway.token({ sub: 'prac-t1', roles: ['practitioner'], tier: 1, units: [] });
      const leader = await gateway.token({ sub: 'leader-t1', roles: ['core_unit_leader'], tier: 1, units: [unitA] });
      const yoisId = yoisOnly.records[0]!.sourceId;
      const unseen = [yoisOnly.personId, `yp:YOIS:${yoisId}`, formerlyDerivedPersonId('YOIS', yoisId)];
      const nobody = ['P-0000000000', 'yp:YOIS:888881', formerlyDerivedPersonId('YOIS', '888881')];
      const before = await storeRowCounts(gateway);
      for (const [query, token] of [[PERSON, practitioner], [HISTORY, practitioner], [BREAK_GLASS, practitioner], [ACCESS, leader],
        ['query($id: ID!) { youngPeople(ids: [$id]) { id } }', practitioner], ['query($id: ID!) { breakGlassGrants(personId: $id) { id } }', leader]] as const) {
        const answers = new Set<string>();
        for (const id of [...unseen, ...nobody]) {
          const { body } = await gateway.graphql(query, { id }, token);
          expect(body.errors?.length).toBe(1);
          answers.add(answerOf(body));
        }
        expect([query, answers.size]).toEqual([query, 1]);
      }
      const refused = await gateway.graphql(BREAK_GLASS, { id: yoisOnly.personId }, practitioner);
      expect(refused.body.errors![0]).toMatchObject(PERSON_NOT_FOUND);
      expect(await storeRowCounts(gateway)).toEqual(before);
      // At tier 3 the same child is there to be found, and break-glass opens on it.
      const tier3 = await gateway.token({ sub: 'prac-t3', roles: ['practitioner'], tier: 3, units: [] });
      expect((await gateway.graphql(BREAK_GLASS, { id: `yp:YOIS:${yoisId}` }, tier3)).body.data.openBreakGlass.personId).toBe(yoisOnly.personId);
    });
  });

  describe('item 3: reads never write', () => {
    it('answers an unknown record reference NOT_FOUND and creates nothing', async () => {
      const tier3 = await gateway.token({ sub: 'prac-read', roles: ['practitioner'], tier: 3, units: [] });
      const before = await storeRowCounts(gateway);
      for (const id of ['yp:YOIS:888881', 'yp:UMIS:no-such-client', 'yp:IYSS:999999']) {
        const { body } = await gateway.graphql(PERSON, { id }, tier3);
        expect(body.errors).toEqual([expect.objectContaining(PERSON_NOT_FOUND)]);
        expect((await gateway.graphql(BREAK_GLASS, { id }, tier3)).body.errors).toEqual([expect.objectContaining(PERSON_NOT_FOUND)]);
      }
      expect(await storeRowCounts(gateway)).toEqual(before);
    });

    it('shows a record no match run has placed as a provisional person without writing, and places it only when a mutation needs it', async () => {
      // A record created in IYSS since the last match run: its link is not in the store yet.
      const fresh = iyssOnly[1]!.records[0]!;
      const db = gateway.services.store.database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await db.deleteFrom('identity_link').where('source_system', '=', 'IYSS').where('source_id', '=', fresh.sourceId).execute();
      const token = await gateway.token({ sub: 'prac-fresh', roles: ['practitioner'], tier: 1, units: [] });
      const before = await storeRowCounts(gateway);
      const found = await gateway.graphql(PERSON, { id: `yp:IYSS:${fresh.sourceId}` }, token);
      expect(found.body.data.youngPerson.id).toBe(`yp:IYSS:${fresh.sourceId}`);
      const { forename, surname } = found.body.data.youngPerson as { forename: string; surname: string };
      const search = await gateway.graphql('query($f: String!, $s: String!) { searchYoungPeople(criteria: { forename: $f, surname: $s }, first: 100) { edges { node { id } } } }', { f: forename, s: surname }, token);
      expect(search.body.data.searchYoungPeople.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(`yp:IYSS:${fresh.sourceId}`);
      expect(await storeRowCounts(gateway)).toEqual(before);
      const opened = await gateway.graphql(BREAK_GLASS, { id: `yp:IYSS:${fresh.sourceId}` }, token);
      expect(opened.body.data.openBreakGlass.personId).toMatch(/^P-/);
      const after = await storeRowCounts(gateway);
      expect(after.identity_person).toBe(before.identity_person + 1);
      expect(after.break_glass_grant).toBe(before.break_glass_grant + 1);
      // What was read while the record had no stored person belongs to the person it became.
      const auditor = await gateway.token({ sub: 'auditor-3', roles: ['auditor'], tier: 1, units: [] });
      const history = (await gateway.graphql(ACCESS, { id: opened.body.data.openBreakGlass.personId }, auditor)).body.data.personAccessHistory as Array<{ sub: string; returned: string[] }>;
      expect(history.filter((h) => h.sub === 'prac-fresh').map((h) => h.returned)).toEqual(
        expect.arrayContaining([expect.arrayContaining(['Mutation.openBreakGlass']), expect.arrayContaining(['YoungPerson.forename'])]),
      );
    });
  });
});
