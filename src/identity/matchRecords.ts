/**
 * Matching over many records: blocking, model estimation, pair scoring and clustering into gateway
 * persons, in full or incrementally.
 *
 * A `MatchIndex` holds every record by blocking key together with the pairs found so far and the
 * model that scored them. A full run fills it, compares within every block, estimates the model
 * from those comparisons (unless one is given) and scores them; an incremental run compares only
 * the changed or new records against the blocks they fall in, under the same model, then
 * re-clusters just the components those records touch. Both cluster the same way
 * (./clusterRecords.ts), so an incremental run over a change gives the clusters a full run with
 * that model would.
 */
import { blockingKeys, DEFAULT_BLOCKING_OPTIONS, maxBlockSizeFor } from './blocking';
import { compareLinkStrength, ConstrainedClusters, mutualBestLinks, type ClusterLink } from './clusterRecords';
import { compareRecordRefs, matchDetailsText, parseRecordKey, prepareRecord, recordKey, type MatchRecord, type PreparedRecord, type RecordRef } from './matchRecord';
import { compareFields, type ComparisonVector } from './model/compareFields';
import { CandidateBuffer } from './model/candidateBuffer';
import { estimateModel } from './model/estimateModel';
import type { MatchExplanation, MatchModel } from './model/matchModel';
import { EXTENDED_NAME_KNOWLEDGE, type NameKnowledge } from './nameEquivalents';
import { familyEvidence, withFamilyEvidence, type FamilyEvidence } from './model/familyEvidence';
import { clearlyNoLink, looksLikeTwins, scoreCompared, type PairRule } from './scorePair';

/** A proposed link between two records (automatic, or queued for review). */
export interface MatchedPair {
  a: RecordRef;
  b: RecordRef;
  score: number;
  method: 'DETERMINISTIC' | 'PROBABILISTIC';
  decision: 'AUTO_LINK' | 'REVIEW';
  /**
   * Why the pair was linked by rule, or capped at review; null for a plain score decision.
   * `CLUSTER_CONFLICT`: an automatic-level pair the clustering kept apart (not the best link into
   * that system, or joining it would put dissimilar records or two records of one system together).
   */
  rule: PairRule | 'CLUSTER_CONFLICT' | null;
  /** Every field's level and weight, the total, the thresholds and the model version. */
  explanation: MatchExplanation;
}

export interface MatchStats {
  records: number;
  /** Candidate pairs scored (each pair once, however many blocks it shares). */
  comparisons: number;
  /** Blocks with at least two records that were compared. */
  blocks: number;
  /** Blocks larger than `maxBlockSize`, not compared: a key shared that widely is a coincidence, not a person. */
  oversizeBlocksSkipped: number;
  autoLinks: number;
  reviews: number;
}

export interface MatchResult {
  scope: 'FULL' | 'INCREMENTAL';
  /** AUTO_LINK and REVIEW pairs, in record order. Incremental: only pairs involving a changed record. */
  pairs: MatchedPair[];
  /**
   * One entry per gateway person: its records, in record order. Full: every record (singletons too).
   * Incremental: every cluster that holds a changed or removed record's former partners, complete.
   */
  clusters: RecordRef[][];
  stats: MatchStats;
  /** Incremental only: the records that were added, changed or removed. */
  changed?: RecordRef[];
  removed?: RecordRef[];
}

/** Decisions people made, which the matcher must respect. */
export interface MatchConstraints {
  /** Record pairs a person said are not the same young person. */
  rejectedPairs?: ReadonlyArray<readonly [RecordRef, RecordRef]>;
  /** Records a person confirmed to a gateway person, by record key (`SYSTEM:sourceId`). */
  pinned?: ReadonlyMap<string, string>;
}

export interface MatchOptions extends MatchConstraints {
  knowledge?: NameKnowledge;
  maxBlockSize?: number;
  /** Score with this model instead of estimating one from the records (an incremental run's, or a stored one). */
  model?: MatchModel;
  /** Thresholds for an estimated model (default: estimateModel's DEFAULT_THRESHOLDS). */
  thresholds?: MatchModel['thresholds'];
}

