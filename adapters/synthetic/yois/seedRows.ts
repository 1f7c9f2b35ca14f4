/**
 * YOIS's synthetic rows: the youth justice caseload, drawn from the shared population. YOIS knows
 * nearly everyone with a PNC number and a few young people dealt with by community resolution alone
 * (which is not recorded on the PNC), never anyone before their tenth birthday at their offence date.
 * Each has 1-4 offences with outcomes weighted toward lower tariffs; court orders carry requirements,
 * appointments with attendance, and breach warnings under the two-strikes process. A few data-quality
 * problems are planted on purpose for the gap reports and listed in `plannedProblems`.
 * Everything derives from the seed, so the same input gives identical rows.
 */
import { Prng } from '../prng';
import {
  dayNumber,
  DEFAULT_REFERENCE_DATE,
  isoFromDayNumber,
  parseIsoDate,
  type Heritage,
  type SyntheticPerson,
} from '../population';
import { DEFAULT_VARIANT_RATES, variantFor, type VariantRates } from '../variants';
import { APPOINTMENT_TYPES, legacyUpperCase, NO, YES } from '../../yois/mapping';
import type { YoisTables } from '../../yois/tables';

/** A data-quality problem planted on purpose, in the IDs the adapter exposes, for gap-report tests. */
export interface PlannedProblem {
  kind:
    | 'ORDER_ENDS_BEFORE_START'
    | 'OFFENCE_AFTER_OUTCOME'
    | 'APPOINTMENT_FOR_DELETED_ORDER'
    | 'PAST_APPOINTMENT_NOT_RECORDED'
    | 'STRIKE_TWO_WITHOUT_STRIKE_ONE';
  personKey: string;
  /** The person's sourceId (PERSON_ID as text). */
  personSourceId: string;
  recordType: 'OFFENCE' | 'ORDER' | 'APPOINTMENT' | 'BREACH_WARNING';
  /** The record's ID as text (offenceId, orderId, appointmentId or warningId). */
  recordId: string;
  detail: string;
}

export interface YoisSeed {
  rows: { [T in keyof YoisTables]: Array<YoisTables[T]> };
  /** Ground truth: which synthetic person each YP_PERSON row is (sourceId = PERSON_ID as text). */
  truth: Array<{ personKey: string; sourceId: string }>;
  plannedProblems: PlannedProblem[];
}

export interface YoisSeedOptions {
  seed: number;
  /** Share of people with a PNC number whom YOIS knows; default 0.95. */
  pncCoverage?: number;
  /** Share of other people aged 10+ known only for community resolutions; default 0.015. */
  communityResolutionCoverage?: number;
  /** ISO date the data is "as at"; default '2026-11-01'. */
  referenceDate?: string;
}

type Row<T extends keyof YoisTables> = YoisTables[T];

const FIRST_PERSON_ID = 300001;
/** YOIS leans on police and court records: the changed surname and the street name turn up more often. */
export const YOIS_VARIANT_RATES: Readonly<VariantRates> = {
  ...DEFAULT_VARIANT_RATES,
  changedSurname: 0.08,
  nicknameAsForename: 0.3,
  knownAsRecorded: 0.2,
};
const PERSON_DELETED_RATE = 0.02;
const OFFENCE_DELETED_RATE = 0.01;
const APPOINTMENT_DELETED_RATE = 0.01;
/** PNC numbers keyed in the short `YY/NNNNNNNL` form by older screens. */
const SHORT_PNC_RATE = 0.1;
/** Age of criminal responsibility in England and Wales. */
const MIN_OFFENDING_AGE = 10;

const ETHNICITIES: ReadonlyArray<readonly [code: string, description: string]> = [
  ['W1', 'White - British'],
  ['W2', 'White - Irish'],
  ['W9', 'White - Any other White background'],
  ['M1', 'Mixed - White and Black Caribbean'],
  ['M2', 'Mixed - White and Black African'],
  ['M3', 'Mixed - White and Asian'],
  ['M9', 'Mixed - Any other Mixed background'],
  ['A1', 'Asian - Indian'],
  ['A2', 'Asian - Pakistani'],
  ['A3', 'Asian - Bangladeshi'],
  ['A9', 'Asian - Any other Asian background'],
  ['B1', 'Black - Caribbean'],
  ['B2', 'Black - African'],
  ['B9', 'Black - Any other Black background'],
  ['O1', 'Chinese'],
  ['O9', 'Any other ethnic group'],
  ['NS', 'Not stated'],
];

const ETHNICITY_BY_HERITAGE: Readonly<Record<Heritage, ReadonlyArray<readonly [string, number]>>> = {
  turkish: [['W9', 90], ['O9', 10]],
  kurdish: [['W9', 70], ['O9', 30]],
  black_african: [['B2', 95], ['B9', 5]],
  black_caribbean: [['B1', 92], ['B9', 8]],
  charedi_jewish: [['W9', 80], ['W1', 20]],
  bangladeshi: [['A3', 96], ['A9', 4]],
  white_british: [['W1', 96], ['W2', 4]],
  other_white: [['W9', 100]],
  mixed: [['M1', 45], ['M2', 20], ['M9', 30], ['M3', 5]],
};

interface OffenceType {
  code: string;
  description: string;
  category: string;
  gravity: number;
  weight: number;
}

