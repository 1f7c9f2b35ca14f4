/**
 * Data-quality checks run in YOIS's own database for the weekly gap report: each finding names the
 * record to amend (and the YOIS person it belongs to), so a worker can put it right in YOIS.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import { compactDateOf, NO, YES } from './mapping';
import type { SourceGapFinding } from '../types';
import type { YoisTables } from './tables';

export type YoisGapKind =
  | 'ORDER_ENDS_BEFORE_START'
  | 'OFFENCE_AFTER_OUTCOME'
  | 'APPOINTMENT_FOR_DELETED_ORDER'
  | 'PAST_APPOINTMENT_NOT_RECORDED'
  | 'STRIKE_TWO_WITHOUT_STRIKE_ONE'
  | 'OPEN_ORDER_PAST_END';

/** One finding: what is wrong, on which YOIS record, of which YOIS person. */
export interface YoisGapFinding {
  kind: YoisGapKind;
  recordType: 'OFFENCE' | 'ORDER' | 'APPOINTMENT' | 'BREACH_WARNING';
  recordId: string;
  personSourceId: string;
  detail: string;
}

export interface YoisGapChecks {
  /** Every finding as of `asOf` (ISO date: appointments and end dates before it are past). */
  findGaps(asOf: string): Promise<YoisGapFinding[]>;
}

const NO_DATE = '00000000';