const PAIR_SEPARATOR = '\u0000';
const pairKey = (x: string, y: string): string => (x < y ? `${x}${PAIR_SEPARATOR}${y}` : `${y}${PAIR_SEPARATOR}${x}`);

/** Records by blocking key, with the pairs found among them. Build with `matchRecords` or `createMatchIndex`. */
export class MatchIndex {
  readonly knowledge: NameKnowledge;
  readonly maxBlockSize: number;
  private currentModel: MatchModel | null;
  private readonly thresholds: MatchModel['thresholds'] | undefined;
  private readonly records = new Map<string, PreparedRecord>();
  /** Small integers per record: blocks hold them, and candidate pairs dedupe by them. */
  private readonly ordinal = new Map<string, number>();
  private readonly byOrdinal: Array<PreparedRecord | undefined> = [];
  private readonly keysOf = new Map<string, readonly string[]>();
  private readonly blocks = new Map<string, number[]>();
  /** AUTO_LINK and REVIEW pairs, both directions. */
  private readonly edges = new Map<string, Map<string, MatchedPair>>();
  private readonly rejected = new Set<string>();
  private readonly rejectedPartners = new Map<string, Set<string>>();
  private readonly pinned = new Map<string, string>();
  private readonly pinnedMembers = new Map<string, Set<string>>();

  constructor(options: MatchOptions = {}) {
    this.knowledge = options.knowledge ?? EXTENDED_NAME_KNOWLEDGE;
    this.maxBlockSize = options.maxBlockSize ?? DEFAULT_BLOCKING_OPTIONS.maxBlockSize;
    this.currentModel = options.model ?? null;
    this.thresholds = options.thresholds;
    this.addConstraints(options);
  }

  /** The model pairs are scored with; set by the first full comparison when not given. */
  get model(): MatchModel {
    if (!this.currentModel) throw new Error('The match index has no model yet: run compareAll() first or pass one');
    return this.currentModel;
  }

  get size(): number {
    return this.records.size;
  }

  /**
   * Against a complete read of the sources: the records the index has never seen, those whose
   * details changed since it saw them, and the indexed records the read no longer holds.
   */
  differencesFrom(read: readonly MatchRecord[]): { arrived: MatchRecord[]; changed: MatchRecord[]; removed: RecordRef[] } {
    const arrived: MatchRecord[] = [];
    const changed: MatchRecord[] = [];
    const seen = new Set<string>();
    for (const record of read) {
      const key = recordKey(record);
      seen.add(key);
      const known = this.records.get(key);
      if (!known) arrived.push(record);
      else if (matchDetailsText(known.record) !== matchDetailsText(record)) changed.push(record);
    }
    const removed: RecordRef[] = [];
    for (const [key, prepared] of this.records) if (!seen.has(key)) removed.push(prepared.record);
    return { arrived, changed, removed };
  }

  has(ref: RecordRef): boolean {
    return this.records.has(recordKey(ref));
  }

  /** Whether two records share a block a run compares (one within its size cap): the evaluator's error analysis. */
  shareComparableBlock(a: RecordRef, b: RecordRef): boolean {
    const theirs = new Set(this.keysOf.get(recordKey(b)) ?? []);
    for (const key of this.keysOf.get(recordKey(a)) ?? []) {
      if (theirs.has(key) && (this.blocks.get(key)?.length ?? 0) <= maxBlockSizeFor(key, this.maxBlockSize)) return true;
    }
    return false;
  }

  /** Adds human decisions (after a triage officer rejects or confirms a link); they apply from the next run. */
  addConstraints(constraints: MatchConstraints): void {
    for (const [a, b] of constraints.rejectedPairs ?? []) {
      const [x, y] = [recordKey(a), recordKey(b)];
      this.rejected.add(pairKey(x, y));
      this.partnersOf(x).add(y);
      this.partnersOf(y).add(x);
      this.dropEdge(x, y);
    }
    for (const [key, personId] of constraints.pinned ?? []) {
      const previous = this.pinned.get(key);
      if (previous !== undefined) this.pinnedMembers.get(previous)?.delete(key);
      this.pinned.set(key, personId);
      const members = this.pinnedMembers.get(personId) ?? new Set<string>();
      members.add(key);
      this.pinnedMembers.set(personId, members);
    }
  }

