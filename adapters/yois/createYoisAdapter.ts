import { sql, type Kysely } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import { chunk, MAX_PARAMETERS_PER_STATEMENT } from '../drivers/insertRows';
import { capRows, likePrefix } from '../drivers/queryHelpers';
import {
  RecordNotFound,
  type AllocationRecord,
  type AppointmentRecord,
  type BreachWarningRecord,
  type CandidateFilter,
  type OffenceRecord,
  type OrderRecord,
  type PersonRecord,
  type YoisAdapter,
} from '../types';
import {
  appointmentTypeFromCode,
  attendanceFromFlag,
  canonicalPncNumber,
  compactDateOf,
  genderFromSex,
  isoDateFromCompact,
  isoDateFromDateTime,
  isoDateTime,
  legacyUpperCase,
  naturalCase,
  NO,
  orderStatusFromCode,
  outcomeTypeFromCode,
  requirementText,
  standardPostcode,
} from './mapping';
import type { YoisTables } from './tables';

const SOURCE = 'YOIS' as const;
/** Stands in for a date column that holds no readable date (none in the seed; legacy data may have them). */
const UNREADABLE_DATE = '0001-01-01';

/** A person as YOIS holds them: the unified record plus the PNC number. */
export type YoisPersonRecord = PersonRecord & { pncNumber: string | null };

/** PERSON_IDs are positive integers; anything else cannot exist in YOIS. */
function parseId(id: string): number | undefined {
  return /^\d{1,9}$/.test(id) ? Number(id) : undefined;
}

function validIds(ids: readonly string[]): number[] {
  return [...new Set(ids.map(parseId).filter((id): id is number => id !== undefined))];
}

function personQuery(db: Kysely<YoisTables>) {
  return db
    .selectFrom('YP_PERSON as p')
    .leftJoin('LU_ETHNICITY as e', 'e.ETHNICITY_CODE', 'p.ETHNICITY_CODE')
    .select([
      'p.PERSON_ID',
      'p.FORENAME',
      'p.SURNAME',
      'p.KNOWN_AS',
      'p.DOB',
      'p.SEX',
      'e.DESCRIPTION as ETHNICITY',
      'p.ADDRESS_LINE1',
      'p.POSTCODE',
      'p.PNC_NUMBER',
      'p.UPN',
    ])
    .where('p.DELETED_FLAG', '=', NO);
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof personQuery>['execute']>>[number];

function toPerson(row: PersonRow): YoisPersonRecord {
  const postcode = standardPostcode(row.POSTCODE);
  const line1 = row.ADDRESS_LINE1?.trim() || null;
  return {
    source: SOURCE,
    sourceId: String(row.PERSON_ID),
    forename: naturalCase(row.FORENAME),
    surname: naturalCase(row.SURNAME),
    knownAs: row.KNOWN_AS?.trim() ? naturalCase(row.KNOWN_AS) : null,
    dateOfBirth: isoDateFromCompact(row.DOB),
    gender: genderFromSex(row.SEX),
    ethnicity: row.ETHNICITY ?? null,
    address: line1 || postcode ? { line1, postcode } : null,
    upn: row.UPN?.trim() || null,
    pncNumber: canonicalPncNumber(row.PNC_NUMBER),
  };
}

/**
 * Groups rows by person, one list per key in key order. Unknown or malformed IDs get an empty list:
 * having no offences is not an error.
 */
function groupByPerson<Row extends { PERSON_ID: number }, T>(
  ids: readonly string[],
  rows: readonly Row[],
  map: (row: Row) => T | null,
): T[][] {
  const grouped = new Map<number, T[]>();
  for (const row of rows) {
    const item = map(row);
    if (item === null) continue;
    const list = grouped.get(row.PERSON_ID) ?? [];
    list.push(item);
    grouped.set(row.PERSON_ID, list);
  }
  return ids.map((id) => grouped.get(parseId(id) ?? -1) ?? []);
}

/** Runs `load` once per chunk of valid IDs (a fixed number of statements however many keys). */
async function loadInChunks<Row>(ids: readonly string[], load: (part: number[]) => Promise<Row[]>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const part of chunk(validIds(ids), MAX_PARAMETERS_PER_STATEMENT)) rows.push(...(await load(part)));
  return rows;
}

