import { suppressCells, type ProtectedCell, type TableCell } from '../suppressCells';

const THRESHOLD = 5;

/** A full table with every total (null = total over that dimension), from interior counts. */
function tableOf(interior: ReadonlyArray<{ keys: string[]; count: number }>): TableCell[] {
  const dimensions = interior[0]!.keys.length;
  const sums = new Map<string, TableCell>();
  for (const cell of interior) {
    for (let mask = 0; mask < 1 << dimensions; mask++) {
      const keys = cell.keys.map((key, d) => (mask & (1 << d) ? null : key));
      const id = JSON.stringify(keys);
      const entry = sums.get(id) ?? { keys, count: 0 };
      entry.count += cell.count;
      sums.set(id, entry);
    }
  }
  // Zero cells are not returned by the aggregate SQL (GROUP BY has no row for them); totals always are.
  return [...sums.values()].filter((cell) => cell.count > 0 || cell.keys.every((k) => k === null));
}

/**
 * The attacker: knows every shown count, that the parts of each line add up to its total, that counts
 * are whole and not negative, and that a cell suppressed as PRIMARY is 1..4. Enumerates every table
 * consistent with that and collects the values each suppressed cell can take. Written apart from the
 * production code on purpose (exhaustive search, not elimination and bounds).
 */
function feasibleValues(published: readonly ProtectedCell[]): Map<number, Set<number>> {
  const hidden = published.map((cell, i) => (cell.suppression ? i : -1)).filter((i) => i >= 0);
  const grand = published.find((cell) => cell.keys.every((k) => k === null))!;
  const bound = grand.suppression ? published.reduce((s, c) => s + (c.suppression ? 0 : c.count), 0) + 4 * published.length : grand.count;
  const byKey = new Map(published.map((cell, i) => [JSON.stringify(cell.keys), i]));
  const lines: Array<{ total: number; parts: number[] }> = [];
  const seen = new Set<string>();
  published.forEach((cell, i) => {
    cell.keys.forEach((key, d) => {
      if (key === null) return;
      const totalKeys = cell.keys.map((k, j) => (j === d ? null : k));
      const id = `${d}${JSON.stringify(totalKeys)}`;
      if (!seen.has(id)) {
        seen.add(id);
        lines.push({ total: byKey.get(JSON.stringify(totalKeys))!, parts: [] });
      }
      lines.find((l) => l.total === byKey.get(JSON.stringify(totalKeys)) && published[l.parts[0] ?? i]!.keys.every((k, j) => j === d || k === cell.keys[j]))!.parts.push(i);
    });
  });
  const values = new Map(hidden.map((i) => [i, new Set<number>()]));
  const value = new Map<number, number>();
  const get = (i: number): number | undefined => (published[i]!.suppression ? value.get(i) : published[i]!.count);
  const range = (i: number): [number, number] => (published[i]!.suppression === 'PRIMARY' ? [1, THRESHOLD - 1] : [0, bound]);
  let solutions = 0;
  const consistent = (): boolean =>
    lines.every((line) => {
      const known = [...line.parts, line.total].every((i) => get(i) !== undefined);
      return !known || line.parts.reduce((s, i) => s + get(i)!, 0) === get(line.total)!;
    });
  const search = (): void => {
    if (solutions > 200_000) throw new Error('search too large for this fixture');
    if (!consistent()) return;
    // A line with one unknown left forces it.
    for (const line of lines) {
      const open = [...line.parts, line.total].filter((i) => get(i) === undefined);
      if (open.length !== 1) continue;
      const i = open[0]!;
      const partsKnown = line.parts.filter((p) => p !== i).reduce((s, p) => s + get(p)!, 0);
      const forced = i === line.total ? partsKnown : get(line.total)! - partsKnown;
      const [lo, hi] = range(i);
      if (forced < lo || forced > hi) return;
      value.set(i, forced);
      search();
      value.delete(i);
      return;
    }
    const next = hidden.find((i) => get(i) === undefined);
    if (next === undefined) {
      solutions += 1;
      for (const i of hidden) values.get(i)!.add(value.get(i)!);
      return;
    }
    const [lo, hi] = range(next);
    for (let v = lo; v <= hi; v++) {
      value.set(next, v);
      search();
      value.delete(next);
    }
  };
  search();
  return values;
}

