import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import { legacyDateTime, nextIntegerId, withFreshKeys } from '../drivers/writeHelpers';
import { RecordNotFound, WriteRejected, type AppointmentOutcome, type BreachFacts, type DemographicChange, type YoisWriter } from '../types';
import { attendanceFromFlag, compactDateOf, isoDateFromCompact, isoDateTime, legacyUpperCase, NO, orderStatusFromCode } from './mapping';
import type { YoisTables } from './tables';

const SOURCE = 'YOIS' as const;

/** `ATTENDED_FLAG` values for the outcomes a worker records (the reverse of `attendanceFromFlag`). */
const ATTENDED_FLAG: Readonly<Record<AppointmentOutcome['attendance'], string>> = { ATTENDED: 'Y', FAILED_TO_ATTEND: 'N', ACCEPTABLE_ABSENCE: 'A' };

const parseId = (id: string): number | undefined => (/^\d{1,9}$/.test(id) ? Number(id) : undefined);

/** The person's live order, or RecordNotFound: another person's order reads exactly like no order. */
async function requireOrderOf(trx: Transaction<YoisTables>, personSourceId: string, orderId: string): Promise<number> {
  const person = parseId(personSourceId);
  const order = parseId(orderId);
  const row =
    person !== undefined && order !== undefined
      ? await trx
          .selectFrom('YP_ORDER as o')
          .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'o.PERSON_ID')
          .select('o.ORDER_ID')
          .where('o.ORDER_ID', '=', order)
          .where('o.PERSON_ID', '=', person)
          .where('o.DELETED_FLAG', '=', NO)
          .where('p.DELETED_FLAG', '=', NO)
          .executeTakeFirst()
      : undefined;
  if (!row) throw new RecordNotFound(SOURCE, orderId);
  return row.ORDER_ID;
}

/** YOIS holds a name as the police and courts know it, so only the address follows a change made elsewhere. */
function personColumns(change: DemographicChange): Partial<Record<'ADDRESS_LINE1' | 'POSTCODE', string | null>> {
  if (change.address === undefined) return {};
  return {
    ADDRESS_LINE1: change.address.line1 === null ? null : legacyUpperCase(change.address.line1),
    POSTCODE: change.address.postcode === null ? null : change.address.postcode.trim().toUpperCase(),
  };
}

async function requireLivePerson(trx: Transaction<YoisTables>, sourceId: string): Promise<number> {
  const id = parseId(sourceId);
  const row = id === undefined ? undefined : await trx.selectFrom('YP_PERSON').select('PERSON_ID').where('PERSON_ID', '=', id).where('DELETED_FLAG', '=', NO).executeTakeFirst();
  if (!row) throw new RecordNotFound(SOURCE, sourceId);
  return row.PERSON_ID;
}

const NOTE_KIND = { CAT: 'CONTACT_ATTEMPT', PNL: 'PANEL', PRG: 'PROGRESS' } as const;
const NOTE_TYPE = { CONTACT_ATTEMPT: 'CAT', PANEL: 'PNL' } as const;
const ORDER_STATUS = { BREACHED: 'B', ACTIVE: 'A' } as const;

async function readBreachFacts(trx: Kysely<YoisTables>, orderId: number): Promise<BreachFacts> {
  const order = await trx.selectFrom('YP_ORDER').select('ORDER_STATUS').where('ORDER_ID', '=', orderId).executeTakeFirst();
  if (!order) throw new RecordNotFound(SOURCE, String(orderId));
  const appointments = await trx
    .selectFrom('YP_APPOINTMENT')
    .select(['APPOINTMENT_ID', 'APPT_DATETIME', 'ATTENDED_FLAG'])
    .where('ORDER_ID', '=', orderId)
    .where('DELETED_FLAG', '=', NO)
    .orderBy('APPT_DATETIME')
    .execute();
  const warnings = await trx.selectFrom('YP_BREACH_WARNING').select(['STRIKE_NO', 'ISSUED_DATE']).where('ORDER_ID', '=', orderId).where('DELETED_FLAG', '=', NO).orderBy('ISSUED_DATE').execute();
  const notes = await trx
    .selectFrom('YP_ORDER_NOTE')
    .select(['NOTE_TYPE', 'NOTE_DATE', 'CREATED_DATE', 'NOTE_TEXT'])
    .where('ORDER_ID', '=', orderId)
    .where('DELETED_FLAG', '=', NO)
    .orderBy('CREATED_DATE')
    .orderBy('NOTE_ID')
    .execute();
  return {
    orderStatus: orderStatusFromCode(order.ORDER_STATUS),
    appointments: appointments.map((a) => ({ appointmentId: String(a.APPOINTMENT_ID), at: isoDateTime(a.APPT_DATETIME), attendance: attendanceFromFlag(a.ATTENDED_FLAG) })),
    warnings: warnings.map((w) => ({ strike: Number(w.STRIKE_NO), issuedAt: isoDateTime(w.ISSUED_DATE) })),
    notes: notes.map((n) => ({
      kind: NOTE_KIND[n.NOTE_TYPE.trim().toUpperCase() as keyof typeof NOTE_KIND] ?? 'PROGRESS',
      noteDate: isoDateFromCompact(n.NOTE_DATE) ?? '0001-01-01',
      recordedAt: isoDateTime(n.CREATED_DATE),
      text: n.NOTE_TEXT,
    })),
  };
}

