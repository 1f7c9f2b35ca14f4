/**
 * How well the estimated m matches the labelled truth: per field, the model's m for each level
 * beside the share of same-person pairs that actually compare at that level. Estimation is
 * unsupervised, so this is the check that it learnt what one person's records look like.
 */
import type { PreparedRecord } from '../matchRecord';
import type { MatchIndex } from '../matchRecords';
import { compareFields, FIELD_NAMES, FIELDS, MISSING, type FieldName } from '../model/compareFields';
import { recordsByPerson } from './recordsByPerson';

export type ModelCalibration = Record<FieldName, { estimatedM: number[]; observedM: number[] }>;

const round = (n: number): number => Math.round(n * 10000) / 10000;

export function modelCalibration(index: MatchIndex, records: ReadonlyMap<string, PreparedRecord>, truth: ReadonlyMap<string, string>): ModelCalibration {
  const byPerson = recordsByPerson(records.values(), truth);
  const counts = FIELD_NAMES.map((f) => new Array<number>(FIELDS[f].length).fill(0));
  for (const list of byPerson.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const vector = compareFields(list[i] as PreparedRecord, list[j] as PreparedRecord, index.knowledge);
        vector.forEach((level, f) => {
          if (level !== MISSING) (counts[f] as number[])[level] = ((counts[f] as number[])[level] as number) + 1;
        });
      }
    }
  }
  return Object.fromEntries(
    FIELD_NAMES.map((field, f) => {
      const fieldCounts = counts[f] as number[];
      const total = fieldCounts.reduce((sum, c) => sum + c, 0);
      return [field, { estimatedM: index.model.fields[field].m.map(round), observedM: fieldCounts.map((c) => round(total === 0 ? 0 : c / total)) }];
    }),
  ) as ModelCalibration;
}
