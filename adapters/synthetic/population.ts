/**
 * The synthetic ground truth: one entry per (invented) young person, before any source system
 * renders its own imperfect copy. Names come from lists of common given names and surnames per
 * heritage; no entry describes a real person.
 */
import { Prng } from './prng';

export type Heritage =
  | 'turkish'
  | 'kurdish'
  | 'black_african'
  | 'black_caribbean'
  | 'charedi_jewish'
  | 'bangladeshi'
  | 'white_british'
  | 'other_white'
  | 'mixed';

export interface SyntheticPerson {
  /** Stable ground-truth key, e.g. 'P000123'. */
  personKey: string;
  /** Canonical spelling, with diacritics where the name has them. */
  forename: string;
  surname: string;
  nickname: string | null;
  gender: 'F' | 'M';
  heritage: Heritage;
  /** ISO YYYY-MM-DD; ages 8-19 at the reference date. */
  dateOfBirth: string;
  /** Siblings share a family, an address and (usually) a surname. */
  familyId: string;
  address: { line1: string; postcode: string };
  /** Unique Pupil Number: a check letter then 12 digits. */
  upn: string | null;
  /** Police National Computer id, e.g. '2024/0012345A'. */
  pncNumber: string | null;
}

export interface PopulationOptions {
  seed: number;
  size: number;
  /** ISO date the ages are measured at; default '2026-11-01'. */
  referenceDate?: string;
}

export const DEFAULT_REFERENCE_DATE = '2026-11-01';
export const MIN_AGE = 8;
export const MAX_AGE = 19;

const words = (text: string): readonly string[] => text.trim().split(/\s+/);

interface NameLists {
  female: readonly string[];
  male: readonly string[];
  surnames: readonly string[];
}

