/**
 * Measures the matcher against the synthetic generator's ground truth: builds a population, renders
 * each source system's imperfect copy of it with that system's own seed generator (IYSS, UMIS and
 * YOIS `seedRows.ts`, with their `truth`), maps the rows to records the way each adapter's `toPerson`
 * does (through the adapters' own mapping functions; the adapters themselves are not imported, as
 * they carry database code), matches everything and counts right and wrong links.
 *
 * DMS holds documents about records in the other systems, not people of its own, so it has nothing
 * to match.
 */
import { genderFromSex as iyssGender, isoDateFromLegacyText, standardPostcode as iyssPostcode } from '../../adapters/iyss/mapping';
import { generateIyssRows, type IyssSeed } from '../../adapters/iyss/seedRows';
import { generatePopulation, type SyntheticPerson } from '../../adapters/synthetic/population';
import { Prng } from '../../adapters/synthetic/prng';
import { variantFor } from '../../adapters/synthetic/variants';
import type { PersonRecord, SourceSystem } from '../../adapters/types';
import { genderFromIso5218, isoDate } from '../../adapters/umis/mapping';
import { generateUmisRows, type UmisSeed } from '../../adapters/umis/seedRows';
import {
  canonicalPncNumber,
  genderFromSex as yoisGender,
  isoDateFromCompact,
  naturalCase,
  NO,
  standardPostcode as yoisPostcode,
} from '../../adapters/yois/mapping';
import { generateYoisRows, type YoisSeed } from '../../adapters/yois/seedRows';
import { recordKey, toMatchRecord, type MatchRecord, type RecordRef } from './matchRecord';
import { matchIncrementally, matchRecords, type MatchResult } from './matchRecords';
import { EXTENDED_NAME_KNOWLEDGE, SEARCH_NAME_KNOWLEDGE, type NameKnowledge } from './nameEquivalents';

/** Records of every system plus who each record really is. */
export interface RenderedSystems {
  records: MatchRecord[];
  /** Record key → ground-truth personKey. */
  truth: Map<string, string>;
  /** Per system: how many (live) records and which generator made them. */
  systems: Partial<Record<SourceSystem, { records: number; generator: string }>>;
}

export interface RenderOptions {
  seed: number;
  /** Share of the population UMIS knows; default: the UMIS generator's own (0.35). */
  umisCoverage?: number;
  /** Share of people with a PNC number YOIS knows; default: the YOIS generator's own (0.95). */
  yoisPncCoverage?: number;
}

type IyssPersonRow = IyssSeed['rows']['tblYoungPerson'][number];
type UmisClientRow = UmisSeed['rows']['client'][number];
type YoisPersonRow = YoisSeed['rows']['YP_PERSON'][number];

/** The IYSS adapter's `toPerson` over a seed row (adapters/iyss/createIyssAdapter.ts; same mapping functions). */
function iyssPerson(row: IyssPersonRow): PersonRecord {
  const postcode = iyssPostcode(row.Postcode);
  return {
    source: 'IYSS',
    sourceId: String(row.YoungPersonID),
    forename: row.Forename.trim(),
    surname: row.Surname.trim(),
    knownAs: row.KnownAs?.trim() || null,
    dateOfBirth: isoDateFromLegacyText(row.DOB),
    gender: iyssGender(row.Sex),
    ethnicity: null,
    address: row.AddressLine1 || postcode ? { line1: row.AddressLine1?.trim() || null, postcode } : null,
    upn: row.UPN?.trim() || null,
  };
}

/** The UMIS adapter's `toPerson` over a seed row (adapters/umis/createUmisAdapter.ts). */
function umisPerson(row: UmisClientRow): PersonRecord {
  const postcode = row.post_code?.trim() || null;
  const line1 = row.address_line_1?.trim() || null;
  return {
    source: 'UMIS',
    sourceId: row.client_id.trim(),
    forename: row.given_name.trim(),
    surname: row.family_name.trim(),
    knownAs: row.preferred_name?.trim() || null,
    dateOfBirth: isoDate(row.date_of_birth),
    gender: genderFromIso5218(row.gender_code),
    ethnicity: null,
    address: line1 || postcode ? { line1, postcode } : null,
    upn: row.upn?.trim() || null,
  };
}

