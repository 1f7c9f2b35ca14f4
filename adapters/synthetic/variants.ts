/**
 * How a source system's copy of a person drifts from the ground truth: transliterations, typos,
 * nicknames, a step-parent's surname, mistyped or missing dates, sloppy postcodes. Matching is only
 * worth measuring if the copies disagree the way real case-system records do.
 */
import type { Prng } from './prng';
import { dayNumber, parseIsoDate, SURNAMES, type Heritage, type SyntheticPerson } from './population';

export interface VariantRates {
  /** Both names stored without diacritics (a system or clerk that cannot type them). */
  accentFolding: number;
  /** Each name independently stored in another transliteration or spelling. */
  spellingVariant: number;
  /** One keyboard typo in the forename or the surname. */
  typo: number;
  /** Of people with a nickname: the nickname stored as the forename. */
  nicknameAsForename: number;
  /** Of people with a nickname (not used as forename): the nickname stored as known-as. */
  knownAsRecorded: number;
  /** A step-parent's or double-barrelled surname. */
  changedSurname: number;
  missingDateOfBirth: number;
  /** Day and month swapped, or one digit slipped. */
  transposedDateOfBirth: number;
  /** Lower case, no space or an extra space in the postcode. */
  postcodeNoise: number;
  /** 'Road' as 'Rd', 'Street' as 'St' and so on. */
  addressAbbreviation: number;
}

/** Most records clean; each kind of drift rare enough that a record rarely has two. */
export const DEFAULT_VARIANT_RATES: Readonly<VariantRates> = {
  accentFolding: 0.1,
  spellingVariant: 0.06,
  typo: 0.03,
  nicknameAsForename: 0.05,
  knownAsRecorded: 0.3,
  changedSurname: 0.02,
  missingDateOfBirth: 0.03,
  transposedDateOfBirth: 0.02,
  postcodeNoise: 0.3,
  addressAbbreviation: 0.1,
};

export interface PersonVariant {
  forename: string;
  surname: string;
  knownAs: string | null;
  /** ISO YYYY-MM-DD, or null when the system never recorded it. */
  dateOfBirth: string | null;
  postcode: string;
  line1: string;
}

/** Letters Unicode normalisation does not decompose into a base letter plus a mark. */
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ı: 'i', İ: 'I', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', ß: 'ss', æ: 'ae', Æ: 'AE', đ: 'd', Đ: 'D', œ: 'oe', Œ: 'OE',
};