/** Modelled on Home Office offence codes and YJB gravity scores; synthetic, for realistic shapes only. */
const OFFENCES: readonly OffenceType[] = [
  { code: '046/00', description: 'Theft from a shop or stall', category: 'Theft and handling', gravity: 2, weight: 14 },
  { code: '105/01', description: 'Common assault', category: 'Violence against the person', gravity: 3, weight: 12 },
  { code: '058/09', description: 'Criminal damage (under £5,000)', category: 'Criminal damage', gravity: 2, weight: 10 },
  { code: '092/20', description: 'Possession of a Class B drug (cannabis)', category: 'Drugs', gravity: 2, weight: 10 },
  { code: '010/05', description: 'Possession of a bladed article in a public place', category: 'Possession of weapons', gravity: 5, weight: 7 },
  { code: '008/06', description: 'Assault occasioning actual bodily harm', category: 'Violence against the person', gravity: 5, weight: 7 },
  { code: '034/02', description: 'Robbery of personal property', category: 'Robbery', gravity: 6, weight: 6 },
  { code: '125/58', description: 'Causing harassment, alarm or distress', category: 'Public order', gravity: 1, weight: 6 },
  { code: '125/54', description: 'Threatening behaviour', category: 'Public order', gravity: 3, weight: 5 },
  { code: '104/37', description: 'Assault on an emergency worker', category: 'Violence against the person', gravity: 4, weight: 4 },
  { code: '039/00', description: 'Theft from the person', category: 'Theft and handling', gravity: 4, weight: 5 },
  { code: '054/01', description: 'Handling stolen goods', category: 'Theft and handling', gravity: 3, weight: 3 },
  { code: '048/00', description: 'Taking a motor vehicle without consent', category: 'Theft and handling', gravity: 3, weight: 4 },
  { code: '028/02', description: 'Burglary of a dwelling', category: 'Burglary', gravity: 6, weight: 3 },
  { code: '030/01', description: 'Burglary of a building other than a dwelling', category: 'Burglary', gravity: 4, weight: 2 },
  { code: '066/01', description: 'Affray', category: 'Public order', gravity: 4, weight: 3 },
  { code: '092/11', description: 'Possession with intent to supply a Class A drug', category: 'Drugs', gravity: 6, weight: 4 },
  { code: '092/21', description: 'Possession of a Class A drug', category: 'Drugs', gravity: 3, weight: 2 },
  { code: '803/01', description: 'Using a motor vehicle without insurance', category: 'Motoring', gravity: 2, weight: 3 },
];
const OFFENCE_WEIGHTS = OFFENCES.map((o) => [o, o.weight] as const);
/** Community resolutions are for minor offences only. */
const MINOR_OFFENCE_WEIGHTS = OFFENCES.filter((o) => o.gravity <= 3).map((o) => [o, o.weight] as const);

const OUTCOME_TYPE_ROWS: ReadonlyArray<Row<'LU_OUTCOME_TYPE'>> = [
  { OUTCOME_TYPE_CODE: 'CR', DESCRIPTION: 'Community resolution', COURT_FLAG: NO },
  { OUTCOME_TYPE_CODE: 'YC', DESCRIPTION: 'Youth caution', COURT_FLAG: NO },
  { OUTCOME_TYPE_CODE: 'YCC', DESCRIPTION: 'Youth conditional caution', COURT_FLAG: NO },
  { OUTCOME_TYPE_CODE: 'AD', DESCRIPTION: 'Absolute discharge', COURT_FLAG: YES },
  { OUTCOME_TYPE_CODE: 'CD', DESCRIPTION: 'Conditional discharge', COURT_FLAG: YES },
  { OUTCOME_TYPE_CODE: 'FINE', DESCRIPTION: 'Fine', COURT_FLAG: YES },
  { OUTCOME_TYPE_CODE: 'RO', DESCRIPTION: 'Referral order', COURT_FLAG: YES },
  { OUTCOME_TYPE_CODE: 'YRO', DESCRIPTION: 'Youth rehabilitation order', COURT_FLAG: YES },
  { OUTCOME_TYPE_CODE: 'DTO', DESCRIPTION: 'Detention and training order', COURT_FLAG: YES },
];
const COURT_OUTCOMES = new Set(OUTCOME_TYPE_ROWS.filter((t) => t.COURT_FLAG === YES).map((t) => t.OUTCOME_TYPE_CODE));
/** Outcomes that make a statutory order the service supervises. */
export const ORDER_OUTCOMES: ReadonlySet<string> = new Set(['RO', 'YRO', 'DTO']);

type Weights = ReadonlyArray<readonly [string, number]>;
/** Lower tariffs first; later offences climb the tariff, and serious ones go to court. */
const FIRST_OUTCOME: Weights = [['CR', 30], ['YC', 25], ['YCC', 12], ['AD', 1], ['CD', 5], ['FINE', 3], ['RO', 16], ['YRO', 6], ['DTO', 2]];
const LATER_OUTCOME: Weights = [['CR', 8], ['YC', 10], ['YCC', 15], ['AD', 1], ['CD', 5], ['FINE', 5], ['RO', 8], ['YRO', 28], ['DTO', 7]];
const SERIOUS_OUTCOME: Weights = [['RO', 40], ['YRO', 40], ['DTO', 20]];
const SERIOUS_GRAVITY = 6;

const YOUTH_COURTS = ['Stratford Youth Court', 'Highbury Corner Youth Court', 'Thames Youth Court'];
const CROWN_COURTS = ['Wood Green Crown Court', 'Snaresbrook Crown Court'];