/** The YOIS adapter's `toPerson` over a seed row (adapters/yois/createYoisAdapter.ts). */
function yoisPerson(row: YoisPersonRow): PersonRecord & { pncNumber: string | null } {
  const postcode = yoisPostcode(row.POSTCODE);
  const line1 = row.ADDRESS_LINE1?.trim() || null;
  return {
    source: 'YOIS',
    sourceId: String(row.PERSON_ID),
    forename: naturalCase(row.FORENAME),
    surname: naturalCase(row.SURNAME),
    knownAs: row.KNOWN_AS?.trim() ? naturalCase(row.KNOWN_AS) : null,
    dateOfBirth: isoDateFromCompact(row.DOB),
    gender: yoisGender(row.SEX),
    ethnicity: null,
    address: line1 || postcode ? { line1, postcode } : null,
    upn: row.UPN?.trim() || null,
    pncNumber: canonicalPncNumber(row.PNC_NUMBER),
  };
}

function addRecords(
  into: RenderedSystems,
  system: SourceSystem,
  generator: string,
  people: Iterable<{ person: PersonRecord & { pncNumber?: string | null }; personKey: string | undefined }>,
): void {
  let count = 0;
  for (const { person, personKey } of people) {
    if (personKey === undefined) throw new Error(`${system} seed has no ground truth for record ${person.sourceId}`);
    const record = toMatchRecord(person);
    into.records.push(record);
    into.truth.set(recordKey(record), personKey);
    count++;
  }
  into.systems[system] = { records: count, generator };
}

/** Every system's live records for a population, with the ground truth. */
export function renderSystems(population: readonly SyntheticPerson[], options: RenderOptions): RenderedSystems {
  const rendered: RenderedSystems = { records: [], truth: new Map(), systems: {} };
  const { seed } = options;

  const iyss = generateIyssRows(population, { seed });
  const iyssTruth = new Map(iyss.truth.map((t) => [String(t.youngPersonId), t.personKey]));
  addRecords(
    rendered,
    'IYSS',
    'adapters/iyss/seedRows.ts generateIyssRows',
    // Adapters only ever return live rows.
    iyss.rows.tblYoungPerson.filter((row) => row.IsDeleted === 0).map((row) => ({ person: iyssPerson(row), personKey: iyssTruth.get(String(row.YoungPersonID)) })),
  );

  const umis = generateUmisRows(population, { seed, coverage: options.umisCoverage });
  const umisTruth = new Map(umis.truth.map((t) => [t.sourceId, t.personKey]));
  addRecords(
    rendered,
    'UMIS',
    'adapters/umis/seedRows.ts generateUmisRows',
    umis.rows.client
      .filter((row) => Number(row.is_active) === 1)
      .map((row) => ({ person: umisPerson(row), personKey: umisTruth.get(row.client_id) })),
  );

  const yois = generateYoisRows(population, { seed, pncCoverage: options.yoisPncCoverage });
  const yoisTruth = new Map(yois.truth.map((t) => [t.sourceId, t.personKey]));
  addRecords(
    rendered,
    'YOIS',
    'adapters/yois/seedRows.ts generateYoisRows',
    yois.rows.YP_PERSON
      .filter((row) => row.DELETED_FLAG === NO)
      .map((row) => ({ person: yoisPerson(row), personKey: yoisTruth.get(String(row.PERSON_ID)) })),
  );
  return rendered;
}

// ---------------------------------------------------------------------------------------------
// Measurement

export interface PairCounts {
  /** Same-person pairs in the ground truth. */
  truePairs: number;
  /** Pairs the matcher put together. */
  predictedPairs: number;
  /** Of those, same-person pairs. */
  correctPairs: number;
  precision: number;
  recall: number;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : Math.round((part / whole) * 100000) / 100000);
const choose2 = (n: number): number => (n * (n - 1)) / 2;

function truePairCount(keys: Iterable<string>, truth: ReadonlyMap<string, string>): number {
  const perPerson = new Map<string, number>();
  for (const key of keys) {
    const person = truth.get(key) as string;
    perPerson.set(person, (perPerson.get(person) ?? 0) + 1);
  }
  let total = 0;
  for (const n of perPerson.values()) total += choose2(n);
  return total;
}

/** Pairwise precision and recall of clusters: every pair inside a cluster counts as a predicted link. */
export function measureClusters(clusters: readonly RecordRef[][], truth: ReadonlyMap<string, string>): PairCounts {
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const cluster of clusters) {
    predictedPairs += choose2(cluster.length);
    correctPairs += truePairCount(cluster.map(recordKey), truth);
  }
  const truePairs = truePairCount(truth.keys(), truth);
  return { truePairs, predictedPairs, correctPairs, precision: ratio(correctPairs, predictedPairs), recall: ratio(correctPairs, truePairs) };
}

