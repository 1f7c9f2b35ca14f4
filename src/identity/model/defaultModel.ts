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
  forename: { m: [0.7538, 0.01612, 0.09946, 0.02614, 0.008825, 0.01044, 0.006623, 0.004975, 0.07365], u: [0.002387, 0.0005541, 0.0005708, 0.0003208, 0.0003292, 0.002754, 0.001221, 0.00002228, 0.9919] },
  surname: { m: [0.8443, 0.004932, 0.1106, 0.01413, 0.004932, 0.00497, 0.004932, 0.004932, 0.006288], u: [0.005479, 0.0000625, 0.001204, 0.0004958, 0.0001458, 0.001962, 0.0008541, 0.00004526, 0.9898] },
  nameOrder: { m: [0.9634, 0.03663], u: [1, 1] },
  dateOfBirth: { m: [0.9215, 0.0121, 0.03474, 0.02665, 0.004975], u: [0.0002311, 0.0001367, 0.0004763, 0.005277, 0.9939] },
  postcode: { m: [0.724, 0.08309, 0.008469, 0.06444, 0.01953, 0.01125, 0.08925], u: [0.00004338, 0.00003374, 0.00008194, 0.00008194, 0.0423, 0.1184, 0.839] },
  gender: { m: [0.9935, 0.006474], u: [0.5008, 0.4992] },
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