const NAMES: Readonly<Record<Exclude<Heritage, 'mixed'>, NameLists>> = {
  turkish: {
    female: words(`Ayşe Fatma Elif Zeynep Merve Büşra Esra Gül Şeyma Özge Hatice Emine Ebru Derya Sibel
      Nur İrem Cansu Dilek Gizem Tuğba Ceren Melis Selin Yağmur Ecrin Nisa Defne Öykü Hülya`),
    male: words(`Mehmet Mustafa Ahmet Ali Hüseyin Hasan İbrahim İsmail Osman Yusuf Murat Emre Burak Can
      Kerem Barış Oğuz Serkan Tolga Onur Volkan Çağrı Eren Ömer Yiğit Furkan Enes Berkay Arda Umut`),
    surnames: words(`Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç
      Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Özcan Korkmaz Çakır Erdoğan Yavuz Acar Güler Aksoy Türkmen`),
  },
  kurdish: {
    female: words(`Rojda Berfin Dilan Zilan Rojin Hêvî Jiyan Berivan Zelal Rûken Helin Şirin Nazdar
      Gulistan Evîn Rozerin Viyan Newroz Mizgin Zozan Delal Şilan Arjin Ronahî Avesta Dilşa`),
    male: words(`Azad Baran Rojhat Serhat Welat Zana Şervan Alan Aram Rêber Kawa Delil Hejar Rizgar
      Soran Berzan Diyar Ciwan Dilovan Rênas Heval Agit Hogir Ferhat Bawer Zinar Mazlum`),
    surnames: words(`Ateş Baran Bulut Dağ Deniz Ekinci Güneş Kaplan Karakoç Keskin Korkmaz Kurt Oruç Sarı
      Tekin Toprak Tunç Uçar Yavuz Zengin Akgül Aktaş Ayhan Bozan Çiftçi Demirtaş Erdem Yüksel`),
  },
  black_african: {
    female: words(`Adaeze Chiamaka Ngozi Folake Temitope Ifeoma Abena Akosua Ama Efua Yaa Amina Hodan
      Fadumo Ayaan Hibo Nasra Deqa Precious Blessing Favour Grace Chidinma Funmilayo Adwoa Esi Zainab`),
    male: words(`Chukwuemeka Chinedu Obinna Oluwatobi Adebayo Olumide Oluwaseun Tunde Femi Kwame Kofi
      Kwabena Yaw Kojo Abdi Abdirahman Mohamed Ahmed Samuel Daniel Emmanuel David Joshua Michael Ikenna Segun`),
    surnames: words(`Okafor Okonkwo Adeyemi Adebayo Oluwole Okeke Eze Nwosu Obi Ogunleye Balogun Mensah
      Asante Boateng Owusu Osei Appiah Agyeman Amoah Abdi Hassan Mohamed Farah Warsame Yusuf Tesfaye Haile`),
  },
  black_caribbean: {
    female: words(`Shanice Tanisha Keisha Jade Chantelle Aaliyah Kiara Tia Jasmine Monique Simone Leah
      Nia Imani Destiny Kayla Renee Tiana Amelia Jada Zara Naomi Serena Abigail Shantel`),
    male: words(`Jamal Tyrone Dwayne Marcus Jerome Kyle Tyrese Jaden Malachi Isaiah Elijah Josiah Jermaine
      Andre Nathaniel Kemar Leon Rhys Reuben Ezekiel Kai Darnell Joel Caleb Daniel`),
    surnames: words(`Campbell Brown Williams Thompson Clarke Francis Grant Richards Robinson Henry Johnson
      Bailey Morgan Walker Reid Gordon Edwards Lewis Samuels Forbes Bennett Stewart Palmer Spencer Barnes
      McKenzie Powell`),
  },
  charedi_jewish: {
    female: words(`Chaya Rivka Esther Sarah Miriam Leah Rochel Devora Malka Bracha Shaindy Faigy Perel
      Chana Tzipora Gitty Raizy Blimy Yehudis Sheindel Breindy Pessy Frumet Golda Henny`),
    male: words(`Yitzchok Moshe Shmuel Yosef Avraham Menachem Chaim Yaakov Dovid Shlomo Aron Mordechai
      Yehuda Eliezer Binyomin Naftali Pinchas Zev Yisroel Shimon Levi Hershel Mendel Yoel Meir`),
    surnames: words(`Friedman Schwartz Weiss Grunfeld Goldberger Katz Klein Rosenberg Steinberg Landau Rubin
      Halpern Lieberman Stern Kohn Jacobovits Herzog Teitelbaum Weinberger Lowy Oberlander Fischer Deutsch Gross
      Roth Hirsch Spitzer`),
  },
  bangladeshi: {
    female: words(`Fatima Ayesha Sumaiya Tasnim Nusrat Farzana Shirin Rumana Salma Jannat Mariam Sadia
      Tahmina Nadia Halima Rukhsana Sabrina Maryam Anika Afsana Lamia Fahmida Runa Aisha Tanzila`),
    male: words(`Mohammed Abdul Rahim Karim Jamal Shahid Imran Rashid Faisal Tanvir Rakib Sabbir Arif Hamid
      Ibrahim Yusuf Ismail Nazmul Shafiq Saiful Mizanur Habibur Anwar Hussain Zakir Rayhan Ayaan`),
    surnames: words(`Begum Uddin Rahman Chowdhury Miah Ahmed Hussain Islam Khan Ali Hoque Alam Akhtar Bibi
      Haque Karim Khatun Mahmud Sarkar Sultana Talukdar Siddique Hassan Hossain Ullah`),
  },
  white_british: {
    female: words(`Olivia Amelia Isla Ava Emily Sophie Grace Lily Ella Jessica Chloe Charlotte Mia Poppy
      Ruby Evie Elizabeth Katherine Hannah Lucy Megan Holly Eleanor Freya Zoë Abigail Rebecca`),
    male: words(`Oliver George Harry Jack Charlie Thomas James William Alfie Joshua Daniel Samuel Benjamin
      Matthew Alexander Jacob Oscar Henry Leo Archie Joseph Lewis Callum Ryan Connor Liam Edward`),
    surnames: words(`Smith Jones Taylor Brown Wilson Evans Johnson Roberts Walker Wright Thompson White Hughes
      Edwards Green Hall Wood Harris Clarke Jackson Turner Hill Cooper Ward Moore King Baker`),
  },
  other_white: {
    female: words(`Zuzanna Julia Maja Zofia Katarzyna Małgorzata Aleksandra Natalia Wiktoria Agnieszka
      Beatriz Inês Mariana Leonor Carolina Ana Ioana Andreea Elena Giulia Chiara Sofia Martina Gabija Emilija Lucía`),
    male: words(`Jakub Szymon Kacper Wojciech Łukasz Mateusz Filip Aleksander Michał Piotr João Tiago Rodrigo
      Gonçalo Duarte Andrei Mihai Ștefan Luca Matteo Lorenzo Lukas Mantas Tomasz Bartosz`),
    surnames: words(`Kowalski Nowak Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański
      Dąbrowski Silva Santos Ferreira Pereira Oliveira Costa Rodrigues Gonçalves Popescu Ionescu Popa Rossi
      Russo Ferrari Kazlauskas Petrauskas`),
  },
};

