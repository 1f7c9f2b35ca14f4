/**
 * A labelled test population for the matcher, shaped after the ways real case-system records of one
 * young person disagree (issue 12's error analysis): names swapped between fields, a move between
 * one system's record and another's, a missing date of birth, a forename replaced or badly
 * corrupted, a date of birth a year out or with day and month transposed, a changed surname with a
 * move, siblings sharing surname and address (one with spelling-variant forenames), namesakes born
 * the same day in the same postcode sector, and two records of one person in one system.
 *
 * No national identifiers by default (most real records lack a usable UPN or PNC number), and every
 * name variant is made by rule (./corruptions.ts), never from the matcher's own name lists.
 *
 * The people themselves (names, dates of birth, families, addresses) come from the synthetic
 * population (adapters/synthetic/population.ts); this module only decides which systems know each
 * person and how each system's copy drifts. Every record carries the patterns applied to it, so the
 * evaluation can report recall per pattern.
 */
import { generatePopulation, type SyntheticPerson } from '../../../adapters/synthetic/population';
import { Prng } from '../../../adapters/synthetic/prng';
import type { Gender, SourceSystem } from '../../../adapters/types';
import { recordKey, type MatchRecord } from '../matchRecord';
import {
  badlyCorrupted,
  dayMonthSwapped,
  keyboardTypo,
  oneDigitOff,
  phoneticRespelling,
  postcodeTypo,
  transliteration,
  yearOff,
} from './corruptions';

export type LinkagePattern =
  | 'NAMES_SWAPPED'
  | 'MOVED_HOUSE'
  | 'DOB_MISSING'
  | 'FORENAME_REPLACED'
  | 'FORENAME_CORRUPTED'
  | 'DOB_YEAR_OFF'
  | 'DOB_DAY_MONTH_SWAPPED'
  | 'DOB_DIGIT_OFF'
  | 'SURNAME_CHANGED_AND_MOVED'
  /** A UMIS record under the new surname that keeps the previous one as an alias. */
  | 'PREVIOUS_SURNAME_KEPT'
  | 'SIBLING_LOOKALIKE'
  | 'NAMESAKE'
  | 'SAME_SYSTEM_DUPLICATE'
  | 'NAME_TYPO'
  | 'NAME_RESPELT'
  | 'NAME_TRANSLITERATED'
  | 'NICKNAME_AS_FORENAME'
  | 'POSTCODE_MISSING'
  | 'POSTCODE_TYPO'
  | 'POSTCODE_UNUSABLE'
  | 'GENDER_MISSING';

/** Rates per record unless said otherwise. */
export interface LinkageRates {
  /** Per system, the share of people it holds a record of. */
  coverage: Readonly<Record<'IYSS' | 'UMIS' | 'YOIS', number>>;
  /** Per person: moved house between two systems' records. */
  movedHouse: number;
  /** Per person: a new surname (step-parent, marriage of a parent), usually with a move. */
  surnameChanged: number;
  /** Per person: a second record in one of its systems. */
  sameSystemDuplicate: number;
  /** Per person: a namesake (same names, sex and date of birth) in the same postcode sector. */
  namesake: number;
  /** Per person: a sibling at the same address with a spelling variant of their forename. */
  siblingLookalike: number;
  namesSwapped: number;
  dobMissing: number;
  dobYearOff: number;
  dobDayMonthSwapped: number;
  dobDigitOff: number;
  forenameReplaced: number;
  forenameCorrupted: number;
  nameTypo: number;
  nameRespelt: number;
  /** Of names with letters a UK keyboard lacks. */
  nameTransliterated: number;
  /** Of people with a nickname. */
  nicknameAsForename: number;
  knownAsRecorded: number;
  /**
   * Of UMIS records written under a changed surname: the previous surname kept as a `PREV` alias, as
   * UMIS does (its own seed generator keeps it for half, adapters/synthetic/umis/seedRows.ts).
   */
  umisPreviousSurname: number;
  postcodeMissing: number;
  postcodeTypo: number;
  postcodeUnusable: number;
  /** The first address line left empty (also for every unusable postcode, and half the missing ones: no address taken at all). */
  addressLineMissing: number;
  genderMissing: number;
}

export const DEFAULT_LINKAGE_RATES: Readonly<LinkageRates> = {
  coverage: { IYSS: 0.88, UMIS: 0.38, YOIS: 0.26 },
  movedHouse: 0.2,
  surnameChanged: 0.03,
  sameSystemDuplicate: 0.02,
  namesake: 0.004,
  siblingLookalike: 0.004,
  namesSwapped: 0.02,
  dobMissing: 0.06,
  dobYearOff: 0.015,
  dobDayMonthSwapped: 0.015,
  dobDigitOff: 0.015,
  forenameReplaced: 0.015,
  forenameCorrupted: 0.02,
  nameTypo: 0.05,
  nameRespelt: 0.04,
  nameTransliterated: 0.5,
  nicknameAsForename: 0.1,
  knownAsRecorded: 0.25,
  umisPreviousSurname: 0.5,
  postcodeMissing: 0.05,
  postcodeTypo: 0.02,
  postcodeUnusable: 0.02,
  addressLineMissing: 0.05,
  genderMissing: 0.05,
};

