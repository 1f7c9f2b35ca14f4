import type { ReportDimension, SourceAggregate } from '../../adapters/aggregates';
import type { SourceSystem } from '../../adapters/types';
import type { ReportMeasure } from '../generated/graphql';

/** The measures, as the schema's `ReportMeasure` enum names them. */
export type ReportMeasureId = ReportMeasure;

/** Where a measure is counted: a source system, or the gateway store (Partnership Triage and the panel). */
export type ReportSource = Exclude<SourceSystem, 'DMS'> | 'GATEWAY_STORE';

/** The aggregate functions the sources offer for reports (built once, shared by every request). */
export interface ReportSources {
  yois: {
    firstTimeEntrants: SourceAggregate;
    reoffendingCohort: SourceAggregate;
    reoffenders: SourceAggregate;
    reoffences: SourceAggregate;
    breachWarnings: SourceAggregate;
    ordersWarned: SourceAggregate;
    ordersAtSecondStrike: SourceAggregate;
  };
  iyss: { positiveActivityParticipation: SourceAggregate; neet16To18: SourceAggregate; neet16To18ByGivenDateOfBirth: SourceAggregate };
  /** Partnership Triage and panel volumes, counted in the gateway store. */
  store: {
    referralsReceived: SourceAggregate;
    referralsChecked: SourceAggregate;
    referralsHandedOff: SourceAggregate;
    panelListings: SourceAggregate;
    newPanelCases: SourceAggregate;
    panelCasesClosed: SourceAggregate;
    panelAllocations: SourceAggregate;
    checkRequests: SourceAggregate;
  };
  /** Dimensions worked out across systems through identity links (IDs and values only). */
  linked: {
    coreUnitsOfYoisPeople(onDate: string): Promise<ReadonlyMap<string, string>>;
    /** IYSS ID -> golden date of birth, for IYSS young people ever recorded NEET whose golden date differs from IYSS's own. */
    goldenDatesOfBirthDifferingFromIyss(): Promise<ReadonlyMap<string, string>>;
  };
}

/** What a measure is, as the `MeasureDefinition` type shows it. */
export interface MeasureDefinition {
  measure: ReportMeasureId;
  title: string;
  counts: string;
  unit: string;
  source: ReportSource;
  ageOn: string;
  identityLinks: string;
  dimensions: readonly ReportDimension[];
  nonAdditive: readonly ReportDimension[];
  /** Months after a period's end before its figures are final (a follow-up, then time for outcomes); 0 when final at once. */
  finalAfterMonths: number;
  /** What each cell's `average` is an average of, or null when the measure only counts. */
  averageOf: string | null;
}

interface Measure extends Omit<MeasureDefinition, 'finalAfterMonths' | 'averageOf'> {
  finalAfterMonths?: number;
  /** A quantity averaged over each cell's units: the source sums it (in `per`ths of the unit averaged), the gateway divides. */
  average?: { of: string; per: number };
  aggregate(sources: ReportSources): SourceAggregate;
  /** For a dimension the measure's source cannot work out alone: each person's value, on the period's last day. */
  personValues?: Partial<Record<ReportDimension, (sources: ReportSources, lastDay: string) => Promise<{ values: ReadonlyMap<string, string>; otherwise: string }>>>;
  /** Dates of birth from linked records, to use instead of the source's own (resolved once per report). */
  datesOfBirth?: (sources: ReportSources) => Promise<ReadonlyMap<string, string>>;
}

/** CORE_UNIT of a YOIS measure: YOIS's own allocation, or else UMIS's through the identity link. */
const YOIS_CORE_UNIT = {
  CORE_UNIT: async (sources: ReportSources, lastDay: string) => ({ values: await sources.linked.coreUnitsOfYoisPeople(lastDay), otherwise: 'Not allocated' }),
};

const YOIS_CORE_UNIT_LINKS =
  'Only for CORE_UNIT: a young person\'s Core Unit is their YOIS allocation open on the last day of the period (the one started last) or, when YOIS has none, the UMIS allocation open that day of the UMIS record linked to their YOIS record through the active identity links in the gateway store (links the matcher made or a data steward confirmed, as they stand when the report runs); young people with neither are "Not allocated". The counts themselves and every other breakdown come from YOIS\'s own records.';