export function foldAccents(s: string): string {
  return s
    .replace(/[ıİłŁøØßæÆđĐœŒ]/g, (ch) => UNDECOMPOSABLE[ch] ?? ch)
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

/** Spellings the same name turns up under across systems; the first is not privileged. */
const SPELLING_GROUPS: readonly (readonly string[])[] = [
  // Arabic-origin names across Bangladeshi, Somali and Turkish communities
  ['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad', 'Muhammed'],
  ['Ahmed', 'Ahmet', 'Ehmed', 'Ahmad'],
  ['Hussain', 'Hussein', 'Husain', 'Hossain'],
  ['Aisha', 'Ayesha', 'Aysha'],
  ['Abdi', 'Abdy'],
  ['Abdirahman', 'Abdurahman', 'Abdulrahman'],
  ['Abdul', 'Abdool'],
  ['Rahim', 'Raheem'],
  ['Karim', 'Kareem'],
  ['Rashid', 'Rasheed'],
  ['Shahid', 'Shahed'],
  ['Faisal', 'Faysal'],
  ['Ibrahim', 'Ebrahim', 'Ibraheem'],
  ['Yusuf', 'Yousuf', 'Yousef', 'Youssef'],
  ['Ismail', 'Ismael', 'Esmail'],
  ['Fatima', 'Fatimah', 'Fatma'],
  ['Maryam', 'Mariam'],
  ['Amina', 'Aminah', 'Ameena'],
  ['Halima', 'Halimah'],
  ['Sumaiya', 'Sumaya', 'Somaiya'],
  ['Tasnim', 'Tasneem'],
  ['Rukhsana', 'Ruksana', 'Rukshana'],
  ['Jannat', 'Jannath'],
  ['Nusrat', 'Nusrath'],
  ['Osman', 'Usman', 'Othman'],
  ['Ömer', 'Omer', 'Omar'],
  ['Hassan', 'Hasan'],
  // Bangladeshi surnames
  ['Chowdhury', 'Choudhury', 'Chaudhry', 'Chowdhry'],
  ['Begum', 'Begom'],
  ['Uddin', 'Udin', 'Uddeen'],
  ['Rahman', 'Rehman'],
  ['Miah', 'Meah'],
  ['Hoque', 'Haque', 'Hoq'],
  ['Akhtar', 'Akter', 'Akhter'],
  ['Khatun', 'Khatoon'],
  ['Mahmud', 'Mahmood', 'Mahmoud'],
  ['Siddique', 'Siddiqui', 'Siddiki'],
  ['Talukdar', 'Talukder'],
  ['Sarkar', 'Sarker'],
  // Turkish and Kurdish
  ['Mehmet', 'Mehmed'],
  ['Mustafa', 'Mustapha'],
  ['Hüseyin', 'Huseyin', 'Husseyin'],
  ['Ayşe', 'Ayse', 'Aishe'],
  ['Şeyma', 'Seyma', 'Shayma'],
  ['Hatice', 'Hatije'],
  ['Öztürk', 'Ozturk'],
  ['Şahin', 'Sahin', 'Shahin'],
  ['Arslan', 'Aslan'],
  ['Şervan', 'Shervan', 'Serwan'],
  ['Ciwan', 'Civan', 'Jiwan'],
  ['Welat', 'Velat'],
  ['Rojhat', 'Rojhad'],
  ['Ferhat', 'Farhad'],
  ['Berivan', 'Bêrîvan'],
  // West and East African
  ['Mensah', 'Mensa'],
  ['Kwabena', 'Kobena'],
  ['Kofi', 'Koffi'],
  ['Kojo', 'Kodjo'],
  ['Oluwaseun', 'Oluseun'],
  ['Oluwatobi', 'Olutobi'],
  ['Fadumo', 'Faduma', 'Fatuma'],
  ['Warsame', 'Warsama'],
  ['Tesfaye', 'Tesfay'],
  ['Asante', 'Asanti'],
  ['Boateng', 'Boatang'],
  // Caribbean and British
  ['Shanice', 'Shaniece', 'Shanese'],
  ['Tanisha', 'Tanesha'],
  ['Keisha', 'Kiesha', 'Keesha'],
  ['Jermaine', 'Germaine', 'Jermain'],
  ['Tyrone', 'Tyron'],
  ['Dwayne', 'Duane', 'Dwaine'],
  ['Tyrese', 'Tyreese', 'Tyreece'],
  ['Jaden', 'Jayden', 'Jaiden', 'Jadon'],
  ['Malachi', 'Malakai'],
  ['Aaliyah', 'Aliyah', 'Aleah'],
  ['Kiara', 'Kyra', 'Keira'],
  ['Chantelle', 'Shantelle', 'Chantel', 'Shantel'],
  ['McKenzie', 'Mackenzie'],
  ['Clarke', 'Clark'],
  ['Reid', 'Reed'],
  ['Thompson', 'Thomson'],
  ['Katherine', 'Catherine', 'Kathryn', 'Katharine'],
  ['Zoë', 'Zoe', 'Zoey'],
  ['Eleanor', 'Elinor', 'Elenor'],
  ['Callum', 'Calum'],
  ['Lewis', 'Louis'],
  ['Connor', 'Conor'],
  ['Rhys', 'Reece', 'Reese'],
  ['Megan', 'Meghan'],
  ['Matthew', 'Mathew'],
  ['Sophie', 'Sofie'],
  // Charedi Jewish: Yiddish and Modern Hebrew forms
  ['Yitzchok', 'Yitzchak', 'Yitzhak'],
  ['Moshe', 'Moishe'],
  ['Shmuel', 'Shmiel'],
  ['Yosef', 'Yossef'],
  ['Avraham', 'Avrohom'],
  ['Yaakov', 'Yakov', 'Yankev'],
  ['Binyomin', 'Binyamin'],
  ['Yisroel', 'Yisrael'],
  ['Menachem', 'Menahem'],
  ['Chaim', 'Haim', 'Hyam'],
  ['Chaya', 'Chaja', 'Haya'],
  ['Rivka', 'Rifka'],
  ['Rochel', 'Ruchel'],
  ['Devora', 'Dvora'],
  ['Chana', 'Channa'],
  ['Yehudis', 'Yehudit'],
  ['Friedman', 'Friedmann', 'Fridman'],
  ['Schwartz', 'Schwarz', 'Shwartz'],
  ['Weiss', 'Weisz', 'Weis'],
  ['Grunfeld', 'Grunfeldt', 'Greenfeld'],
  ['Katz', 'Kats'],
  ['Klein', 'Kleine', 'Kline'],
  ['Jacobovits', 'Jakobovits', 'Jacobowitz'],
  ['Lowy', 'Lowi', 'Loewy'],
  ['Teitelbaum', 'Teitelboim'],
  ['Lieberman', 'Liberman', 'Liebermann'],
  ['Herzog', 'Hertzog'],
  ['Halpern', 'Halperin', 'Heilpern'],
  ['Kohn', 'Cohn', 'Cohen'],
  // Polish, Portuguese, Italian, Romanian
  ['Sofia', 'Sophia'],
  ['Ioana', 'Joana'],
  ['Andrei', 'Andrey', 'Andrej'],
  ['Kowalski', 'Kovalski'],
];

/**
 * English forms a name is sometimes registered under. One-way: a Samuel in one system is never
 * a Shmuel in another, but a Shmuel is often a Samuel at school.
 */
const ANGLICISED: Readonly<Record<string, string>> = {
  Yitzchok: 'Isaac', Moshe: 'Moses', Shmuel: 'Samuel', Yosef: 'Joseph', Avraham: 'Abraham', Yaakov: 'Jacob',
  Dovid: 'David', Binyomin: 'Benjamin', Yisroel: 'Israel', Rivka: 'Rebecca', Rochel: 'Rachel',
  Devora: 'Deborah', Chana: 'Hannah', Yehudis: 'Judith', Jakub: 'Jacob', Michał: 'Michael', Łukasz: 'Luke',
  Aleksander: 'Alexander', Aleksandra: 'Alexandra', Zofia: 'Sophia', Wiktoria: 'Victoria', Ștefan: 'Stephen',
  João: 'John', Piotr: 'Peter', Katarzyna: 'Katherine', Małgorzata: 'Margaret',
};

const SPELLINGS = new Map<string, readonly string[]>();
for (const group of SPELLING_GROUPS) {
  for (const name of group) {
    if (SPELLINGS.has(name.toLowerCase())) throw new Error(`'${name}' is in two spelling groups`);
    SPELLINGS.set(name.toLowerCase(), group);
  }
}

/** Another spelling of the same name when one is known; otherwise the name without diacritics. */
export function spellingVariant(name: string, prng: Prng): string {
  const key = name.toLowerCase();
  const others = (SPELLINGS.get(key) ?? []).filter((g) => g.toLowerCase() !== key);
  const anglicised = ANGLICISED[name];
  if (anglicised !== undefined) others.push(anglicised);
  return others.length > 0 ? prng.pick(others) : foldAccents(name);
}

const isLetter = (ch: string | undefined): boolean => ch !== undefined && /\p{L}/u.test(ch);

/**
 * One keyboard slip: two adjacent letters swapped, a letter dropped or a letter doubled. The first
 * letter is left alone because people rarely get it wrong and it keeps capitalisation intact.
 */
export function typo(name: string, prng: Prng): string {
  const chars = Array.from(name);
  const letterAt = chars.map((ch, i) => (i > 0 && isLetter(ch) ? i : -1)).filter((i) => i >= 0);
  const swappable = letterAt.filter((i) => isLetter(chars[i + 1]) && chars[i] !== chars[i + 1]);
  const kind = prng.weighted<'swap' | 'drop' | 'double'>([
    ['swap', swappable.length > 0 ? 4 : 0],
    ['drop', letterAt.length >= 2 ? 3 : 0],
    ['double', 2],
  ]);
  if (kind === 'swap') {
    const i = prng.pick(swappable);
    [chars[i], chars[i + 1]] = [chars[i + 1] as string, chars[i] as string];
  } else if (kind === 'drop') {
    chars.splice(prng.pick(letterAt), 1);
  } else {
    const i = letterAt.length > 0 ? prng.pick(letterAt) : 0;
    chars.splice(i, 0, chars[i] ?? '');
  }
  return chars.join('');
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const isoOf = (year: number, month: number, day: number): string => `${year}-${pad2(month)}-${pad2(day)}`;

/**
 * A mistyped date of birth: day and month swapped (only possible when the day could be a month),
 * or one digit slipped in the day or the last digit of the year. Always a real, different date.
 */
export function transposeDate(iso: string, prng: Prng): string {
  const { year, month, day } = parseIsoDate(iso);
  if (day <= 12 && day !== month && prng.chance(0.6)) return isoOf(year, day, month);

  const daySlips: string[] = [];
  const dayText = pad2(day);
  for (let position = 0; position < 2; position++) {
    for (let digit = 0; digit <= 9; digit++) {
      const slipped = Number(position === 0 ? `${digit}${dayText[1]}` : `${dayText[0]}${digit}`);
      if (slipped !== day && dayNumber(year, month, slipped) !== null) daySlips.push(isoOf(year, month, slipped));
    }
  }
  const yearSlips = [year - 1, year + 1]
    .filter((y) => Math.floor(y / 10) === Math.floor(year / 10) && dayNumber(y, month, day) !== null)
    .map((y) => isoOf(y, month, day));
  return yearSlips.length > 0 && prng.chance(0.4) ? prng.pick(yearSlips) : prng.pick(daySlips);
}

/** The same postcode as a careless form or an old import would hold it. */
function noisyPostcode(postcode: string, prng: Prng): string {
  const [outward = '', inward = ''] = postcode.split(' ');
  return prng.weighted<string>([
    [postcode.toLowerCase(), 3],
    [`${outward}${inward}`, 3],
    [`${outward}  ${inward}`, 2],
    [`${outward}${inward}`.toLowerCase(), 1],
    [`${postcode} `, 1],
  ]);
}

const STREET_ABBREVIATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bRoad\b/, 'Rd'], [/\bStreet\b/, 'St'], [/\bLane\b/, 'Ln'], [/\bDrive\b/, 'Dr'], [/\bGrove\b/, 'Gr'],
];