export interface LinkageDataOptions {
  seed: number;
  people: number;
  rates?: Partial<LinkageRates>;
  /** Give records UPNs (IYSS, UMIS) and PNC numbers (YOIS) where the person has one; default false. */
  withIdentifiers?: boolean;
}

export interface LinkageData {
  records: MatchRecord[];
  /** Record key → ground-truth person key. */
  truth: Map<string, string>;
  /** Record key → the patterns applied to that record (or its person). */
  patterns: Map<string, LinkagePattern[]>;
  /** Person key → family id, to tell sibling mistakes from others. */
  familyOf: Map<string, string>;
  people: number;
}

const SYSTEMS = ['IYSS', 'UMIS', 'YOIS'] as const;
const UNUSABLE_POSTCODES = ['NFA', 'UNKNOWN', 'N/K', 'HACKNEY', '0', 'TBC'];

interface Version {
  forename: string;
  surname: string;
  postcode: string;
  line1: string;
  tags: LinkagePattern[];
}

/** The person's addresses and surnames over time; each record is one moment of it. */
interface Life {
  person: SyntheticPerson;
  versions: Version[];
  tags: LinkagePattern[];
  /** Given names of the same sex, for a forename replaced by another. */
  otherForenames: readonly string[];
}

function sectorOf(postcode: string): string {
  return postcode.slice(0, postcode.indexOf(' ') + 2);
}

function newUnit(postcode: string, prng: Prng): string {
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  let out = postcode;
  while (out === postcode) out = `${sectorOf(postcode)}${prng.pick([...letters])}${prng.pick([...letters])}`;
  return out;
}

function injectLookalikes(population: SyntheticPerson[], rates: LinkageRates, prng: Prng): Map<string, LinkagePattern> {
  const injected = new Map<string, LinkagePattern>();
  const original = population.length;
  let next = original;
  const key = () => `P${String(++next).padStart(6, '0')}`;
  for (let i = 0; i < original; i++) {
    const person = population[i] as SyntheticPerson;
    if (prng.chance(rates.namesake)) {
      const namesake: SyntheticPerson = {
        ...person,
        personKey: key(),
        nickname: null,
        familyId: `N${person.personKey}`,
        address: { line1: `${prng.int(1, 200)} Other Road`, postcode: newUnit(person.address.postcode, prng) },
        upn: null,
        pncNumber: null,
      };
      population.push(namesake);
      injected.set(person.personKey, 'NAMESAKE');
      injected.set(namesake.personKey, 'NAMESAKE');
    }
    if (prng.chance(rates.siblingLookalike)) {
      let forename = phoneticRespelling(person.forename, prng);
      if (forename === person.forename) forename = keyboardTypo(person.forename, prng);
      const born = Number(person.dateOfBirth.slice(0, 4)) + (prng.chance(0.5) ? 1 : -1) * prng.int(1, 3);
      const sibling: SyntheticPerson = {
        ...person,
        personKey: key(),
        forename,
        nickname: null,
        dateOfBirth: `${born}${person.dateOfBirth.slice(4).replace('-02-29', '-02-28')}`,
        upn: null,
        pncNumber: null,
      };
      population.push(sibling);
      injected.set(person.personKey, 'SIBLING_LOOKALIKE');
      injected.set(sibling.personKey, 'SIBLING_LOOKALIKE');
    }
  }
  return injected;
}

function lifeOf(person: SyntheticPerson, population: readonly SyntheticPerson[], otherForenames: readonly string[], rates: LinkageRates, prng: Prng): Life {
  const first: Version = { forename: person.forename, surname: person.surname, postcode: person.address.postcode, line1: person.address.line1, tags: [] };
  const life: Life = { person, versions: [first], tags: [], otherForenames };
  const elsewhere = () => {
    let other = prng.pick(population);
    while (other.familyId === person.familyId) other = prng.pick(population);
    return other;
  };
  if (prng.chance(rates.surnameChanged)) {
    const other = elsewhere();
    life.versions.push({ forename: person.forename, surname: other.surname, postcode: other.address.postcode, line1: other.address.line1, tags: ['SURNAME_CHANGED_AND_MOVED'] });
  } else if (prng.chance(rates.movedHouse)) {
    const { postcode, line1 } = elsewhere().address;
    life.versions.push({ ...first, postcode, line1, tags: ['MOVED_HOUSE'] });
  }
  return life;
}

