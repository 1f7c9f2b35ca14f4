/**
 * UMIS's synthetic rows: its own imperfect copy of part of the population (GUID keys, its own
 * spellings, clean postcodes, ISO/IEC 5218 sex codes, inactive rows) plus the in-depth assessments,
 * plans and worker assignments a tier-2 service records, and a few planted data-quality problems for
 * gap reports to find. Everything derives from the seed, so the same input gives identical rows.
 */
import { Prng } from '../prng';
import {
  ageAt,
  dayNumber,
  DEFAULT_REFERENCE_DATE,
  isoFromDayNumber,
  parseIsoDate,
  type Heritage,
  type SyntheticPerson,
  formerAddress,
} from '../population';
import { variantFor } from '../variants';
import { iso5218FromSex } from '../../umis/mapping';
import { seededGuid } from './seededGuid';
import type { UmisRow, UmisTables } from '../../umis/tables';

type Row<T extends keyof UmisTables> = UmisRow<T>;
type Rows = { [T in keyof UmisTables]: Array<Row<T>> };

/** Kinds of data-quality problem planted for gap reports to find. */
export type UmisProblemKind =
  /** A completed assessment whose completion date is before its start date. */
  | 'ASSESSMENT_COMPLETED_BEFORE_STARTED'
  /** An assessment marked completed with no completion date. */
  | 'COMPLETED_ASSESSMENT_WITHOUT_DATE'
  /** A closed plan with a review dated after the reference date. */
  | 'FUTURE_REVIEW_ON_CLOSED_PLAN'
  /** A worker assignment whose end date is before its start date. */
  | 'ASSIGNMENT_ENDS_BEFORE_START'
  /** A client with two open worker assignments at once (an earlier one was never ended). */
  | 'OVERLAPPING_OPEN_ASSIGNMENTS'
  /** The same young person registered twice as separate clients. */
  | 'DUPLICATE_CLIENT';

/** One planted problem: where it is, so a gap report's findings can be checked against it. */
export interface UmisPlannedProblem {
  kind: UmisProblemKind;
  /** The client GUID the problem belongs to (the adapter's sourceId). */
  clientId: string;
  personKey: string;
  table: keyof UmisTables;
  /** GUID of the row that carries the problem. */
  rowId: string;
  /** Another row involved: the original client of a duplicate, the other open assignment. */
  relatedRowId: string | null;
  description: string;
}

export interface UmisSeed {
  rows: Rows;
  /** Ground truth: which synthetic person each client row is (every client row, duplicates included). */
  truth: Array<{ personKey: string; sourceId: string }>;
  plannedProblems: UmisPlannedProblem[];
}

export interface UmisSeedOptions {
  seed: number;
  /** Share of the population UMIS knows; default 0.35 (weighted to older people, siblings and PNC holders). */
  coverage?: number;
  /** ISO date the data is "as at"; default '2026-11-01'. */
  referenceDate?: string;
}

const DEFAULT_COVERAGE = 0.35;
/** PNC holders are known to UMIS this many times more often than the average young person (capped at 1). */
const PNC_COVERAGE_FACTOR = 2.5;
/** Young people with siblings are referred with their family more often. */
const SIBLING_WEIGHT = 1.8;
const CLIENT_INACTIVE_RATE = 0.02;
const ROW_INACTIVE_RATE = 0.01;
/** Clients whose family moved without UMIS being told (it keeps the former address). */
const MOVED_HOUSE_RATE = 0.02;
/** Share of eligible rows given each planted problem (at least one each when any row is eligible). */
const PROBLEM_RATE = 0.005;

export const UNIT_CODES = ['CU1', 'CU2', 'CU3', 'CU4', 'CU5', 'CU6', 'CU7', 'CU8'] as const;

/** Core Units are area based; most young people are allocated to the unit covering their postcode district. */
const UNITS_BY_DISTRICT: Readonly<Record<string, readonly string[]>> = {
  E2: ['CU1'],
  E8: ['CU2', 'CU3'],
  E9: ['CU4'],
  E5: ['CU5'],
  N16: ['CU6', 'CU7'],
  N1: ['CU8'],
  N4: ['CU8'],
};

/** 2021-census-style codes; 'WT' is a local code from the old form, retired but still on older records. */
const ETHNICITIES: ReadonlyArray<readonly [code: string, description: string, isActive: number]> = [
  ['W1', 'White: English, Welsh, Scottish, Northern Irish or British', 1],
  ['W2', 'White: Irish', 1],
  ['W3', 'White: Gypsy or Irish Traveller', 1],
  ['W4', 'White: Roma', 1],
  ['W9', 'White: Any other White background', 1],
  ['WT', 'White: Turkish or Turkish Cypriot', 0],
  ['M1', 'Mixed: White and Black Caribbean', 1],
  ['M2', 'Mixed: White and Black African', 1],
  ['M3', 'Mixed: White and Asian', 1],
  ['M9', 'Mixed: Any other Mixed or multiple ethnic background', 1],
  ['A1', 'Asian: Indian', 1],
  ['A2', 'Asian: Pakistani', 1],
  ['A3', 'Asian: Bangladeshi', 1],
  ['A4', 'Asian: Chinese', 1],
  ['A9', 'Asian: Any other Asian background', 1],
  ['B1', 'Black: African', 1],
  ['B2', 'Black: Caribbean', 1],
  ['B9', 'Black: Any other Black, Black British or Caribbean background', 1],
  ['O1', 'Other ethnic group: Arab', 1],
  ['O9', 'Other ethnic group: Any other ethnic group', 1],
  ['Z8', 'Prefers not to say', 1],
  ['Z9', 'Not known', 1],
];

