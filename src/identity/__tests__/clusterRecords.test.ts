import { ConstrainedClusters, mutualBestLinks, type ClusterLink } from '../clusterRecords';
import { prepareRecord, recordKey, type MatchRecord } from '../matchRecord';

const records = new Map<string, MatchRecord>();
function add(source: MatchRecord['source'], sourceId: string): string {
  const record: MatchRecord = { source, sourceId, forename: 'A', surname: 'B', knownAs: null, dateOfBirth: null, gender: 'NOT_STATED', postcode: null, upn: null, pncNumber: null };
  records.set(recordKey(record), record);
  return recordKey(record);
}

function clusters(keys: string[], links: ClusterLink[], alike: (x: string, y: string) => boolean): string[][] {
  const c = new ConstrainedClusters({
    recordOf: (key) => prepareRecord(records.get(key) as MatchRecord),
    rejectedPartnersOf: () => undefined,
    pinnedPersonOf: () => undefined,
    alike,
  });
  for (const key of keys) c.add(key);
  for (const link of links) c.union(link.x, link.y, false);
  return c.groups().map((g) => g.map(recordKey).sort());
}

describe('clustering', () => {
  const a = add('IYSS', '1');
  const b = add('UMIS', '2');
  const c = add('YOIS', '3');
  const a2 = add('IYSS', '4');

  it('does not chain: A-B and B-C linked, but A and C not alike, so C stays out', () => {
    const links = [
      { x: a, y: b, deterministic: false, score: 20 },
      { x: b, y: c, deterministic: false, score: 10 },
    ];
    const notAC = (x: string, y: string) => !((x === a && y === c) || (x === c && y === a));
    expect(clusters([a, b, c], links, notAC)).toEqual([[a, b], [c]]);
    expect(clusters([a, b, c], links, () => true)).toEqual([[a, b, c]]);
  });

  it('never puts two records of one system in a cluster', () => {
    const links = [
      { x: a, y: b, deterministic: false, score: 20 },
      { x: a2, y: b, deterministic: false, score: 15 },
    ];
    expect(clusters([a, a2, b], links, () => true)).toEqual([[a, b], [a2]]);
  });

  it('keeps only each record\'s best link into another system', () => {
    const links = [
      { x: a, y: b, deterministic: false, score: 20 },
      { x: a2, y: b, deterministic: false, score: 15 },
      { x: a2, y: c, deterministic: false, score: 12 },
    ];
    const kept = mutualBestLinks(links, (key) => key.slice(0, key.indexOf(':')));
    expect(kept.map((l) => `${l.x}-${l.y}`)).toEqual([`${a}-${b}`, `${a2}-${c}`]);
  });
});