/** Given names common among London children of mixed heritage, on top of each parent's lists. */
const MIXED_FORENAMES: Readonly<Record<'F' | 'M', readonly string[]>> = {
  F: words(`Amara Maya Nia Layla Aaliyah Zara Skye Jasmine Ella Isabella Aria Naomi Sienna Kiara Leila
    Amelie Hana Talia Eva Ruby Zoë Imani Lola Esme Mia Ayla`),
  M: words(`Kai Zion Malachi Jayden Isaac Elijah Luca Theo Noah Reuben Ezra Tyler Jordan Riley Marley
    Louis Nathan Mason Aiden Caleb Dante Levi Ashton Kian Jude Milo`),
};

/** The parent heritages a mixed-heritage child's surname comes from. */
const MIXED_PARENTAGE: ReadonlyArray<readonly [Exclude<Heritage, 'mixed'>, number]> = [
  ['black_caribbean', 35],
  ['white_british', 30],
  ['black_african', 15],
  ['other_white', 10],
  ['turkish', 10],
];

/** Surnames per heritage, for a step-parent's or a half-sibling's surname. */
export const SURNAMES: Readonly<Record<Heritage, readonly string[]>> = {
  turkish: NAMES.turkish.surnames,
  kurdish: NAMES.kurdish.surnames,
  black_african: NAMES.black_african.surnames,
  black_caribbean: NAMES.black_caribbean.surnames,
  charedi_jewish: NAMES.charedi_jewish.surnames,
  bangladeshi: NAMES.bangladeshi.surnames,
  white_british: NAMES.white_british.surnames,
  other_white: NAMES.other_white.surnames,
  mixed: MIXED_PARENTAGE.flatMap(([parent]) => NAMES[parent].surnames),
};

/** Short forms actually used day to day; keyed by canonical forename. */
const NICKNAMES: Readonly<Record<string, readonly string[]>> = {
  Mohammed: ['Mo'], Mohamed: ['Mo'], Mustafa: ['Musti'], Mehmet: ['Memo'], Hüseyin: ['Hüso'],
  İbrahim: ['İbo'], Abdirahman: ['Abdi'], Abdul: ['Abdi'], Ibrahim: ['Ibby'], Rayhan: ['Ray'],
  Daniel: ['Danny', 'Dan'], Elizabeth: ['Liz', 'Beth', 'Lizzie'], Thomas: ['Tom', 'Tommy'],
  James: ['Jamie', 'Jim'], William: ['Will', 'Billy'], Alexander: ['Alex', 'Xander'], Samuel: ['Sam', 'Sammy'],
  Joshua: ['Josh'], Benjamin: ['Ben', 'Benji'], Matthew: ['Matt'], Joseph: ['Joe'], Edward: ['Ed', 'Eddie'],
  Jessica: ['Jess'], Rebecca: ['Becky', 'Becca'], Katherine: ['Kate', 'Katie'], Abigail: ['Abbie', 'Abi'],
  Charlotte: ['Lottie', 'Charlie'], Olivia: ['Liv'], Eleanor: ['Ellie'], Isabella: ['Bella', 'Izzy'],
  Nathaniel: ['Nate', 'Nat'], Nathan: ['Nate'], Michael: ['Mike', 'Mikey'], David: ['Dave'], Emmanuel: ['Manny'],
  Jermaine: ['Jay'], Marcus: ['Marc'], Chukwuemeka: ['Emeka'], Oluwatobi: ['Tobi'], Oluwaseun: ['Seun'],
  Olumide: ['Mide'], Adebayo: ['Bayo'], Temitope: ['Tope'], Funmilayo: ['Funmi'], Chiamaka: ['Amaka'],
  Yitzchok: ['Itzy'], Shmuel: ['Shmuli'], Yosef: ['Yossi'], Moshe: ['Moishy'], Avraham: ['Avi'],
  Menachem: ['Mendy'], Yaakov: ['Yanky'], Binyomin: ['Benny'], Rivka: ['Rivky'], Esther: ['Esti'],
  Sarah: ['Suri'], Miriam: ['Miri'], Tzipora: ['Tzippy'], Yehudis: ['Yidis'],
  Aleksander: ['Olek'], Katarzyna: ['Kasia'], Małgorzata: ['Gosia'], Wojciech: ['Wojtek'], Jakub: ['Kuba'],
  Zuzanna: ['Zuza'], Aleksandra: ['Ola'], Tomasz: ['Tomek'], Gonçalo: ['Gonça'],
};