const ETHNICITY_BY_HERITAGE: Readonly<Record<Heritage, ReadonlyArray<readonly [string, number]>>> = {
  turkish: [['W9', 55], ['WT', 30], ['O9', 15]],
  kurdish: [['W9', 50], ['O9', 30], ['WT', 20]],
  black_african: [['B1', 95], ['B9', 5]],
  black_caribbean: [['B2', 90], ['B9', 10]],
  charedi_jewish: [['W9', 70], ['W1', 20], ['O9', 10]],
  bangladeshi: [['A3', 97], ['A9', 3]],
  white_british: [['W1', 96], ['W2', 4]],
  other_white: [['W9', 95], ['W4', 5]],
  mixed: [['M1', 45], ['M2', 20], ['M9', 30], ['M3', 5]],
};

/** Assessment types; the Common Assessment Framework was retired but older assessments still carry it. */
const ASSESSMENT_TYPES: ReadonlyArray<readonly [code: string, description: string, isActive: number, weight: number]> = [
  ['EHA', 'Early Help Assessment', 1, 40],
  ['YHIA', 'Young Hackney in-depth assessment', 1, 30],
  ['WBR', 'Wellbeing review', 1, 20],
  ['RVS', 'Risk and vulnerability screening', 1, 10],
  ['CAF', 'Common Assessment Framework', 0, 0],
];
const ASSESSMENT_TYPE_WEIGHTS = ASSESSMENT_TYPES.map(([code, , , weight]) => [code, weight] as const);
/** Assessments started before this date were recorded on the CAF form. */
const CAF_RETIRED_ON = '2023-09-01';

const DOMAINS: ReadonlyArray<readonly [code: string, description: string]> = [
  ['FAM', 'Family and parenting'],
  ['EDU', 'Education, training and employment'],
  ['HWB', 'Health and wellbeing'],
  ['EMH', 'Emotional and mental health'],
  ['SUB', 'Substance use'],
  ['RISK', 'Risk and safety'],
  ['REL', 'Relationships and peers'],
  ['LIV', 'Living arrangements'],
];

/** Short analysis sentences per domain: [low concern (0-1), some concern (2), high concern (3-4)]. */
const ANALYSIS: Readonly<Record<string, readonly [readonly string[], readonly string[], readonly string[]]>> = {
  FAM: [
    ['Stable home with supportive parents.', 'Good relationship with carers; no concerns raised.'],
    ['Some conflict at home about boundaries.', 'Parent reports struggling with behaviour at home.'],
    ['Frequent arguments at home; parent asking for support.', 'Parent finding it hard to keep young person safe.'],
  ],
  EDU: [
    ['Attending regularly and engaged in lessons.', 'Enrolled at college and attending.'],
    ['Attendance has dropped this term.', 'Some fixed-term exclusions this year.'],
    ['Persistently absent from school.', 'Not in education, employment or training for several months.'],
  ],
  HWB: [
    ['Registered with a GP; no health concerns.', 'Eats and sleeps well by own account.'],
    ['Poor sleep reported; advised on routine.', 'Missed dental and health appointments.'],
    ['Unmanaged health condition; GP liaison needed.', 'School nurse has raised concerns about weight loss.'],
  ],
  EMH: [
    ['Presents as settled and positive.', 'No concerns about mood.'],
    ['Reports low mood at times.', 'Anxious about school; coping strategies discussed.'],
    ['Self-harm disclosed; CAMHS referral made.', 'Persistent low mood affecting daily life.'],
  ],
  SUB: [
    ['No substance use reported.', 'Tried alcohol once; no ongoing use.'],
    ['Occasional cannabis use with friends.', 'Drinks at weekends; harm reduction advice given.'],
    ['Daily cannabis use; referred to substance misuse service.', 'Substance use linked to risky situations.'],
  ],
  RISK: [
    ['No known safety concerns.', 'Knows how to keep safe online.'],
    ['Missing from home once this year.', 'Some contact with older peers of concern.'],
    ['Concerns about criminal exploitation.', 'Repeated missing episodes; strategy meeting held.'],
  ],
  REL: [
    ['Positive friendships at school.', 'Good relationship with youth worker.'],
    ['Friendship group has changed recently.', 'Some bullying reported, now addressed.'],
    ['Isolated from peers.', 'Spends time with peers involved in offending.'],
  ],
  LIV: [
    ['Lives with family in stable housing.', 'Settled at current address.'],
    ['Overcrowded flat; shares a room with siblings.', 'Family in temporary accommodation.'],
    ['Sofa-surfing with friends.', 'Family at risk of eviction; housing referral made.'],
  ],
};

