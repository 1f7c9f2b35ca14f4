/**
 * Matching over many records: blocking, pair scoring and clustering into gateway persons, in full
 * or incrementally.
 *
 * A `MatchIndex` holds every record by blocking key together with the pairs found so far. A full
 * run fills it and compares within every block; an incremental run re-scores only the changed
 * records against the blocks they fall in, then re-clusters just the components those records
 * touch. Both cluster the same way, so an incremental run over a change gives the clusters a full
 * run would.
 *
 * Clusters are connected components of automatic links, built strongest link first, with
 * constraints: two records a person has rejected as a pair, records a person confirmed to
 * different gateway persons, and records with different valid UPNs (or PNC numbers) never end up
 * in one cluster. A link that would break a constraint is left out of the cluster, not the pairs.
 */
import { blockingKeys, DEFAULT_BLOCKING_OPTIONS } from './blocking';
import { compareRecordRefs, parseRecordKey, prepareRecord, recordKey, type MatchRecord, type PreparedRecord, type RecordRef } from './matchRecord';
import { EXTENDED_NAME_KNOWLEDGE, type NameKnowledge } from './nameEquivalents';
import { scorePair, type PairRule } from './scorePair';

/** A proposed link between two records (automatic, or queued for review). */
export interface MatchedPair {
  a: RecordRef;
  b: RecordRef;
  score: number;
  method: 'DETERMINISTIC' | 'PROBABILISTIC';
  decision: 'AUTO_LINK' | 'REVIEW';
  /** Why the pair was linked by rule, or capped at review; null for a plain score decision. */
  rule: PairRule | null;
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
}

const PAIR_SEPARATOR = '\u0000';
const pairKey = (x: string, y: string): string => (x < y ? `${x}${PAIR_SEPARATOR}${y}` : `${y}${PAIR_SEPARATOR}${x}`);

/** Records by blocking key, with the pairs found among them. Build with `matchRecords` or `createMatchIndex`. */
export class MatchIndex {
  readonly knowledge: NameKnowledge;
  readonly maxBlockSize: number;
  private readonly records = new Map<string, PreparedRecord>();
  /** Small integers per record, so candidate pairs dedupe as numbers rather than strings. */
  private readonly ordinal = new Map<string, number>();
  private nextOrdinal = 0;
  private readonly keysOf = new Map<string, readonly string[]>();
  private readonly blocks = new Map<string, string[]>();
  /** AUTO_LINK and REVIEW pairs, both directions. */
  private readonly edges = new Map<string, Map<string, MatchedPair>>();
  private readonly rejected = new Set<string>();
  private readonly rejectedPartners = new Map<string, Set<string>>();
  private readonly pinned = new Map<string, string>();
  private readonly pinnedMembers = new Map<string, Set<string>>();

  constructor(options: MatchOptions = {}) {
    this.knowledge = options.knowledge ?? EXTENDED_NAME_KNOWLEDGE;
    this.maxBlockSize = options.maxBlockSize ?? DEFAULT_BLOCKING_OPTIONS.maxBlockSize;
    this.addConstraints(options);
  }

  get size(): number {
    return this.records.size;
  }

  has(ref: RecordRef): boolean {
    return this.records.has(recordKey(ref));
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
    const prepared = prepareRecord(record, this.knowledge);
    this.remove(prepared.key);
    const keys = blockingKeys(prepared, this.knowledge);
    this.records.set(prepared.key, prepared);
    this.ordinal.set(prepared.key, this.nextOrdinal++);
    this.keysOf.set(prepared.key, keys);
    for (const key of keys) {
      const block = this.blocks.get(key);
      if (block) block.push(prepared.key);
      else this.blocks.set(key, [prepared.key]);
    }
    return prepared;
  }

  /** Takes a record out of its blocks and drops its pairs. Returns the partners it had. */
  remove(key: string): string[] {
    if (!this.records.has(key)) return [];
    for (const blockKey of this.keysOf.get(key) ?? []) {
      const block = this.blocks.get(blockKey);
      if (!block) continue;
      const at = block.indexOf(key);
      if (at >= 0) block.splice(at, 1);
      if (block.length === 0) this.blocks.delete(blockKey);
    }
    const partners = [...(this.edges.get(key)?.keys() ?? [])];
    for (const partner of partners) this.dropEdge(key, partner);
    this.records.delete(key);
    this.ordinal.delete(key);
    this.keysOf.delete(key);
    return partners;
  }

  private dropEdge(x: string, y: string): void {
    this.edges.get(x)?.delete(y);
    this.edges.get(y)?.delete(x);
    if (this.edges.get(x)?.size === 0) this.edges.delete(x);
    if (this.edges.get(y)?.size === 0) this.edges.delete(y);
  }