const HERITAGE_MIX: ReadonlyArray<readonly [Heritage, number]> = [
  ['white_british', 24],
  ['other_white', 12],
  ['charedi_jewish', 10],
  ['black_african', 14],
  ['black_caribbean', 10],
  ['turkish', 8],
  ['kurdish', 4],
  ['bangladeshi', 6],
  ['mixed', 12],
];

type District = 'E2' | 'E5' | 'E8' | 'E9' | 'N1' | 'N4' | 'N16';

export const DISTRICTS: readonly District[] = ['E2', 'E5', 'E8', 'E9', 'N1', 'N4', 'N16'];

/** Streets and the postcode sectors each district's Hackney part uses. */
const STREETS: Readonly<Record<District, { sectors: readonly number[]; streets: readonly string[] }>> = {
  E2: {
    sectors: [7, 8, 9],
    streets: ['Hackney Road', 'Columbia Road', 'Whiston Road', "Pritchard's Road", "Goldsmith's Row",
      'Haggerston Road', 'Cremer Street', 'Diss Street'],
  },
  E5: {
    sectors: [0, 8, 9],
    streets: ['Lower Clapton Road', 'Chatsworth Road', 'Rushmore Road', 'Glenarm Road', 'Northwold Road',
      'Powerscroft Road', 'Mount Pleasant Lane', 'Upper Clapton Road', 'Brooke Road', 'Kenninghall Road'],
  },
  E8: {
    sectors: [1, 2, 3, 4],
    streets: ['Mare Street', 'Dalston Lane', 'Amhurst Road', 'Graham Road', 'Richmond Road', 'Sandringham Road',
      'Navarino Road', 'Forest Road', 'Queensbridge Road', 'Wilton Way', 'Middleton Road', 'Shacklewell Lane'],
  },
  E9: {
    sectors: [5, 6, 7],
    streets: ['Well Street', 'Victoria Park Road', 'Morning Lane', 'Cassland Road', 'Wick Road',
      'Homerton High Street', 'Kenworthy Road', "Brooksby's Walk", 'Trowbridge Road'],
  },
  N1: {
    sectors: [4, 5, 6],
    streets: ['Hoxton Street', 'Pitfield Street', 'De Beauvoir Road', 'Southgate Road', 'Englefield Road',
      'Downham Road', 'Balls Pond Road', 'Mortimer Road', 'Northchurch Road'],
  },
  N4: {
    sectors: [1, 2],
    streets: ['Seven Sisters Road', 'Green Lanes', 'Queens Drive', 'Woodberry Grove', 'Spring Park Drive',
      'Wilberforce Road'],
  },
  N16: {
    sectors: [0, 5, 6, 7, 8, 9],
    streets: ['Stoke Newington High Street', 'Stoke Newington Church Street', 'Amhurst Park', 'Cazenove Road',
      'Dunsmure Road', 'Osbaldeston Road', 'Kyverdale Road', 'Manor Road', 'Albion Road', 'Stamford Hill',
      'Lordship Road', 'Darenth Road', 'Bethune Road', 'Fairholt Road'],
  },
};

const EVEN_DISTRICTS: ReadonlyArray<readonly [District, number]> = [
  ['E8', 20], ['E5', 18], ['E9', 16], ['N16', 16], ['E2', 12], ['N1', 12], ['N4', 6],
];

