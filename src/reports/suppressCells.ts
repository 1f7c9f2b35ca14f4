/**
 * Disclosure control for a table of counts with its totals: small cells are suppressed (primary), and
 * more cells are suppressed (secondary) until no suppressed value can be worked out from what is
 * shown, whether by subtracting from a row or column total, by combining several totals (linear
 * algebra), or by bounds (counts are never negative, and a cell suppressed as small is 1..threshold-1).
 */

/** A cell of the table: one key per dimension, `null` meaning the total over that dimension. */
export interface TableCell {
  keys: ReadonlyArray<string | null>;
  count: number;
  /** Carried through untouched: the sum of an averaged quantity, which the report divides (runReport). */
  sum?: number;
}

export type SuppressionReason = 'PRIMARY' | 'SECONDARY';

export interface ProtectedCell extends TableCell {
  suppression: SuppressionReason | null;
}

/**
 * A total and the cells it is made of (indexes into the cell list). `exact` when the parts add up to
 * the total; not so over a dimension where one unit can fall in several parts (a young person counted
 * in each month they took part), where the total is at most the sum.
 */
interface Line {
  total: number;
  parts: number[];
  exact: boolean;
}

/** Every "these cells add up to that total" relation in the table, one per dimension and position of the others. */
function linesOf(cells: readonly TableCell[], additive: readonly boolean[]): Line[] {
  const byKey = new Map(cells.map((cell, index) => [JSON.stringify(cell.keys), index]));
  const lines = new Map<string, Line>();
  const dimensions = cells[0]?.keys.length ?? 0;
  cells.forEach((cell, index) => {
    for (let d = 0; d < dimensions; d++) {
      if (cell.keys[d] === null) continue;
      const totalKeys = cell.keys.map((key, i) => (i === d ? null : key));
      const lineId = `${d}|${JSON.stringify(totalKeys)}`;
      let line = lines.get(lineId);
      if (!line) {
        const total = byKey.get(JSON.stringify(totalKeys));
        if (total === undefined) throw new Error(`table has no total for ${JSON.stringify(totalKeys)}`);
        lines.set(lineId, (line = { total, parts: [], exact: additive[d] ?? true }));
      }
      line.parts.push(index);
    }
  });
  return [...lines.values()];
}

const membersOf = (line: Line): number[] => [...line.parts, line.total];

/**
 * Which suppressed cells could be worked out from the shown cells and the totals: by linear algebra
 * (the cell's value is fixed by the equations whatever the other suppressed values are) or by bounds
 * (each suppressed cell's range, narrowed from its lines, closes to one value).
 */