const REQUIREMENTS: ReadonlyArray<Row<'LU_REQUIREMENT'>> = [
  { REQUIREMENT_CODE: 'SUP', DESCRIPTION: 'Supervision' },
  { REQUIREMENT_CODE: 'REP', DESCRIPTION: 'Reparation' },
  { REQUIREMENT_CODE: 'UPW', DESCRIPTION: 'Unpaid work' },
  { REQUIREMENT_CODE: 'CUR', DESCRIPTION: 'Curfew' },
  { REQUIREMENT_CODE: 'ELM', DESCRIPTION: 'Electronic monitoring' },
  { REQUIREMENT_CODE: 'ACT', DESCRIPTION: 'Activity' },
  { REQUIREMENT_CODE: 'PRG', DESCRIPTION: 'Programme' },
  { REQUIREMENT_CODE: 'ATC', DESCRIPTION: 'Attendance centre' },
  { REQUIREMENT_CODE: 'EDU', DESCRIPTION: 'Education' },
  { REQUIREMENT_CODE: 'DRG', DESCRIPTION: 'Drug treatment' },
  { REQUIREMENT_CODE: 'MHT', DESCRIPTION: 'Mental health treatment' },
  { REQUIREMENT_CODE: 'EXC', DESCRIPTION: 'Exclusion' },
  { REQUIREMENT_CODE: 'ISS', DESCRIPTION: 'Intensive supervision and surveillance' },
  { REQUIREMENT_CODE: 'LIC', DESCRIPTION: 'Notice of supervision (community part of DTO)' },
];
const YRO_OPTIONAL_REQUIREMENTS = ['UPW', 'CUR', 'ACT', 'PRG', 'EXC', 'DRG', 'MHT', 'ATC', 'EDU'] as const;
const EXCLUSION_AREAS = ['Dalston Junction', 'Hackney Central station', 'Ridley Road Market', 'Kingsland Shopping Centre'];

/** Hackney districts and the Core Units that cover them; a minority of cases sit with another unit. */
const UNITS_BY_DISTRICT: Readonly<Record<string, readonly string[]>> = {
  E2: ['CU1'], E5: ['CU2'], E8: ['CU3', 'CU4'], E9: ['CU5'], N1: ['CU6'], N4: ['CU7'], N16: ['CU7', 'CU8'],
};
const UNITS = ['CU1', 'CU2', 'CU3', 'CU4', 'CU5', 'CU6', 'CU7', 'CU8'];
const WORKERS = [
  'Kemi Adeyemi', 'Luke Harrington', 'Serap Yildiz', 'Dean Morris', 'Fatima Begum', 'Ruth Goldberg',
  'Andre Baptiste', 'Claire Doyle', 'Hakan Polat', 'Shirley Thomas', 'Mark Ellison', 'Zainab Kamara',
];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const dayOf = (iso: string): number => {
  const { year, month, day } = parseIsoDate(iso);
  return dayNumber(year, month, day) as number;
};
const compact = (day: number): string => isoFromDayNumber(day).replace(/-/g, '');
const ukDate = (day: number): string => {
  const iso = isoFromDayNumber(day);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
};
const SECONDS_PER_DAY = 86_400;
/** 1970-01-01 was a Thursday: 0 = Sunday ... 6 = Saturday. */
const isWeekend = (day: number): boolean => {
  const weekday = (day + 4) % 7;
  return weekday === 0 || weekday === 6;
};
/** The next weekday on or after `day`. */
const weekdayFrom = (day: number): number => (isWeekend(day) ? weekdayFrom(day + 1) : day);
const dateTimeAt = (seconds: number): string => {
  const second = seconds % SECONDS_PER_DAY;
  const day = (seconds - second) / SECONDS_PER_DAY;
  return `${isoFromDayNumber(day)} ${pad2((second / 3600) | 0)}:${pad2(((second / 60) | 0) % 60)}:${pad2(second % 60)}`;
};
/** A second of the day between 09:00:00 and 17:59:59. */
const officeSecond = (prng: Prng): number => prng.int(9 * 3600, 18 * 3600 - 1);
/** An appointment slot: 09:00 to 17:30 on the quarter hour. */
const slotSecond = (prng: Prng): number => 9 * 3600 + 900 * prng.int(0, 34);
const addMonths = (day: number, months: number): number => day + Math.round(months * 30.44);

// ---------------------------------------------------------------------------------------------
// The case history of one young person, before IDs are issued.

interface CaseRequirement {
  code: string;
  detail: string | null;
  id: number;
}

interface CaseAppointment {
  at: number;
  type: string;
  flag: string;
  deleted: boolean;
  id: number;
}

interface CaseWarning {
  at: number;
  strike: number;
  reason: string;
  id: number;
  /** Removed from the rows: a planted strike 2 without its strike 1. */
  removed: boolean;
}

interface CaseOrder {
  typeCode: string;
  start: number;
  end: number;
  status: string;
  deleted: boolean;
  requirements: CaseRequirement[];
  appointments: CaseAppointment[];
  warnings: CaseWarning[];
  id: number;
}

interface CaseOutcome {
  typeCode: string;
  day: number;
  court: string | null;
  deleted: boolean;
  order: CaseOrder | null;
  id: number;
}

interface CaseOffence {
  type: OffenceType;
  day: number;
  recordedAt: number;
  deleted: boolean;
  outcome: CaseOutcome | null;
  id: number;
}

interface CaseAllocation {
  unit: string;
  worker: string | null;
  start: number;
  end: number | null;
  id: number;
}

interface PersonCase {
  person: SyntheticPerson;
  row: Omit<Row<'YP_PERSON'>, 'PERSON_ID' | 'CREATED_DATE'>;
  createdAt: number;
  offences: CaseOffence[];
  allocations: CaseAllocation[];
  id: number;
}

