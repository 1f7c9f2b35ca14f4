/**
 * Gap checks across systems and IYSS duplicates against the generator's ground truth, on each engine:
 * the planted problems are computed from who is who (the generator's truth) and what each system holds;
 * the checks find them through the gateway's identity links (made by the matcher at start). Recall and
 * what else was reported are printed per kind.
 */
import { RecordNotFound, type PersonRecord } from '../../adapters/types';
import { activeYoisOrders } from '../../adapters/yois/yoisGapChecks';
import type { PersonSystem } from '../../src/access/systemVisibility';
import { comparableName, comparablePostcode } from '../../src/gaps/crossSystemChecks';
import { runGapChecks } from '../../src/gaps/gapChecks';
import { startTestGateway, type TestGateway } from '../support/startTestGateway';
import { testEngines } from '../support/testDatabases';

jest.setTimeout(600_000);

const AS_OF = '2026-11-01';
const VOLUME = 1500;
const CROSS_KINDS = ['DATE_OF_BIRTH_DISAGREES', 'NAME_DISAGREES', 'GENDER_DISAGREES', 'ADDRESS_DISAGREES'] as const;

describe.each(testEngines())('gap checks across systems against the ground truth (%s)', (engine) => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({ engine, volume: VOLUME });
  });
  afterAll(() => gateway?.stop());

  it('finds the planted disagreements between linked records, YOIS orders with no IYSS record and IYSS duplicates', async () => {
    const { dataset, services } = gateway;
    // What each system holds for each true person (records deleted in their system left out).
    const held = new Map<string, PersonRecord[]>();
    const read = async (system: PersonSystem, pairs: Array<{ personKey: string; sourceId: string }>) => {
      const adapter = system === 'IYSS' ? services.sources.iyss : system === 'UMIS' ? services.sources.umis : services.sources.yois;
      const results = await adapter.peopleByIds(pairs.map((p) => p.sourceId));
      results.forEach((result, i) => {
        if (result instanceof RecordNotFound) return;
        if (result instanceof Error) throw result;
        const list = held.get(pairs[i]!.personKey) ?? [];
        list.push(result);
        held.set(pairs[i]!.personKey, list);
      });
    };
    await read('IYSS', dataset.iyss.truth.map((t) => ({ personKey: t.personKey, sourceId: String(t.youngPersonId) })));
    await read('UMIS', dataset.umis.truth.map((t) => ({ personKey: t.personKey, sourceId: t.sourceId })));
    await read('YOIS', dataset.yois.truth.map((t) => ({ personKey: t.personKey, sourceId: t.sourceId })));

    const planted = new Map<string, Set<string>>();
    const plant = (kind: string, key: string) => (planted.get(kind) ?? planted.set(kind, new Set()).get(kind)!).add(key);
    const pairKey = (kind: string, a: PersonRecord, b: PersonRecord) => `${kind}|${[`${a.source}:${a.sourceId}`, `${b.source}:${b.sourceId}`].sort().join('|')}`;
    const values: Record<(typeof CROSS_KINDS)[number], (r: PersonRecord) => string | null> = {
      DATE_OF_BIRTH_DISAGREES: (r) => r.dateOfBirth,
      NAME_DISAGREES: (r) => `${comparableName(r.forename)} ${comparableName(r.surname)}`,
      GENDER_DISAGREES: (r) => r.gender,
      ADDRESS_DISAGREES: (r) => comparablePostcode(r.address?.postcode),
    };
    for (const records of held.values()) {
      for (let i = 0; i < records.length; i++) {
        for (let j = i + 1; j < records.length; j++) {
          const [a, b] = [records[i]!, records[j]!];
          if (a.source === b.source) {
            // The same child twice in IYSS: the generator's planted duplicate registration.
            if (a.source === 'IYSS') plant('IYSS_PROBABLE_DUPLICATE', pairKey('IYSS_PROBABLE_DUPLICATE', a, b));
            continue;
          }
          for (const kind of CROSS_KINDS) {
            const [x, y] = [values[kind](a), values[kind](b)];
            if (x !== null && y !== null && x !== y) plant(kind, pairKey(kind, a, b));
          }
        }
      }
    }
    const keysWithIyss = new Set([...held].filter(([, records]) => records.some((r) => r.source === 'IYSS')).map(([key]) => key));
    const yoisKeyOf = new Map(dataset.yois.truth.map((t) => [t.sourceId, t.personKey]));
    for (const order of await activeYoisOrders(gateway.databases.yois)) {
      if (!keysWithIyss.has(yoisKeyOf.get(order.personSourceId)!)) plant('YOIS_ORDER_WITHOUT_IYSS_RECORD', `YOIS_ORDER_WITHOUT_IYSS_RECORD|YOIS:${order.orderId}`);
    }

    const started = Date.now();
    const run = await runGapChecks(services.gapChecks, new Set<PersonSystem>(['IYSS', 'UMIS', 'YOIS']), AS_OF);
    const ms = Date.now() - started;
    expect(run.failed).toEqual([]);
    const found = new Map<string, Set<string>>();
    for (const finding of run.findings) {
      const key =
        finding.kind === 'YOIS_ORDER_WITHOUT_IYSS_RECORD'
          ? `${finding.kind}|YOIS:${finding.records[0]!.recordId}`
          : `${finding.kind}|${finding.records.map((r) => `${r.system}:${r.personRecordId}`).sort().join('|')}`;
      (found.get(finding.kind) ?? found.set(finding.kind, new Set()).get(finding.kind)!).add(key);
    }
    const kinds = [...CROSS_KINDS, 'YOIS_ORDER_WITHOUT_IYSS_RECORD', 'IYSS_PROBABLE_DUPLICATE'];
    const recall = Object.fromEntries(
      kinds.map((kind) => {
        const want = planted.get(kind) ?? new Set<string>();
        const got = found.get(kind) ?? new Set<string>();
        const hits = [...want].filter((key) => got.has(key)).length;
        return [kind, { planted: want.size, found: hits, recall: want.size ? Number((hits / want.size).toFixed(3)) : null, alsoReported: got.size - hits }];
      }),
    );
    process.stdout.write(`gap-report recall across systems (${engine}, ${VOLUME} people, checks ${ms} ms): ${JSON.stringify(recall)}\n`);
    for (const kind of kinds) expect({ kind, planted: recall[kind]!.planted > 0 }).toEqual({ kind, planted: true });
    // IYSS duplicates and orders with no IYSS record do not depend on the matcher: every one is found, nothing else.
    expect(recall.IYSS_PROBABLE_DUPLICATE).toMatchObject({ recall: 1, alsoReported: 0 });
    // Cross-system findings follow the matcher's links: a missed link is a missed finding, a wrong one an extra.
    for (const kind of CROSS_KINDS) expect({ kind, recall: recall[kind]!.recall! >= 0.9 }).toEqual({ kind, recall: true });
  });
});
