import { sql, type Kysely } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import { chunk, MAX_PARAMETERS_PER_STATEMENT } from '../drivers/insertRows';
import { capRows, likePrefix } from '../drivers/queryHelpers';
import {
  RecordNotFound,
  type AttendanceRecord,
  type CandidateFilter,
  type ContactRecord,
  type EducationStatusRecord,
  type IyssAdapter,
  type PersonRecord,
} from '../types';
import {
  attendanceFromCode,
  categoryFromNeetCode,
  genderFromSex,
  isoDateFromLegacyText,
  isoDateTime,
  legacyTextFormsOf,
  standardPostcode,
} from './mapping';
import type { IyssTables } from './tables';

const SOURCE = 'IYSS' as const;

/** IYSS IDs are positive integers; anything else cannot exist there. */
function parseId(id: string): number | undefined {
  return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
}

function personQuery(db: Kysely<IyssTables>) {
  return db
    .selectFrom('tblYoungPerson as p')
    .leftJoin('tlkpEthnicity as e', 'e.EthnicityCode', 'p.EthnicityCode')
    .select([
      'p.YoungPersonID',
      'p.Forename',
      'p.Surname',
      'p.KnownAs',
      'p.DOB',
      'p.Sex',
      'e.Description as Ethnicity',
      'p.AddressLine1',
      'p.Postcode',
      'p.UPN',
    ])
    .where('p.IsDeleted', '=', 0);
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof personQuery>['execute']>>[number];

function toPerson(row: PersonRow): PersonRecord {
  const postcode = standardPostcode(row.Postcode);
  return {
    source: SOURCE,
    sourceId: String(row.YoungPersonID),
    forename: row.Forename.trim(),
    surname: row.Surname.trim(),
    knownAs: row.KnownAs?.trim() || null,
    dateOfBirth: isoDateFromLegacyText(row.DOB),
    gender: genderFromSex(row.Sex),
    ethnicity: row.Ethnicity ?? null,
    address: row.AddressLine1 || postcode ? { line1: row.AddressLine1?.trim() || null, postcode } : null,
    upn: row.UPN?.trim() || null,
  };
}

/**
 * Runs `load` over chunks of valid integer IDs and groups rows by person, returning one list per key
 * in key order. Unknown or malformed IDs get an empty list: having no contacts is not an error.
 */
async function listsByPerson<Row extends { YoungPersonID: number }, T>(
  ids: readonly string[],
  load: (chunkIds: number[]) => Promise<Row[]>,
  map: (row: Row) => T,
): Promise<T[][]> {
  const numeric = [...new Set(ids.map(parseId).filter((id): id is number => id !== undefined))];
  const grouped = new Map<number, T[]>();
  for (const part of chunk(numeric, MAX_PARAMETERS_PER_STATEMENT)) {
    if (part.length === 0) continue;
    for (const row of await load(part)) {
      const list = grouped.get(row.YoungPersonID) ?? [];
      list.push(map(row));
      grouped.set(row.YoungPersonID, list);
    }
  }
  return ids.map((id) => grouped.get(parseId(id) ?? -1) ?? []);
}

/** The IYSS adapter: the only code that knows IYSS tables, columns and code values. */
export function createIyssAdapter(database: Database<IyssTables>): IyssAdapter {
  const { db, engine } = database;
  return {
    system: SOURCE,

    async peopleByIds(ids) {
      const numeric = [...new Set(ids.map(parseId).filter((id): id is number => id !== undefined))];
      const found = new Map<number, PersonRecord>();
      for (const part of chunk(numeric, MAX_PARAMETERS_PER_STATEMENT)) {
        if (part.length === 0) continue;
        const rows = await personQuery(db).where('p.YoungPersonID', 'in', part).execute();
        for (const row of rows) found.set(row.YoungPersonID, toPerson(row));
      }
      return ids.map((id) => found.get(parseId(id) ?? -1) ?? new RecordNotFound(SOURCE, id));
    },

    attendanceByPersonIds(ids) {
      return listsByPerson(
        ids,
        (part) =>
          db
            .selectFrom('tblAttendance as a')
            .innerJoin('tblGroupSession as s', 's.GroupSessionID', 'a.GroupSessionID')
            .leftJoin('tlkpActivityType as t', 't.ActivityTypeCode', 's.ActivityTypeCode')
            .select([
              'a.YoungPersonID',
              'a.AttendanceCode',
              's.GroupSessionID',
              's.SessionTitle',
              's.SessionDate',
              's.Venue',
              's.ActivityTypeCode',
              't.Description as Activity',
            ])
            .where('a.YoungPersonID', 'in', part)
            .where('a.IsDeleted', '=', 0)
            .where('s.IsDeleted', '=', 0)
            .orderBy('s.SessionDate', 'desc')
            .orderBy('s.GroupSessionID', 'desc')
            .execute(),
        (row): AttendanceRecord => ({
          source: SOURCE,
          sessionId: String(row.GroupSessionID),
          title: row.SessionTitle,
          activity: row.Activity ?? row.ActivityTypeCode,
          sessionDate: isoDateTime(row.SessionDate),
          venue: row.Venue,
          status: attendanceFromCode(row.AttendanceCode),
        }),
      );
    },

    contactsByPersonIds(ids) {
      return listsByPerson(
        ids,
        (part) =>
          db
            .selectFrom('tblContact as c')
            .leftJoin('tlkpContactType as t', 't.ContactTypeCode', 'c.ContactTypeCode')
            .select([
              'c.YoungPersonID',
              'c.ContactID',
              'c.ContactDate',
              'c.ContactTypeCode',
              't.Description as ContactType',
              'c.WorkerName',
              'c.DurationMins',
              'c.Notes',
            ])
            .where('c.YoungPersonID', 'in', part)
            .where('c.IsDeleted', '=', 0)
            .orderBy('c.ContactDate', 'desc')
            .orderBy('c.ContactID', 'desc')
            .execute(),
        (row): ContactRecord => ({
          source: SOURCE,
          contactId: String(row.ContactID),
          contactDate: isoDateTime(row.ContactDate),
          contactType: row.ContactType ?? row.ContactTypeCode,
          workerName: row.WorkerName,
          durationMinutes: row.DurationMins,
          notes: row.Notes,
        }),
      );
    },

    async educationByPersonIds(ids) {
      const lists = await listsByPerson(
        ids,
        (part) =>
          db
            .selectFrom('tblEducationStatus as s')
            .leftJoin('tlkpNeetStatus as n', 'n.NeetCode', 's.NeetCode')
            .select([
              's.YoungPersonID',
              's.EducationStatusID',
              's.NeetCode',
              's.EffectiveDate',
              's.Provider',
              'n.Description',
              'n.IsNEET',
            ])
            .where('s.YoungPersonID', 'in', part)
            .where('s.IsDeleted', '=', 0)
            .execute(),
        (row): EducationStatusRecord => ({
          source: SOURCE,
          category: categoryFromNeetCode(row.NeetCode, row.IsNEET),
          description: row.Description ?? `Code ${row.NeetCode}`,
          // EffectiveDate is DD/MM/YYYY text, so SQL cannot order it; sort after parsing.
          effectiveDate: isoDateFromLegacyText(row.EffectiveDate) ?? '0001-01-01',
          provider: row.Provider,
        }),
      );
      return lists.map((list) => list.sort((a, b) => b.effectiveDate.localeCompare(a.effectiveDate)));
    },

    async findCandidates(filter: CandidateFilter) {
      let query = personQuery(db);
      if (filter.surnamePrefixes?.length) {
        const prefixes = filter.surnamePrefixes;
        query = query.where((eb) => eb.or(prefixes.map((p) => eb('p.Surname', 'like', likePrefix(p)))));
      }
      if (filter.forenamePrefixes?.length) {
        const prefixes = filter.forenamePrefixes;
        query = query.where((eb) =>
          eb.or(prefixes.flatMap((p) => [eb('p.Forename', 'like', likePrefix(p)), eb('p.KnownAs', 'like', likePrefix(p))])),
        );
      }
      if (filter.datesOfBirth?.length) {
        query = query.where('p.DOB', 'in', filter.datesOfBirth.flatMap(legacyTextFormsOf));
      }
      if (filter.postcodePrefix) {
        // Postcodes are free text: compare without case or spaces.
        query = query.where(sql<string>`replace(upper(${sql.ref('p.Postcode')}), ' ', '')`, 'like', likePrefix(filter.postcodePrefix));
      }
      const rows = await capRows(query.orderBy('p.YoungPersonID'), engine, filter.limit).execute();
      return rows.map(toPerson);
    },

    async scanPeople(after, limit) {
      const from = after === null ? 0 : (parseId(after) ?? Number.MAX_SAFE_INTEGER);
      const query = personQuery(db).where('p.YoungPersonID', '>', from).orderBy('p.YoungPersonID');
      return (await capRows(query, engine, limit).execute()).map(toPerson);
    },

    async personIdsEverNeet() {
      const rows = await db
        .selectFrom('tblEducationStatus as s')
        .innerJoin('tlkpNeetStatus as n', 'n.NeetCode', 's.NeetCode')
        .innerJoin('tblYoungPerson as p', 'p.YoungPersonID', 's.YoungPersonID')
        .select('s.YoungPersonID')
        .distinct()
        .where('s.IsDeleted', '=', 0)
        .where('n.IsNEET', '=', 1)
        .where('p.IsDeleted', '=', 0)
        .execute();
      return rows.map((row) => String(row.YoungPersonID));
    },

    ping: () => database.ping(),
    close: () => database.close(),
  };
}