function render(life: Life, system: SourceSystem, rates: LinkageRates, prng: Prng, withIdentifiers: boolean): { record: Omit<MatchRecord, 'sourceId'>; tags: LinkagePattern[] } {
  const { person } = life;
  const version = life.versions.length > 1 && prng.chance(0.5) ? (life.versions[1] as Version) : (life.versions[0] as Version);
  const tags: LinkagePattern[] = [...life.tags];
  if (life.versions.length > 1) tags.push(...((life.versions[1] as Version).tags));
  let forename = version.forename;
  let surname = version.surname;
  let knownAs: string | null = null;

  if (person.nickname && prng.chance(rates.nicknameAsForename)) {
    forename = person.nickname;
    tags.push('NICKNAME_AS_FORENAME');
  } else if (person.nickname && prng.chance(rates.knownAsRecorded)) {
    knownAs = person.nickname;
  }
  if (prng.chance(rates.forenameReplaced)) {
    // Another given name of the same sex: a middle name used day to day, or an English name taken at school.
    let other = prng.pick(life.otherForenames);
    while (other === person.forename) other = prng.pick(life.otherForenames);
    forename = other;
    tags.push('FORENAME_REPLACED');
  } else if (prng.chance(rates.forenameCorrupted)) {
    forename = badlyCorrupted(forename, prng.fork('fc'));
    tags.push('FORENAME_CORRUPTED');
  }
  const accented = (name: string) => /[^\x20-\x7e]/.test(name);
  if ((accented(forename) || accented(surname)) && prng.chance(rates.nameTransliterated)) {
    forename = transliteration(forename, prng.fork('tf'));
    surname = transliteration(surname, prng.fork('ts'));
    tags.push('NAME_TRANSLITERATED');
  }
  if (prng.chance(rates.nameRespelt)) {
    if (prng.chance(0.5)) forename = phoneticRespelling(forename, prng.fork('rf'));
    else surname = phoneticRespelling(surname, prng.fork('rs'));
    tags.push('NAME_RESPELT');
  }
  if (prng.chance(rates.nameTypo)) {
    if (prng.chance(0.5)) forename = keyboardTypo(forename, prng.fork('tyf'));
    else surname = keyboardTypo(surname, prng.fork('tys'));
    tags.push('NAME_TYPO');
  }
  if (prng.chance(rates.namesSwapped)) {
    [forename, surname] = [surname, forename];
    tags.push('NAMES_SWAPPED');
  }

  let dateOfBirth: string | null = person.dateOfBirth;
  const dobRoll = prng.next();
  let edge = rates.dobMissing;
  if (dobRoll < edge) {
    dateOfBirth = null;
    tags.push('DOB_MISSING');
  } else if (dobRoll < (edge += rates.dobYearOff)) {
    dateOfBirth = yearOff(person.dateOfBirth, prng);
    tags.push('DOB_YEAR_OFF');
  } else if (dobRoll < (edge += rates.dobDayMonthSwapped)) {
    dateOfBirth = dayMonthSwapped(person.dateOfBirth);
    if (dateOfBirth !== person.dateOfBirth) tags.push('DOB_DAY_MONTH_SWAPPED');
  } else if (dobRoll < edge + rates.dobDigitOff) {
    dateOfBirth = oneDigitOff(person.dateOfBirth, prng);
    tags.push('DOB_DIGIT_OFF');
  }

  let postcode: string | null = version.postcode;
  const pcRoll = prng.next();
  if (pcRoll < rates.postcodeMissing) {
    postcode = null;
    tags.push('POSTCODE_MISSING');
  } else if (pcRoll < rates.postcodeMissing + rates.postcodeUnusable) {
    postcode = prng.pick(UNUSABLE_POSTCODES);
    tags.push('POSTCODE_UNUSABLE');
  } else if (pcRoll < rates.postcodeMissing + rates.postcodeUnusable + rates.postcodeTypo) {
    postcode = postcodeTypo(version.postcode, prng);
    tags.push('POSTCODE_TYPO');
  } else if (prng.chance(0.3)) {
    postcode = prng.chance(0.5) ? version.postcode.toLowerCase() : version.postcode.replace(' ', '');
  }

  let gender: Gender = person.gender === 'F' ? 'FEMALE' : 'MALE';
  if (prng.chance(rates.genderMissing)) {
    gender = 'NOT_STATED';
    tags.push('GENDER_MISSING');
  }
  const upn = withIdentifiers && system !== 'YOIS' ? person.upn : null;
  const pncNumber = withIdentifiers && system === 'YOIS' ? person.pncNumber : null;
  // Drawn from a fork, so the other patterns fall exactly as they did before this rate existed.
  const previous = (life.versions[0] as Version).surname;
  const keepsPrevious = system === 'UMIS' && version.surname !== previous && prng.fork('umis-prev').chance(rates.umisPreviousSurname);
  if (keepsPrevious) tags.push('PREVIOUS_SURNAME_KEPT');
  const otherNames = keepsPrevious ? { otherNames: [{ forename: null, surname: previous }] } : {};
  const addressLine = renderAddressLine(version.line1, tags, rates, prng.fork('line'));
  return { record: { source: system, forename, surname, knownAs, dateOfBirth, gender, postcode, addressLine, upn, pncNumber, ...otherNames }, tags };
}