function expectNothingRecoverable(cells: TableCell[]): ProtectedCell[] {
  const published = suppressCells(cells, THRESHOLD);
  const feasible = feasibleValues(published);
  for (const [i, seen] of feasible) {
    // The truth is always among the feasible values, and never the only one.
    expect(seen.has(cells[i]!.count)).toBe(true);
    expect({ cell: published[i]!.keys, values: seen.size }).toEqual({ cell: published[i]!.keys, values: expect.any(Number) });
    expect(seen.size).toBeGreaterThan(1);
  }
  return published;
}

describe('suppressCells', () => {
  it('suppresses counts of 1-4 as PRIMARY and shows zeros and counts of 5 or more unchanged', () => {
    const published = suppressCells(tableOf([{ keys: ['a'], count: 3 }, { keys: ['b'], count: 9 }, { keys: ['c'], count: 12 }]), THRESHOLD);
    const byKey = Object.fromEntries(published.map((c) => [String(c.keys[0]), c]));
    expect(byKey.a!.suppression).toBe('PRIMARY');
    // One suppressed cell in a line would be total minus the rest: the smallest other part goes too.
    expect(byKey.b!.suppression).toBe('SECONDARY');
    expect(byKey.c).toMatchObject({ count: 12, suppression: null });
    expect(byKey.null).toMatchObject({ count: 24, suppression: null });
  });

  it('the attacker does recover values when only small cells are hidden (so the checks below can fail)', () => {
    const cells = tableOf([{ keys: ['a', 'x'], count: 2 }, { keys: ['a', 'y'], count: 9 }, { keys: ['b', 'x'], count: 7 }, { keys: ['b', 'y'], count: 8 }]);
    const primaryOnly: ProtectedCell[] = cells.map((cell) => ({ ...cell, suppression: cell.count > 0 && cell.count < THRESHOLD ? 'PRIMARY' : null }));
    const feasible = feasibleValues(primaryOnly);
    expect([...feasible.values()].map((v) => [...v])).toEqual([[2]]);
  });

  it('hand-worked 3x3 table: no suppressed cell can be derived from row, column or grand totals', () => {
    // rows E2/E8/N16 by gender F/M/X
    const interior = [
      ['E2', 'F', 2], ['E2', 'M', 11], ['E2', 'X', 6],
      ['E8', 'F', 8], ['E8', 'M', 14], ['E8', 'X', 7],
      ['N16', 'F', 9], ['N16', 'M', 3], ['N16', 'X', 10],
    ].map(([a, b, count]) => ({ keys: [a as string, b as string], count: count as number }));
    const published = expectNothingRecoverable(tableOf(interior));
    const primary = published.filter((c) => c.suppression === 'PRIMARY').map((c) => c.keys);
    expect(primary).toEqual(expect.arrayContaining([['E2', 'F'], ['N16', 'M']]));
    expect(primary).toHaveLength(2);
    expect(published.filter((c) => c.suppression === 'SECONDARY').length).toBeGreaterThanOrEqual(2);
  });

  it('a single small cell in a row whose total is the only other cell suppresses that total too', () => {
    const published = expectNothingRecoverable(tableOf([
      { keys: ['E2', 'F'], count: 2 },
      { keys: ['E8', 'F'], count: 20 },
      { keys: ['E8', 'M'], count: 30 },
      { keys: ['N16', 'M'], count: 25 },
    ]));
    expect(published.find((c) => c.keys[0] === 'E2' && c.keys[1] === null)!.suppression).not.toBeNull();
  });

  it('random 2- and 3-dimensional tables: nothing suppressed is recoverable, nothing shown is changed', () => {
    let state = 12345;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31), state / 2 ** 31);
    for (let trial = 0; trial < 25; trial++) {
      const threeD = trial % 3 === 0;
      const interior: Array<{ keys: string[]; count: number }> = [];
      for (const a of ['a1', 'a2', 'a3'].slice(0, threeD ? 2 : 3)) {
        for (const b of ['b1', 'b2', 'b3']) {
          for (const c of threeD ? ['c1', 'c2'] : [null]) {
            const roll = random();
            const count = roll < 0.15 ? 0 : roll < 0.45 ? 1 + Math.floor(random() * 4) : 5 + Math.floor(random() * 8);
            interior.push({ keys: c ? [a, b, c] : [a, b], count });
          }
        }
      }
      const cells = tableOf(interior);
      const published = expectNothingRecoverable(cells);
      published.forEach((cell, i) => expect(cell.count).toBe(cells[i]!.count));
    }
  });
});
