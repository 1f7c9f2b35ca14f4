/**
 * IYSS's synthetic rows: its own imperfect copy of the population (IDs, spellings, date formats,
 * soft deletes, a few duplicate registrations) plus the group work, contacts and EET statuses a
 * youth service records. Everything derives from the seed, so the same input gives identical rows.
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
} from '../population';
import { variantFor } from '../variants';
import type { IyssTables } from '../../iyss/tables';

export interface IyssSeed {
  rows: { [T in keyof IyssTables]: Array<IyssTables[T]> };
  /** Ground truth: which synthetic person each IYSS YoungPersonID is. */
  truth: Array<{ personKey: string; youngPersonId: number }>;
}

export interface IyssSeedOptions {
  seed: number;
  /** Share of the population IYSS knows; default 0.85. */
  coverage?: number;
  /** ISO date the data is "as at"; default '2026-11-01'. */
  referenceDate?: string;
}

type Row<T extends keyof IyssTables> = IyssTables[T];

const FIRST_YOUNG_PERSON_ID = 10001;
/** A second registration of someone already on the system: the planted duplicate problem. */
const DUPLICATE_RATE = 0.01;
const PERSON_DELETED_RATE = 0.02;
const ROW_DELETED_RATE = 0.01;

const ETHNICITIES: ReadonlyArray<readonly [code: string, description: string]> = [
  ['WBRI', 'White - British'],
  ['WIRI', 'White - Irish'],
  ['WPOL', 'White - Polish'],
  ['WPOR', 'White - Portuguese'],
  ['WTUR', 'White - Turkish/Turkish Cypriot'],
  ['WKUR', 'White - Kurdish'],
  ['WJEW', 'White - Jewish (any other White background)'],
  ['WROM', 'White - Gypsy/Roma'],
  ['WOTH', 'White - Any other White background'],
  ['MWBC', 'Mixed - White and Black Caribbean'],
  ['MWBA', 'Mixed - White and Black African'],
  ['MWAS', 'Mixed - White and Asian'],
  ['MOTH', 'Mixed - Any other mixed background'],
  ['AIND', 'Asian - Indian'],
  ['APKN', 'Asian - Pakistani'],
  ['ABAN', 'Asian - Bangladeshi'],
  ['AOTH', 'Asian - Any other Asian background'],
  ['BCRB', 'Black - Caribbean'],
  ['BAFR', 'Black - African'],
  ['BOTH', 'Black - Any other Black background'],
  ['CHNE', 'Chinese'],
  ['OOTH', 'Any other ethnic group'],
  ['REFU', 'Refused'],
  ['NOBT', 'Information not obtained'],
];

/** How each heritage tends to be coded; the alternatives are the inconsistencies real registers have. */
const ETHNICITY_BY_HERITAGE: Readonly<Record<Heritage, ReadonlyArray<readonly [string, number]>>> = {
  turkish: [['WTUR', 85], ['WOTH', 15]],
  // Many Kurdish families from Turkey are registered as Turkish.
  kurdish: [['WKUR', 70], ['WTUR', 20], ['WOTH', 10]],
  black_african: [['BAFR', 95], ['BOTH', 5]],
  black_caribbean: [['BCRB', 92], ['BOTH', 8]],
  charedi_jewish: [['WJEW', 75], ['WOTH', 20], ['WBRI', 5]],
  bangladeshi: [['ABAN', 97], ['AOTH', 3]],
  white_british: [['WBRI', 97], ['WIRI', 3]],
  other_white: [['WOTH', 50], ['WPOL', 30], ['WPOR', 20]],
  mixed: [['MWBC', 45], ['MWBA', 20], ['MOTH', 30], ['MWAS', 5]],
};