/** Communities cluster: Stamford Hill for Charedi families, Dalston/Green Lanes for Turkish and Kurdish ones. */
const DISTRICTS_BY_HERITAGE: Partial<Record<Heritage, ReadonlyArray<readonly [District, number]>>> = {
  charedi_jewish: [['N16', 60], ['E5', 35], ['N4', 5]],
  turkish: [['N16', 30], ['E8', 30], ['N4', 15], ['E5', 10], ['N1', 10], ['E9', 5]],
  kurdish: [['N16', 30], ['E8', 30], ['N4', 15], ['E5', 10], ['N1', 10], ['E9', 5]],
  bangladeshi: [['E2', 35], ['E8', 25], ['E9', 15], ['E5', 10], ['N16', 10], ['N1', 5]],
};

/** Inward-code letters: the Royal Mail never uses C, I, K, M, O or V there. */
const INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'.split('');

/**
 * Family sizes 1:2:3 weighted 21:3:1 put 9 of every 30 people (30%) in a family with siblings.
 */
const FAMILY_SIZES: ReadonlyArray<readonly [number, number]> = [[1, 21], [2, 3], [3, 1]];
const HALF_SIBLING_SURNAME_RATE = 0.1;
const TWIN_RATE = 0.08;
const NICKNAME_RATE = 0.6;
const UPN_RATE = 0.7;
const PNC_RATE = 0.08;
/** Age of criminal responsibility in England and Wales: nobody younger has a PNC record. */
const PNC_MIN_AGE = 10;
const HACKNEY_LA = '204';
/** Neighbouring authorities (Camden, Islington, Tower Hamlets, Haringey, Waltham Forest) for movers-in. */
const OTHER_LAS = ['202', '206', '211', '309', '320'];

// Date helpers run hundreds of thousands of times per seed; global lookups (`Math`, `Number`)
// are slow inside jest's vm sandbox, so they use local aliases (see prng.ts).
const floor = Math.floor;
const pad = (n: number, width: number): string => `${n}`.padStart(width, '0');

