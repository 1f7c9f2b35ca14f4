/**
 * Clusters records into gateway persons from their automatic links, without chaining weak links.
 *
 * - Best link per system: a record joins another system's record only when each is the other's
 *   strongest automatic link into that system. A person rarely has two records in one system, so
 *   the runner-up is a doubt for a person to judge, not a second link.
 * - Strongest link first, and a merge must keep the cluster sound: never two records of one system
 *   (unless a person confirmed them together), every pair across the two halves at least
 *   review-level (so A-B and B-C cannot drag in a C that looks nothing like A), no pair a person
 *   rejected, no two persons a person confirmed apart, no two different valid UPNs or PNC numbers.
 *
 * A link left out of the clusters stays a pair for review.
 */
import { compareRecordRefs, parseRecordKey, type PreparedRecord, type RecordRef } from './matchRecord';

export interface ClusterLink {
  x: string;
  y: string;
  deterministic: boolean;
  score: number;
}

export interface ClusterContext {
  recordOf(key: string): PreparedRecord;
  rejectedPartnersOf(key: string): ReadonlySet<string> | undefined;
  pinnedPersonOf(key: string): string | undefined;
  /** Whether two records are at least review-level alike (scored on demand when not already compared). */
  alike(x: string, y: string): boolean;
}

const stronger = (p: ClusterLink, q: ClusterLink): number =>
  (p.deterministic === q.deterministic ? 0 : p.deterministic ? -1 : 1) || q.score - p.score || (p.x < q.x ? -1 : p.x > q.x ? 1 : p.y < q.y ? -1 : p.y > q.y ? 1 : 0);

/** Keeps a link only when it is both ends' strongest link into the other's system. */
export function mutualBestLinks(links: readonly ClusterLink[], systemOf: (key: string) => string): ClusterLink[] {
  const best = new Map<string, ClusterLink>();
  for (const link of links) {
    for (const [from, to] of [[link.x, link.y], [link.y, link.x]] as const) {
      const slot = `${from}\u0000${systemOf(to)}`;
      const current = best.get(slot);
      if (!current || stronger(link, current) < 0) best.set(slot, link);
    }
  }
  return links.filter((link) => best.get(`${link.x}\u0000${systemOf(link.y)}`) === link && best.get(`${link.y}\u0000${systemOf(link.x)}`) === link);
}

/** Union-find whose roots carry what a merge must not violate. */
export class ConstrainedClusters {
  private readonly parent = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  private readonly upns = new Map<string, Set<string>>();
  private readonly pncs = new Map<string, Set<string>>();
  private readonly person = new Map<string, string>();

  constructor(private readonly context: ClusterContext) {}

  add(key: string): void {
    const record = this.context.recordOf(key);
    this.parent.set(key, key);
    this.members.set(key, [key]);
    this.upns.set(key, new Set(record.upn ? [record.upn] : []));
    this.pncs.set(key, new Set(record.pnc ? [record.pnc] : []));
    const pinned = this.context.pinnedPersonOf(key);
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
    const systems = new Set(mx.map((key) => key.slice(0, key.indexOf(':'))));
    for (const key of my) if (systems.has(key.slice(0, key.indexOf(':')))) return false;
    const [small, otherRoot] = mx.length <= my.length ? [mx, ry] : [my, rx];
    for (const member of small) {
      for (const partner of this.context.rejectedPartnersOf(member) ?? []) {
        if (this.parent.has(partner) && this.find(partner) === otherRoot) return false;
      }
    }
    for (const a of mx) for (const b of my) if (!this.context.alike(a, b)) return false;
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

export { stronger as compareLinkStrength };