/** Search prefixes as YOIS stores names: upper case within Windows-1252, then a LIKE pattern. */
function namePatterns(prefixes: readonly string[]): string[] {
  return [...new Set(prefixes.map((p) => likePrefix(legacyUpperCase(p.trim()))))];
}

/** The YOIS adapter: the only code that knows YOIS tables, columns and code values. */
export function createYoisAdapter(database: Database<YoisTables>): YoisAdapter {
  const { db, engine } = database;

  /** The live orders of a chunk of people, and what hangs off each: four statements per chunk. */
  async function orderParts(part: number[]) {
    const ordersOf = () =>
      db.selectFrom('YP_ORDER as o').where('o.PERSON_ID', 'in', part).where('o.DELETED_FLAG', '=', NO);
    const [orders, requirements, appointments, warnings] = await Promise.all([
      ordersOf()
        .select(['o.PERSON_ID', 'o.ORDER_ID', 'o.ORDER_TYPE_CODE', 'o.ORDER_START', 'o.ORDER_END', 'o.ORDER_STATUS'])
        .orderBy('o.ORDER_START', 'desc')
        .orderBy('o.ORDER_ID', 'desc')
        .execute(),
      ordersOf()
        .innerJoin('YP_ORDER_REQUIREMENT as r', 'r.ORDER_ID', 'o.ORDER_ID')
        .leftJoin('LU_REQUIREMENT as l', 'l.REQUIREMENT_CODE', 'r.REQUIREMENT_CODE')
        .select(['r.ORDER_ID', 'r.REQUIREMENT_CODE', 'r.DETAIL', 'l.DESCRIPTION'])
        .where('r.DELETED_FLAG', '=', NO)
        .orderBy('r.ORDER_REQUIREMENT_ID')
        .execute(),
      ordersOf()
        .innerJoin('YP_APPOINTMENT as a', 'a.ORDER_ID', 'o.ORDER_ID')
        .select(['a.ORDER_ID', 'a.APPOINTMENT_ID', 'a.APPT_DATETIME', 'a.APPT_TYPE', 'a.ATTENDED_FLAG'])
        .where('a.DELETED_FLAG', '=', NO)
        .orderBy('a.APPT_DATETIME', 'desc')
        .orderBy('a.APPOINTMENT_ID', 'desc')
        .execute(),
      ordersOf()
        .innerJoin('YP_BREACH_WARNING as w', 'w.ORDER_ID', 'o.ORDER_ID')
        .select(['w.ORDER_ID', 'w.WARNING_ID', 'w.ISSUED_DATE', 'w.STRIKE_NO', 'w.REASON'])
        .where('w.DELETED_FLAG', '=', NO)
        .orderBy('w.ISSUED_DATE')
        .orderBy('w.WARNING_ID')
        .execute(),
    ]);
    return { orders, requirements, appointments, warnings };
  }

  return {
    system: SOURCE,

    async peopleByIds(ids) {
      const rows = await loadInChunks(ids, (part) => personQuery(db).where('p.PERSON_ID', 'in', part).execute());
      const found = new Map(rows.map((row) => [row.PERSON_ID, toPerson(row)]));
      return ids.map((id) => found.get(parseId(id) ?? -1) ?? new RecordNotFound(SOURCE, id));
    },

    async offencesByPersonIds(ids) {
      const rows = await loadInChunks(ids, (part) =>
        db
          .selectFrom('YP_OFFENCE as f')
          .leftJoin('LU_OFFENCE as l', 'l.OFFENCE_CODE', 'f.OFFENCE_CODE')
          .leftJoin('YP_OUTCOME as o', (join) => join.onRef('o.OFFENCE_ID', '=', 'f.OFFENCE_ID').on('o.DELETED_FLAG', '=', NO))
          .select([
            'f.PERSON_ID',
            'f.OFFENCE_ID',
            'f.OFFENCE_CODE',
            'f.OFFENCE_DATE',
            'l.DESCRIPTION',
            'l.CATEGORY',
            'l.GRAVITY_SCORE',
            'o.OUTCOME_ID',
            'o.OUTCOME_TYPE_CODE',
            'o.OUTCOME_DATE',
            'o.COURT_NAME',
          ])
          .where('f.PERSON_ID', 'in', part)
          .where('f.DELETED_FLAG', '=', NO)
          // YYYYMMDD text sorts as dates do, on every engine.
          .orderBy('f.OFFENCE_DATE', 'desc')
          .orderBy('f.OFFENCE_ID', 'desc')
          .orderBy('o.OUTCOME_DATE', 'desc')
          .execute(),
      );
      // Should an offence ever carry two live outcomes, the latest (first in this order) stands.
      const seen = new Set<number>();
      return groupByPerson(ids, rows, (row): OffenceRecord | null => {
        if (seen.has(row.OFFENCE_ID)) return null;
        seen.add(row.OFFENCE_ID);
        const outcomeType = row.OUTCOME_TYPE_CODE === null ? null : outcomeTypeFromCode(row.OUTCOME_TYPE_CODE);
        const code = row.OFFENCE_CODE.trim();
        return {
          source: SOURCE,
          offenceId: String(row.OFFENCE_ID),
          offenceCode: code,
          description: row.DESCRIPTION ?? `Offence code ${code}`,
          category: row.CATEGORY ?? 'Not known',
          // 0 only when the code table lacks the code: no gravity was ever assessed.
          gravityScore: row.GRAVITY_SCORE ?? 0,
          offenceDate: isoDateFromCompact(row.OFFENCE_DATE) ?? UNREADABLE_DATE,
          outcome:
            row.OUTCOME_ID === null || outcomeType === null
              ? null
              : {
                  outcomeId: String(row.OUTCOME_ID),
                  type: outcomeType,
                  outcomeDate: isoDateFromCompact(row.OUTCOME_DATE) ?? UNREADABLE_DATE,
                  court: row.COURT_NAME?.trim() || null,
                },
        };
      });
    },

    async ordersByPersonIds(ids) {
      const parts = await loadInChunks(ids, async (part) => [await orderParts(part)]);
      const requirements = new Map<number, string[]>();
      const appointments = new Map<number, AppointmentRecord[]>();
      const warnings = new Map<number, BreachWarningRecord[]>();
      const push = <T>(map: Map<number, T[]>, key: number, item: T) => {
        const list = map.get(key);
        if (list) list.push(item);
        else map.set(key, [item]);
      };
      for (const part of parts) {
        for (const r of part.requirements) push(requirements, r.ORDER_ID, requirementText(r.DESCRIPTION, r.REQUIREMENT_CODE, r.DETAIL));
        for (const a of part.appointments) {
          push(appointments, a.ORDER_ID, {
            appointmentId: String(a.APPOINTMENT_ID),
            scheduledAt: isoDateTime(a.APPT_DATETIME),
            appointmentType: appointmentTypeFromCode(a.APPT_TYPE),
            attendance: attendanceFromFlag(a.ATTENDED_FLAG),
          });
        }
        for (const w of part.warnings) {
          push(warnings, w.ORDER_ID, {
            warningId: String(w.WARNING_ID),
            issuedOn: isoDateFromDateTime(w.ISSUED_DATE),
            strike: Number(w.STRIKE_NO),
            reason: w.REASON,
          });
        }
      }
      return groupByPerson(ids, parts.flatMap((p) => p.orders), (row): OrderRecord | null => {
        const type = outcomeTypeFromCode(row.ORDER_TYPE_CODE);
        // Every order type in YOIS maps to an outcome type; a code that does not cannot be described.
        if (type === null) return null;
        return {
          source: SOURCE,
          orderId: String(row.ORDER_ID),
          type,
          startDate: isoDateFromCompact(row.ORDER_START) ?? UNREADABLE_DATE,
          endDate: isoDateFromCompact(row.ORDER_END) ?? UNREADABLE_DATE,
          status: orderStatusFromCode(row.ORDER_STATUS),
          requirements: requirements.get(row.ORDER_ID) ?? [],
          appointments: appointments.get(row.ORDER_ID) ?? [],
          breachWarnings: warnings.get(row.ORDER_ID) ?? [],
        };
      });
    },

    async allocationsByPersonIds(ids) {
      const rows = await loadInChunks(ids, (part) =>
        db
          .selectFrom('YP_CASE_ALLOCATION as c')
          .select(['c.PERSON_ID', 'c.ALLOCATION_ID', 'c.UNIT_CODE', 'c.WORKER_NAME', 'c.ALLOC_START', 'c.ALLOC_END'])
          .where('c.PERSON_ID', 'in', part)
          .where('c.DELETED_FLAG', '=', NO)
          .orderBy('c.ALLOC_START', 'desc')
          .orderBy('c.ALLOCATION_ID', 'desc')
          .execute(),
      );
      return groupByPerson(ids, rows, (row): AllocationRecord => ({
        source: SOURCE,
        unitId: row.UNIT_CODE.trim().toUpperCase(),
        workerName: row.WORKER_NAME?.trim() || null,
        startDate: isoDateFromDateTime(row.ALLOC_START),
        endDate: row.ALLOC_END === null ? null : isoDateFromDateTime(row.ALLOC_END),
      }));
    },

    async personIdsAllocatedToUnits(units, today, limit) {
      if (units.length === 0) return [];
      const rows = await capRows(
        db
          .selectFrom('YP_CASE_ALLOCATION as c')
          .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'c.PERSON_ID')
          .select('c.PERSON_ID')
          .distinct()
          .where('c.UNIT_CODE', 'in', [...units])
          .where('c.DELETED_FLAG', '=', NO)
          .where('p.DELETED_FLAG', '=', NO)
          .where((eb) => eb.or([eb('c.ALLOC_END', 'is', null), eb('c.ALLOC_END', '>=', `${today} 00:00:00`)]))
          .orderBy('c.PERSON_ID'),
        database.engine,
        limit,
      ).execute();
      return rows.map((row) => String(row.PERSON_ID));
    },

    async findCandidates(filter: CandidateFilter) {
      let query = personQuery(db);
      // Names are stored upper case. upper() on the column as well keeps a mixed-case row findable
      // (SQLite's upper() and LIKE fold ASCII only, so the prefix arrives already upper-cased, accents too).
      if (filter.surnamePrefixes?.length) {
        const patterns = namePatterns(filter.surnamePrefixes);
        query = query.where((eb) => eb.or(patterns.map((p) => eb(eb.fn<string>('upper', ['p.SURNAME']), 'like', p))));
      }
      if (filter.forenamePrefixes?.length) {
        const patterns = namePatterns(filter.forenamePrefixes);
        query = query.where((eb) =>
          eb.or(
            patterns.flatMap((p) => [
              eb(eb.fn<string>('upper', ['p.FORENAME']), 'like', p),
              eb(eb.fn<string>('upper', ['p.KNOWN_AS']), 'like', p),
            ]),
          ),
        );
      }
      if (filter.datesOfBirth?.length) {
        const compactDates = [...new Set(filter.datesOfBirth.map(compactDateOf).filter((d): d is string => d !== null))];
        // Only unreadable dates were given: nobody can match them.
        if (compactDates.length === 0) return [];
        query = query.where('p.DOB', 'in', compactDates);
      }
      if (filter.postcodePrefix) {
        // Postcodes are keyed with any spacing: compare without case or spaces.
        const prefix = filter.postcodePrefix.replace(/\s+/g, '').toUpperCase();
        query = query.where(sql<string>`replace(upper(${sql.ref('p.POSTCODE')}), ' ', '')`, 'like', likePrefix(prefix));
      }
      const rows = await capRows(query.orderBy('p.PERSON_ID'), engine, filter.limit).execute();
      return rows.map(toPerson);
    },

    async scanPeople(after, limit) {
      const from = after === null ? 0 : parseId(after);
      // No PERSON_ID follows a key that cannot be one.
      if (from === undefined) return [];
      const query = personQuery(db).where('p.PERSON_ID', '>', from).orderBy('p.PERSON_ID');
      return (await capRows(query, engine, limit).execute()).map(toPerson);
    },

    ping: () => database.ping(),
    close: () => database.close(),
  };
}