export function recoverableCells(
  cells: readonly TableCell[],
  suppressed: ReadonlyMap<number, SuppressionReason>,
  threshold: number,
  additive: readonly boolean[] = [],
): Set<number> {
  const lines = linesOf(cells, additive).filter((line) => line.exact);
  const unknowns = [...suppressed.keys()];
  const column = new Map(unknowns.map((cell, i) => [cell, i]));
  const recovered = new Set<number>();

  // Linear algebra: reduce the equations over the suppressed cells; a cell is determined when no
  // solution of the homogeneous system moves it (its column is a pivot with no free column in its row).
  const rows: number[][] = [];
  for (const line of lines) {
    const row = new Array<number>(unknowns.length).fill(0);
    let touches = false;
    for (const part of line.parts) {
      const at = column.get(part);
      if (at !== undefined) {
        row[at]! += 1;
        touches = true;
      }
    }
    const at = column.get(line.total);
    if (at !== undefined) {
      row[at]! -= 1;
      touches = true;
    }
    if (touches) rows.push(row);
  }
  const pivots: Array<{ row: number; column: number }> = [];
  let rank = 0;
  for (let c = 0; c < unknowns.length && rank < rows.length; c++) {
    let best = rank;
    for (let r = rank + 1; r < rows.length; r++) if (Math.abs(rows[r]![c]!) > Math.abs(rows[best]![c]!)) best = r;
    if (Math.abs(rows[best]![c]!) < 1e-9) continue;
    [rows[rank], rows[best]] = [rows[best]!, rows[rank]!];
    const pivotRow = rows[rank]!;
    const scale = pivotRow[c]!;
    for (let k = 0; k < unknowns.length; k++) pivotRow[k]! /= scale;
    for (let r = 0; r < rows.length; r++) {
      if (r === rank) continue;
      const factor = rows[r]![c]!;
      if (Math.abs(factor) < 1e-12) continue;
      for (let k = 0; k < unknowns.length; k++) rows[r]![k]! -= factor * pivotRow[k]!;
    }
    pivots.push({ row: rank, column: c });
    rank += 1;
  }
  const pivotColumns = new Set(pivots.map((p) => p.column));
  for (const pivot of pivots) {
    const row = rows[pivot.row]!;
    const free = row.some((value, k) => k !== pivot.column && !pivotColumns.has(k) && Math.abs(value) > 1e-9);
    if (!free) recovered.add(unknowns[pivot.column]!);
  }

  // Bounds: narrow each suppressed cell's range from every line until nothing changes.
  const low = new Map<number, number>();
  const high = new Map<number, number>();
  const grandTotal = Math.max(...cells.map((cell) => cell.count));
  for (const [cell, reason] of suppressed) {
    low.set(cell, reason === 'PRIMARY' ? 1 : 0);
    high.set(cell, reason === 'PRIMARY' ? threshold - 1 : grandTotal);
  }
  const lo = (cell: number) => (suppressed.has(cell) ? low.get(cell)! : cells[cell]!.count);
  const hi = (cell: number) => (suppressed.has(cell) ? high.get(cell)! : cells[cell]!.count);
  for (let pass = 0, changed = true; changed && pass < 100; pass++) {
    changed = false;
    for (const line of lines) {
      const partsLow = line.parts.reduce((sum, part) => sum + lo(part), 0);
      const partsHigh = line.parts.reduce((sum, part) => sum + hi(part), 0);
      const narrow = (cell: number, newLow: number, newHigh: number) => {
        if (newLow > low.get(cell)!) {
          low.set(cell, newLow);
          changed = true;
        }
        if (newHigh < high.get(cell)!) {
          high.set(cell, newHigh);
          changed = true;
        }
      };
      if (suppressed.has(line.total)) narrow(line.total, partsLow, partsHigh);
      for (const part of line.parts) {
        if (!suppressed.has(part)) continue;
        narrow(part, lo(line.total) - (partsHigh - hi(part)), hi(line.total) - (partsLow - lo(part)));
      }
    }
  }
  for (const cell of suppressed.keys()) if (low.get(cell)! >= high.get(cell)!) recovered.add(cell);
  return recovered;
}

/**
 * `additive[d]` says whether the parts over dimension `d` add up to its total (default true).
 * Suppresses every count from 1 to `threshold - 1` (zero is shown: it discloses nothing about a
 * person), then, in each line with exactly one suppressed cell, the smallest other non-zero cell
 * (a part before the total); then, while any suppressed cell can still be recovered, the smallest
 * non-zero shown cell in one of its lines. Ends because each round suppresses at least one cell.
 */
export function suppressCells(cells: readonly TableCell[], threshold: number, additive: readonly boolean[] = []): ProtectedCell[] {
  const suppressed = new Map<number, SuppressionReason>();
  cells.forEach((cell, index) => {
    if (cell.count > 0 && cell.count < threshold) suppressed.set(index, 'PRIMARY');
  });
  const lines = linesOf(cells, additive);
  const cheapestShown = (line: Line): number | undefined =>
    [...line.parts, line.total]
      .filter((cell) => !suppressed.has(cell) && cells[cell]!.count > 0)
      .sort((a, b) => cells[a]!.count - cells[b]!.count || Number(a === line.total) - Number(b === line.total) || a - b)[0];

  for (let round = 0; round <= cells.length; round++) {
    let changed = false;
    for (const line of lines) {
      if (membersOf(line).filter((cell) => suppressed.has(cell)).length !== 1) continue;
      const extra = cheapestShown(line);
      if (extra === undefined) continue;
      suppressed.set(extra, 'SECONDARY');
      changed = true;
    }
    if (changed) continue;
    const exposed = recoverableCells(cells, suppressed, threshold, additive);
    const line = lines.find((l) => membersOf(l).some((cell) => exposed.has(cell)) && cheapestShown(l) !== undefined);
    if (!line) break;
    suppressed.set(cheapestShown(line)!, 'SECONDARY');
  }
  return cells.map((cell, index) => ({ ...cell, suppression: suppressed.get(index) ?? null }));
}