const ACTIVITY_TYPES = {
  SPRT: {
    description: 'Sports',
    titles: ['Friday Night Football', 'Basketball Skills', 'Boxing Club', 'Girls Football', 'Table Tennis League'],
  },
  ARTS: {
    description: 'Arts and crafts',
    titles: ['Graffiti Art Workshop', 'Drama Club', 'Photography Walk', 'Fashion Design'],
  },
  MUSC: { description: 'Music', titles: ['Music Production', 'Steel Pan Band', 'Open Mic Night', 'DJ Skills'] },
  DOFE: {
    description: 'Duke of Edinburgh Award',
    titles: ['DofE Bronze Planning', 'DofE Expedition Prep', 'DofE Silver Practice Walk'],
  },
  YCLB: {
    description: 'Youth club',
    titles: ['Open Access Youth Club', 'Junior Youth Club', 'Girls Night', 'Holiday Programme'],
  },
  MENT: { description: 'Mentoring', titles: ['Mentoring Drop-in', 'Peer Mentoring Training', 'Careers Mentoring'] },
  CKNG: { description: 'Cooking', titles: ['Cook and Eat', 'Healthy Cooking on a Budget', 'Baking Club'] },
  DIGI: { description: 'Digital and media', titles: ['Podcast Studio', 'Coding Club', 'Film Making', 'Games Design'] },
  VOLU: {
    description: 'Volunteering',
    titles: ['Community Garden Volunteering', 'Food Bank Volunteering', 'Youth Council'],
  },
  OUTD: {
    description: 'Outdoor education',
    titles: ['Canoeing on the Lea', 'Climbing Wall Session', 'Epping Forest Camp', 'Orienteering'],
  },
} as const satisfies Record<string, { description: string; titles: readonly string[] }>;
type ActivityTypeCode = keyof typeof ACTIVITY_TYPES;
const ACTIVITY_CODES = Object.keys(ACTIVITY_TYPES) as ActivityTypeCode[];

const VENUES = [
  'Concorde Youth Centre', 'Forest Road Youth Hub', 'Hackney Wick Adventure Playground', 'Stoke Newington Youth Hub',
  'Clapton Youth Centre', 'Homerton Youth Club', 'Dalston Community Hall', 'Woodberry Down Youth Space',
];

const CONTACT_TYPES: ReadonlyArray<readonly [string, string, number]> = [
  ['FACE', 'Face to face', 35],
  ['PHON', 'Phone', 20],
  ['TEXT', 'Text message', 20],
  ['HOME', 'Home visit', 8],
  ['SCHL', 'School visit', 10],
  ['ONLN', 'Online', 7],
];

const WORKERS = [
  'Sam Okoro', 'Aylin Demir', 'Chris Walsh', 'Nadia Rahman', 'Yossi Klein', 'Grace Mensah',
  'Tom Fletcher', 'Deniz Kaya', 'Marcia Campbell', 'Jo Nowak', 'Priya Shah', 'Leanne Brooks',
];

const GENERAL_NOTES = [
    'Discussed college application.', 'Talked through sixth form options.', 'Reviewed CV and job search.',
    'Agreed to try Friday football.', 'Follow-up on DofE sign-up.', 'Checked in; says the week went well.',
  'Discussed attendance at school.', 'Signposted to counselling service.', 'Set goals for next month.',
];
const NOTES_BY_CONTACT_TYPE: Readonly<Record<string, readonly string[]>> = {
  PHON: ['Left voicemail; no answer.', 'Short call to confirm next meeting.'],
  TEXT: ['Text reminder about Tuesday session.', 'Sent details of the holiday programme.'],
  HOME: ['Home visit; parent present.', 'Home visit; young person not in.'],
  SCHL: ['Met at school with head of year.', 'School visit; joint meeting with SENCo.'],
};
const CONTACT_NOTES = new Map(
  CONTACT_TYPES.map(([code]) => [code, [...(NOTES_BY_CONTACT_TYPE[code] ?? []), ...GENERAL_NOTES]] as const),
);
const CONTACT_TYPE_WEIGHTS = CONTACT_TYPES.map(([code, , weight]) => [code, weight] as const);
const ATTENDANCE_CODES = [['P', 75], ['L', 10], ['A', 10], ['E', 5]] as const;
const STATUSES_PER_PERSON = [[1, 40], [2, 35], [3, 25]] as const;

