import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../../../adapters/drivers/createDatabase';
import type { PersonRecord } from '../../../adapters/types';
import { generateLinkageData } from '../evaluation/generateLinkageData';
import { IncrementalMatcher } from '../incrementalMatcher';
import { ensureIdentitySchema, eventsForPerson, personIdFor, type IdentityTables } from '../linkStore';
import { recordKey, type MatchRecord } from '../matchRecord';
import type { ScannableSource } from '../runFullMatch';

const toPerson = (r: MatchRecord): PersonRecord & { pncNumber: string | null } => ({
  source: r.source,
  sourceId: r.sourceId,
  forename: r.forename,
  surname: r.surname,
  knownAs: r.knownAs,
  dateOfBirth: r.dateOfBirth,
  gender: r.gender,
  ethnicity: null,
  address: r.postcode ? { line1: null, postcode: r.postcode } : null,
  upn: r.upn,
  pncNumber: r.pncNumber,
});

/** A source over a list, paged by source id as the adapters page. */
function source(records: readonly MatchRecord[]): ScannableSource {
  const sorted = [...records].sort((a, b) => (a.sourceId < b.sourceId ? -1 : 1));
  return {
    async scanPeople(after, limit) {
      return sorted.filter((r) => after === null || r.sourceId > after).slice(0, limit).map(toPerson);
    },
  };
}

describe('IncrementalMatcher', () => {
  let database: Database<IdentityTables>;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'identity-incremental-'));
    database = createDatabase<IdentityTables>(`sqlite:${path.join(dir, 'gateway.db')}`);
    await ensureIdentitySchema(database);
  });
  afterAll(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('matches a record seen for the first time on arrival: it joins its person at once, under the full run\'s model', async () => {
    const data = generateLinkageData({ seed: 31, people: 1_500 });
    // Hold back UMIS records of people whose IYSS record is clean and identical in the details.
    const iyssByPerson = new Map(data.records.filter((r) => r.source === 'IYSS').map((r) => [data.truth.get(recordKey(r)), r]));
    const heldBack = data.records
      .filter((r) => r.source === 'UMIS' && (data.patterns.get(recordKey(r)) ?? []).length === 0)
      .filter((r) => {
        const partner = iyssByPerson.get(data.truth.get(recordKey(r)));
        return partner !== undefined && (data.patterns.get(recordKey(partner)) ?? []).length === 0;
      })
      .slice(0, 5);
    expect(heldBack).toHaveLength(5);
    const held = new Set(heldBack.map(recordKey));
    const store = database as unknown as ConstructorParameters<typeof IncrementalMatcher>[0];
    const matcher = new IncrementalMatcher(store, [source(data.records.filter((r) => !held.has(recordKey(r))))]);
    const full = await matcher.fullRun(new Date('2026-12-01T00:00:00Z'));
    for (const record of heldBack) expect(await personIdFor(database, record.source, record.sourceId)).toBeNull();

    const arrival = await matcher.onRecords(heldBack.map(toPerson), new Date('2026-12-01T01:00:00Z'));
    expect(arrival.modelVersion).toBe(full.modelVersion);
    expect(arrival.linksCreated).toBe(5);
    for (const record of heldBack) {
      const partner = iyssByPerson.get(data.truth.get(recordKey(record))) as MatchRecord;
      const personId = await personIdFor(database, 'IYSS', partner.sourceId);
      expect(await personIdFor(database, record.source, record.sourceId)).toBe(personId);
      const pair = arrival.pairs.find((p) => recordKey(p.a) === recordKey(partner) || recordKey(p.b) === recordKey(partner));
      expect(pair?.decision).toBe('AUTO_LINK');
      expect(pair?.explanation.modelVersion).toBe(full.modelVersion);
      const events = await eventsForPerson(database, personId as string);
      expect(events.some((e) => e.reason === `Incremental match run (model ${full.modelVersion})`)).toBe(true);
    }
  });

  it('refresh: reads the sources again and matches only what arrived or changed; a source it cannot read fails the round and removes nothing', async () => {
    const data = generateLinkageData({ seed: 37, people: 1_200 });
    const clean = (r: MatchRecord) => (data.patterns.get(recordKey(r)) ?? []).length === 0;
    const iyssByPerson = new Map(data.records.filter((r) => r.source === 'IYSS' && clean(r)).map((r) => [data.truth.get(recordKey(r)), r]));
    const late = data.records.filter((r) => r.source === 'UMIS' && clean(r) && iyssByPerson.has(data.truth.get(recordKey(r)))).slice(0, 3);
    const lateKeys = new Set(late.map(recordKey));
    let held = data.records.filter((r) => !lateKeys.has(recordKey(r)));
    let down = false;
    const live: ScannableSource = {
      async scanPeople(after, limit) {
        if (down) throw new Error('connection refused');
        return source(held).scanPeople(after, limit);
      },
    };
    // A store of its own: the first test's records share these source IDs.
    const own = createDatabase<IdentityTables>(`sqlite:${path.join(dir, 'refresh.db')}`);
    await ensureIdentitySchema(own);
    const store = own as unknown as ConstructorParameters<typeof IncrementalMatcher>[0];
    const matcher = new IncrementalMatcher(store, [live]);
    await matcher.refresh(new Date('2026-12-02T00:00:00Z'));
    expect(await matcher.refresh(new Date('2026-12-02T00:01:00Z'))).toMatchObject({ read: held.length, arrived: 0, changed: 0, removed: 0, applied: null });

    // Created in UMIS since, and one IYSS record's postcode retyped.
    const edited = { ...(held.find((r) => r.source === 'IYSS' && r.postcode) as MatchRecord), postcode: 'E8 1AA' };
    held = [...held.map((r) => (recordKey(r) === recordKey(edited) ? edited : r)), ...late];
    down = true;
    await expect(matcher.refresh(new Date('2026-12-02T00:02:00Z'))).rejects.toThrow('connection refused');
    down = false;
    const round = await matcher.refresh(new Date('2026-12-02T00:03:00Z'));
    expect(round).toMatchObject({ arrived: 3, changed: 1, removed: 0 });
    expect(round.applied?.linksCreated).toBe(3);
    for (const record of late) {
      const partner = iyssByPerson.get(data.truth.get(recordKey(record))) as MatchRecord;
      const personId = await personIdFor(own, 'IYSS', partner.sourceId);
      expect(personId).not.toBeNull();
      expect(await personIdFor(own, 'UMIS', record.sourceId)).toBe(personId);
    }
    await own.close();
  });
});