  /** Scores one candidate pair and keeps it when it is a link or a review. */
  private compare(x: string, y: string): MatchedPair | null {
    if (this.rejected.has(pairKey(x, y))) return null;
    const a = this.records.get(x) as PreparedRecord;
    const b = this.records.get(y) as PreparedRecord;
    const result = scorePair(a, b, this.knowledge);
    if (result.decision === 'NO_LINK') return null;
    const [first, second] = compareRecordRefs(a.record, b.record) <= 0 ? [a, b] : [b, a];
    const pair: MatchedPair = {
      a: { source: first.record.source, sourceId: first.record.sourceId },
      b: { source: second.record.source, sourceId: second.record.sourceId },
      score: result.score,
      method: result.method,
      decision: result.decision,
      rule: result.rule,
    };
    let fromX = this.edges.get(x);
    if (!fromX) this.edges.set(x, (fromX = new Map()));
    let fromY = this.edges.get(y);
    if (!fromY) this.edges.set(y, (fromY = new Map()));
    fromX.set(y, pair);
    fromY.set(x, pair);
    return pair;
  }

  /** Compares within every block. */
  compareAll(): { pairs: MatchedPair[]; comparisons: number; blocks: number; oversizeBlocksSkipped: number } {
    const seen = new Set<number>();
    const pairs: MatchedPair[] = [];
    let blocks = 0;
    let oversizeBlocksSkipped = 0;
    for (const block of this.blocks.values()) {
      if (block.length < 2) continue;
      if (block.length > this.maxBlockSize) {
        oversizeBlocksSkipped++;
        continue;
      }
      blocks++;
      for (let i = 0; i < block.length; i++) {
        const x = block[i] as string;
        const ox = this.ordinal.get(x) as number;
        for (let j = i + 1; j < block.length; j++) {
          const y = block[j] as string;
          const oy = this.ordinal.get(y) as number;
          // Ordinals stay below 2^26, so the pair fits a double exactly.
          const id = ox < oy ? ox * 67_108_864 + oy : oy * 67_108_864 + ox;
          if (seen.has(id)) continue;
          seen.add(id);
          const pair = this.compare(x, y);
          if (pair) pairs.push(pair);
        }
      }
    }
    return { pairs, comparisons: seen.size, blocks, oversizeBlocksSkipped };
  }

