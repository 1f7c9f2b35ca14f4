/**
 * The model a run uses when it has too few records to estimate one (a small test gateway, a first
 * import): parameters as estimated on a development population (failure-pattern generator, seed
 * 101, 20,000 people, 32,150 records; never the reported seed), without term-frequency adjustment
 * (name frequencies in a handful of records say nothing), and the prior scaled to the run's size.
 */
import { createHash } from 'node:crypto';
import type { FieldName } from './compareFields';
import type { FieldParameters, MatchModel } from './matchModel';

const FIELDS: Record<FieldName, FieldParameters> = {
  forename: { m: [0.763, 0.01634, 0.09967, 0.02593, 0.008796, 0.01025, 0.004975, 0.07104], u: [0.002396, 0.0005541, 0.0005625, 0.0003208, 0.0003292, 0.002754, 0.00002209, 0.9931] },
  surname: { m: [0.8252, 0.004951, 0.1084, 0.01363, 0.004951, 0.004951, 0.004951, 0.03296], u: [0.005454, 0.0000625, 0.001212, 0.0004958, 0.0001458, 0.001946, 0.00004627, 0.9907] },
  nameOrder: { m: [0.964, 0.03603], u: [1, 1] },
  dateOfBirth: { m: [0.9215, 0.0121, 0.03474, 0.02665, 0.004975], u: [0.0002311, 0.0001367, 0.0004763, 0.005277, 0.9939] },
  postcode: { m: [0.8328, 0.03684, 0.02331, 0.107], u: [0.0001494, 0.04232, 0.1185, 0.839] },
  gender: { m: [0.995, 0.004975], u: [0.5008, 0.4992] },
};

/** Same-person pairs per record on the development population. */
const MATCHES_PER_RECORD = 0.36;

export function defaultModel(records: number, thresholds: MatchModel['thresholds']): MatchModel {
  const allPairs = Math.max((records * (records - 1)) / 2, 1);
  const expected = Math.min(Math.max(MATCHES_PER_RECORD * records, 0.5), allPairs / 2);
  const priorWeight = Math.log2(expected / (allPairs - expected));
  const body = { fields: FIELDS, priorWeight, thresholds };
  return {
    version: `fs1-${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12)}`,
    fields: FIELDS,
    priorWeight,
    thresholds,
    termFrequencies: { forename: new Map(), surname: new Map(), records: 0 },
    estimation: { records, candidatePairs: 0, randomPairs: 0, emIterations: 0, converged: false },
  };
}