/** Precision and recall of the automatic-link pairs themselves, before clustering adds transitive pairs. */
export function measurePairs(result: MatchResult, truth: ReadonlyMap<string, string>): PairCounts {
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const pair of result.pairs) {
    if (pair.decision !== 'AUTO_LINK') continue;
    predictedPairs++;
    if (truth.get(recordKey(pair.a)) === truth.get(recordKey(pair.b))) correctPairs++;
  }
  const truePairs = truePairCount(truth.keys(), truth);
  return { truePairs, predictedPairs, correctPairs, precision: ratio(correctPairs, predictedPairs), recall: ratio(correctPairs, truePairs) };
}

export interface EvaluationOptions extends RenderOptions {
  people: number;
  /** 'search' drops the identity module's own name groups, to show how much matching leans on them. */
  nameKnowledge?: 'extended' | 'search';
  /** Share of records changed for the incremental run; default 0.01. */
  changedShare?: number;
}

export interface EvaluationReport {
  people: number;
  seed: number;
  nameKnowledge: 'extended' | 'search';
  systems: RenderedSystems['systems'];
  records: number;
  candidateComparisons: number;
  blocks: number;
  oversizeBlocksSkipped: number;
  truePairs: number;
  /** Pairs inside the automatic clusters (what the gateway would link). */
  autoLink: PairCounts & { crossSystemRecall: number; withinSystemRecall: number };
  /** The automatic-link pairs as scored, before clustering. */
  autoLinkPairs: PairCounts;
  /** Recall split by whether the pair shares a valid identifier (rule) or relies on the score alone. */
  recallWithSharedIdentifier: number;
  recallWithoutSharedIdentifier: number;
  review: {
    /** REVIEW pairs whose records the clusters left apart: the queue a triage officer sees. */
    queue: number;
    queueTrueMatches: number;
    /** All REVIEW pairs, including those already joined through other links. */
    pairs: number;
    pairsTrueMatches: number;
  };
  /** Same-person pairs the matcher neither linked nor queued. */
  missedTruePairs: number;
  fullRun: { wallMs: number; heapUsedBeforeMb: number; heapUsedAfterMb: number; rssBeforeMb: number; peakRssMb: number };
  incrementalRun: { changedRecords: number; wallMs: number; comparisons: number; clustersReturned: number; matchesFullRun: boolean };
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

/** Pairs of records that share a valid UPN or PNC number. */
function sharesIdentifier(a: MatchRecord, b: MatchRecord): boolean {
  const upn = (r: MatchRecord) => r.upn?.trim().toUpperCase() ?? null;
  return (upn(a) !== null && upn(a) === upn(b)) || (a.pncNumber !== null && a.pncNumber === b.pncNumber);
}

function recallSplit(rendered: RenderedSystems, clusters: readonly RecordRef[][]) {
  const clusterOf = new Map<string, number>();
  clusters.forEach((cluster, i) => cluster.forEach((ref) => clusterOf.set(recordKey(ref), i)));
  const byPerson = new Map<string, MatchRecord[]>();
  for (const record of rendered.records) {
    const person = rendered.truth.get(recordKey(record)) as string;
    const list = byPerson.get(person) ?? [];
    list.push(record);
    byPerson.set(person, list);
  }
  const counts = { withId: 0, withIdFound: 0, without: 0, withoutFound: 0, cross: 0, crossFound: 0, within: 0, withinFound: 0 };
  for (const list of byPerson.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i] as MatchRecord, list[j] as MatchRecord];
        const found = clusterOf.get(recordKey(a)) === clusterOf.get(recordKey(b)) ? 1 : 0;
        if (sharesIdentifier(a, b)) {
          counts.withId++;
          counts.withIdFound += found;
        } else {
          counts.without++;
          counts.withoutFound += found;
        }
        if (a.source === b.source) {
          counts.within++;
          counts.withinFound += found;
        } else {
          counts.cross++;
          counts.crossFound += found;
        }
      }
    }
  }
  return counts;
}

/** The same people after an edit: a fresh rendering of their details, as if a worker had retyped them. */
function editedRecords(rendered: RenderedSystems, population: readonly SyntheticPerson[], seed: number, share: number): MatchRecord[] {
  const prng = new Prng(seed).fork('incremental-edits');
  const personByKey = new Map(population.map((p) => [p.personKey, p]));
  const edited: MatchRecord[] = [];
  for (const record of rendered.records) {
    if (!prng.chance(share)) continue;
    const person = personByKey.get(rendered.truth.get(recordKey(record)) as string) as SyntheticPerson;
    const variant = variantFor(person, prng.fork(recordKey(record)));
    edited.push({ ...record, forename: variant.forename, surname: variant.surname, knownAs: variant.knownAs, dateOfBirth: variant.dateOfBirth, postcode: variant.postcode });
  }
  return edited;
}