export function createYoisGapChecks(database: Database<YoisTables>): YoisGapChecks {
  const db: Kysely<YoisTables> = database.db;

  return {
    async findGaps(asOf) {
      const asOfCompact = compactDateOf(asOf);
      if (!asOfCompact) throw new RangeError(`not an ISO date: ${asOf}`);
      const asOfDateTime = `${asOf} 00:00:00`;
      const findings: YoisGapFinding[] = [];

      const reversedOrders = await db
        .selectFrom('YP_ORDER as o')
        .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'o.PERSON_ID')
        .select(['o.ORDER_ID', 'o.PERSON_ID', 'o.ORDER_START', 'o.ORDER_END'])
        .where('o.DELETED_FLAG', '=', NO)
        .where('p.DELETED_FLAG', '=', NO)
        .where('o.ORDER_END', '<>', NO_DATE)
        .whereRef('o.ORDER_END', '<', 'o.ORDER_START')
        .execute();
      for (const row of reversedOrders) {
        findings.push({ kind: 'ORDER_ENDS_BEFORE_START', recordType: 'ORDER', recordId: String(row.ORDER_ID), personSourceId: String(row.PERSON_ID), detail: `ends ${row.ORDER_END}, before it starts ${row.ORDER_START}` });
      }

      const lateOffences = await db
        .selectFrom('YP_OFFENCE as f')
        .innerJoin('YP_OUTCOME as u', 'u.OFFENCE_ID', 'f.OFFENCE_ID')
        .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'f.PERSON_ID')
        .select(['f.OFFENCE_ID', 'f.PERSON_ID', 'f.OFFENCE_DATE', 'u.OUTCOME_DATE'])
        .where('f.DELETED_FLAG', '=', NO)
        .where('u.DELETED_FLAG', '=', NO)
        .where('p.DELETED_FLAG', '=', NO)
        .where('u.OUTCOME_DATE', '<>', NO_DATE)
        .whereRef('f.OFFENCE_DATE', '>', 'u.OUTCOME_DATE')
        .execute();
      for (const row of lateOffences) {
        findings.push({ kind: 'OFFENCE_AFTER_OUTCOME', recordType: 'OFFENCE', recordId: String(row.OFFENCE_ID), personSourceId: String(row.PERSON_ID), detail: `offence dated ${row.OFFENCE_DATE}, after its outcome on ${row.OUTCOME_DATE}` });
      }

      const appointments = await db
        .selectFrom('YP_APPOINTMENT as a')
        .innerJoin('YP_ORDER as o', 'o.ORDER_ID', 'a.ORDER_ID')
        .select(['a.APPOINTMENT_ID', 'o.PERSON_ID', 'o.ORDER_ID', 'o.DELETED_FLAG', 'a.ATTENDED_FLAG', 'a.APPT_DATETIME'])
        .where('a.DELETED_FLAG', '=', NO)
        .where((eb) => eb.or([eb('o.DELETED_FLAG', '=', YES), eb.and([eb('a.ATTENDED_FLAG', '=', 'P'), eb('a.APPT_DATETIME', '<', asOfDateTime)])]))
        .execute();
      for (const row of appointments) {
        const deletedOrder = row.DELETED_FLAG === YES;
        findings.push({
          kind: deletedOrder ? 'APPOINTMENT_FOR_DELETED_ORDER' : 'PAST_APPOINTMENT_NOT_RECORDED',
          recordType: 'APPOINTMENT',
          recordId: String(row.APPOINTMENT_ID),
          personSourceId: String(row.PERSON_ID),
          detail: deletedOrder ? `live appointment on deleted order ${row.ORDER_ID}` : `appointment on ${String(row.APPT_DATETIME).slice(0, 16)} has no attendance recorded`,
        });
      }

      const loneSecondStrikes = await db
        .selectFrom('YP_BREACH_WARNING as w')
        .innerJoin('YP_ORDER as o', 'o.ORDER_ID', 'w.ORDER_ID')
        .select(['w.WARNING_ID', 'o.PERSON_ID', 'o.ORDER_ID'])
        .where('w.DELETED_FLAG', '=', NO)
        .where('o.DELETED_FLAG', '=', NO)
        .where('w.STRIKE_NO', '=', 2)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('YP_BREACH_WARNING as w1')
                .select(sql.lit(1).as('one'))
                .whereRef('w1.ORDER_ID', '=', 'w.ORDER_ID')
                .where('w1.STRIKE_NO', '=', 1)
                .where('w1.DELETED_FLAG', '=', NO),
            ),
          ),
        )
        .execute();
      for (const row of loneSecondStrikes) {
        findings.push({ kind: 'STRIKE_TWO_WITHOUT_STRIKE_ONE', recordType: 'BREACH_WARNING', recordId: String(row.WARNING_ID), personSourceId: String(row.PERSON_ID), detail: `order ${row.ORDER_ID} has a second strike and no first` });
      }

      const overdue = await db
        .selectFrom('YP_ORDER as o')
        .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'o.PERSON_ID')
        .select(['o.ORDER_ID', 'o.PERSON_ID', 'o.ORDER_END'])
        .where('o.DELETED_FLAG', '=', NO)
        .where('p.DELETED_FLAG', '=', NO)
        .where('o.ORDER_STATUS', '=', 'A')
        .where('o.ORDER_END', '<>', NO_DATE)
        .where('o.ORDER_END', '<', asOfCompact)
        .whereRef('o.ORDER_END', '>=', 'o.ORDER_START')
        .execute();
      for (const row of overdue) {
        findings.push({ kind: 'OPEN_ORDER_PAST_END', recordType: 'ORDER', recordId: String(row.ORDER_ID), personSourceId: String(row.PERSON_ID), detail: `still active, ended ${row.ORDER_END}` });
      }
      return findings;
    },
  };
}

/** A YOIS finding in unified terms: the record to amend, of the YOIS person it belongs to. */
export function yoisGapRecords(finding: YoisGapFinding): SourceGapFinding {
  return { kind: finding.kind, records: [{ system: 'YOIS', recordType: finding.recordType, recordId: finding.recordId, personRecordId: finding.personSourceId, note: finding.detail }] };
}

/** Live active statutory orders of live young people: the records another system should also know the child for. */
export async function activeYoisOrders(database: Database<YoisTables>): Promise<Array<{ orderId: string; personSourceId: string; orderStart: string }>> {
  const rows = await database.db
    .selectFrom('YP_ORDER as o')
    .innerJoin('YP_PERSON as p', 'p.PERSON_ID', 'o.PERSON_ID')
    .select(['o.ORDER_ID', 'o.PERSON_ID', 'o.ORDER_START'])
    .where('o.DELETED_FLAG', '=', NO)
    .where('p.DELETED_FLAG', '=', NO)
    .where('o.ORDER_STATUS', '=', 'A')
    .orderBy('o.ORDER_ID')
    .execute();
  return rows.map((row) => ({ orderId: String(row.ORDER_ID), personSourceId: String(row.PERSON_ID), orderStart: String(row.ORDER_START) }));
}