export function parseIsoDate(iso: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  // Unary plus rather than Number(), for the reason given on `floor`.
  const [year, month, day] = [+(match?.[1] ?? ''), +(match?.[2] ?? ''), +(match?.[3] ?? '')];
  if (!match || dayNumber(year, month, day) === null) throw new RangeError(`Not an ISO date: '${iso}'`);
  return { year, month, day };
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days since 1970-01-01 for a valid calendar date, or null when the date does not exist.
 * Plain arithmetic (Hinnant's days-from-civil) rather than Date: generation converts dates
 * hundreds of thousands of times and Date objects dominated the run time.
 */
export function dayNumber(year: number, month: number, day: number): number | null {
  if (year % 1 !== 0 || month % 1 !== 0 || day % 1 !== 0) return null;
  if (month < 1 || month > 12 || day < 1) return null;
  const monthLength = month === 2 && isLeapYear(year) ? 29 : (MONTH_LENGTHS[month - 1] as number);
  if (day > monthLength) return null;
  const y = month <= 2 ? year - 1 : year;
  const era = floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floor(yearOfEra / 4) - floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of dayNumber, as 'YYYY-MM-DD'. */
export function isoFromDayNumber(days: number): string {
  const z = days + 719468;
  const era = floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = floor(
    (dayOfEra - floor(dayOfEra / 1460) + floor(dayOfEra / 36524) - floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + floor(yearOfEra / 4) - floor(yearOfEra / 100));
  const mp = floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Whole years completed on `onDate` (both ISO). */
export function ageAt(dateOfBirth: string, onDate: string): number {
  const born = parseIsoDate(dateOfBirth);
  const on = parseIsoDate(onDate);
  const hadBirthday = on.month > born.month || (on.month === born.month && on.day >= born.day);
  return on.year - born.year - (hadBirthday ? 0 : 1);
}

/** The same calendar day `years` later (29 February falls back to 28 February). */
function shiftYears(iso: string, years: number): number {
  const { year, month, day } = parseIsoDate(iso);
  return dayNumber(year + years, month, day) ?? (dayNumber(year + years, month, day - 1) as number);
}

export function generatePopulation(options: PopulationOptions): SyntheticPerson[] {
  const { seed, size, referenceDate = DEFAULT_REFERENCE_DATE } = options;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer, got ${size}`);
  parseIsoDate(referenceDate);

  const prng = new Prng(seed).fork('population');
  const identifiers = new IdentifierIssuer(prng.fork('identifiers'));
  // Born at most MAX_AGE years ago (age MAX_AGE until the day before turning MAX_AGE + 1), at least MIN_AGE.
  const bornFrom = shiftYears(referenceDate, -(MAX_AGE + 1)) + 1;
  const bornTo = shiftYears(referenceDate, -MIN_AGE);

  const people: SyntheticPerson[] = [];
  let familyCount = 0;
  while (people.length < size) {
    familyCount++;
    const familySize = Math.min(prng.weighted(FAMILY_SIZES), size - people.length);
    const heritage = prng.weighted(HERITAGE_MIX);
    const surnameHeritage = heritage === 'mixed' ? prng.weighted(MIXED_PARENTAGE) : heritage;
    const familySurname = prng.pick(NAMES[surnameHeritage].surnames);
    const address = randomAddress(prng, heritage);
    const familyId = `F${String(familyCount).padStart(6, '0')}`;
    const siblings: SyntheticPerson[] = [];

    for (let i = 0; i < familySize; i++) {
      const gender = prng.chance(0.5) ? 'F' : 'M';
      const baseSurname = i > 0 && prng.chance(HALF_SIBLING_SURNAME_RATE)
        ? prng.pick(SURNAMES[heritage])
        : familySurname;
      const forename = distinctForename(prng, heritage, surnameHeritage, gender, siblings);
      const dateOfBirth = siblingDateOfBirth(prng, siblings, bornFrom, bornTo);
      const nicknames = NICKNAMES[forename];
      const person: SyntheticPerson = {
        personKey: `P${String(people.length + 1).padStart(6, '0')}`,
        forename,
        surname: genderedSurname(baseSurname, gender),
        nickname: nicknames && prng.chance(NICKNAME_RATE) ? prng.pick(nicknames) : null,
        gender,
        heritage,
        dateOfBirth,
        familyId,
        address,
        upn: prng.chance(UPN_RATE) ? identifiers.upn(dateOfBirth) : null,
        pncNumber: null,
      };
      const age = ageAt(dateOfBirth, referenceDate);
      // Scaled up among the over-10s so the whole population still lands near PNC_RATE.
      if (age >= PNC_MIN_AGE && prng.chance((PNC_RATE * (MAX_AGE - MIN_AGE + 1)) / (MAX_AGE - PNC_MIN_AGE + 1))) {
        person.pncNumber = identifiers.pnc(dateOfBirth, referenceDate);
      }
      siblings.push(person);
      people.push(person);
    }
  }
  return people;
}

function forenamesFor(heritage: Heritage, surnameHeritage: Exclude<Heritage, 'mixed'>, gender: 'F' | 'M') {
  const own = (h: Exclude<Heritage, 'mixed'>) => (gender === 'F' ? NAMES[h].female : NAMES[h].male);
  return heritage === 'mixed' ? [...MIXED_FORENAMES[gender], ...own(surnameHeritage)] : own(heritage);
}

function distinctForename(
  prng: Prng,
  heritage: Heritage,
  surnameHeritage: Exclude<Heritage, 'mixed'>,
  gender: 'F' | 'M',
  siblings: readonly SyntheticPerson[],
): string {
  const names = forenamesFor(heritage, surnameHeritage, gender);
  let name = prng.pick(names);
  while (siblings.some((s) => s.forename === name)) name = prng.pick(names);
  return name;
}

/** The people born the same day as an elder brother or sister in their family: every twin but the first. */
export function laterTwins(population: readonly SyntheticPerson[]): Set<string> {
  const born = new Set<string>();
  const twins = new Set<string>();
  for (const person of population) {
    const birth = `${person.familyId}|${person.dateOfBirth}`;
    if (born.has(birth)) twins.add(person.personKey);
    born.add(birth);
  }
  return twins;
}

/** Siblings are either twins or born at least ~11 months apart. */
function siblingDateOfBirth(prng: Prng, siblings: readonly SyntheticPerson[], from: number, to: number): string {
  const first = siblings[0];
  if (first && prng.chance(TWIN_RATE)) return first.dateOfBirth;
  const taken = siblings.map((s) => parseDay(s.dateOfBirth));
  let day = prng.int(from, to);
  for (let attempt = 0; attempt < 20 && taken.some((t) => Math.abs(t - day) < 330); attempt++) {
    day = prng.int(from, to);
  }
  return isoFromDayNumber(day);
}

function parseDay(iso: string): number {
  const { year, month, day } = parseIsoDate(iso);
  return dayNumber(year, month, day) as number;
}

/** Polish surnames in -ski/-cki/-dzki take -ska/-cka/-dzka for women and girls. */
function genderedSurname(surname: string, gender: 'F' | 'M'): string {
  return gender === 'F' && /(ski|cki|dzki)$/.test(surname) ? `${surname.slice(0, -1)}a` : surname;
}

function randomAddress(prng: Prng, heritage: Heritage): { line1: string; postcode: string } {
  const district = prng.weighted(DISTRICTS_BY_HERITAGE[heritage] ?? EVEN_DISTRICTS);
  const { sectors, streets } = STREETS[district];
  const houseNumber = prng.int(1, 220);
  const street = prng.pick(streets);
  const line1 = prng.chance(0.35) ? `Flat ${prng.int(1, 40)}, ${houseNumber} ${street}` : `${houseNumber} ${street}`;
  const postcode = `${district} ${prng.pick(sectors)}${prng.pick(INWARD_LETTERS)}${prng.pick(INWARD_LETTERS)}`;
  return { line1, postcode };
}

/** An address the person lived at before (another Hackney postcode): what a system not told of a move still holds. */
export function formerAddress(person: SyntheticPerson, prng: Prng): { line1: string; postcode: string } {
  for (;;) {
    const address = randomAddress(prng, person.heritage);
    if (address.postcode !== person.address.postcode) return address;
  }
}

/** Issues UPNs and PNC numbers that are unique across the population. */
class IdentifierIssuer {
  private readonly issued = new Set<string>();

  constructor(private readonly prng: Prng) {}

  /** LA code + school + year of entry + serial, behind a DfE-style mod-23 check letter. */
  upn(dateOfBirth: string): string {
    const entryYear = (parseIsoDate(dateOfBirth).year + 5) % 100;
    return this.unique(() => {
      const la = this.prng.chance(0.8) ? HACKNEY_LA : this.prng.pick(OTHER_LAS);
      const school = String(this.prng.int(2000, 4999));
      const serial = String(this.prng.int(0, 999)).padStart(3, '0');
      const digits = `${la}${school}${String(entryYear).padStart(2, '0')}${serial}`;
      return `${upnCheckLetter(digits)}${digits}`;
    });
  }

  /** A year the person was at least 10, a seven-digit serial and a mod-23 check letter. */
  pnc(dateOfBirth: string, referenceDate: string): string {
    const firstYear = parseIsoDate(dateOfBirth).year + PNC_MIN_AGE + 1;
    const lastYear = parseIsoDate(referenceDate).year;
    return this.unique(() => {
      const year = this.prng.int(Math.min(firstYear, lastYear), lastYear);
      const serial = String(this.prng.int(1, 999_999)).padStart(7, '0');
      const check = 'ZABCDEFGHJKLMNPQRTUVWXY'[Number(`${year % 100}${serial}`) % 23] as string;
      return `${year}/${serial}${check}`;
    });
  }

  private unique(make: () => string): string {
    let value = make();
    while (this.issued.has(value)) value = make();
    this.issued.add(value);
    return value;
  }
}

/** Check letter over 12 digits weighted 2..13, mod 23, over the alphabet without I, O and S. */
export function upnCheckLetter(twelveDigits: string): string {
  let sum = 0;
  for (let i = 0; i < twelveDigits.length; i++) sum += Number(twelveDigits[i]) * (i + 2);
  return 'ABCDEFGHJKLMNPQRTUVWXYZ'[sum % 23] as string;
}