function abbreviatedLine1(line1: string): string {
  const shortened = STREET_ABBREVIATIONS.reduce((text, [pattern, short]) => text.replace(pattern, short), line1);
  return shortened.replace(/^Flat (\d+), (\d+)/, '$1/$2');
}

const HERITAGES = Object.keys(SURNAMES) as Heritage[];

/** A surname the child might be registered under after a parent remarries, or with both parents' names. */
function changedSurname(person: SyntheticPerson, prng: Prng): string {
  const pool = SURNAMES[prng.chance(0.7) ? person.heritage : prng.pick(HERITAGES)];
  let other = prng.pick(pool);
  while (other === person.surname) other = prng.pick(pool);
  return prng.chance(0.6) ? other : `${person.surname}-${other}`;
}

/** How one system would hold this person, with each kind of drift applied at its rate. */
export function variantFor(
  person: SyntheticPerson,
  prng: Prng,
  rates: Readonly<VariantRates> = DEFAULT_VARIANT_RATES,
): PersonVariant {
  let forename = person.forename;
  let knownAs: string | null = null;
  if (person.nickname !== null && prng.chance(rates.nicknameAsForename)) {
    forename = person.nickname;
  } else {
    if (prng.chance(rates.spellingVariant)) forename = spellingVariant(forename, prng);
    if (person.nickname !== null && prng.chance(rates.knownAsRecorded)) knownAs = person.nickname;
  }

  let surname = person.surname;
  if (prng.chance(rates.changedSurname)) surname = changedSurname(person, prng);
  else if (prng.chance(rates.spellingVariant)) surname = spellingVariant(surname, prng);

  if (prng.chance(rates.typo)) {
    if (prng.chance(0.5)) forename = typo(forename, prng);
    else surname = typo(surname, prng);
  }
  if (prng.chance(rates.accentFolding)) {
    forename = foldAccents(forename);
    surname = foldAccents(surname);
    knownAs = knownAs === null ? null : foldAccents(knownAs);
  }

  let dateOfBirth: string | null = person.dateOfBirth;
  if (prng.chance(rates.missingDateOfBirth)) dateOfBirth = null;
  else if (prng.chance(rates.transposedDateOfBirth)) dateOfBirth = transposeDate(person.dateOfBirth, prng);

  const { postcode, line1 } = person.address;
  return {
    forename,
    surname,
    knownAs,
    dateOfBirth,
    postcode: prng.chance(rates.postcodeNoise) ? noisyPostcode(postcode, prng) : postcode,
    line1: prng.chance(rates.addressAbbreviation) ? abbreviatedLine1(line1) : line1,
  };
}