const NEXT_STEPS = [
  'Support through the Core Unit recommended.',
  'Plan to be agreed with the young person and family.',
  'Team around the family meeting to be arranged.',
  'Referral to CAMHS discussed with parent.',
  'Keep open to youth worker for six weeks.',
];

type Need = 'low' | 'medium' | 'high';
const SCORE_ODDS: Readonly<Record<Need, ReadonlyArray<readonly [number, number]>>> = {
  low: [[0, 35], [1, 40], [2, 20], [3, 5]],
  medium: [[0, 10], [1, 25], [2, 35], [3, 22], [4, 8]],
  high: [[0, 5], [1, 10], [2, 25], [3, 35], [4, 25]],
};

const PLAN_TITLES = [
  'Early help plan', 'Young Hackney support plan', 'Team around the family plan', 'Safety plan',
  'Education re-engagement plan', 'Wellbeing plan',
];

const GOALS = [
  'Attend school at least 90% of the time', 'Enrol on a college course for September',
  'Meet youth worker every week', 'Cut down cannabis use', 'Register with a GP and attend a health check',
  'Take part in a positive activity each week', 'Agree house rules with parent', 'Attend CAMHS appointments',
  'Write a CV and apply for three jobs', 'Agree a safety plan and keep to it', 'Spend more time with family',
  'Join a sports club', 'Move to stable housing', 'Complete anger management sessions',
];

const REVIEW_OUTCOMES: ReadonlyArray<readonly [code: string, description: string]> = [
  ['PROG', 'Good progress against goals'],
  ['SOME', 'Some progress; plan continues'],
  ['NONE', 'No progress; plan revised'],
  ['ESC', 'Escalated to Core Unit leader'],
  ['MET', 'Goals met; plan to close'],
];
const REVIEW_OUTCOME_WEIGHTS = [['PROG', 35], ['SOME', 40], ['NONE', 15], ['ESC', 10]] as const;
const REVIEW_NOTES = [
  'Reviewed with young person and parent.', 'Young person did not attend; reviewed with school.',
  'Reviewed at home visit.', 'Goals updated with young person.',
];

/** Workers per Core Unit: [given name, family name, job title]. Invented names. */
const WORKERS_BY_UNIT: Readonly<Record<string, ReadonlyArray<readonly [string, string, string]>>> = {
  CU1: [['Rahima', 'Khanom', 'Core Unit leader'], ['Liam', 'Doherty', 'Youth worker'], ['Efe', 'Ogundipe', 'Family support worker']],
  CU2: [['Selin', 'Aydemir', 'Core Unit leader'], ['Marlon', 'Greaves', 'Youth worker'], ['Hannah', 'Pryce', 'Clinician']],
  CU3: [['Kwesi', 'Ampofo', 'Core Unit leader'], ['Bronwen', 'Lloyd', 'Youth worker'], ['Dilara', 'Erdem', 'Family support worker']],
  CU4: [['Gareth', 'Bowen', 'Core Unit leader'], ['Yetunde', 'Alade', 'Youth worker'], ['Sinead', 'Farrell', 'Clinician']],
  CU5: [['Shira', 'Levy', 'Core Unit leader'], ['Tariq', 'Malik', 'Youth worker'], ['Cherelle', 'Watson', 'Family support worker']],
  CU6: [['Baruch', 'Gold', 'Core Unit leader'], ['Aylin', 'Tekin', 'Youth worker'], ['Joel', 'Osei-Bonsu', 'Clinician']],
  CU7: [['Naomi', 'Feld', 'Core Unit leader'], ['Ricky', 'Barnett', 'Youth worker'], ['Rezan', 'Sahin', 'Family support worker']],
  CU8: [['Ola', 'Nowicka', 'Core Unit leader'], ['Devon', 'Pryor', 'Youth worker'], ['Farida', 'Begum', 'Clinician']],
};
/** Workers who have left (inactive), still named on older assignments. */
const FORMER_WORKERS: ReadonlyArray<readonly [string, string, string]> = [
  ['Colin', 'Ashby', 'Youth worker'],
  ['Precious', 'Nwachukwu', 'Family support worker'],
];

const ASSESSMENTS_PER_CLIENT = [[1, 50], [2, 35], [3, 15]] as const;
const PLANS_PER_CLIENT = [[0, 25], [1, 50], [2, 25]] as const;
const GOALS_PER_PLAN = [[2, 35], [3, 40], [4, 25]] as const;
const REVIEWS_PER_PLAN = [[0, 20], [1, 35], [2, 30], [3, 15]] as const;
const MAX_REVIEWS_PER_PLAN = 3;
const ASSIGNMENTS_PER_CLIENT = [[1, 60], [2, 40]] as const;
const OPEN_LATEST_ASSIGNMENT_RATE = 0.7;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const dayOf = (iso: string): number => {
  const { year, month, day } = parseIsoDate(iso);
  return dayNumber(year, month, day) as number;
};
/** A DATETIME during office hours on the given day. */
const officeHoursAt = (prng: Prng, day: number): string =>
  `${isoFromDayNumber(day)} ${pad2(prng.int(9, 18))}:${pad2(prng.int(0, 59))}:${pad2(prng.int(0, 59))}`;