/** YOIS writes: appointment outcomes and order progress notes, each in one transaction. */
export function createYoisWriter(database: Database<YoisTables>, clock: { now(): Date } = { now: () => new Date() }): YoisWriter {
  const { db } = database;
  const insertNote = async (trx: Transaction<YoisTables>, orderId: number, type: 'CAT' | 'PNL', date: string, text: string, workerName: string | null) => {
    const noteDate = compactDateOf(date);
    if (!noteDate) throw new WriteRejected(SOURCE, 'date', 'the date must be a real date');
    const noteId = await nextIntegerId(trx, 'YP_ORDER_NOTE', 'NOTE_ID');
    await trx
      .insertInto('YP_ORDER_NOTE')
      .values({
        NOTE_ID: noteId,
        ORDER_ID: orderId,
        NOTE_DATE: noteDate,
        NOTE_TYPE: type,
        NOTE_TEXT: toCodePage(text),
        WORKER_NAME: workerName === null ? null : legacyUpperCase(workerName),
        DELETED_FLAG: NO,
        CREATED_DATE: legacyDateTime(clock.now().toISOString()),
      })
      .execute();
    return noteId;
  };
  return {
    demographicFields: ['address'],

    async breachFactsOfOrder(orderId) {
      const id = parseId(orderId);
      if (id === undefined) throw new RecordNotFound(SOURCE, orderId);
      return readBreachFacts(db, id);
    },

    applyBreachStep: (personSourceId, orderId, decide) =>
      withFreshKeys(() =>
        db.transaction().execute(async (trx) => {
          const order = await requireOrderOf(trx, personSourceId, orderId);
          const action = decide(await readBreachFacts(trx, order));
          if (action.kind === 'CONTACT_ATTEMPT') {
            return { recordId: String(await insertNote(trx, order, NOTE_TYPE.CONTACT_ATTEMPT, action.date, action.text, action.workerName)) };
          }
          if (action.kind === 'WARNING') {
            const warningId = await nextIntegerId(trx, 'YP_BREACH_WARNING', 'WARNING_ID');
            await trx
              .insertInto('YP_BREACH_WARNING')
              .values({ WARNING_ID: warningId, ORDER_ID: order, ISSUED_DATE: legacyDateTime(action.issuedAt), STRIKE_NO: action.strike, REASON: toCodePage(action.reason).slice(0, 200), DELETED_FLAG: NO })
              .execute();
            return { recordId: String(warningId) };
          }
          await trx.updateTable('YP_ORDER').set({ ORDER_STATUS: ORDER_STATUS[action.status] }).where('ORDER_ID', '=', order).execute();
          return { recordId: String(await insertNote(trx, order, NOTE_TYPE.PANEL, action.date, action.text, action.workerName)) };
        }),
      ),


    registerPerson: (person) =>
      withFreshKeys(() =>
        db.transaction().execute(async (trx) => {
          const ethnicities = person.ethnicity ? await trx.selectFrom('LU_ETHNICITY').select(['ETHNICITY_CODE', 'DESCRIPTION']).execute() : [];
          const ethnicity = ethnicities.find((e) => e.DESCRIPTION.trim().toLowerCase() === person.ethnicity?.trim().toLowerCase())?.ETHNICITY_CODE ?? null;
          const id = await nextIntegerId(trx, 'YP_PERSON', 'PERSON_ID');
          await trx
            .insertInto('YP_PERSON')
            .values({
              PERSON_ID: id,
              // The legacy screens force upper case, in the code page's letters.
              FORENAME: legacyUpperCase(person.forename),
              SURNAME: legacyUpperCase(person.surname),
              KNOWN_AS: person.knownAs === null ? null : legacyUpperCase(person.knownAs),
              DOB: person.dateOfBirth === null ? null : compactDateOf(person.dateOfBirth),
              SEX: person.gender === 'FEMALE' ? 'F' : person.gender === 'MALE' ? 'M' : 'U',
              ETHNICITY_CODE: ethnicity,
              ADDRESS_LINE1: person.address?.line1 ? legacyUpperCase(person.address.line1) : null,
              POSTCODE: person.address?.postcode ? person.address.postcode.trim().toUpperCase() : null,
              PNC_NUMBER: null,
              UPN: person.upn,
              DELETED_FLAG: NO,
              CREATED_DATE: legacyDateTime(clock.now().toISOString()),
            })
            .execute();
          return { recordId: String(id) };
        }),
      ),

    updateDemographics: (sourceId, change) =>
      db.transaction().execute(async (trx) => {
        const id = await requireLivePerson(trx, sourceId);
        const columns = personColumns(change);
        if (Object.keys(columns).length) await trx.updateTable('YP_PERSON').set(columns).where('PERSON_ID', '=', id).execute();
        return { recordId: String(id) };
      }),

    recordAppointmentOutcome: (outcome) =>
      db.transaction().execute(async (trx) => {
        const person = parseId(outcome.personSourceId);
        const appointment = parseId(outcome.appointmentId);
        const row =
          person !== undefined && appointment !== undefined
            ? await trx
                .selectFrom('YP_APPOINTMENT as a')
                .innerJoin('YP_ORDER as o', 'o.ORDER_ID', 'a.ORDER_ID')
                .select(['a.APPOINTMENT_ID', 'a.APPT_DATETIME'])
                .where('a.APPOINTMENT_ID', '=', appointment)
                .where('o.PERSON_ID', '=', person)
                .where('a.DELETED_FLAG', '=', NO)
                .where('o.DELETED_FLAG', '=', NO)
                .executeTakeFirst()
            : undefined;
        if (!row) throw new RecordNotFound(SOURCE, outcome.appointmentId);
        if (isoDateTime(row.APPT_DATETIME) > new Date(outcome.now).toISOString()) {
          throw new WriteRejected(SOURCE, 'appointmentId', 'This appointment has not happened yet: its outcome can be recorded once its time has passed');
        }
        await trx.updateTable('YP_APPOINTMENT').set({ ATTENDED_FLAG: ATTENDED_FLAG[outcome.attendance] }).where('APPOINTMENT_ID', '=', row.APPOINTMENT_ID).execute();
        return { recordId: String(row.APPOINTMENT_ID) };
      }),

    recordOrderNote: (note) =>
      withFreshKeys(() =>
        db.transaction().execute(async (trx) => {
          const orderId = await requireOrderOf(trx, note.personSourceId, note.orderId);
          const noteDate = compactDateOf(note.noteDate);
          if (!noteDate) throw new WriteRejected(SOURCE, 'noteDate', 'noteDate must be a real date');
          const noteId = await nextIntegerId(trx, 'YP_ORDER_NOTE', 'NOTE_ID');
          await trx
            .insertInto('YP_ORDER_NOTE')
            .values({
              NOTE_ID: noteId,
              ORDER_ID: orderId,
              NOTE_DATE: noteDate,
              NOTE_TYPE: 'PRG',
              // YOIS columns are non-Unicode VARCHAR: text is kept to what the code page holds.
              NOTE_TEXT: toCodePage(note.text),
              WORKER_NAME: note.workerName === null ? null : legacyUpperCase(note.workerName),
              DELETED_FLAG: NO,
              CREATED_DATE: legacyDateTime(clock.now().toISOString()),
            })
            .execute();
          return { recordId: String(noteId) };
        }),
      ),
  };
}

/** Free text in YOIS's Windows-1252 columns: letters outside the code page reduced to their base letter, case kept. */
function toCodePage(text: string): string {
  return Array.from(text)
    .map((ch) => {
      const upper = legacyUpperCase(ch);
      if (upper === ch.toUpperCase()) return ch;
      return ch === ch.toLowerCase() ? upper.toLowerCase() : upper;
    })
    .join('');
}