  isRejected(a: string, b: string): boolean {
    return this.rejected.has(pairKey(a, b));
  }

  private partnersOf(key: string): Set<string> {
    let partners = this.rejectedPartners.get(key);
    if (!partners) this.rejectedPartners.set(key, (partners = new Set()));
    return partners;
  }

  /** Puts a record in its blocks (replacing an earlier version), without comparing it. */
  insert(record: MatchRecord): PreparedRecord {
    const prepared = prepareRecord(record);
    this.remove(prepared.key);
    const keys = blockingKeys(prepared, this.knowledge);
    const ordinal = this.byOrdinal.length;
    this.records.set(prepared.key, prepared);
    this.ordinal.set(prepared.key, ordinal);
    this.byOrdinal.push(prepared);
    this.keysOf.set(prepared.key, keys);
    for (const key of keys) {
      const block = this.blocks.get(key);
      if (block) block.push(ordinal);
      else this.blocks.set(key, [ordinal]);
    }
    return prepared;
  }

  /** Takes a record out of its blocks and drops its pairs. Returns the partners it had. */
  remove(key: string): string[] {
    if (!this.records.has(key)) return [];
    const ordinal = this.ordinal.get(key) as number;
    for (const blockKey of this.keysOf.get(key) ?? []) {
      const block = this.blocks.get(blockKey);
      if (!block) continue;
      const at = block.indexOf(ordinal);
      if (at >= 0) block.splice(at, 1);
      if (block.length === 0) this.blocks.delete(blockKey);
    }
    const partners = [...(this.edges.get(key)?.keys() ?? [])];
    for (const partner of partners) this.dropEdge(key, partner);
    this.records.delete(key);
    this.ordinal.delete(key);
    this.byOrdinal[ordinal] = undefined;
    this.keysOf.delete(key);
    return partners;
  }

  private dropEdge(x: string, y: string): void {
    this.edges.get(x)?.delete(y);
    this.edges.get(y)?.delete(x);
    if (this.edges.get(x)?.size === 0) this.edges.delete(x);
    if (this.edges.get(y)?.size === 0) this.edges.delete(y);
  }

  /** Scores one compared pair and keeps it when it is a link or a review. */
  private keep(a: PreparedRecord, b: PreparedRecord, vector: ComparisonVector): MatchedPair | null {
    if (clearlyNoLink(this.model, a, b, vector)) return null;
    const result = scoreCompared(this.model, a, b, vector);
    if (result.decision === 'NO_LINK') return null;
    const [first, second] = compareRecordRefs(a.record, b.record) <= 0 ? [a, b] : [b, a];
    const pair: MatchedPair = {
      a: { source: first.record.source, sourceId: first.record.sourceId },
      b: { source: second.record.source, sourceId: second.record.sourceId },
      score: result.score,
      method: result.method,
      decision: result.decision,
      rule: result.rule,
      explanation: result.explanation,
    };
    let fromX = this.edges.get(a.key);
    if (!fromX) this.edges.set(a.key, (fromX = new Map()));
    let fromY = this.edges.get(b.key);
    if (!fromY) this.edges.set(b.key, (fromY = new Map()));
    fromX.set(b.key, pair);
    fromY.set(a.key, pair);
    return pair;
  }

  private compare(x: string, y: string): MatchedPair | null {
    if (this.rejected.has(pairKey(x, y))) return null;
    const a = this.records.get(x) as PreparedRecord;
    const b = this.records.get(y) as PreparedRecord;
    return this.keep(a, b, compareFields(a, b, this.knowledge));
  }

  /** Whether two records are at least review-level alike: their kept pair, or scored now. */
  private alike(x: string, y: string): boolean {
    if (this.edges.get(x)?.has(y)) return true;
    if (this.rejected.has(pairKey(x, y))) return false;
    const a = this.records.get(x) as PreparedRecord;
    const b = this.records.get(y) as PreparedRecord;
    const vector = compareFields(a, b, this.knowledge);
    return !clearlyNoLink(this.model, a, b, vector) && scoreCompared(this.model, a, b, vector).decision !== 'NO_LINK';
  }

