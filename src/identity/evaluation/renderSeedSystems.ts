/**
 * The source systems' own seed generators' view of a population, for tests that need records shaped
 * exactly like each adapter returns them. (The matcher's evaluation uses ./generateLinkageData.ts,
 * which adds the failure patterns these generators lack.) Renders
 * each source system's imperfect copy of it with that system's own seed generator (IYSS, UMIS and
 * YOIS `seedRows.ts`, with their `truth`), maps the rows to records the way each adapter's `toPerson`
 * does (through the adapters' own mapping functions; the adapters themselves are not imported, as
 * they carry database code).
 *
 * DMS holds documents about records in the other systems, not people of its own, so it has nothing
 * to match.
 */
import { genderFromSex as iyssGender, isoDateFromLegacyText, standardPostcode as iyssPostcode } from '../../../adapters/iyss/mapping';
import { generateIyssRows, type IyssSeed } from '../../../adapters/synthetic/iyss/seedRows';
import type { SyntheticPerson } from '../../../adapters/synthetic/population';
import type { PersonRecord, SourceSystem } from '../../../adapters/types';
import { genderFromIso5218, isoDate } from '../../../adapters/umis/mapping';
import { generateUmisRows, type UmisSeed } from '../../../adapters/synthetic/umis/seedRows';
import {
  canonicalPncNumber,
  genderFromSex as yoisGender,
  isoDateFromCompact,
  naturalCase,
  NO,
  standardPostcode as yoisPostcode,
} from '../../../adapters/yois/mapping';
import { generateYoisRows, type YoisSeed } from '../../../adapters/synthetic/yois/seedRows';
import { recordKey, toMatchRecord, type MatchRecord } from '../matchRecord';

/** Records of every system plus who each record really is. */
export interface RenderedSystems {
  records: MatchRecord[];
  /** Record key → ground-truth personKey. */
  truth: Map<string, string>;
  /** Per system: how many (live) records and which generator made them. */
  systems: Partial<Record<SourceSystem, { records: number; generator: string }>>;
}

export interface RenderOptions {
  seed: number;
  /** Share of the population UMIS knows; default: the UMIS generator's own (0.35). */
  umisCoverage?: number;
  /** Share of people with a PNC number YOIS knows; default: the YOIS generator's own (0.95). */
  yoisPncCoverage?: number;
}

type IyssPersonRow = IyssSeed['rows']['tblYoungPerson'][number];
type UmisClientRow = UmisSeed['rows']['client'][number];
type YoisPersonRow = YoisSeed['rows']['YP_PERSON'][number];

/** The IYSS adapter's `toPerson` over a seed row (adapters/iyss/createIyssAdapter.ts; same mapping functions). */
function iyssPerson(row: IyssPersonRow): PersonRecord {
  const postcode = iyssPostcode(row.Postcode);
  return {
    source: 'IYSS',
    sourceId: String(row.YoungPersonID),
    forename: row.Forename.trim(),
    surname: row.Surname.trim(),
    knownAs: row.KnownAs?.trim() || null,
    dateOfBirth: isoDateFromLegacyText(row.DOB),
    gender: iyssGender(row.Sex),
    ethnicity: null,
    address: row.AddressLine1 || postcode ? { line1: row.AddressLine1?.trim() || null, postcode } : null,
    upn: row.UPN?.trim() || null,
  };
}

/** The UMIS adapter's `toPerson` over a seed row (adapters/umis/createUmisAdapter.ts). */
type UmisAliasRow = UmisSeed['rows']['client_alias'][number];

/** The UMIS adapter's `scanPeople` (for matching) over a seed row and its live aliases. */
function umisPerson(row: UmisClientRow, aliases: readonly UmisAliasRow[]): PersonRecord {
  const postcode = row.post_code?.trim() || null;
  const line1 = row.address_line_1?.trim() || null;
  const kinds: Readonly<Record<string, 'PREVIOUS' | 'ALSO_KNOWN_AS'>> = { PREV: 'PREVIOUS', AKA: 'ALSO_KNOWN_AS' };
  const otherNames = aliases
    .filter((a) => Number(a.is_active) === 1 && kinds[a.alias_type_code] && (a.given_name?.trim() || a.family_name?.trim()))
    .sort((x, y) => (x.client_alias_id < y.client_alias_id ? -1 : 1))
    .map((a) => ({ kind: kinds[a.alias_type_code]!, forename: a.given_name?.trim() || null, surname: a.family_name?.trim() || null }));
  return {
    ...(otherNames.length > 0 ? { otherNames } : {}),
    source: 'UMIS',
    sourceId: row.client_id.trim(),
    forename: row.given_name.trim(),
    surname: row.family_name.trim(),
    knownAs: row.preferred_name?.trim() || null,
    dateOfBirth: isoDate(row.date_of_birth),
    gender: genderFromIso5218(row.gender_code),
    ethnicity: null,
    address: line1 || postcode ? { line1, postcode } : null,
    upn: row.upn?.trim() || null,
  };
}