export function generateYoisRows(population: readonly SyntheticPerson[], options: YoisSeedOptions): YoisSeed {
  const pncCoverage = options.pncCoverage ?? 0.95;
  const crCoverage = options.communityResolutionCoverage ?? 0.015;
  for (const [name, value] of [['pncCoverage', pncCoverage], ['communityResolutionCoverage', crCoverage]] as const) {
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be within 0..1, got ${value}`);
  }
  const referenceDay = dayOf(options.referenceDate ?? DEFAULT_REFERENCE_DATE);
  const prng = new Prng(options.seed).fork('yois');

  const known = prng.fork('coverage');
  const cases: PersonCase[] = [];
  for (const person of population) {
    const tenthBirthday = birthdayDay(person.dateOfBirth, MIN_OFFENDING_AGE);
    // Room for at least one offence, recorded, between the tenth birthday and the reference date.
    if (tenthBirthday > referenceDay - 30) continue;
    if (!known.chance(person.pncNumber !== null ? pncCoverage : crCoverage)) continue;
    // A stream per person: one person's history never shifts another's.
    cases.push(personCase(person, prng.fork(person.personKey), tenthBirthday, referenceDay));
  }

  issueIds(cases, prng.fork('ids'));
  const plannedProblems = plantProblems(cases, prng.fork('problems'), referenceDay);
  const truth = [...cases].sort((a, b) => a.id - b.id).map((c) => ({ personKey: c.person.personKey, sourceId: String(c.id) }));
  return { rows: toRows(cases), truth, plannedProblems };
}

/** The day someone turns `years` (29 February birthdays fall on 28 February). */
function birthdayDay(dateOfBirth: string, years: number): number {
  const { year, month, day } = parseIsoDate(dateOfBirth);
  return dayNumber(year + years, month, day) ?? (dayNumber(year + years, month, day - 1) as number);
}

function personCase(person: SyntheticPerson, prng: Prng, tenthBirthday: number, referenceDay: number): PersonCase {
  const offences = offenceHistory(person, prng.fork('offences'), tenthBirthday, referenceDay);
  const firstRecorded = Math.min(...offences.map((o) => o.recordedAt));
  const createdAt = Math.max(firstRecorded - prng.int(60, 3600), tenthBirthday * SECONDS_PER_DAY);
  return {
    person,
    row: personRow(person, prng.fork('person')),
    createdAt,
    offences,
    allocations: allocations(person, prng.fork('allocations'), offences, referenceDay),
    id: 0,
  };
}

function personRow(person: SyntheticPerson, prng: Prng): PersonCase['row'] {
  const variant = variantFor(person, prng.fork('variant'), YOIS_VARIANT_RATES);
  const missingDob = prng.chance(0.5) ? null : '00000000';
  return {
    FORENAME: legacyUpperCase(variant.forename),
    SURNAME: legacyUpperCase(variant.surname),
    KNOWN_AS: variant.knownAs === null ? null : legacyUpperCase(variant.knownAs),
    DOB: variant.dateOfBirth === null ? missingDob : variant.dateOfBirth.replace(/-/g, ''),
    SEX: prng.chance(0.01) ? 'U' : person.gender,
    ETHNICITY_CODE: prng.chance(0.04) ? (prng.chance(0.5) ? null : 'NS') : prng.weighted(ETHNICITY_BY_HERITAGE[person.heritage]),
    // Only names and postcodes are forced to upper case; the address is stored as keyed.
    ADDRESS_LINE1: prng.chance(0.03) ? null : variant.line1,
    POSTCODE: prng.chance(0.02) ? null : legacyUpperCase(variant.postcode),
    PNC_NUMBER: pncAsKeyed(person.pncNumber, prng),
    // Schools rarely share the UPN with the youth justice service.
    UPN: person.upn !== null && prng.chance(0.5) ? person.upn : null,
    DELETED_FLAG: prng.chance(PERSON_DELETED_RATE) ? YES : NO,
  };
}

/** As keyed: sometimes the short form with the serial's leading zeros dropped, occasionally not yet keyed. */
function pncAsKeyed(pnc: string | null, prng: Prng): string | null {
  if (pnc === null || prng.chance(0.02)) return null;
  if (!prng.chance(SHORT_PNC_RATE)) return pnc;
  const [year = '', rest = ''] = pnc.split('/');
  return `${year.slice(2)}/${rest.slice(0, -1).replace(/^0+/, '')}${rest.slice(-1)}`;
}

/** 1-4 offences, the first in the PNC year when there is one (the PNC record starts at first arrest). */
function offenceHistory(person: SyntheticPerson, prng: Prng, tenthBirthday: number, referenceDay: number): CaseOffence[] {
  const latest = referenceDay - 14;
  let earliest = Math.max(tenthBirthday, referenceDay - 6 * 365);
  let firstLatest = latest;
  if (person.pncNumber !== null) {
    const pncYear = Number(person.pncNumber.slice(0, 4));
    earliest = Math.max(tenthBirthday, dayNumber(pncYear, 1, 1) as number);
    firstLatest = Math.min(latest, dayNumber(pncYear, 12, 31) as number);
  }
  earliest = Math.min(earliest, latest);
  firstLatest = Math.max(firstLatest, earliest);

  const count = prng.weighted([[1, 45], [2, 28], [3, 17], [4, 10]] as const);
  const communityResolutionOnly = person.pncNumber === null;
  const offences: CaseOffence[] = [];
  let day = prng.int(earliest, firstLatest);
  let hadCourtOrder = false;
  for (let i = 0; i < count && day <= latest; i++) {
    const type = prng.weighted(communityResolutionOnly ? MINOR_OFFENCE_WEIGHTS : OFFENCE_WEIGHTS);
    const recordedDay = Math.min(day + prng.int(0, 10), referenceDay - 1);
    const offence: CaseOffence = {
      type,
      day,
      recordedAt: recordedDay * SECONDS_PER_DAY + officeSecond(prng),
      deleted: prng.chance(OFFENCE_DELETED_RATE),
      outcome: null,
      id: 0,
    };
    const typeCode = communityResolutionOnly ? 'CR' : outcomeFor(prng, i, type.gravity, hadCourtOrder);
    const outcomeDay = day + (COURT_OUTCOMES.has(typeCode) ? prng.int(28, 180) : prng.int(7, 60));
    // A case still going through court at the reference date has no outcome yet.
    if (outcomeDay < referenceDay) {
      offence.outcome = outcome(prng, typeCode, outcomeDay, person, referenceDay, offence.deleted);
      if (offence.outcome.order) hadCourtOrder = true;
    }
    offences.push(offence);
    day += prng.int(30, 420);
  }
  return offences;
}

function outcomeFor(prng: Prng, index: number, gravity: number, hadCourtOrder: boolean): string {
  let code = prng.weighted(gravity >= SERIOUS_GRAVITY ? SERIOUS_OUTCOME : index === 0 ? FIRST_OUTCOME : LATER_OUTCOME);
  // A referral order is for a first court conviction; a young person already on an order gets a YRO.
  if (code === 'RO' && hadCourtOrder) code = 'YRO';
  // Custody is not an option for the least serious offences.
  if (code === 'DTO' && gravity <= 2) code = 'YRO';
  return code;
}

function outcome(
  prng: Prng,
  typeCode: string,
  day: number,
  person: SyntheticPerson,
  referenceDay: number,
  deleted: boolean,
): CaseOutcome {
  const court = !COURT_OUTCOMES.has(typeCode)
    ? null
    : typeCode === 'DTO' && prng.chance(0.3)
      ? prng.pick(CROWN_COURTS)
      : prng.pick(YOUTH_COURTS);
  const order = ORDER_OUTCOMES.has(typeCode) ? statutoryOrder(prng, typeCode, day, person, referenceDay, deleted) : null;
  return { typeCode, day, court, deleted, order, id: 0 };
}

function statutoryOrder(
  prng: Prng,
  typeCode: string,
  start: number,
  person: SyntheticPerson,
  referenceDay: number,
  deleted: boolean,
): CaseOrder {
  const months =
    typeCode === 'RO' ? prng.int(3, 12) : typeCode === 'YRO' ? prng.int(6, 24) : prng.pick([4, 6, 8, 10, 12, 18, 24]);
  const end = addMonths(start, months);
  const requirements = requirementsFor(prng, typeCode, start, person);
  const appointments = appointmentsFor(prng, typeCode, start, end, requirements, referenceDay, deleted);
  const warnings = breachWarnings(prng, appointments, referenceDay);
  const secondStrike = warnings.some((w) => w.strike === 2);
  const status =
    end >= referenceDay ? (secondStrike ? 'B' : 'A') : secondStrike ? (prng.chance(0.4) ? 'R' : 'C') : prng.chance(0.03) ? 'R' : 'C';
  return { typeCode, start, end, status, deleted, requirements, appointments, warnings, id: 0 };
}

function requirementsFor(prng: Prng, typeCode: string, start: number, person: SyntheticPerson): CaseRequirement[] {
  const codes: string[] = [];
  if (typeCode === 'DTO') codes.push('LIC');
  if (typeCode === 'RO') {
    // The referral order contract agreed at panel.
    if (prng.chance(0.85)) codes.push('REP');
    if (prng.chance(0.4)) codes.push('PRG');
    if (prng.chance(0.3)) codes.push('EDU');
    if (codes.length === 0) codes.push('REP');
  }
  if (typeCode === 'YRO') {
    codes.push('SUP');
    const sixteenAtStart = birthdayDay(person.dateOfBirth, 16) <= start;
    const optional = YRO_OPTIONAL_REQUIREMENTS.filter((code) => code !== 'UPW' || sixteenAtStart);
    const extra = prng.int(0, 3);
    while (codes.length < 1 + extra) {
      const code = prng.pick(optional);
      if (!codes.includes(code)) codes.push(code);
    }
    if (codes.includes('CUR') && prng.chance(0.5)) codes.push('ELM');
    if (prng.chance(0.05)) codes.push('ISS');
  }
  return codes.map((code) => ({ code, detail: requirementDetail(prng, code), id: 0 }));
}

function requirementDetail(prng: Prng, code: string): string | null {
  switch (code) {
    case 'UPW':
      return `${prng.pick([40, 60, 80, 100, 120, 150, 200])} hours`;
    case 'CUR':
      return `${prng.pick(['19:00-07:00', '20:00-06:00', '21:00-07:00'])}, ${prng.int(1, 6)} months`;
    case 'ACT':
      return `${prng.pick([10, 20, 30, 45, 60, 90])} days`;
    case 'ATC':
      return `${prng.pick([12, 18, 24, 36])} hours`;
    case 'EXC':
      return `Not to enter the ${prng.pick(EXCLUSION_AREAS)} area`;
    default:
      return null;
  }
}

/** Appointment types each kind of order is worked through. */
function appointmentTypesFor(typeCode: string, requirements: readonly CaseRequirement[]): Weights {
  const has = (code: string) => requirements.some((r) => r.code === code);
  if (typeCode === 'RO') return [['SUP', 45], ['REP', has('REP') ? 30 : 0], ['PAN', 15], ['GRP', has('PRG') ? 10 : 0], ['ETE', has('EDU') ? 10 : 0]];
  if (typeCode === 'DTO') return [['SUP', 60], ['HV', 25], ['ETE', 15]];
  return [
    ['SUP', 50], ['HV', 12], ['GRP', has('PRG') || has('ACT') ? 12 : 0], ['ETE', 8],
    ['UPW', has('UPW') ? 15 : 0], ['HLT', has('DRG') || has('MHT') ? 10 : 0], ['REP', 5],
  ];
}

/**
 * 3-15 appointments on distinct weekdays over the order, booked up to six weeks ahead. Past ones
 * carry attendance; a minority of young people struggle to engage.
 */
function appointmentsFor(
  prng: Prng,
  typeCode: string,
  start: number,
  end: number,
  requirements: readonly CaseRequirement[],
  referenceDay: number,
  orderDeleted: boolean,
): CaseAppointment[] {
  const from = start + 3;
  const to = Math.max(from + 30, Math.min(end, referenceDay + 42));
  // The custody half of a DTO is worked through sentence planning meetings at the institution.
  const custodyEnds = typeCode === 'DTO' ? start + Math.round((end - start) / 2) : start;
  const count = prng.int(3, 15);
  const struggling = prng.chance(0.3);
  const attendance: Weights = struggling ? [['Y', 60], ['N', 25], ['A', 15]] : [['Y', 88], ['N', 4], ['A', 8]];
  const types = appointmentTypesFor(typeCode, requirements);
  // Distinct weekdays: the window always holds far more than 15 of them.
  const days = new Set<number>();
  while (days.size < count) days.add(weekdayFrom(prng.int(from, to)));
  return [...days].sort((a, b) => a - b).map((day, i) => {
    // A referral order opens with its initial panel meeting.
    const type = typeCode === 'RO' && i === 0 ? 'PAN' : day < custodyEnds ? 'SPM' : prng.weighted(types);
    return {
      at: day * SECONDS_PER_DAY + slotSecond(prng),
      type,
      flag: day < referenceDay ? prng.weighted(attendance) : 'P',
      deleted: orderDeleted || prng.chance(APPOINTMENT_DELETED_RATE),
      id: 0,
    };
  });
}

/**
 * The two-strikes breach process: a first unexplained missed appointment usually earns strike 1 a
 * few days later; a further miss after that, strike 2 and referral to the in-house panel.
 */
function breachWarnings(prng: Prng, appointments: readonly CaseAppointment[], referenceDay: number): CaseWarning[] {
  const warnings: CaseWarning[] = [];
  for (const appointment of appointments) {
    if (appointment.deleted || appointment.flag !== 'N') continue;
    const missedDay = Math.floor(appointment.at / SECONDS_PER_DAY);
    const issuedDay = weekdayFrom(missedDay + prng.int(1, 5));
    if (issuedDay >= referenceDay) break;
    const last = warnings[warnings.length - 1];
    if (last && appointment.at <= last.at) continue;
    const strike = warnings.length + 1;
    if (!prng.chance(strike === 1 ? 0.75 : 0.8)) continue;
    const what = (APPOINTMENT_TYPES[appointment.type] ?? 'an').toLowerCase();
    const reason =
      strike === 1
        ? `Failed to attend ${what} appointment on ${ukDate(missedDay)} without acceptable reason`
        : `Second failure to attend (${what}, ${ukDate(missedDay)}); contact exhausted, referred to panel`;
    warnings.push({ at: issuedDay * SECONDS_PER_DAY + officeSecond(prng), strike, reason, id: 0, removed: false });
    if (strike === 2) break;
  }
  return warnings;
}

/** The Core Unit holding the case: one allocation from the first outcome, a transfer for some. */
function allocations(
  person: SyntheticPerson,
  prng: Prng,
  offences: readonly CaseOffence[],
  referenceDay: number,
): CaseAllocation[] {
  const first = offences[0] as CaseOffence;
  const start = Math.min(first.outcome?.day ?? first.day + 14, referenceDay - 1);
  const district = person.address.postcode.split(' ')[0] ?? '';
  const unit = () => (prng.chance(0.85) ? prng.pick(UNITS_BY_DISTRICT[district] ?? UNITS) : prng.pick(UNITS));
  const worker = () => (prng.chance(0.04) ? null : prng.pick(WORKERS));

  const lastActivity = Math.max(
    ...offences.map((o) => Math.max(o.day, o.outcome?.day ?? 0, o.outcome?.order?.end ?? 0)),
  );
  // Open while an order runs or the last contact with the justice system was within six months.
  const end = lastActivity >= referenceDay - 180 ? null : Math.min(lastActivity + prng.int(14, 90), referenceDay - 1);
  const finish = end ?? referenceDay - 1;
  if (finish - start > 120 && prng.chance(0.2)) {
    const transfer = prng.int(start + 30, finish - 30);
    return [
      { unit: unit(), worker: worker(), start, end: transfer, id: 0 },
      { unit: unit(), worker: worker(), start: transfer, end, id: 0 },
    ];
  }
  return [{ unit: unit(), worker: worker(), start, end, id: 0 }];
}

// ---------------------------------------------------------------------------------------------
// IDs, planted problems, rows.

/** IDs are issued in the order records were created, so they run in time order across people. */
function numberInOrder<T extends { id: number }>(items: T[], key: (item: T) => number, firstId = 1): void {
  [...items].sort((a, b) => key(a) - key(b)).forEach((item, i) => (item.id = firstId + i));
}

function issueIds(cases: PersonCase[], prng: Prng): void {
  // People in registration order; gaps where registrations were started and abandoned.
  let next = FIRST_PERSON_ID;
  [...cases].sort((a, b) => a.createdAt - b.createdAt).forEach((c) => {
    c.id = next;
    next += prng.chance(0.1) ? prng.int(2, 4) : 1;
  });
  const offences = cases.flatMap((c) => c.offences);
  numberInOrder(offences, (o) => o.recordedAt);
  const outcomes = offences.flatMap((o) => (o.outcome ? [o.outcome] : []));
  numberInOrder(outcomes, (o) => o.day);
  const orders = outcomes.flatMap((o) => (o.order ? [o.order] : []));
  numberInOrder(orders, (o) => o.start);
  // Requirements were keyed with their order.
  [...orders].sort((a, b) => a.id - b.id).flatMap((o) => o.requirements).forEach((r, i) => (r.id = i + 1));
  numberInOrder(orders.flatMap((o) => o.appointments), (a) => a.at);
  numberInOrder(orders.flatMap((o) => o.warnings), (w) => w.at);
  numberInOrder(cases.flatMap((c) => c.allocations), (a) => a.start);
}

interface OwnedOrder {
  owner: PersonCase;
  order: CaseOrder;
}

/**
 * Plants a few of each problem a gap report should find, on live people and live records (about 1-2%
 * of the candidates, at least one when there is any candidate), each on a different order or offence.
 */
function plantProblems(cases: readonly PersonCase[], prng: Prng, referenceDay: number): PlannedProblem[] {
  const problems: PlannedProblem[] = [];
  const touchedOrders = new Set<CaseOrder>();
  const live = cases.filter((c) => c.row.DELETED_FLAG === NO);
  const liveOrders: OwnedOrder[] = live.flatMap((owner) =>
    owner.offences.flatMap((o) => (o.outcome?.order && !o.outcome.order.deleted ? [{ owner, order: o.outcome.order }] : [])),
  );
  const some = <T>(candidates: readonly T[], rate: number): T[] => {
    const pool = [...candidates];
    const wanted = candidates.length === 0 ? 0 : Math.max(1, Math.round(candidates.length * rate));
    const chosen: T[] = [];
    while (chosen.length < wanted && pool.length > 0) chosen.push(pool.splice(prng.int(0, pool.length - 1), 1)[0] as T);
    return chosen;
  };
  const note = (owner: PersonCase, kind: PlannedProblem['kind'], recordType: PlannedProblem['recordType'], id: number, detail: string) =>
    problems.push({ kind, personKey: owner.person.personKey, personSourceId: String(owner.id), recordType, recordId: String(id), detail });
  const untouched = () => liveOrders.filter(({ order }) => !touchedOrders.has(order));

  // Start and end keyed the wrong way round.
  for (const { owner, order } of some(untouched(), 0.015)) {
    touchedOrders.add(order);
    [order.start, order.end] = [order.end, order.start];
    note(owner, 'ORDER_ENDS_BEFORE_START', 'ORDER', order.id, `ORDER_START ${compact(order.start)} after ORDER_END ${compact(order.end)}`);
  }

  // An offence date keyed after the outcome it led to.
  const withOutcome = live.flatMap((owner) =>
    owner.offences.filter((o) => !o.deleted && o.outcome && !o.outcome.deleted).map((offence) => ({ owner, offence })),
  );
  for (const { owner, offence } of some(withOutcome, 0.01)) {
    const outcomeDay = (offence.outcome as CaseOutcome).day;
    offence.day = Math.min(outcomeDay + prng.int(1, 20), referenceDay - 1);
    if (offence.day <= outcomeDay) offence.day = outcomeDay + 1;
    note(owner, 'OFFENCE_AFTER_OUTCOME', 'OFFENCE', offence.id, `OFFENCE_DATE ${compact(offence.day)} after OUTCOME_DATE ${compact(outcomeDay)}`);
  }

  // An order deleted (entered in error) while its appointments stayed live.
  for (const { owner, order } of some(untouched().filter(({ order }) => order.appointments.some((a) => !a.deleted)), 0.015)) {
    touchedOrders.add(order);
    order.deleted = true;
    for (const appointment of order.appointments.filter((a) => !a.deleted)) {
      note(owner, 'APPOINTMENT_FOR_DELETED_ORDER', 'APPOINTMENT', appointment.id, `order ${order.id} is deleted`);
    }
  }

  // A past appointment whose attendance was never recorded.
  const attended = untouched().flatMap(({ owner, order }) =>
    order.appointments.filter((a) => !a.deleted && a.flag === 'Y').map((appointment) => ({ owner, appointment })),
  );
  for (const { owner, appointment } of some(attended, 0.005)) {
    appointment.flag = 'P';
    note(owner, 'PAST_APPOINTMENT_NOT_RECORDED', 'APPOINTMENT', appointment.id, `appointment on ${dateTimeAt(appointment.at)} still pending`);
  }

  // A strike 2 with no strike 1 on record.
  const secondStrikes = untouched().filter(({ order }) => order.warnings.length === 2);
  for (const { owner, order } of some(secondStrikes, 0.05)) {
    touchedOrders.add(order);
    const [first, second] = order.warnings as [CaseWarning, CaseWarning];
    first.removed = true;
    note(owner, 'STRIKE_TWO_WITHOUT_STRIKE_ONE', 'BREACH_WARNING', second.id, `order ${order.id} has strike 2 but no strike 1`);
  }
  return problems;
}

function toRows(cases: readonly PersonCase[]): YoisSeed['rows'] {
  const byId = <T extends { id: number }>(items: T[]) => items.sort((a, b) => a.id - b.id);
  const flag = (deleted: boolean) => (deleted ? YES : NO);
  const people = byId([...cases]);
  const offences = byId(people.flatMap((c) => c.offences.map((offence) => ({ ...offence, personId: c.id }))));
  const outcomes = byId(offences.flatMap((o) => (o.outcome ? [{ ...o.outcome, offenceId: o.id }] : [])));
  const personOfOffence = new Map(offences.map((o) => [o.id, o.personId]));
  const orders = byId(
    outcomes.flatMap((o) => (o.order ? [{ ...o.order, outcomeId: o.id, personId: personOfOffence.get(o.offenceId) as number }] : [])),
  );
  const requirements = byId(orders.flatMap((o) => o.requirements.map((r) => ({ ...r, orderId: o.id, deleted: o.deleted }))));
  const appointments = byId(orders.flatMap((o) => o.appointments.map((a) => ({ ...a, orderId: o.id }))));
  const warnings = byId(
    orders.flatMap((o) => o.warnings.filter((w) => !w.removed).map((w) => ({ ...w, orderId: o.id, deleted: o.deleted }))),
  );
  const allocationRows = byId(people.flatMap((c) => c.allocations.map((a) => ({ ...a, personId: c.id }))));

  return {
    LU_ETHNICITY: ETHNICITIES.map(([code, description]) => ({ ETHNICITY_CODE: code, DESCRIPTION: description })),
    LU_OFFENCE: OFFENCES.map((o) => ({
      OFFENCE_CODE: o.code,
      DESCRIPTION: o.description,
      CATEGORY: o.category,
      GRAVITY_SCORE: o.gravity,
    })),
    LU_OUTCOME_TYPE: OUTCOME_TYPE_ROWS.map((row) => ({ ...row })),
    LU_REQUIREMENT: REQUIREMENTS.map((row) => ({ ...row })),
    YP_PERSON: people.map((c) => ({ PERSON_ID: c.id, ...c.row, CREATED_DATE: dateTimeAt(c.createdAt) })),
    YP_OFFENCE: offences.map((o) => ({
      OFFENCE_ID: o.id,
      PERSON_ID: o.personId,
      OFFENCE_CODE: o.type.code,
      OFFENCE_DATE: compact(o.day),
      DELETED_FLAG: flag(o.deleted),
      CREATED_DATE: dateTimeAt(o.recordedAt),
    })),
    YP_OUTCOME: outcomes.map((o) => ({
      OUTCOME_ID: o.id,
      OFFENCE_ID: o.offenceId,
      OUTCOME_TYPE_CODE: o.typeCode,
      OUTCOME_DATE: compact(o.day),
      COURT_NAME: o.court,
      DELETED_FLAG: flag(o.deleted),
    })),
    YP_ORDER: orders.map((o) => ({
      ORDER_ID: o.id,
      PERSON_ID: o.personId,
      OUTCOME_ID: o.outcomeId,
      ORDER_TYPE_CODE: o.typeCode,
      ORDER_START: compact(o.start),
      ORDER_END: compact(o.end),
      ORDER_STATUS: o.status,
      DELETED_FLAG: flag(o.deleted),
      CREATED_DATE: dateTimeAt(Math.min(o.start, o.end) * SECONDS_PER_DAY + 10 * 3600),
    })),
    YP_ORDER_REQUIREMENT: requirements.map((r) => ({
      ORDER_REQUIREMENT_ID: r.id,
      ORDER_ID: r.orderId,
      REQUIREMENT_CODE: r.code,
      DETAIL: r.detail,
      DELETED_FLAG: flag(r.deleted),
    })),
    YP_APPOINTMENT: appointments.map((a) => ({
      APPOINTMENT_ID: a.id,
      ORDER_ID: a.orderId,
      APPT_DATETIME: dateTimeAt(a.at),
      APPT_TYPE: a.type,
      ATTENDED_FLAG: a.flag,
      DELETED_FLAG: flag(a.deleted),
    })),
    YP_BREACH_WARNING: warnings.map((w) => ({
      WARNING_ID: w.id,
      ORDER_ID: w.orderId,
      ISSUED_DATE: dateTimeAt(w.at),
      STRIKE_NO: w.strike,
      REASON: w.reason,
      DELETED_FLAG: flag(w.deleted),
    })),
    // Progress notes are what workers add through the gateway; the seed starts with none.
    YP_ORDER_NOTE: [],
    YP_CASE_ALLOCATION: allocationRows.map((a) => ({
      ALLOCATION_ID: a.id,
      PERSON_ID: a.personId,
      UNIT_CODE: a.unit,
      WORKER_NAME: a.worker,
      ALLOC_START: dateTimeAt(a.start * SECONDS_PER_DAY + 9 * 3600),
      ALLOC_END: a.end === null ? null : dateTimeAt(a.end * SECONDS_PER_DAY + 17 * 3600),
      DELETED_FLAG: NO,
    })),
  };
}