  /**
   * Compares within every block; estimates the model from those comparisons when the index has
   * none; keeps the pairs that score as a link or a review.
   */
  compareAll(): { pairs: MatchedPair[]; comparisons: number; blocks: number; oversizeBlocksSkipped: number } {
    const candidates = new CandidateBuffer();
    const { blocks, oversizeBlocksSkipped } = this.forEachCandidate((a, b, ox, oy) => candidates.push(ox, oy, compareFields(a, b, this.knowledge)));
    if (!this.currentModel) {
      const records = this.byOrdinal.filter((r): r is PreparedRecord => r !== undefined);
      const estimated = estimateModel({ records, patterns: candidates.patterns(), candidatePairs: candidates.length, knowledge: this.knowledge, thresholds: this.thresholds });
      // The default model (too few records to estimate from) keeps every guard.
      this.currentModel = estimated.termFrequencies.records === 0 ? estimated : withFamilyEvidence(estimated, this.familyLookalikes(candidates, estimated, records));
    }
    const pairs: MatchedPair[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const [x, y] = candidates.pair(i);
      const pair = this.keep(this.byOrdinal[x] as PreparedRecord, this.byOrdinal[y] as PreparedRecord, candidates.vector(i));
      if (pair) pairs.push(pair);
    }
    return { pairs, comparisons: candidates.length, blocks, oversizeBlocksSkipped };
  }

  /**
   * Calls `visit` once for every candidate pair a full run compares: records sharing a block within
   * its size cap, not rejected by a person. Also the evaluator's way to see what blocking let through.
   */
  forEachCandidate(visit: (a: PreparedRecord, b: PreparedRecord, ox: number, oy: number) => void): { blocks: number; oversizeBlocksSkipped: number } {
    const { blockList, blocks, oversizeBlocksSkipped } = this.comparableBlocks();
    // Per record, the blocks it is in; each pair is visited once, from its smaller ordinal, and a
    // stamp per partner stops a pair sharing several blocks being visited again.
    const blocksOf: number[][] = this.byOrdinal.map(() => []);
    blockList.forEach((block, b) => {
      for (const ordinal of block) (blocksOf[ordinal] as number[]).push(b);
    });
    const stamp = new Int32Array(this.byOrdinal.length).fill(-1);
    for (let ox = 0; ox < this.byOrdinal.length; ox++) {
      const a = this.byOrdinal[ox];
      if (!a) continue;
      for (const b of blocksOf[ox] as number[]) {
        for (const oy of blockList[b] as number[]) {
          if (oy <= ox || stamp[oy] === ox) continue;
          stamp[oy] = ox;
          const other = this.byOrdinal[oy] as PreparedRecord;
          if (this.rejected.size > 0 && this.rejected.has(pairKey(a.key, other.key))) continue;
          visit(a, other, ox, oy);
        }
      }
    }
    return { blocks, oversizeBlocksSkipped };
  }

  /** Counts the twin-like candidate pairs within and across systems (./model/familyEvidence.ts). */
  private familyLookalikes(candidates: CandidateBuffer, model: MatchModel, records: readonly PreparedRecord[]): FamilyEvidence | null {
    let within = 0;
    let across = 0;
    for (let i = 0; i < candidates.length; i++) {
      const [x, y] = candidates.pair(i);
      const [a, b] = [this.byOrdinal[x] as PreparedRecord, this.byOrdinal[y] as PreparedRecord];
      if (!looksLikeTwins(model, a, b, candidates.vector(i))) continue;
      if (a.record.source === b.record.source) within++;
      else across++;
    }
    const perSystem = new Map<string, number>();
    for (const record of records) perSystem.set(record.record.source, (perSystem.get(record.record.source) ?? 0) + 1);
    return familyEvidence(within, across, [...perSystem.values()]);
  }