const activeFlag = (prng: Prng, inactiveRate = ROW_INACTIVE_RATE): number => (prng.chance(inactiveRate) ? 0 : 1);
const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), high);

/** What the activity generators need to know about a client. */
interface ClientContext {
  row: Row<'client'>;
  person: SyntheticPerson;
  createdDay: number;
  unitCode: string;
  need: Need;
}

/** Workers as rows plus who can be picked per unit. */
interface Workforce {
  rows: Array<Row<'worker'>>;
  byUnit: ReadonlyMap<string, readonly string[]>;
  former: readonly string[];
}

export function generateUmisRows(population: readonly SyntheticPerson[], options: UmisSeedOptions): UmisSeed {
  const coverage = options.coverage ?? DEFAULT_COVERAGE;
  if (!(coverage >= 0 && coverage <= 1)) throw new RangeError(`coverage must be within 0..1, got ${coverage}`);
  const referenceDate = options.referenceDate ?? DEFAULT_REFERENCE_DATE;
  const referenceDay = dayOf(referenceDate);
  const prng = new Prng(options.seed).fork('umis');

  const workforce = workerRows(prng.fork('workers'), referenceDay);
  const known = chooseKnownPeople(population, prng.fork('coverage'), coverage, referenceDate);
  const rows: Rows = {
    ref_ethnicity: ETHNICITIES.map(([code, description, isActive]) => ({
      ethnicity_code: code,
      description,
      is_active: isActive,
    })),
    ref_assessment_type: ASSESSMENT_TYPES.map(([code, description, isActive]) => ({
      assessment_type_code: code,
      description,
      is_active: isActive,
    })),
    ref_domain: DOMAINS.map(([code, description], i) => ({ domain_code: code, description, display_order: i + 1 })),
    ref_review_outcome: REVIEW_OUTCOMES.map(([code, description]) => ({ review_outcome_code: code, description })),
    worker: workforce.rows,
    client: [],
    client_alias: [],
    assessment: [],
    assessment_domain_score: [],
    plan: [],
    plan_goal: [],
    plan_review: [],
    client_worker_assignment: [],
  };

  const clients: ClientContext[] = [];
  const people = prng.fork('clients');
  for (const person of known) {
    // A stream per person: one person's rows never shift another's.
    const own = people.fork(person.personKey);
    const client = renderClient(person, own, referenceDay);
    clients.push(client);
    rows.client.push(client.row);
    rows.client_alias.push(...aliasRows(client, own.fork('aliases')));
    addAssessments(rows, client, own.fork('assessments'), workforce, referenceDay);
    addPlans(rows, client, own.fork('plans'), workforce, referenceDay);
    rows.client_worker_assignment.push(...assignmentRows(client, own.fork('assignments'), workforce, referenceDay));
  }

  const plannedProblems = plantProblems(rows, clients, prng.fork('problems'), referenceDay);
  const personKeyOf = new Map(clients.map((c) => [c.row.client_id, c.person.personKey]));
  for (const problem of plannedProblems) {
    if (problem.kind === 'DUPLICATE_CLIENT') personKeyOf.set(problem.rowId, problem.personKey);
  }
  return {
    rows,
    truth: rows.client.map((row) => ({ personKey: personKeyOf.get(row.client_id) as string, sourceId: row.client_id })),
    plannedProblems,
  };
}

/**
 * Who UMIS knows: about `coverage` of the population, more often older young people and those with
 * siblings (families are referred together), and most of those with a PNC number. Weights are scaled so
 * the expected share is `coverage`.
 */
function chooseKnownPeople(
  population: readonly SyntheticPerson[],
  prng: Prng,
  coverage: number,
  referenceDate: string,
): SyntheticPerson[] {
  const familySizes = new Map<string, number>();
  for (const p of population) familySizes.set(p.familyId, (familySizes.get(p.familyId) ?? 0) + 1);
  const weightOf = (p: SyntheticPerson): number => {
    const age = ageAt(p.dateOfBirth, referenceDate);
    const ageWeight = 0.4 + clamp(age - 8, 0, 11) * 0.12;
    return ageWeight * ((familySizes.get(p.familyId) ?? 1) > 1 ? SIBLING_WEIGHT : 1);
  };
  const pncChance = Math.min(1, coverage * PNC_COVERAGE_FACTOR);
  let pncHolders = 0;
  let otherWeight = 0;
  for (const p of population) {
    if (p.pncNumber !== null) pncHolders++;
    else otherWeight += weightOf(p);
  }
  const scale = otherWeight > 0 ? Math.max(0, coverage * population.length - pncChance * pncHolders) / otherWeight : 0;
  return population.filter((p) => prng.chance(p.pncNumber !== null ? pncChance : Math.min(1, scale * weightOf(p))));
}