/** A Partnership Triage or panel volume: referrals, counted in the gateway store. */
function triage(
  measure: ReportMeasureId,
  title: string,
  counts: string,
  aggregate: (sources: ReportSources) => SourceAggregate,
  extra: Partial<Pick<Measure, 'average' | 'unit' | 'dimensions' | 'nonAdditive'>> = {},
): Measure {
  return {
    measure,
    title,
    counts,
    unit: 'referrals',
    source: 'GATEWAY_STORE',
    ageOn: 'not applicable: referrals are counted, not young people',
    identityLinks: 'None: counted from the referrals and their steps as the gateway store records them.',
    dimensions: ['MONTH', 'REFERRAL_SOURCE', 'REFERRAL_STATUS'],
    nonAdditive: measure === 'REFERRALS_RECEIVED' || measure === 'NEW_PANEL_CASES' || measure === 'PANEL_CASES_CLOSED' ? [] : ['MONTH'],
    aggregate,
    ...extra,
  };
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
    identityLinks: YOIS_CORE_UNIT_LINKS,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT', 'CORE_UNIT'],
    personValues: YOIS_CORE_UNIT,
    nonAdditive: [],
    aggregate: (sources) => sources.yois.reoffendingCohort,
  },
  REOFFENDERS: {
    measure: 'REOFFENDERS',
    title: 'Proven re-offending: re-offenders (binary measure)',
    counts:
      'Young people in the REOFFENDING_COHORT of the period who committed a further offence after their index date and within 12 months of it (the follow-up, by offence date), which was proven (formal outcome) within the follow-up or the 6 months after it (the waiting period, by outcome date). Binary rate = REOFFENDERS / REOFFENDING_COHORT with the same period, breakdowns and filters. The figures are final 18 months after the period ends (the report\'s finalOn); before that they are provisional and can only grow.',
    unit: 'young people',
    source: 'YOIS',
    ageOn: 'the index date',
    identityLinks: YOIS_CORE_UNIT_LINKS,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT', 'CORE_UNIT'],
    personValues: YOIS_CORE_UNIT,
    nonAdditive: [],
    finalAfterMonths: 18,
    aggregate: (sources) => sources.yois.reoffenders,
  },
  REOFFENCES: {
    measure: 'REOFFENCES',
    title: 'Proven re-offending: re-offences (frequency measure)',
    counts:
      'The further proven offences counted for REOFFENDERS (committed after the index date and within 12 months of it, proven within 18 months of it). Frequency = REOFFENCES / REOFFENDING_COHORT; re-offences per re-offender = REOFFENCES / REOFFENDERS. Final 18 months after the period ends, as REOFFENDERS.',
    unit: 'offences',
    source: 'YOIS',
    ageOn: 'the index date',
    identityLinks: YOIS_CORE_UNIT_LINKS,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT', 'CORE_UNIT'],
    personValues: YOIS_CORE_UNIT,
    nonAdditive: [],
    finalAfterMonths: 18,
    aggregate: (sources) => sources.yois.reoffences,
  },
  NEET_16_TO_18_GOLDEN_DOB: {
    measure: 'NEET_16_TO_18_GOLDEN_DOB',
    title: '16-18 year olds not in education, employment or training, aged by the golden date of birth',
    counts:
      'As NEET_16_TO_18 (IYSS education statuses at each month\'s end), but each young person\'s age, for who is 16 to 18 and for AGE_BAND, is taken from their golden date of birth: the date most of their linked records in IYSS, UMIS and YOIS agree on (ties to IYSS), as the golden view shows it. A young person IYSS records without a date of birth counts when their linked records give one.',
    unit: 'young people (per month)',
    source: 'IYSS',
    ageOn: 'the last day of each month, from the golden date of birth',
    identityLinks:
      'The active identity links in the gateway store (as the matcher made them and data stewards confirmed or changed them) between each IYSS record and the same young person\'s UMIS and YOIS records, read when the report runs: their dates of birth decide the golden one. The gateway reads the linked records of young people known to IYSS and another system and sends IYSS only the dates that differ from its own, by IYSS ID; the counting stays in IYSS.',
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: ['MONTH'],
    aggregate: (sources) => sources.iyss.neet16To18ByGivenDateOfBirth,
    datesOfBirth: (sources) => sources.linked.goldenDatesOfBirthDifferingFromIyss(),
  },
  BREACH_WARNINGS: {
    measure: 'BREACH_WARNINGS',
    title: 'Breach warnings (strikes) on statutory orders',
    counts:
      'Breach warnings issued in the period (first and second strikes alike) on live orders of live young people; a deleted warning does not count. Warnings per order = BREACH_WARNINGS / ORDERS_WARNED with the same period, breakdowns and filters.',
    unit: 'warnings',
    source: 'YOIS',
    ageOn: "the order's start date",
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: [],
    aggregate: (sources) => sources.yois.breachWarnings,
  },
  ORDERS_WARNED: {
    measure: 'ORDERS_WARNED',
    title: 'Statutory orders with a breach warning',
    counts:
      'Live orders of live young people with one or more breach warnings issued in the period; an order counts once in each cell (so once in the total, however many warnings).',
    unit: 'orders',
    source: 'YOIS',
    ageOn: "the order's start date",
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: ['MONTH'],
    aggregate: (sources) => sources.yois.ordersWarned,
  },
  ORDERS_AT_SECOND_STRIKE: {
    measure: 'ORDERS_AT_SECOND_STRIKE',
    title: 'Statutory orders reaching a second strike',
    counts:
      'Live orders of live young people whose second breach warning (strike two, which refers the breach to the in-house panel) was issued in the period.',
    unit: 'orders',
    source: 'YOIS',
    ageOn: "the order's start date",
    identityLinks: SINGLE_SOURCE,
    dimensions: ['MONTH', 'AGE_BAND', 'GENDER', 'ETHNICITY', 'POSTCODE_DISTRICT'],
    nonAdditive: [],
    aggregate: (sources) => sources.yois.ordersAtSecondStrike,
  },
  REFERRALS_RECEIVED: triage('REFERRALS_RECEIVED', 'Partnership Triage: referrals received', 'Referrals received in the period (by when they were received), whatever happened to them since; check requests (multi-agency meetings, pre-sentence reports) are not referrals and are left out of every triage measure; REFERRAL_STATUS is where each stands now (its outcome so far).', (s) => s.store.referralsReceived),
  REFERRALS_CHECKED: triage('REFERRALS_CHECKED', 'Partnership Triage: referrals checked', 'Referrals whose partner-system checks were run in the period (a referral checked twice in the period counts once).', (s) => s.store.referralsChecked),
  REFERRALS_HANDED_OFF: triage('REFERRALS_HANDED_OFF', 'Partnership Triage: hand-offs', 'Referrals handed off to a Core Unit in the period.', (s) => s.store.referralsHandedOff),
  PANEL_LISTINGS: triage('PANEL_LISTINGS', 'Panel: cases listed', 'Referrals listed for a panel in the period: first listings and returns for review alike, each referral once however often it was listed.', (s) => s.store.panelListings),
  NEW_PANEL_CASES: triage('NEW_PANEL_CASES', 'Panel: new cases', 'Referrals listed for the panel for the first time in the period (MONTH is the month of that first listing).', (s) => s.store.newPanelCases),
  PANEL_CASES_CLOSED: triage(
    'PANEL_CASES_CLOSED',
    'Panel: cases closed, and average weeks open',
    'Referrals a panel review closed in the period, each once however often it was closed and recalled (MONTH is the month of its last closing in the period). Each cell\'s average is the weeks from the case\'s first listing for the panel to that closing (whole days / 7), shown only with a count that is shown.',
    (s) => s.store.panelCasesClosed,
    { average: { of: 'weeks open: from first listing for the panel to the closing review', per: 7 } },
  ),
  CHECK_REQUESTS: triage(
    'CHECK_REQUESTS',
    'Partnership Triage: check requests received',
    'Requests for partner-system checks received in the period for a multi-agency meeting or a pre-sentence report (REQUEST_KIND), by when they were received. Not referrals: no decision follows; the results go back to whoever asked. REFERRAL_STATUS is where each stands now (CHECKED, CHECKS_RETURNED).',
    (s) => s.store.checkRequests,
    { unit: 'check requests', dimensions: ['MONTH', 'REQUEST_KIND', 'REFERRAL_STATUS'], nonAdditive: [] },
  ),
  PANEL_ALLOCATIONS: triage(
    'PANEL_ALLOCATIONS',
    'Panel: cases allocated to agencies',
    'Cases a panel held in the period (by the panel date) allocated to an agency on the maintained list, each case once per agency however often that agency was given it: a case allocated to two agencies counts once under each, and twice in the total. MONTH is the panel\'s month.',
    (s) => s.store.panelAllocations,
    { unit: 'allocations (a case and an agency)', dimensions: ['MONTH', 'PANEL_AGENCY', 'REFERRAL_SOURCE', 'REFERRAL_STATUS'], nonAdditive: ['MONTH'] },
  ),
};

/** What a measure is, without how it is computed: as `MeasureDefinition` and `Report.definition` show it. */
export function definitionOf(measure: Measure): MeasureDefinition {
  const { aggregate: _, personValues: __, datesOfBirth: ___, average, ...definition } = measure;
  return { ...definition, finalAfterMonths: measure.finalAfterMonths ?? 0, averageOf: average?.of ?? null };
}