  /** Blocks worth comparing: two records or more, none over its key's size cap. */
  private comparableBlocks(): { blockList: number[][]; blocks: number; oversizeBlocksSkipped: number } {
    const blockList: number[][] = [];
    let oversizeBlocksSkipped = 0;
    for (const [key, block] of this.blocks) {
      if (block.length < 2) continue;
      if (block.length > maxBlockSizeFor(key, this.maxBlockSize)) {
        oversizeBlocksSkipped++;
        continue;
      }
      blockList.push(block);
    }
    return { blockList, blocks: blockList.length, oversizeBlocksSkipped };
  }

  /** Compares one record with everything in its blocks (skipping `skip`, already compared). */
  compareOne(
    x: string,
    skip: ReadonlySet<string>,
  ): { pairs: MatchedPair[]; comparisons: number; blocks: number; oversizeBlocksSkipped: number } {
    const seen = new Set<number>();
    const pairs: MatchedPair[] = [];
    let blocks = 0;
    let oversizeBlocksSkipped = 0;
    const ox = this.ordinal.get(x) as number;
    for (const blockKey of this.keysOf.get(x) ?? []) {
      const block = this.blocks.get(blockKey) ?? [];
      if (block.length < 2) continue;
      if (block.length > maxBlockSizeFor(blockKey, this.maxBlockSize)) {
        oversizeBlocksSkipped++;
        continue;
      }
      blocks++;
      for (const oy of block) {
        if (oy === ox || seen.has(oy)) continue;
        seen.add(oy);
        const y = (this.byOrdinal[oy] as PreparedRecord).key;
        if (skip.has(y)) continue;
        const pair = this.compare(x, y);
        if (pair) pairs.push(pair);
      }
    }
    return { pairs, comparisons: seen.size, blocks, oversizeBlocksSkipped };
  }

  /** Every record key, in insertion order. */
  keys(): IterableIterator<string> {
    return this.records.keys();
  }

  /**
   * The records reachable from `starts` through automatic links (and shared confirmations), i.e. the
   * complete components the starts belong to.
   */
  componentsAround(starts: Iterable<string>): Set<string> {
    const reached = new Set<string>();
    const queue: string[] = [];
    const visit = (key: string) => {
      if (!this.records.has(key) || reached.has(key)) return;
      reached.add(key);
      queue.push(key);
    };
    for (const start of starts) visit(start);
    while (queue.length > 0) {
      const key = queue.pop() as string;
      for (const [partner, pair] of this.edges.get(key) ?? []) if (pair.decision === 'AUTO_LINK') visit(partner);
      const person = this.pinned.get(key);
      if (person !== undefined) for (const member of this.pinnedMembers.get(person) ?? []) visit(member);
    }
    return reached;
  }

  /** Clusters over `keys` (see ./clusterRecords.ts). */
  cluster(keys: Iterable<string>): RecordRef[][] {
    const members = [...keys];
    const inScope = new Set(members);
    const links: ClusterLink[] = [];
    for (const key of members) {
      for (const [partner, pair] of this.edges.get(key) ?? []) {
        // Each pair once: from its smaller key.
        if (pair.decision === 'AUTO_LINK' && inScope.has(partner) && key < partner) {
          links.push({ x: key, y: partner, deterministic: pair.method === 'DETERMINISTIC', score: pair.score });
        }
      }
    }
    const systemOf = (key: string) => key.slice(0, key.indexOf(':'));
    const chosen = mutualBestLinks(links, systemOf).sort(compareLinkStrength);
    const clusters = new ConstrainedClusters({
      recordOf: (key) => this.records.get(key) as PreparedRecord,
      rejectedPartnersOf: (key) => this.rejectedPartners.get(key),
      pinnedPersonOf: (key) => this.pinned.get(key),
      alike: (x, y) => this.alike(x, y),
    });
    for (const key of members) clusters.add(key);
    // Confirmations first: a person's decision outranks any score.
    for (const [, pinnedKeys] of this.pinnedMembers) {
      const inside = [...pinnedKeys].filter((k) => inScope.has(k));
      for (let i = 1; i < inside.length; i++) clusters.union(inside[0] as string, inside[i] as string, true);
    }
    for (const link of chosen) clusters.union(link.x, link.y, false);
    return clusters.groups();
  }
}

function sortPairs(pairs: MatchedPair[]): MatchedPair[] {
  return pairs.sort((p, q) => compareRecordRefs(p.a, q.a) || compareRecordRefs(p.b, q.b));
}