function workerRows(prng: Prng, referenceDay: number): Workforce {
  const rows: Array<Row<'worker'>> = [];
  const byUnit = new Map<string, string[]>();
  const add = ([given, family, title]: readonly [string, string, string], unit: string | null, active: boolean) => {
    const createdDay = referenceDay - prng.int(3 * 365, 8 * 365);
    const created = officeHoursAt(prng, createdDay);
    const id = seededGuid(prng);
    rows.push({
      worker_id: id,
      given_name: given,
      family_name: family,
      job_title: title,
      unit_code: unit,
      is_active: active ? 1 : 0,
      created_utc: created,
      modified_utc: active ? created : officeHoursAt(prng, referenceDay - prng.int(200, 700)),
    });
    return id;
  };
  for (const unit of UNIT_CODES) {
    byUnit.set(unit, (WORKERS_BY_UNIT[unit] ?? []).map((w) => add(w, unit, true)));
  }
  const former = FORMER_WORKERS.map((w) => add(w, null, false));
  return { rows, byUnit, former };
}

function renderClient(person: SyntheticPerson, prng: Prng, referenceDay: number): ClientContext {
  const variant = variantFor(person, prng.fork('variant'));
  const createdDay = referralDay(prng, person, referenceDay);
  const created = officeHoursAt(prng, createdDay);
  const modifiedDay = prng.chance(0.3) ? createdDay : prng.int(createdDay, referenceDay - 1);
  const district = person.address.postcode.split(' ')[0] ?? '';
  const localUnits = UNITS_BY_DISTRICT[district];
  const unitCode = localUnits && prng.chance(0.85) ? prng.pick(localUnits) : prng.pick(UNIT_CODES);
  const need: Need = prng.weighted<Need>(
    person.pncNumber !== null ? [['low', 10], ['medium', 40], ['high', 50]] : [['low', 45], ['medium', 40], ['high', 15]],
  );
  const row: Row<'client'> = {
    client_id: seededGuid(prng.fork('id')),
    given_name: variant.forename,
    family_name: variant.surname,
    preferred_name: variant.knownAs,
    date_of_birth: variant.dateOfBirth,
    gender_code: prng.chance(0.02) ? '9' : prng.chance(0.005) ? '0' : iso5218FromSex(person.gender),
    ethnicity_code: ethnicityCode(person, prng),
    address_line_1: prng.chance(0.03) ? null : variant.line1,
    // Validated on entry: whatever was typed is stored upper case with one space.
    post_code: prng.chance(0.02) ? null : cleanPostcode(variant.postcode),
    // The UPN field was added late and is often left empty.
    upn: person.upn !== null && prng.chance(0.6) ? person.upn : null,
    is_active: activeFlag(prng, CLIENT_INACTIVE_RATE),
    created_utc: created,
    modified_utc: modifiedDay === createdDay ? created : officeHoursAt(prng, modifiedDay),
  };
  // A family that moved without UMIS being told: UMIS keeps the former address while the other systems
  // hold the new one (a planted cross-system disagreement for the gap report). Its own stream, so no
  // other value of the record changes.
  const moved = prng.fork('moved-house');
  if (row.post_code !== null && moved.chance(MOVED_HOUSE_RATE)) {
    const former = formerAddress(person, moved);
    row.address_line_1 = former.line1;
    row.post_code = cleanPostcode(former.postcode);
  }
  return { row, person, createdDay, unitCode, need };
}

