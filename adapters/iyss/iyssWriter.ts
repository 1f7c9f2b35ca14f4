import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import { legacyDateTime, nextIntegerId, requireCode, withFreshKeys } from '../drivers/writeHelpers';
import { RecordNotFound, type AttendanceStatus, type DemographicChange, type Gender, type IyssWriter } from '../types';
import { standardPostcode } from './mapping';
import type { IyssTables } from './tables';

const SOURCE = 'IYSS' as const;

/** The codes IYSS stores for attendance (the reverse of `attendanceFromCode`). */
const ATTENDANCE_CODE: Readonly<Record<AttendanceStatus, string>> = { PRESENT: 'P', LATE: 'L', ABSENT: 'A', EXCUSED: 'E' };

const parseId = (id: string): number | undefined => (/^\d{1,9}$/.test(id) ? Number(id) : undefined);

/** Throws RecordNotFound unless every ID is a live young person in IYSS. */
async function requireLivePeople(trx: Kysely<IyssTables>, ids: readonly string[]): Promise<number[]> {
  const numeric = ids.map((id) => parseId(id));
  const missing = ids.find((_, index) => numeric[index] === undefined);
  if (missing !== undefined) throw new RecordNotFound(SOURCE, missing);
  const wanted = [...new Set(numeric as number[])];
  const rows = await trx.selectFrom('tblYoungPerson').select('YoungPersonID').where('YoungPersonID', 'in', wanted).where('IsDeleted', '=', 0).execute();
  const live = new Set(rows.map((row) => row.YoungPersonID));
  const absent = wanted.find((id) => !live.has(id));
  if (absent !== undefined) throw new RecordNotFound(SOURCE, String(absent));
  return numeric as number[];
}

const contactTypes = async (trx: Transaction<IyssTables>) =>
  (await trx.selectFrom('tlkpContactType').select('ContactTypeCode').execute()).map((row) => row.ContactTypeCode);
const activityTypes = async (trx: Transaction<IyssTables>) =>
  (await trx.selectFrom('tlkpActivityType').select('ActivityTypeCode').execute()).map((row) => row.ActivityTypeCode);

const SEX_CODE: Readonly<Record<Gender, string>> = { FEMALE: 'F', MALE: 'M', OTHER: 'O', NOT_STATED: 'U' };

/** The code whose description matches (case aside), or null: an ethnicity IYSS cannot code is left unrecorded, never guessed. */
async function ethnicityCodeOf(trx: Transaction<IyssTables>, description: string | null): Promise<string | null> {
  if (!description) return null;
  const rows = await trx.selectFrom('tlkpEthnicity').select(['EthnicityCode', 'Description']).execute();
  return rows.find((row) => row.Description.trim().toLowerCase() === description.trim().toLowerCase())?.EthnicityCode ?? null;
}

/** The tblYoungPerson columns a change sets (IYSS takes names, preferred name and address). */
function personColumns(change: DemographicChange): Partial<IyssTables['tblYoungPerson']> {
  return {
    ...(change.forename !== undefined ? { Forename: change.forename } : {}),
    ...(change.surname !== undefined ? { Surname: change.surname } : {}),
    ...(change.knownAs !== undefined ? { KnownAs: change.knownAs } : {}),
    ...(change.address !== undefined ? { AddressLine1: change.address.line1, Postcode: standardPostcode(change.address.postcode) } : {}),
  };
}

/** IYSS writes: contacts, and group-work sessions with their register, each in one transaction. */
export function createIyssWriter(database: Database<IyssTables>, clock: { now(): Date } = { now: () => new Date() }): IyssWriter {
  const { db } = database;
  const stamp = () => legacyDateTime(clock.now().toISOString());
  return {
    demographicFields: ['forename', 'surname', 'knownAs', 'address'],

    registerPerson: (person) =>
      withFreshKeys(() =>
        db.transaction().execute(async (trx) => {
          const id = await nextIntegerId(trx, 'tblYoungPerson', 'YoungPersonID');
          await trx
            .insertInto('tblYoungPerson')
            .values({
              YoungPersonID: id,
              Forename: person.forename,
              Surname: person.surname,
              KnownAs: person.knownAs,
              // The web form's format (the old import wrote DD/MM/YYYY).
              DOB: person.dateOfBirth,
              Sex: SEX_CODE[person.gender],
              EthnicityCode: await ethnicityCodeOf(trx, person.ethnicity),
              AddressLine1: person.address?.line1 ?? null,
              Postcode: standardPostcode(person.address?.postcode ?? null),
              UPN: person.upn,
              IsDeleted: 0,
              DateCreated: stamp(),
              DateModified: stamp(),
            })
            .execute();
          return { recordId: String(id) };
        }),
      ),

    updateDemographics: (sourceId, change) =>
      db.transaction().execute(async (trx) => {
        const [id] = await requireLivePeople(trx, [sourceId]);
        await trx.updateTable('tblYoungPerson').set({ ...personColumns(change), DateModified: stamp() }).where('YoungPersonID', '=', id!).execute();
        return { recordId: String(id) };
      }),

    recordContact: (contact) =>
      withFreshKeys(() =>
        db.transaction().execute(async (trx) => {
          const [personId] = await requireLivePeople(trx, [contact.personSourceId]);
          const code = requireCode(SOURCE, await contactTypes(trx), contact.contactTypeCode, 'contactType');
          const contactId = await nextIntegerId(trx, 'tblContact', 'ContactID');
          await trx
            .insertInto('tblContact')
            .values({
              ContactID: contactId,
              YoungPersonID: personId!,
              ContactDate: legacyDateTime(contact.contactDate),
              ContactTypeCode: code,
              WorkerName: contact.workerName,
              DurationMins: contact.durationMinutes,
              Notes: contact.notes,
              IsDeleted: 0,
            })
            .execute();
          return { recordId: String(contactId) };
        }),
      ),

    recordGroupSession: (session) =>
      withFreshKeys(() =>
        db.transaction().execute(async (trx) => {
          const people = await requireLivePeople(trx, session.attendance.map((a) => a.personSourceId));
          const code = requireCode(SOURCE, await activityTypes(trx), session.activityTypeCode, 'activityType');
          const sessionId = await nextIntegerId(trx, 'tblGroupSession', 'GroupSessionID');
          await trx
            .insertInto('tblGroupSession')
            .values({ GroupSessionID: sessionId, ActivityTypeCode: code, SessionTitle: session.title, SessionDate: legacyDateTime(session.sessionDate), Venue: session.venue, IsDeleted: 0 })
            .execute();
          const firstAttendance = await nextIntegerId(trx, 'tblAttendance', 'AttendanceID');
          const rows = session.attendance.map((entry, index) => ({
            AttendanceID: firstAttendance + index,
            GroupSessionID: sessionId,
            YoungPersonID: people[index]!,
            AttendanceCode: ATTENDANCE_CODE[entry.status],
            IsDeleted: 0,
          }));
          if (rows.length) await trx.insertInto('tblAttendance').values(rows).execute();
          return { recordId: String(sessionId), related: { attendance: rows.map((row) => String(row.AttendanceID)) } };
        }),
      ),
  };
}