/**
 * The pairs as the clusters settled them: an automatic-level pair whose records the clustering kept
 * apart becomes a review item (`CLUSTER_CONFLICT`), so every AUTO_LINK pair lies inside a cluster.
 */
function settle(pairs: readonly MatchedPair[], clusters: readonly RecordRef[][]): MatchedPair[] {
  const clusterOf = new Map<string, number>();
  clusters.forEach((cluster, i) => cluster.forEach((ref) => clusterOf.set(recordKey(ref), i)));
  return pairs.map((pair) => {
    if (pair.decision !== 'AUTO_LINK' || clusterOf.get(recordKey(pair.a)) === clusterOf.get(recordKey(pair.b))) return pair;
    return { ...pair, decision: 'REVIEW', rule: 'CLUSTER_CONFLICT', explanation: { ...pair.explanation, decision: 'REVIEW', guard: 'CLUSTER_CONFLICT' } };
  });
}

function countDecisions(pairs: readonly MatchedPair[]): { autoLinks: number; reviews: number } {
  let autoLinks = 0;
  for (const pair of pairs) if (pair.decision === 'AUTO_LINK') autoLinks++;
  return { autoLinks, reviews: pairs.length - autoLinks };
}

export function createMatchIndex(options: MatchOptions = {}): MatchIndex {
  return new MatchIndex(options);
}

/**
 * A full run: every record blocked, every block compared, every record clustered. The returned
 * `index` carries the state an incremental run continues from.
 */
export function matchRecords(records: readonly MatchRecord[], options: MatchOptions = {}): MatchResult & { index: MatchIndex } {
  const index = new MatchIndex(options);
  for (const record of records) index.insert(record);
  const { pairs: scored, comparisons, blocks, oversizeBlocksSkipped } = index.compareAll();
  const clusters = index.cluster(index.keys());
  const pairs = settle(scored, clusters);
  return {
    scope: 'FULL',
    pairs: sortPairs(pairs),
    clusters,
    stats: { records: index.size, comparisons, blocks, oversizeBlocksSkipped, ...countDecisions(pairs) },
    index,
  };
}

/**
 * An incremental run: `changed` records (new or edited) replace their earlier versions in the index
 * and are compared against their blocks only; `removed` records leave it. Returns the pairs that
 * involve a changed record and the complete clusters around every changed or removed record (and
 * around the partners they had), as a full run over the updated index would cluster them.
 */
export function matchIncrementally(
  existing: MatchIndex,
  changed: readonly MatchRecord[],
  options: { removed?: readonly RecordRef[] } = {},
): MatchResult {
  const touched = new Set<string>();
  const changedKeys: string[] = [];
  for (const ref of options.removed ?? []) {
    for (const partner of existing.remove(recordKey(ref))) touched.add(partner);
  }
  for (const record of changed) {
    const key = recordKey(record);
    for (const partner of existing.remove(key)) touched.add(partner);
  }
  for (const record of changed) {
    const prepared = existing.insert(record);
    changedKeys.push(prepared.key);
    touched.add(prepared.key);
  }
  const pairs: MatchedPair[] = [];
  let comparisons = 0;
  let blocks = 0;
  let oversizeBlocksSkipped = 0;
  const done = new Set<string>();
  for (const key of changedKeys) {
    if (done.has(key)) continue;
    const result = existing.compareOne(key, done);
    done.add(key);
    pairs.push(...result.pairs);
    comparisons += result.comparisons;
    blocks += result.blocks;
    oversizeBlocksSkipped += result.oversizeBlocksSkipped;
  }
  const component = existing.componentsAround(touched);
  const changedRefs = changedKeys.map(parseRecordKey);
  const clusters = existing.cluster(component);
  const settled = settle(pairs, clusters);
  return {
    scope: 'INCREMENTAL',
    pairs: sortPairs(settled),
    clusters,
    stats: { records: existing.size, comparisons, blocks, oversizeBlocksSkipped, ...countDecisions(settled) },
    changed: changedRefs,
    removed: [...(options.removed ?? [])],
  };
}