/** The YOIS adapter's `toPerson` over a seed row (adapters/yois/createYoisAdapter.ts). */
function yoisPerson(row: YoisPersonRow): PersonRecord & { pncNumber: string | null } {
  const postcode = yoisPostcode(row.POSTCODE);
  const line1 = row.ADDRESS_LINE1?.trim() || null;
  return {
    source: 'YOIS',
    sourceId: String(row.PERSON_ID),
    forename: naturalCase(row.FORENAME),
    surname: naturalCase(row.SURNAME),
    knownAs: row.KNOWN_AS?.trim() ? naturalCase(row.KNOWN_AS) : null,
    dateOfBirth: isoDateFromCompact(row.DOB),
    gender: yoisGender(row.SEX),
    ethnicity: null,
    address: line1 || postcode ? { line1, postcode } : null,
    upn: row.UPN?.trim() || null,
    pncNumber: canonicalPncNumber(row.PNC_NUMBER),
  };
}

function addRecords(
  into: RenderedSystems,
  system: SourceSystem,
  generator: string,
  people: Iterable<{ person: PersonRecord & { pncNumber?: string | null }; personKey: string | undefined }>,
): void {
  let count = 0;
  for (const { person, personKey } of people) {
    if (personKey === undefined) throw new Error(`${system} seed has no ground truth for record ${person.sourceId}`);
    const record = toMatchRecord(person);
    into.records.push(record);
    into.truth.set(recordKey(record), personKey);
    count++;
  }
  into.systems[system] = { records: count, generator };
}

/** Every system's live records for a population, with the ground truth. */
export function renderSystems(population: readonly SyntheticPerson[], options: RenderOptions): RenderedSystems {
  const rendered: RenderedSystems = { records: [], truth: new Map(), systems: {} };
  const { seed } = options;

  const iyss = generateIyssRows(population, { seed });
  const iyssTruth = new Map(iyss.truth.map((t) => [String(t.youngPersonId), t.personKey]));
  addRecords(
    rendered,
    'IYSS',
    'adapters/synthetic/iyss/seedRows.ts generateIyssRows',
    // Adapters only ever return live rows.
    iyss.rows.tblYoungPerson.filter((row) => row.IsDeleted === 0).map((row) => ({ person: iyssPerson(row), personKey: iyssTruth.get(String(row.YoungPersonID)) })),
  );

  const umis = generateUmisRows(population, { seed, coverage: options.umisCoverage });
  const umisTruth = new Map(umis.truth.map((t) => [t.sourceId, t.personKey]));
  const aliasesOf = new Map<string, UmisAliasRow[]>();
  for (const alias of umis.rows.client_alias) aliasesOf.set(alias.client_id, [...(aliasesOf.get(alias.client_id) ?? []), alias]);
  addRecords(
    rendered,
    'UMIS',
    'adapters/synthetic/umis/seedRows.ts generateUmisRows',
    umis.rows.client
      .filter((row) => Number(row.is_active) === 1)
      .map((row) => ({ person: umisPerson(row, aliasesOf.get(row.client_id) ?? []), personKey: umisTruth.get(row.client_id) })),
  );

  const yois = generateYoisRows(population, { seed, pncCoverage: options.yoisPncCoverage });
  const yoisTruth = new Map(yois.truth.map((t) => [t.sourceId, t.personKey]));
  addRecords(
    rendered,
    'YOIS',
    'adapters/synthetic/yois/seedRows.ts generateYoisRows',
    yois.rows.YP_PERSON
      .filter((row) => row.DELETED_FLAG === NO)
      .map((row) => ({ person: yoisPerson(row), personKey: yoisTruth.get(String(row.PERSON_ID)) })),
  );
  return rendered;
}

