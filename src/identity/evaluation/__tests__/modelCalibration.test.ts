/**
 * Estimation is unsupervised; against labelled records it must land near the truth for every
 * field's commonest levels (exact agreement, and a different value where that is common).
 */
import { generateLinkageData } from '../generateLinkageData';
import { prepareRecord, recordKey } from '../../matchRecord';
import { matchRecords } from '../../matchRecords';
import { FIELD_NAMES } from '../../model/compareFields';
import { modelCalibration } from '../modelCalibration';

describe('modelCalibration', () => {
  const data = generateLinkageData({ seed: 77, people: 3000 });
  const { index } = matchRecords(data.records);
  const calibration = modelCalibration(index, new Map(data.records.map((r) => [recordKey(r), prepareRecord(r)])), data.truth);

  it('counts every same-person pair once per field it could compare', () => {
    for (const field of FIELD_NAMES) {
      const total = calibration[field].observedM.reduce((a, b) => a + b, 0);
      expect(total).toBeCloseTo(1, 2);
      expect(calibration[field].estimatedM).toEqual(index.model.fields[field].m.map((m) => Math.round(m * 10000) / 10000));
    }
  });

  it('finds the estimated m of each field near what the labelled pairs show', () => {
    for (const field of ['forename', 'surname', 'dateOfBirth', 'postcode'] as const) {
      const { estimatedM, observedM } = calibration[field];
      // Exact agreement, and the worst level (a different value), the two that weigh most.
      expect(Math.abs((estimatedM[0] as number) - (observedM[0] as number))).toBeLessThan(0.06);
      const last = observedM.length - 1;
      expect(Math.abs((estimatedM[last] as number) - (observedM[last] as number))).toBeLessThan(0.05);
    }
  });
});
