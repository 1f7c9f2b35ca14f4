/**
 * How far automatic recall could go on this data at all: the recall of the best rule any matcher
 * could write over the comparison levels and the model's score, at a given precision.
 *
 * Every candidate pair a full run compares, and every same-person pair whether compared or not, is
 * put in a cell by its comparison vector and its score (rounded to a whole bit, so the name
 * frequencies the score weighs count too). Cells are taken most-often-true first while the pairs
 * taken stay at or above the target precision; the recall reached is the ceiling. It is an upper
 * bound, and a generous one: the rule is fitted to the very pairs it is scored on, pairs no block
 * brought together count as true links but never as false ones, and clustering's transitive pairs
 * are left out. Pairs within one system are counted as missed, since they go to review by design.
 */
import type { PreparedRecord } from '../matchRecord';
import type { MatchIndex } from '../matchRecords';
import { compareFields } from '../model/compareFields';
import { scoreCompared } from '../scorePair';
import { recordsByPerson } from './recordsByPerson';

export interface RecallCeiling {
  precisionTarget: number;
  /** Share of same-person pairs the best cell rule links at that precision. */
  recall: number;
  /** The precision that rule has (at or above the target). */
  precision: number;
  /** Recall of the same rule counting pairs within one system as linkable: what reviewing them costs. */
  recallWithSameSystemLinked: number;
}

interface Cell {
  truePairs: number;
  falsePairs: number;
  sameSystemTruePairs: number;
}

export function recallCeiling(
  index: MatchIndex,
  records: ReadonlyMap<string, PreparedRecord>,
  truth: ReadonlyMap<string, string>,
  precisionTarget = 0.995,
): RecallCeiling {
  const model = index.model;
  const cells = new Map<string, Cell>();
  const cellOf = (a: PreparedRecord, b: PreparedRecord): Cell => {
    const vector = compareFields(a, b, index.knowledge);
    const key = `${vector.join(',')}|${Math.round(scoreCompared(model, a, b, vector).score)}`;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { truePairs: 0, falsePairs: 0, sameSystemTruePairs: 0 }));
    return cell;
  };
  const sameSystem = (a: PreparedRecord, b: PreparedRecord) => a.record.source === b.record.source;

  index.forEachCandidate((a, b) => {
    if (truth.get(a.key) !== truth.get(b.key)) cellOf(a, b).falsePairs++;
  });
  const byPerson = recordsByPerson(records.values(), truth);
  let allTruePairs = 0;
  for (const list of byPerson.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i] as PreparedRecord, list[j] as PreparedRecord];
        allTruePairs++;
        const cell = cellOf(a, b);
        if (sameSystem(a, b)) cell.sameSystemTruePairs++;
        else cell.truePairs++;
      }
    }
  }
  const best = bestRule([...cells.values()], precisionTarget, (c) => c.truePairs);
  const withSameSystem = bestRule([...cells.values()], precisionTarget, (c) => c.truePairs + c.sameSystemTruePairs);
  return {
    precisionTarget,
    recall: ratio(best.truePairs, allTruePairs),
    precision: ratio(best.truePairs, best.truePairs + best.falsePairs),
    recallWithSameSystemLinked: ratio(withSameSystem.truePairs, allTruePairs),
  };
}

/** Cells most-often-true first, each taken when the precision still holds with it. */
function bestRule(cells: readonly Cell[], target: number, linkable: (cell: Cell) => number): { truePairs: number; falsePairs: number } {
  const ranked = cells
    .map((cell) => ({ t: linkable(cell), f: cell.falsePairs }))
    .filter((c) => c.t > 0)
    .sort((p, q) => q.t / (q.t + q.f) - p.t / (p.t + p.f) || q.t - p.t);
  let truePairs = 0;
  let falsePairs = 0;
  for (const { t, f } of ranked) {
    if ((truePairs + t) / (truePairs + t + falsePairs + f) < target) continue;
    truePairs += t;
    falsePairs += f;
  }
  return { truePairs, falsePairs };
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : Math.round((part / whole) * 100000) / 100000);