  /** Compares one record with everything in its blocks (skipping `skip`, already compared). */
  compareOne(
    x: string,
    skip: ReadonlySet<string>,
  ): { pairs: MatchedPair[]; comparisons: number; blocks: number; oversizeBlocksSkipped: number } {
    const seen = new Set<string>();
    const pairs: MatchedPair[] = [];
    let blocks = 0;
    let oversizeBlocksSkipped = 0;
    for (const blockKey of this.keysOf.get(x) ?? []) {
      const block = this.blocks.get(blockKey) ?? [];
      if (block.length < 2) continue;
      if (block.length > this.maxBlockSize) {
        oversizeBlocksSkipped++;
        continue;
      }
      blocks++;
      for (const y of block) {
        if (y === x || skip.has(y) || seen.has(y)) continue;
        seen.add(y);
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

  /** Clusters over `keys`: constrained union of their automatic links, strongest first. */
  cluster(keys: Iterable<string>): RecordRef[][] {
    const members = [...keys];
    const inScope = new Set(members);
    const links: MatchedPair[] = [];
    for (const key of members) {
      for (const [partner, pair] of this.edges.get(key) ?? []) {
        // Each pair once: from its smaller key.
        if (pair.decision === 'AUTO_LINK' && inScope.has(partner) && key < partner) links.push(pair);
      }
    }
    links.sort(
      (p, q) =>
        (p.method === q.method ? 0 : p.method === 'DETERMINISTIC' ? -1 : 1) ||
        q.score - p.score ||
        compareRecordRefs(p.a, q.a) ||
        compareRecordRefs(p.b, q.b),
    );
    const clusters = new ConstrainedClusters(
      (key) => this.records.get(key) as PreparedRecord,
      (key) => this.rejectedPartners.get(key),
      (key) => this.pinned.get(key),
    );
    for (const key of members) clusters.add(key);
    // Confirmations first: a person's decision outranks any score.
    for (const [, pinnedKeys] of this.pinnedMembers) {
      const inside = [...pinnedKeys].filter((k) => inScope.has(k));
      for (let i = 1; i < inside.length; i++) clusters.union(inside[0] as string, inside[i] as string, true);
    }
    for (const link of links) clusters.union(recordKey(link.a), recordKey(link.b), false);
    return clusters.groups();
  }
}

/** Union-find whose roots carry what a merge must not violate. */
class ConstrainedClusters {
  private readonly parent = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  private readonly upns = new Map<string, Set<string>>();
  private readonly pncs = new Map<string, Set<string>>();
  private readonly person = new Map<string, string>();

  constructor(
    private readonly recordOf: (key: string) => PreparedRecord,
    private readonly rejectedPartnersOf: (key: string) => ReadonlySet<string> | undefined,
    private readonly pinnedPersonOf: (key: string) => string | undefined,
  ) {}

  add(key: string): void {
    const record = this.recordOf(key);
    this.parent.set(key, key);
    this.members.set(key, [key]);
    this.upns.set(key, new Set(record.upn ? [record.upn] : []));
    this.pncs.set(key, new Set(record.pnc ? [record.pnc] : []));
    const pinned = this.pinnedPersonOf(key);
    if (pinned !== undefined) this.person.set(key, pinned);
  }

  find(key: string): string {
    let root = key;
    while (this.parent.get(root) !== root) root = this.parent.get(root) as string;
    let node = key;
    while (node !== root) {
      const next = this.parent.get(node) as string;
      this.parent.set(node, root);
      node = next;
    }
    return root;
  }

  /** Merges the two clusters unless a constraint forbids it (`force`: a person confirmed them together). */
  union(x: string, y: string, force: boolean): boolean {
    let rx = this.find(x);
    let ry = this.find(y);
    if (rx === ry) return true;
    if (!force && !this.compatible(rx, ry)) return false;
    const mx = this.members.get(rx) as string[];
    const my = this.members.get(ry) as string[];
    if (mx.length < my.length) [rx, ry] = [ry, rx];
    const into = this.members.get(rx) as string[];
    for (const member of this.members.get(ry) as string[]) into.push(member);
    this.members.delete(ry);
    for (const value of this.upns.get(ry) ?? []) this.upns.get(rx)?.add(value);
    for (const value of this.pncs.get(ry) ?? []) this.pncs.get(rx)?.add(value);
    this.upns.delete(ry);
    this.pncs.delete(ry);
    const personY = this.person.get(ry);
    if (personY !== undefined && !this.person.has(rx)) this.person.set(rx, personY);
    this.person.delete(ry);
    this.parent.set(ry, rx);
    return true;
  }

  private compatible(rx: string, ry: string): boolean {
    const px = this.person.get(rx);
    const py = this.person.get(ry);
    if (px !== undefined && py !== undefined && px !== py) return false;
    if (!sameOrDisjointSingle(this.upns.get(rx), this.upns.get(ry))) return false;
    if (!sameOrDisjointSingle(this.pncs.get(rx), this.pncs.get(ry))) return false;
    const mx = this.members.get(rx) as string[];
    const my = this.members.get(ry) as string[];
    const [small, otherRoot] = mx.length <= my.length ? [mx, ry] : [my, rx];
    for (const member of small) {
      for (const partner of this.rejectedPartnersOf(member) ?? []) {
        if (this.parent.has(partner) && this.find(partner) === otherRoot) return false;
      }
    }
    return true;
  }

  groups(): RecordRef[][] {
    const groups: RecordRef[][] = [];
    for (const [root, keys] of this.members) {
      if (this.parent.get(root) !== root) continue;
      groups.push(keys.map(parseRecordKey).sort(compareRecordRefs));
    }
    return groups.sort((g, h) => compareRecordRefs(g[0] as RecordRef, h[0] as RecordRef));
  }
}

/** Two identifier sets may merge when either is empty or the merge adds no second value. */
function sameOrDisjointSingle(x: ReadonlySet<string> | undefined, y: ReadonlySet<string> | undefined): boolean {
  if (!x || !y || x.size === 0 || y.size === 0) return true;
  for (const value of y) if (!x.has(value)) return false;
  return true;
}

function sortPairs(pairs: MatchedPair[]): MatchedPair[] {
  return pairs.sort((p, q) => compareRecordRefs(p.a, q.a) || compareRecordRefs(p.b, q.b));
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
  const { pairs, comparisons, blocks, oversizeBlocksSkipped } = index.compareAll();
  const clusters = index.cluster(index.keys());
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
  return {
    scope: 'INCREMENTAL',
    pairs: sortPairs(pairs),
    clusters: existing.cluster(component),
    stats: { records: existing.size, comparisons, blocks, oversizeBlocksSkipped, ...countDecisions(pairs) },
    changed: changedRefs,
    removed: [...(options.removed ?? [])],
  };
}
