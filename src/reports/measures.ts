import type { ReportDimension, SourceAggregate } from '../../adapters/aggregates';
import type { SourceSystem } from '../../adapters/types';

export type ReportMeasureId = 'FIRST_TIME_ENTRANTS' | 'POSITIVE_ACTIVITY_PARTICIPATION' | 'NEET_16_TO_18' | 'REOFFENDING_COHORT' | 'REOFFENDERS' | 'REOFFENCES';

/** The aggregate functions the sources offer for reports (built once, shared by every request). */
export interface ReportSources {
  yois: { firstTimeEntrants: SourceAggregate; reoffendingCohort: SourceAggregate; reoffenders: SourceAggregate; reoffences: SourceAggregate };
  iyss: { positiveActivityParticipation: SourceAggregate; neet16To18: SourceAggregate };
}

/** What a measure is, as the `MeasureDefinition` type shows it. */
export interface MeasureDefinition {
  measure: ReportMeasureId;
  title: string;
  counts: string;
  unit: string;
  source: SourceSystem;
  ageOn: string;
  identityLinks: string;
  dimensions: readonly ReportDimension[];
  nonAdditive: readonly ReportDimension[];
}

interface Measure extends MeasureDefinition {
  aggregate(sources: ReportSources): SourceAggregate;
}

const SINGLE_SOURCE = 'None: every count and breakdown comes from this one system\'s own records, so no link between systems is used.';

export const MEASURES: Readonly<Record<ReportMeasureId, Measure>> = {
  FIRST_TIME_ENTRANTS: {
    measure: 'FIRST_TIME_ENTRANTS',
    title: 'First-time entrants to the youth justice system aged 10-17',
    counts:
      'Young people whose first formal outcome ever recorded (youth caution, youth conditional caution or any court outcome; a community resolution does not count) is dated in the period, aged 10 to 17 on that date. Deleted offences, outcomes and people are left out, and so are people without a recorded date of birth.',
    unit: 'young people',
    source: 'YOIS',
    ageOn: 'the date of the first formal outcome',
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: [],
    aggregate: (sources) => sources.yois.firstTimeEntrants,
  },
  POSITIVE_ACTIVITY_PARTICIPATION: {
    measure: 'POSITIVE_ACTIVITY_PARTICIPATION',
    title: 'Participation in positive activities',
    counts:
      'Young people recorded present or late at one or more group-work sessions dated in the period; each young person counts once per cell, so once in the total however many sessions they attended. Deleted sessions, attendances and people are left out.',
    unit: 'young people',
    source: 'IYSS',
    ageOn: 'the last day of the period',
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'ACTIVITY_TYPE', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: ['MONTH', 'ACTIVITY_TYPE'],
    aggregate: (sources) => sources.iyss.positiveActivityParticipation,
  },
  NEET_16_TO_18: {
    measure: 'NEET_16_TO_18',
    title: '16-18 year olds not in education, employment or training',
    counts:
      'For each month of the period: young people aged 16 to 18 on the month\'s last day (or the period\'s, if earlier) whose latest education status on or before that day is a NEET status. Without a MONTH breakdown, a young person NEET at any month\'s end of the period counts once. Deleted statuses and people are left out.',
    unit: 'young people (per month)',
    source: 'IYSS',
    ageOn: 'the last day of each month',
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: ['MONTH'],
    aggregate: (sources) => sources.iyss.neet16To18,
  },
  REOFFENDING_COHORT: {
    measure: 'REOFFENDING_COHORT',
    title: 'Proven re-offending: cohort',
    counts:
      'Young people with a proven offence (a live offence with a youth caution, youth conditional caution or court outcome; not a community resolution) whose outcome is dated in the period. Their first such outcome date in the period is their index date. The denominator of the binary rate and the frequency.',
    unit: 'young people',
    source: 'YOIS',
    ageOn: 'the index date',
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: [],
    aggregate: (sources) => sources.yois.reoffendingCohort,
  },
  REOFFENDERS: {
    measure: 'REOFFENDERS',
    title: 'Proven re-offending: re-offenders (binary measure)',
    counts:
      'Young people in the REOFFENDING_COHORT of the period who committed a further offence after their index date and within 12 months of it (offence date), which was itself proven (formal outcome, recorded by the time the report runs). Binary rate = REOFFENDERS / REOFFENDING_COHORT with the same period, breakdowns and filters; a period ending less than 12 months ago is not yet complete.',
    unit: 'young people',
    source: 'YOIS',
    ageOn: 'the index date',
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: [],
    aggregate: (sources) => sources.yois.reoffenders,
  },
  REOFFENCES: {
    measure: 'REOFFENCES',
    title: 'Proven re-offending: re-offences (frequency measure)',
    counts:
      'The further proven offences counted for REOFFENDERS (committed after the index date and within 12 months of it). Frequency = REOFFENCES / REOFFENDING_COHORT; re-offences per re-offender = REOFFENCES / REOFFENDERS.',
    unit: 'offences',
    source: 'YOIS',
    ageOn: 'the index date',
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: [],
    aggregate: (sources) => sources.yois.reoffences,
  },
};
