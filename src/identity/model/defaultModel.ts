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
  forename: { m: [0.7766, 0.01571, 0.1018, 0.02681, 0.009299, 0.01026, 0.006461, 0.004975, 0.0481], u: [0.002387, 0.0005541, 0.0005708, 0.0003208, 0.0003292, 0.002754, 0.001221, 0.00002163, 0.9919] },
  surname: { m: [0.8476, 0.00491, 0.1103, 0.01266, 0.00491, 0.00491, 0.00491, 0.00491, 0.00491], u: [0.005462, 0.0000625, 0.001204, 0.0004958, 0.0001458, 0.001946, 0.0008541, 0.00004475, 0.9898] },
  nameOrder: { m: [0.964, 0.03603], u: [1, 1] },
  dateOfBirth: { m: [0.9215, 0.0121, 0.03474, 0.02665, 0.004975], u: [0.0002311, 0.0001367, 0.0004763, 0.005277, 0.9939] },
  postcode: { m: [0.8227, 0.06502, 0.01933, 0.01009, 0.0829], u: [0.0001494, 0.00008194, 0.0423, 0.1184, 0.839] },
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
