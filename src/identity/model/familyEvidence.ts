/**
 * Whether two records that agree on everything but the forename (date of birth included) are one
 * person, judged from the records themselves.
 *
 * Such a pair is what twins look like (same surname, birthday and address), and also a forename
 * replaced in one system (a middle name used day to day, an English name taken at school). Which
 * of the two it usually is depends on the population: a borough has twins; a linkage benchmark
 * built from single originals has none. The records say which: within one system two records are
 * nearly always two people, so the look-alike pairs inside each system count the families, and
 * scaled to the number of cross-system record pairs they give how many of the cross-system
 * look-alikes families explain. The rest are one person.
 *
 * The guard (`FORENAME_DIFFERS`) holds unless the estimate, made cautious by two extra families,
 * says at least 98% of the cross-system look-alikes are one person. The default model, used where
 * there are too few records to tell, always keeps it.
 */
import { createHash } from 'node:crypto';
import type { MatchModel } from './matchModel';

export interface FamilyEvidence {
  /** Look-alike pairs (forename differs, date of birth the same, sex not differing, automatic-level total) inside one system. */
  withinSystemPairs: number;
  /** The same across two systems. */
  acrossSystemPairs: number;
  /** Share of the across-system look-alikes that are one person (0 to 1), by the estimate above. */
  onePersonShare: number;
  /**
   * Whether the look-alikes link automatically (the share reached `ONE_PERSON_SHARE_TO_LINK`). Only
   * with the date of birth the same: a differing forename without it is what siblings look like.
   */
  forenameDiffersLinks: boolean;
}

export const ONE_PERSON_SHARE_TO_LINK = 0.98;
/** Families assumed beyond those counted: a population with none seen in one system may still have a few. */
const EXTRA_FAMILIES = 2;

/**
 * `recordsPerSystem`: how many records each system holds. Returns null when the records cannot tell
 * (no system with two records, or no cross-system pairs at all).
 */
export function familyEvidence(withinSystemPairs: number, acrossSystemPairs: number, recordsPerSystem: readonly number[]): FamilyEvidence | null {
  let oneSystemOpportunities = 0;
  let total = 0;
  let sumOfSquares = 0;
  for (const n of recordsPerSystem) {
    oneSystemOpportunities += (n * (n - 1)) / 2;
    total += n;
    sumOfSquares += n * n;
  }
  const crossSystemOpportunities = (total * total - sumOfSquares) / 2;
  if (oneSystemOpportunities === 0 || crossSystemOpportunities === 0) return null;
  const expectedFamilies = ((withinSystemPairs + EXTRA_FAMILIES) * crossSystemOpportunities) / oneSystemOpportunities;
  const onePersonShare = acrossSystemPairs === 0 ? 0 : Math.max(0, 1 - expectedFamilies / acrossSystemPairs);
  return {
    withinSystemPairs,
    acrossSystemPairs,
    onePersonShare: Math.round(onePersonShare * 10000) / 10000,
    forenameDiffersLinks: onePersonShare >= ONE_PERSON_SHARE_TO_LINK,
  };
}

/** The model with the evidence attached; a model whose guard is lifted gets its own version, as it decides differently. */
export function withFamilyEvidence(model: MatchModel, evidence: FamilyEvidence | null): MatchModel {
  if (!evidence) return model;
  if (!evidence.forenameDiffersLinks) return { ...model, familyEvidence: evidence };
  const version = `fs1-${createHash('sha256').update(`${model.version}|forename-differs-links`).digest('hex').slice(0, 12)}`;
  return { ...model, version, familyEvidence: evidence };
}