function cleanPostcode(text: string): string {
  const compact = text.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** Referred to the service at some point after turning 9, within the last five years. */
function referralDay(prng: Prng, person: SyntheticPerson, referenceDay: number): number {
  const ninthBirthday = dayOf(person.dateOfBirth) + Math.round(9 * 365.25);
  const latest = referenceDay - 30;
  return prng.int(Math.min(Math.max(ninthBirthday, referenceDay - 5 * 365), latest), latest);
}

function ethnicityCode(person: SyntheticPerson, prng: Prng): string | null {
  if (prng.chance(0.07)) return prng.weighted<string | null>([[null, 4], ['Z9', 2], ['Z8', 1]]);
  return prng.weighted(ETHNICITY_BY_HERITAGE[person.heritage]);
}

/** A birth surname where the client is registered under another, and now and then a nickname. */
function aliasRows(client: ClientContext, prng: Prng): Array<Row<'client_alias'>> {
  const { row, person } = client;
  const aliases: Array<Pick<Row<'client_alias'>, 'alias_type_code' | 'given_name' | 'family_name'>> = [];
  if (row.family_name !== person.surname && prng.chance(0.5)) {
    aliases.push({ alias_type_code: 'PREV', given_name: null, family_name: person.surname });
  }
  if (person.nickname !== null && row.preferred_name === null && prng.chance(0.1)) {
    aliases.push({ alias_type_code: 'AKA', given_name: person.nickname, family_name: null });
  }
  return aliases.map((alias) => ({
    client_alias_id: seededGuid(prng),
    client_id: row.client_id,
    ...alias,
    is_active: activeFlag(prng),
    created_utc: row.created_utc,
    modified_utc: row.created_utc,
  }));
}

function unitWorker(workforce: Workforce, unitCode: string, prng: Prng): string {
  return prng.pick(workforce.byUnit.get(unitCode) ?? workforce.former);
}

/** Distinct days in [from, to], ascending (fewer when the range is short). */
function sortedDays(prng: Prng, count: number, from: number, to: number): number[] {
  const days = new Set<number>();
  for (let i = 0; i < count * 3 && days.size < Math.min(count, to - from + 1); i++) days.add(prng.int(from, to));
  return [...days].sort((a, b) => a - b);
}

function addAssessments(rows: Rows, client: ClientContext, prng: Prng, workforce: Workforce, referenceDay: number): void {
  const latest = referenceDay - 1;
  const days = sortedDays(prng, prng.weighted(ASSESSMENTS_PER_CLIENT), client.createdDay, latest);
  days.forEach((startedDay, i) => {
    const newest = i === days.length - 1;
    let status = prng.weighted<string>(newest ? [['C', 86], ['D', 8], ['X', 6]] : [['C', 93], ['D', 1], ['X', 6]]);
    const completedDay = startedDay + prng.int(5, 45);
    // Still being written up at the reference date.
    if (status === 'C' && completedDay > latest) status = 'D';
    const started = isoFromDayNumber(startedDay);
    const assessmentId = seededGuid(prng);
    const chosen = DOMAINS.map((domain) => ({ domain, order: prng.next() }))
      .sort((a, b) => a.order - b.order)
      .slice(0, prng.int(4, 8))
      .map(({ domain }) => domain);
    // Keep the form's order.
    chosen.sort((a, b) => DOMAINS.indexOf(a) - DOMAINS.indexOf(b));
    const scores = chosen.map(([code, description]) => ({ code, description, score: prng.weighted(SCORE_ODDS[client.need]) }));
    const created = officeHoursAt(prng, startedDay);
    const modified = status === 'D' ? created : officeHoursAt(prng, Math.min(completedDay, latest));
    for (const { code, score } of scores) {
      const band = score <= 1 ? 0 : score === 2 ? 1 : 2;
      const sentences = ANALYSIS[code]?.[band] ?? [];
      rows.assessment_domain_score.push({
        assessment_domain_score_id: seededGuid(prng),
        assessment_id: assessmentId,
        domain_code: code,
        score,
        analysis: sentences.length === 0 || prng.chance(status === 'D' ? 0.3 : 0.05) ? null : prng.pick(sentences),
        is_active: activeFlag(prng),
        created_utc: created,
        modified_utc: modified,
      });
    }
    rows.assessment.push({
      assessment_id: assessmentId,
      client_id: client.row.client_id,
      assessment_type_code: started < CAF_RETIRED_ON ? 'CAF' : prng.weighted(ASSESSMENT_TYPE_WEIGHTS),
      status_code: status,
      started_date: started,
      completed_date: status === 'C' ? isoFromDayNumber(completedDay) : null,
      assessor_worker_id: prng.chance(0.03) ? null : unitWorker(workforce, client.unitCode, prng),
      summary: status === 'D' && prng.chance(0.6) ? null : summaryOf(scores, prng),
      is_active: activeFlag(prng),
      created_utc: created,
      modified_utc: modified,
    });
  });
}

function summaryOf(scores: ReadonlyArray<{ description: string; score: number }>, prng: Prng): string {
  const top = scores.reduce((best, s) => (s.score > best.score ? s : best), scores[0] ?? { description: '', score: 0 });
  if (top.score <= 1) return 'No significant concerns; universal youth provision recommended.';
  return `Main concern: ${top.description.toLowerCase()} (${top.score}/4). ${prng.pick(NEXT_STEPS)}`;
}

function addPlans(rows: Rows, client: ClientContext, prng: Prng, workforce: Workforce, referenceDay: number): void {
  const latest = referenceDay - 1;
  const from = client.createdDay + 7;
  const starts = sortedDays(prng, prng.weighted(PLANS_PER_CLIENT), from, latest - 14);
  const latestOpen = starts.length > 0 && prng.chance(0.65);
  if (latestOpen) {
    // Plans still open were started within the last five months and are reviewed on time.
    const earliest = Math.max(from, (starts[starts.length - 2] ?? from - 1) + 1, latest - 150);
    starts[starts.length - 1] = prng.int(Math.min(earliest, latest - 14), latest - 14);
  }
  starts.forEach((startDay, i) => {
    const open = latestOpen && i === starts.length - 1;
    const planId = seededGuid(prng);
    // Reviews every six to twelve weeks; an open plan's next one is the first not yet due.
    const reviewDays: number[] = [];
    let day = startDay;
    const wanted = open ? MAX_REVIEWS_PER_PLAN : prng.weighted(REVIEWS_PER_PLAN);
    let nextReviewDay = 0;
    for (;;) {
      day += prng.int(42, 84);
      if (day > latest - (open ? 0 : 2) || reviewDays.length === wanted) {
        nextReviewDay = day;
        break;
      }
      reviewDays.push(day);
    }
    const lastEvent = reviewDays[reviewDays.length - 1] ?? startDay;
    const closedDay = open ? null : prng.int(Math.min(lastEvent + 1, latest), latest);
    const created = officeHoursAt(prng, startDay);
    const goals = GOALS.map((goal) => ({ goal, order: prng.next() }))
      .sort((a, b) => a.order - b.order)
      .slice(0, prng.weighted(GOALS_PER_PLAN));
    goals.forEach(({ goal }, n) => {
      rows.plan_goal.push({
        plan_goal_id: seededGuid(prng),
        plan_id: planId,
        sequence_no: n + 1,
        goal_text: goal,
        is_active: activeFlag(prng),
        created_utc: created,
        modified_utc: created,
      });
    });
    reviewDays.forEach((reviewDay, n) => {
      const closing = !open && n === reviewDays.length - 1 && prng.chance(0.6);
      const at = officeHoursAt(prng, reviewDay);
      rows.plan_review.push({
        plan_review_id: seededGuid(prng),
        plan_id: planId,
        review_date: isoFromDayNumber(reviewDay),
        reviewer_worker_id: prng.chance(0.05) ? null : unitWorker(workforce, client.unitCode, prng),
        review_outcome_code: closing ? 'MET' : prng.weighted(REVIEW_OUTCOME_WEIGHTS),
        notes: prng.chance(0.3) ? null : prng.pick(REVIEW_NOTES),
        is_active: activeFlag(prng),
        created_utc: at,
        modified_utc: at,
      });
    });
    rows.plan.push({
      plan_id: planId,
      client_id: client.row.client_id,
      title: prng.pick(PLAN_TITLES),
      plan_status_code: open ? 'O' : 'C',
      start_date: isoFromDayNumber(startDay),
      next_review_date: open ? isoFromDayNumber(nextReviewDay) : null,
      closed_date: closedDay === null ? null : isoFromDayNumber(closedDay),
      owner_worker_id: prng.chance(0.03) ? null : unitWorker(workforce, client.unitCode, prng),
      is_active: activeFlag(prng),
      created_utc: created,
      modified_utc: closedDay === null ? created : officeHoursAt(prng, closedDay),
    });
  });
}

/**
 * One or two allocations: a second one follows the first (sometimes in another unit, sometimes with a
 * worker who has since left), and the latest is still open for about 70% of clients.
 */
function assignmentRows(
  client: ClientContext,
  prng: Prng,
  workforce: Workforce,
  referenceDay: number,
): Array<Row<'client_worker_assignment'>> {
  const latest = referenceDay - 1;
  const firstStart = Math.min(client.createdDay + prng.int(0, 14), latest);
  const periods: Array<{ start: number; end: number | null; unit: string; worker: string | null }> = [];
  const count = prng.weighted(ASSIGNMENTS_PER_CLIENT);
  if (count === 2 && latest - firstStart >= 60) {
    const secondStart = prng.int(firstStart + 30, latest);
    const movedUnit = prng.chance(0.25) ? prng.pick(UNIT_CODES) : client.unitCode;
    periods.push({
      start: firstStart,
      end: Math.max(firstStart, secondStart - prng.int(0, 14)),
      unit: client.unitCode,
      worker: prng.chance(0.2) ? prng.pick(workforce.former) : unitWorker(workforce, client.unitCode, prng),
    });
    periods.push({ start: secondStart, end: null, unit: movedUnit, worker: unitWorker(workforce, movedUnit, prng) });
  } else {
    periods.push({ start: firstStart, end: null, unit: client.unitCode, worker: unitWorker(workforce, client.unitCode, prng) });
  }
  const last = periods[periods.length - 1] as (typeof periods)[number];
  if (!prng.chance(OPEN_LATEST_ASSIGNMENT_RATE)) last.end = prng.int(Math.min(last.start + 14, latest), latest);
  return periods.map((period) => {
    const created = officeHoursAt(prng, period.start);
    return {
      client_worker_assignment_id: seededGuid(prng),
      client_id: client.row.client_id,
      worker_id: prng.chance(0.03) ? null : period.worker,
      unit_code: period.unit,
      start_date: isoFromDayNumber(period.start),
      end_date: period.end === null ? null : isoFromDayNumber(period.end),
      is_active: activeFlag(prng),
      created_utc: created,
      modified_utc: period.end === null ? created : officeHoursAt(prng, Math.min(period.end, latest)),
    };
  });
}

/** Picks `rate` of the candidates (at least one when there are any), each at most once. */
function pickSome<T extends object>(prng: Prng, candidates: readonly T[], taken: Set<object>): T[] {
  const free = candidates.filter((c) => !taken.has(c));
  const wanted = Math.min(free.length, Math.max(1, Math.round(free.length * PROBLEM_RATE)));
  const chosen: T[] = [];
  while (chosen.length < wanted) {
    const candidate = free.splice(prng.int(0, free.length - 1), 1)[0] as T;
    chosen.push(candidate);
    taken.add(candidate);
  }
  return chosen;
}

/**
 * Plants the problems a weekly gap report should find, on live rows of live clients (so the adapter
 * returns them), and lists each one.
 */
function plantProblems(
  rows: Rows,
  clients: ClientContext[],
  prng: Prng,
  referenceDay: number,
): UmisPlannedProblem[] {
  const problems: UmisPlannedProblem[] = [];
  const liveClients = new Map(
    clients.filter((c) => c.row.is_active === 1).map((c) => [c.row.client_id, c] as const),
  );
  const keyOf = (clientId: string): string => liveClients.get(clientId)?.person.personKey ?? '';
  const taken = new Set<object>();
  const plan = (kind: UmisProblemKind, table: keyof UmisTables, clientId: string, rowId: string, description: string, relatedRowId: string | null = null) =>
    problems.push({ kind, clientId, personKey: keyOf(clientId), table, rowId, relatedRowId, description });

  const completed = rows.assessment.filter((a) => a.is_active === 1 && a.status_code === 'C' && liveClients.has(a.client_id));
  for (const a of pickSome(prng, completed, taken)) {
    a.completed_date = isoFromDayNumber(dayOf(a.started_date) - prng.int(1, 30));
    plan('ASSESSMENT_COMPLETED_BEFORE_STARTED', 'assessment', a.client_id, a.assessment_id,
      `completed ${a.completed_date}, started ${a.started_date}`);
  }
  for (const a of pickSome(prng, completed, taken)) {
    a.completed_date = null;
    plan('COMPLETED_ASSESSMENT_WITHOUT_DATE', 'assessment', a.client_id, a.assessment_id, 'status completed, no completion date');
  }

  const liveReviews = new Map<string, Array<Row<'plan_review'>>>();
  for (const r of rows.plan_review) {
    if (r.is_active === 1) liveReviews.set(r.plan_id, [...(liveReviews.get(r.plan_id) ?? []), r]);
  }
  const closedWithReviews = rows.plan.filter(
    (p) => p.is_active === 1 && p.plan_status_code === 'C' && liveClients.has(p.client_id) && liveReviews.has(p.plan_id),
  );
  for (const p of pickSome(prng, closedWithReviews, taken)) {
    const reviews = liveReviews.get(p.plan_id) ?? [];
    const review = reviews[reviews.length - 1] as Row<'plan_review'>;
    review.review_date = isoFromDayNumber(referenceDay + prng.int(7, 90));
    plan('FUTURE_REVIEW_ON_CLOSED_PLAN', 'plan_review', p.client_id, review.plan_review_id,
      `review dated ${review.review_date} on plan closed ${p.closed_date}`, p.plan_id);
  }

  const liveAssignments = rows.client_worker_assignment.filter((a) => a.is_active === 1 && liveClients.has(a.client_id));
  const ended = liveAssignments.filter((a) => a.end_date !== null);
  for (const a of pickSome(prng, ended, taken)) {
    a.end_date = isoFromDayNumber(dayOf(a.start_date) - prng.int(1, 60));
    plan('ASSIGNMENT_ENDS_BEFORE_START', 'client_worker_assignment', a.client_id, a.client_worker_assignment_id,
      `ends ${a.end_date}, starts ${a.start_date}`);
  }
  const byClient = new Map<string, Array<Row<'client_worker_assignment'>>>();
  for (const a of liveAssignments) byClient.set(a.client_id, [...(byClient.get(a.client_id) ?? []), a]);
  const earlierOfOpenPairs = [...byClient.values()]
    .filter((list) => list.length === 2 && list[0]?.end_date !== null && list[1]?.end_date === null)
    .map((list) => list[0] as Row<'client_worker_assignment'>);
  for (const a of pickSome(prng, earlierOfOpenPairs, taken)) {
    a.end_date = null;
    const other = (byClient.get(a.client_id) ?? [])[1] as Row<'client_worker_assignment'>;
    plan('OVERLAPPING_OPEN_ASSIGNMENTS', 'client_worker_assignment', a.client_id, a.client_worker_assignment_id,
      `open since ${a.start_date} alongside another open assignment from ${other.start_date}`, other.client_worker_assignment_id);
  }

  const latest = referenceDay - 1;
  for (const original of pickSome(prng, [...liveClients.values()], taken)) {
    // The same details keyed in again later by someone who did not search first.
    const createdDay = Math.min(original.createdDay + prng.int(30, 700), latest);
    const created = officeHoursAt(prng, createdDay);
    const duplicate: Row<'client'> = {
      ...original.row,
      client_id: seededGuid(prng),
      created_utc: created,
      modified_utc: created,
    };
    rows.client.push(duplicate);
    problems.push({
      kind: 'DUPLICATE_CLIENT',
      clientId: duplicate.client_id,
      personKey: original.person.personKey,
      table: 'client',
      rowId: duplicate.client_id,
      relatedRowId: original.row.client_id,
      description: `registered again on ${created.slice(0, 10)}`,
    });
  }
  return problems;
}
