import { generatePopulation, upnCheckLetter, type SyntheticPerson } from '../../../adapters/synthetic/population';
import { Prng } from '../../../adapters/synthetic/prng';
import { variantFor } from '../../../adapters/synthetic/variants';
import { measureClusters, measurePairs } from '../evaluation/measureLinkage';
import { renderSystems, type RenderedSystems } from '../evaluation/renderSeedSystems';
import { recordKey, type MatchRecord, type RecordRef } from '../matchRecord';
import { matchIncrementally, matchRecords } from '../matchRecords';

const clusterText = (clusters: readonly RecordRef[][]) => clusters.map((c) => c.map(recordKey).join(',')).sort();

describe('matchRecords on a generated population (3,000 people, IYSS + UMIS + YOIS seed generators)', () => {
  let population: SyntheticPerson[];
  let rendered: RenderedSystems;
  let result: ReturnType<typeof matchRecords>;

  beforeAll(() => {
    population = generatePopulation({ seed: 23, size: 3_000 });
    rendered = renderSystems(population, { seed: 23 });
    result = matchRecords(rendered.records);
  });

  it('links with precision >= 0.99 and recall >= 0.9 against the ground truth', () => {
    const clusters = measureClusters(result.clusters, rendered.truth);
    expect(clusters.truePairs).toBeGreaterThan(500);
    expect(clusters.precision).toBeGreaterThanOrEqual(0.99);
    expect(clusters.recall).toBeGreaterThanOrEqual(0.9);
    const pairs = measurePairs(result, rendered.truth);
    expect(pairs.precision).toBeGreaterThanOrEqual(0.99);
  });

  it('puts every record in exactly one cluster', () => {
    const keys = result.clusters.flat().map(recordKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(rendered.records.length);
  });

  // Issue 12: a person rarely has two records in one system, so a duplicate registration is put in
  // front of a person (review) instead of being merged automatically, as it was before.
  it('queues duplicate registrations within one system for review, never merging them', () => {
    const byPerson = new Map<string, string[]>();
    for (const [key, person] of rendered.truth) byPerson.set(person, [...(byPerson.get(person) ?? []), key]);
    const clusterOf = new Map(result.clusters.flatMap((c, i) => c.map((ref) => [recordKey(ref), i] as const)));
    const reviewed = new Set(result.pairs.filter((p) => p.decision === 'REVIEW').map((p) => `${recordKey(p.a)}|${recordKey(p.b)}`));
    let duplicates = 0;
    let queued = 0;
    for (const keys of byPerson.values()) {
      for (const system of ['IYSS:', 'UMIS:', 'YOIS:']) {
        const same = keys.filter((k) => k.startsWith(system));
        if (same.length < 2) continue;
        duplicates++;
        const [x, y] = same as [string, string];
        expect(clusterOf.get(x)).not.toBe(clusterOf.get(y));
        if (reviewed.has(`${x}|${y}`) || reviewed.has(`${y}|${x}`)) queued++;
      }
    }
    expect(duplicates).toBeGreaterThan(10);
    expect(queued / duplicates).toBeGreaterThanOrEqual(0.9);
  });

  it('re-matches changed records incrementally to the clusters a full run gives', () => {
    const prng = new Prng(99);
    const personOf = new Map(population.map((p) => [p.personKey, p]));
    const changed: MatchRecord[] = [];
    for (const record of rendered.records) {
      if (!prng.chance(0.02)) continue;
      const person = personOf.get(rendered.truth.get(recordKey(record)) as string) as SyntheticPerson;
      const variant = variantFor(person, prng.fork(recordKey(record)));
      changed.push({ ...record, forename: variant.forename, surname: variant.surname, dateOfBirth: variant.dateOfBirth, postcode: variant.postcode });
    }
    const removed = rendered.records.filter((_, i) => i % 97 === 0 && !changed.some((c) => recordKey(c) === recordKey(rendered.records[i] as MatchRecord)));
    const full = matchRecords(rendered.records);
    const incremental = matchIncrementally(full.index, changed, { removed });
    expect(incremental.scope).toBe('INCREMENTAL');
    expect(incremental.stats.comparisons).toBeLessThan(full.stats.comparisons / 10);
    expect(incremental.pairs.every((p) => changed.some((c) => recordKey(c) === recordKey(p.a) || recordKey(c) === recordKey(p.b)))).toBe(true);

    const editedByKey = new Map(changed.map((r) => [recordKey(r), r]));
    const removedKeys = new Set(removed.map(recordKey));
    // An incremental run scores with the full run's model, so the comparison full run does too.
    const rerun = matchRecords(rendered.records.filter((r) => !removedKeys.has(recordKey(r))).map((r) => editedByKey.get(recordKey(r)) ?? r), { model: full.index.model });
    const touched = new Set(incremental.clusters.flat().map(recordKey));
    for (const c of changed) expect(touched.has(recordKey(c))).toBe(true);
    expect(clusterText(incremental.clusters)).toEqual(clusterText(rerun.clusters.filter((c) => c.some((ref) => touched.has(recordKey(ref))))));
    expect(touched.size).toBeLessThan(rendered.records.length / 5);
  });
});

describe('matchRecords constraints', () => {
  const twin = (sourceId: string, source: MatchRecord['source'] = 'IYSS'): MatchRecord => ({
    source,
    sourceId,
    forename: 'Amara',
    surname: 'Campbell',
    knownAs: null,
    dateOfBirth: '2012-06-01',
    gender: 'FEMALE',
    postcode: 'E8 3QR',
    upn: null,
    pncNumber: null,
  });

  it('links three copies of one person into one cluster', () => {
    const { clusters, pairs } = matchRecords([twin('1'), twin('2', 'UMIS'), twin('3', 'YOIS')]);
    expect(clusters).toHaveLength(1);
    expect(pairs.filter((p) => p.decision === 'AUTO_LINK')).toHaveLength(3);
  });

  it('never proposes a rejected pair, nor clusters it through a third record', () => {
    const records = [twin('1'), twin('2', 'UMIS'), twin('3', 'YOIS')];
    const { clusters, pairs } = matchRecords(records, {
      rejectedPairs: [[{ source: 'IYSS', sourceId: '1' }, { source: 'UMIS', sourceId: '2' }]],
    });
    expect(pairs.some((p) => recordKey(p.a) === 'IYSS:1' && recordKey(p.b) === 'UMIS:2')).toBe(false);
    const together = clusters.find((c) => c.some((r) => recordKey(r) === 'IYSS:1'));
    expect(together?.some((r) => recordKey(r) === 'UMIS:2')).toBe(false);
  });

  it('keeps records confirmed to different persons apart, and those confirmed to one together', () => {
    const records = [twin('1'), twin('2', 'UMIS'), { ...twin('3', 'YOIS'), forename: 'Zara', dateOfBirth: '2009-01-01' }];
    const { clusters } = matchRecords(records, {
      pinned: new Map([
        ['IYSS:1', 'P-A'],
        ['UMIS:2', 'P-B'],
        ['YOIS:3', 'P-A'],
      ]),
    });
    expect(clusterText(clusters)).toEqual(['IYSS:1,YOIS:3', 'UMIS:2']);
  });

  it('keeps records with different valid UPNs in different clusters', () => {
    // Valid check letters: a UPN with a wrong one is ignored rather than trusted.
    const valid = (digits: string) => `${upnCheckLetter(digits)}${digits}`;
    const records = [{ ...twin('1'), upn: valid('204301714123') }, { ...twin('2', 'UMIS'), upn: valid('204301714999') }, twin('3', 'YOIS')];
    const { clusters } = matchRecords(records);
    const withFirst = clusters.find((c) => c.some((r) => recordKey(r) === 'IYSS:1'));
    expect(withFirst?.some((r) => recordKey(r) === 'UMIS:2')).toBe(false);
  });
});