/** CCIS-style codes; the adapter reads the category from the first digit. */
const NEET_STATUSES: ReadonlyArray<Row<'tlkpNeetStatus'>> = [
  // Local code: keeps under-16s out of sixth-form codes that would misdescribe them.
  { NeetCode: '100', Description: 'Full time education - compulsory school age', IsNEET: 0 },
  { NeetCode: '110', Description: 'Full time education - school sixth form', IsNEET: 0 },
  { NeetCode: '120', Description: 'Full time education - further education college', IsNEET: 0 },
  { NeetCode: '130', Description: 'Higher education', IsNEET: 0 },
  { NeetCode: '210', Description: 'Apprenticeship', IsNEET: 0 },
  { NeetCode: '220', Description: 'Other training', IsNEET: 0 },
  { NeetCode: '310', Description: 'Employment with training', IsNEET: 0 },
  { NeetCode: '320', Description: 'Employment without training', IsNEET: 0 },
  { NeetCode: '540', Description: 'NEET - seeking employment, education or training', IsNEET: 1 },
  { NeetCode: '610', Description: 'NEET - not available (young carer)', IsNEET: 1 },
  { NeetCode: '619', Description: 'NEET - not available (illness)', IsNEET: 1 },
  { NeetCode: '810', Description: 'Current situation not known', IsNEET: 0 },
];

type Weights = ReadonlyArray<readonly [string, number]>;
/** Status odds by age band; a minority of young people struggle for longer, so NEET spells cluster. */
type AgeBand = 'under16' | 'age16to17' | 'age18plus';
const STATUS_ODDS: Readonly<Record<AgeBand, { settled: Weights; struggling: Weights }>> = {
  under16: { settled: [['100', 92], ['810', 8]], struggling: [['100', 75], ['810', 25]] },
  age16to17: {
    settled: [['110', 35], ['120', 35], ['210', 10], ['220', 5], ['320', 3], ['540', 4], ['810', 8]],
    struggling: [['120', 20], ['220', 15], ['320', 5], ['540', 30], ['610', 5], ['619', 10], ['810', 15]],
  },
  age18plus: {
    settled: [['120', 20], ['130', 30], ['210', 12], ['310', 12], ['320', 12], ['540', 5], ['810', 9]],
    struggling: [['220', 10], ['320', 15], ['540', 40], ['610', 8], ['619', 12], ['810', 15]],
  },
};