const STREET_ABBREVIATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/ Street$/, ' St'], [/ Road$/, ' Rd'], [/ Avenue$/, ' Ave'], [/ Lane$/, ' Ln'], [/ Grove$/, ' Gro'], [/ Gardens$/, ' Gdns'],
];

/**
 * The first address line as one system keeps it: left empty, or written its own way (street type
 * abbreviated, the flat left out or written '3/12', upper case, a slip in the street name). Drawn
 * from its own fork, so every other pattern falls as it did before lines were generated.
 */
function renderAddressLine(line1: string, tags: readonly LinkagePattern[], rates: LinkageRates, prng: Prng): string | null {
  if (tags.includes('POSTCODE_UNUSABLE')) return null;
  if (tags.includes('POSTCODE_MISSING') && prng.chance(0.5)) return null;
  if (prng.chance(rates.addressLineMissing)) return null;
  let line = line1;
  const flat = /^Flat (\d+), (.*)$/.exec(line);
  if (flat) {
    const roll = prng.next();
    if (roll < 0.3) line = flat[2] as string;
    else if (roll < 0.5) line = `${flat[1]}/${flat[2]}`;
  }
  if (prng.chance(0.25)) for (const [long, short] of STREET_ABBREVIATIONS) line = line.replace(long, short);
  if (prng.chance(0.03)) {
    const words = line.split(' ');
    const last = words.length - 2;
    if (last >= 0 && /^[A-Za-z]{4,}$/.test(words[last] as string)) words[last] = keyboardTypo(words[last] as string, prng);
    line = words.join(' ');
  }
  return prng.chance(0.3) ? line.toUpperCase() : line;
}

/** Generates the labelled records. Deterministic for a seed. */
export function generateLinkageData(options: LinkageDataOptions): LinkageData {
  const rates: LinkageRates = { ...DEFAULT_LINKAGE_RATES, ...options.rates };
  const prng = new Prng(options.seed).fork('linkage');
  const population = generatePopulation({ seed: options.seed, size: options.people });
  const injected = injectLookalikes(population, rates, prng.fork('lookalikes'));
  const forenamesBySex = { F: [...new Set(population.filter((p) => p.gender === 'F').map((p) => p.forename))], M: [...new Set(population.filter((p) => p.gender === 'M').map((p) => p.forename))] };

  const data: LinkageData = { records: [], truth: new Map(), patterns: new Map(), familyOf: new Map(), people: population.length };
  const nextId: Record<(typeof SYSTEMS)[number], number> = { IYSS: 100000, UMIS: 500000, YOIS: 700000 };
  const sourceId = (system: (typeof SYSTEMS)[number]) => {
    const n = nextId[system]++;
    return system === 'UMIS' ? `C${n}` : String(n);
  };

  for (const person of population) {
    const own = prng.fork(person.personKey);
    const life = lifeOf(person, population, forenamesBySex[person.gender], rates, own.fork('life'));
    const lookalike = injected.get(person.personKey);
    if (lookalike) life.tags.push(lookalike);
    data.familyOf.set(person.personKey, person.familyId);

    const systems: Array<(typeof SYSTEMS)[number]> = SYSTEMS.filter((s) => own.chance(rates.coverage[s]));
    if (systems.length === 0) systems.push('IYSS');
    const duplicateIn = own.chance(rates.sameSystemDuplicate) ? own.pick(systems) : null;
    if (duplicateIn) systems.push(duplicateIn);
    systems.forEach((system, i) => {
      const { record, tags } = render(life, system, rates, own.fork(`r${i}`), options.withIdentifiers ?? false);
      if (duplicateIn && i === systems.length - 1) tags.push('SAME_SYSTEM_DUPLICATE');
      const full: MatchRecord = { ...record, sourceId: sourceId(system) };
      const key = recordKey(full);
      data.records.push(full);
      data.truth.set(key, person.personKey);
      data.patterns.set(key, tags);
    });
  }
  return data;
}