function sameClusters(a: readonly RecordRef[][], b: readonly RecordRef[][]): boolean {
  const text = (clusters: readonly RecordRef[][]) => new Set(clusters.map((c) => c.map(recordKey).join(',')));
  const [x, y] = [text(a), text(b)];
  if (x.size !== y.size) return false;
  for (const value of x) if (!y.has(value)) return false;
  return true;
}

export function evaluateMatching(options: EvaluationOptions): EvaluationReport {
  const knowledgeName = options.nameKnowledge ?? 'extended';
  const knowledge: NameKnowledge = knowledgeName === 'search' ? SEARCH_NAME_KNOWLEDGE : EXTENDED_NAME_KNOWLEDGE;
  const population = generatePopulation({ seed: options.seed, size: options.people });
  const rendered = renderSystems(population, options);

  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = matchRecords(rendered.records, { knowledge });
  const wallMs = Math.round(performance.now() - started);
  const heapAfter = process.memoryUsage().heapUsed;
  const peakRss = process.resourceUsage().maxRSS * 1024;

  const autoLink = measureClusters(result.clusters, rendered.truth);
  const split = recallSplit(rendered, result.clusters);
  const clusterOf = new Map<string, number>();
  result.clusters.forEach((cluster, i) => cluster.forEach((ref) => clusterOf.set(recordKey(ref), i)));
  const review = { queue: 0, queueTrueMatches: 0, pairs: 0, pairsTrueMatches: 0 };
  const queuedTruePairs = new Set<string>();
  for (const pair of result.pairs) {
    if (pair.decision !== 'REVIEW') continue;
    const [x, y] = [recordKey(pair.a), recordKey(pair.b)];
    const same = rendered.truth.get(x) === rendered.truth.get(y) ? 1 : 0;
    review.pairs++;
    review.pairsTrueMatches += same;
    if (clusterOf.get(x) !== clusterOf.get(y)) {
      review.queue++;
      review.queueTrueMatches += same;
      if (same) queuedTruePairs.add(`${x}|${y}`);
    }
  }

  // Incremental: change 1% of records, re-match only those, and check the clusters equal a full rerun's.
  const edits = editedRecords(rendered, population, options.seed, options.changedShare ?? 0.01);
  const incrementalStarted = performance.now();
  const incremental = matchIncrementally(result.index, edits);
  const incrementalMs = Math.round(performance.now() - incrementalStarted);
  const editedByKey = new Map(edits.map((r) => [recordKey(r), r]));
  const rerun = matchRecords(
    rendered.records.map((r) => editedByKey.get(recordKey(r)) ?? r),
    { knowledge },
  );
  const touched = new Set(incremental.clusters.flat().map(recordKey));
  const rerunTouched = rerun.clusters.filter((c) => c.some((ref) => touched.has(recordKey(ref))));

  return {
    people: options.people,
    seed: options.seed,
    nameKnowledge: knowledgeName,
    systems: rendered.systems,
    records: rendered.records.length,
    candidateComparisons: result.stats.comparisons,
    blocks: result.stats.blocks,
    oversizeBlocksSkipped: result.stats.oversizeBlocksSkipped,
    truePairs: autoLink.truePairs,
    autoLink: { ...autoLink, crossSystemRecall: ratio(split.crossFound, split.cross), withinSystemRecall: ratio(split.withinFound, split.within) },
    autoLinkPairs: measurePairs(result, rendered.truth),
    recallWithSharedIdentifier: ratio(split.withIdFound, split.withId),
    recallWithoutSharedIdentifier: ratio(split.withoutFound, split.without),
    review,
    missedTruePairs: autoLink.truePairs - autoLink.correctPairs - queuedTruePairs.size,
    fullRun: { wallMs, heapUsedBeforeMb: mb(heapBefore), heapUsedAfterMb: mb(heapAfter), rssBeforeMb: mb(rssBefore), peakRssMb: mb(peakRss) },
    incrementalRun: {
      changedRecords: edits.length,
      wallMs: incrementalMs,
      comparisons: incremental.stats.comparisons,
      clustersReturned: incremental.clusters.length,
      matchesFullRun: sameClusters(incremental.clusters, rerunTouched),
    },
  };
}