const PROVIDERS: Readonly<Record<string, readonly string[]>> = {
  '100': [
    'Stoke Newington School', 'Mossbourne Community Academy', "Clapton Girls' Academy", 'Hackney New School',
    "Skinners' Academy", 'Cardinal Pole Catholic School',
  ],
  '110': [
    'BSix Sixth Form', 'Mossbourne Sixth Form', 'Stoke Newington School Sixth Form', 'Cardinal Pole Sixth Form',
  ],
  '120': ['Hackney Community College', 'City and Islington College', 'Tower Hamlets College'],
  '130': ['Queen Mary University of London', 'University of East London', 'London Metropolitan University'],
  '210': ['Hackney Council Apprenticeships', 'Homerton Hospital Apprenticeships', 'East London Construction Skills'],
  '220': ['Hackney Works', 'Youth Employment Programme', 'Pre-apprenticeship Traineeship'],
};

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const dayOf = (iso: string): number => {
  const { year, month, day } = parseIsoDate(iso);
  return dayNumber(year, month, day) as number;
};
/** 1970-01-01 was a Thursday: 0 = Sunday ... 6 = Saturday. */
const weekday = (day: number): number => (day + 4) % 7;
const isWeekend = (day: number): boolean => weekday(day) === 0 || weekday(day) === 6;
const dateTime = (day: number, hour: number, minute: number, second = 0): string =>
  `${isoFromDayNumber(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
const ukDate = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const SECONDS_PER_DAY = 86_400;
/** A second of the day between 09:00:00 and 18:59:59. */
const officeHoursSecond = (prng: Prng): number => prng.int(9 * 3600, 19 * 3600 - 1);
const dateTimeAt = (secondsSinceEpoch: number): string => {
  const second = secondsSinceEpoch % SECONDS_PER_DAY;
  const day = (secondsSinceEpoch - second) / SECONDS_PER_DAY;
  return dateTime(day, (second / 3600) | 0, ((second / 60) | 0) % 60, second % 60);
};
const officeHoursAt = (prng: Prng, day: number): string => dateTimeAt(day * SECONDS_PER_DAY + officeHoursSecond(prng));
const softDelete = (prng: Prng, rate = ROW_DELETED_RATE): number => (prng.chance(rate) ? 1 : 0);

/** A young person's record together with what the activity generators need to know about it. */
interface PersonRecord {
  row: Row<'tblYoungPerson'>;
  person: SyntheticPerson;
  createdDay: number;
}

export function generateIyssRows(population: readonly SyntheticPerson[], options: IyssSeedOptions): IyssSeed {
  const coverage = options.coverage ?? 0.85;
  if (!(coverage >= 0 && coverage <= 1)) throw new RangeError(`coverage must be within 0..1, got ${coverage}`);
  const referenceDate = options.referenceDate ?? DEFAULT_REFERENCE_DATE;
  const referenceDay = dayOf(referenceDate);
  const prng = new Prng(options.seed).fork('iyss');

  const records = youngPersonRecords(population, prng.fork('people'), coverage, referenceDay);
  const sessions = groupSessionRows(prng.fork('sessions'), population.length, referenceDay);
  return {
    rows: {
      tlkpEthnicity: ETHNICITIES.map(([code, description]) => ({ EthnicityCode: code, Description: description })),
      tlkpActivityType: ACTIVITY_CODES.map((code) => ({
        ActivityTypeCode: code,
        Description: ACTIVITY_TYPES[code].description,
      })),
      tlkpContactType: CONTACT_TYPES.map(([code, description]) => ({
        ContactTypeCode: code,
        Description: description,
      })),
      tlkpNeetStatus: NEET_STATUSES.map((status) => ({ ...status })),
      tblYoungPerson: records.map((r) => r.row),
      tblGroupSession: sessions,
      tblAttendance: attendanceRows(prng.fork('attendance'), records, sessions),
      tblContact: contactRows(prng.fork('contacts'), records, referenceDay),
      tblEducationStatus: educationStatusRows(prng.fork('education'), records, referenceDate, referenceDay),
    },
    truth: records.map((r) => ({ personKey: r.person.personKey, youngPersonId: r.row.YoungPersonID })),
  };
}

function youngPersonRecords(
  population: readonly SyntheticPerson[],
  prng: Prng,
  coverage: number,
  referenceDay: number,
): PersonRecord[] {
  const known = prng.fork('coverage');
  const primaries: PersonRecord[] = [];
  const duplicates: PersonRecord[] = [];
  for (const person of population) {
    if (!known.chance(coverage)) continue;
    // A stream per person: one person's rendering never shifts another's.
    const own = prng.fork(person.personKey);
    const record = renderPerson(person, own, FIRST_YOUNG_PERSON_ID + primaries.length, referenceDay);
    primaries.push(record);
    if (own.chance(DUPLICATE_RATE)) duplicates.push(duplicateOf(record, own, referenceDay));
  }
  duplicates.forEach((d, i) => (d.row.YoungPersonID = FIRST_YOUNG_PERSON_ID + primaries.length + i));
  return [...primaries, ...duplicates];
}

function renderPerson(person: SyntheticPerson, prng: Prng, id: number, referenceDay: number): PersonRecord {
  const variant = variantFor(person, prng.fork('variant'));
  const createdDay = registrationDay(prng, person, referenceDay);
  const modifiedDay = prng.chance(0.3) ? createdDay : prng.int(createdDay, referenceDay - 1);
  const created = officeHoursAt(prng, createdDay);
  const modified = modifiedDay === createdDay ? created : officeHoursAt(prng, modifiedDay);
  const row: Row<'tblYoungPerson'> = {
    YoungPersonID: id,
    Forename: variant.forename,
    Surname: variant.surname,
    KnownAs: variant.knownAs,
    DOB: variant.dateOfBirth === null ? null : prng.chance(0.6) ? variant.dateOfBirth : ukDate(variant.dateOfBirth),
    Sex: prng.chance(0.02) ? 'U' : person.gender,
    EthnicityCode: ethnicityCode(person, prng),
    AddressLine1: prng.chance(0.03) ? null : variant.line1,
    Postcode: prng.chance(0.02) ? null : variant.postcode,
    UPN: person.upn !== null && prng.chance(0.01) ? mistypedDigit(person.upn, prng) : person.upn,
    IsDeleted: softDelete(prng, PERSON_DELETED_RATE),
    DateCreated: created,
    DateModified: modified,
  };
  return { row, person, createdDay };
}

/** Registered with the service at some point after turning 8, within the last six years. */
function registrationDay(prng: Prng, person: SyntheticPerson, referenceDay: number): number {
  const eighthBirthday = dayOf(person.dateOfBirth) + Math.round(8 * 365.25);
  const latest = referenceDay - 1;
  const earliest = Math.min(Math.max(eighthBirthday, referenceDay - 6 * 365), latest);
  return prng.int(earliest, latest);
}

/** The same details keyed in again later by someone who did not search first. */
function duplicateOf(original: PersonRecord, prng: Prng, referenceDay: number): PersonRecord {
  const latest = referenceDay - 1;
  const createdDay = Math.min(original.createdDay + prng.int(30, 700), latest);
  const created = officeHoursAt(prng, createdDay);
  return {
    row: { ...original.row, IsDeleted: 0, DateCreated: created, DateModified: created },
    person: original.person,
    createdDay,
  };
}

function ethnicityCode(person: SyntheticPerson, prng: Prng): string | null {
  if (prng.chance(0.05)) return prng.chance(0.6) ? null : 'NOBT';
  return prng.weighted(ETHNICITY_BY_HERITAGE[person.heritage]);
}

/** One digit keyed wrongly, which a check-letter validator would catch. */
function mistypedDigit(upn: string, prng: Prng): string {
  const position = prng.int(1, upn.length - 1);
  const digit = Number(upn[position]);
  return `${upn.slice(0, position)}${(digit + prng.int(1, 9)) % 10}${upn.slice(position + 1)}`;
}

/** About one session for every four people (at least 20) over the two years to the reference date. */
function groupSessionRows(prng: Prng, populationSize: number, referenceDay: number): Array<Row<'tblGroupSession'>> {
  const count = Math.max(20, Math.round(populationSize / 4));
  const sessions: Array<Omit<Row<'tblGroupSession'>, 'GroupSessionID'>> = [];
  for (let i = 0; i < count; i++) {
    const code = prng.pick(ACTIVITY_CODES);
    const day = referenceDay - prng.int(1, 730);
    // After school on weekdays, daytime at weekends.
    const hour = isWeekend(day) ? prng.int(10, 14) : prng.int(15, 19);
    const minute = prng.pick([0, 30]);
    sessions.push({
      ActivityTypeCode: code,
      SessionTitle: prng.pick(ACTIVITY_TYPES[code].titles),
      SessionDate: dateTime(day, hour, minute),
      Venue: prng.chance(0.03) ? null : prng.pick(VENUES),
      IsDeleted: softDelete(prng),
    });
  }
  // IDs were issued as sessions were scheduled, so they run in date order.
  sessions.sort((a, b) => (a.SessionDate < b.SessionDate ? -1 : a.SessionDate > b.SessionDate ? 1 : 0));
  return sessions.map((s, i) => ({ GroupSessionID: i + 1, ...s }));
}

/** Each person attends 0-12 sessions (mean 4), only ones held after they registered. */
function attendanceRows(
  prng: Prng,
  records: readonly PersonRecord[],
  sessions: ReadonlyArray<Row<'tblGroupSession'>>,
): Array<Row<'tblAttendance'>> {
  const sessionDays = sessions.map((s) => dayOf(s.SessionDate.slice(0, 10)));
  const marks: Array<{ sessionIndex: number; youngPersonId: number; code: string; deleted: number }> = [];
  for (const { row, createdDay } of records) {
    const firstEligible = lowerBound(sessionDays, createdDay);
    const available = sessions.length - firstEligible;
    const wanted = Math.min(prng.binomial(12, 1 / 3), available);
    const chosen = new Set<number>();
    while (chosen.size < wanted) chosen.add(prng.int(firstEligible, sessions.length - 1));
    for (const sessionIndex of chosen) {
      const code = prng.weighted(ATTENDANCE_CODES);
      marks.push({ sessionIndex, youngPersonId: row.YoungPersonID, code, deleted: softDelete(prng) });
    }
  }
  // Registers were typed up session by session.
  marks.sort((a, b) => a.sessionIndex - b.sessionIndex || a.youngPersonId - b.youngPersonId);
  return marks.map((m, i) => ({
    AttendanceID: i + 1,
    GroupSessionID: (sessions[m.sessionIndex] as Row<'tblGroupSession'>).GroupSessionID,
    YoungPersonID: m.youngPersonId,
    AttendanceCode: m.code,
    IsDeleted: m.deleted,
  }));
}

/** First index whose value is >= target in an ascending list. */
function lowerBound(sorted: readonly number[], target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** 0-10 contacts per person (mean 3) on weekdays since registration, within the last two years. */
function contactRows(prng: Prng, records: readonly PersonRecord[], referenceDay: number): Array<Row<'tblContact'>> {
  const contacts: Array<{ at: number; contact: Omit<Row<'tblContact'>, 'ContactID' | 'ContactDate'> }> = [];
  for (const { row, createdDay } of records) {
    const count = prng.binomial(10, 0.3);
    const from = Math.max(createdDay, referenceDay - 730);
    for (let i = 0; i < count; i++) {
      // Mostly weekdays; a few weekend contacts survive the redraws, as they do in real diaries.
      let day = prng.int(from, referenceDay - 1);
      for (let redraw = 0; redraw < 3 && isWeekend(day); redraw++) day = prng.int(from, referenceDay - 1);
      const at = day * SECONDS_PER_DAY + officeHoursSecond(prng);
      const type = prng.weighted(CONTACT_TYPE_WEIGHTS);
      contacts.push({
        at,
        contact: {
          YoungPersonID: row.YoungPersonID,
          ContactTypeCode: type,
          WorkerName: prng.chance(0.03) ? null : prng.pick(WORKERS),
          DurationMins: type === 'TEXT' || prng.chance(0.03) ? null : 5 * prng.int(2, 18),
          Notes: prng.chance(0.1) ? null : prng.pick(CONTACT_NOTES.get(type) ?? GENERAL_NOTES),
          IsDeleted: softDelete(prng),
        },
      });
    }
  }
  // Contact IDs were issued as workers logged them, so they run in time order.
  contacts.sort((a, b) => a.at - b.at || a.contact.YoungPersonID - b.contact.YoungPersonID);
  return contacts.map(({ at, contact }, i) => ({
    ContactID: i + 1,
    YoungPersonID: contact.YoungPersonID,
    ContactDate: dateTimeAt(at),
    ContactTypeCode: contact.ContactTypeCode,
    WorkerName: contact.WorkerName,
    DurationMins: contact.DurationMins,
    Notes: contact.Notes,
    IsDeleted: contact.IsDeleted,
  }));
}

/** 1-3 dated statuses for everyone aged 14 or over, from their 14th birthday or the last three years. */
function educationStatusRows(
  prng: Prng,
  records: readonly PersonRecord[],
  referenceDate: string,
  referenceDay: number,
): Array<Row<'tblEducationStatus'>> {
  const statuses: Array<Row<'tblEducationStatus'>> = [];
  for (const { row, person } of records) {
    if (ageAt(person.dateOfBirth, referenceDate) < 14) continue;
    const struggling = prng.chance(0.2);
    const fourteenth = dayOf(person.dateOfBirth) + Math.round(14 * 365.25);
    const from = Math.min(Math.max(fourteenth, referenceDay - 3 * 365), referenceDay - 1);
    const count = prng.weighted(STATUSES_PER_PERSON);
    const days = Array.from({ length: count }, () => prng.int(from, referenceDay - 1)).sort((a, b) => a - b);
    for (const day of days) {
      const effective = isoFromDayNumber(day);
      const age = ageAt(person.dateOfBirth, effective);
      const band = age < 16 ? 'under16' : age < 18 ? 'age16to17' : 'age18plus';
      const code = prng.weighted(STATUS_ODDS[band][struggling ? 'struggling' : 'settled']);
      const providers = PROVIDERS[code];
      statuses.push({
        EducationStatusID: statuses.length + 1,
        YoungPersonID: row.YoungPersonID,
        NeetCode: code,
        EffectiveDate: ukDate(effective),
        Provider: providers && !prng.chance(0.05) ? prng.pick(providers) : null,
        IsDeleted: softDelete(prng),
      });
    }
  }
  return statuses;
}
