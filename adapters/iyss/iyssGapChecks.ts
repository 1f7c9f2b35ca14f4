/**
 * Data-quality checks run in IYSS's own database for the weekly gap report: each finding names the
 * IYSS records to amend.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../drivers/createDatabase';
import type { SourceGapFinding } from '../types';
import type { IyssTables } from './tables';

export interface IyssGapChecks {
  /** Live young people registered twice: a later record with the same forename, surname and date of birth as a live earlier one. */
  findGaps(): Promise<SourceGapFinding[]>;
}

export function createIyssGapChecks(database: Database<IyssTables>): IyssGapChecks {
  const db: Kysely<IyssTables> = database.db;
  return {
    async findGaps() {
      // The date of birth as keyed ('YYYY-MM-DD' or 'DD/MM/YYYY'): a copy keyed again later carries the same text.
      const rows = await db
        .selectFrom('tblYoungPerson as d')
        .innerJoin('tblYoungPerson as o', (join) =>
          join
            .on(sql`upper(${sql.ref('o.Forename')})`, '=', sql`upper(${sql.ref('d.Forename')})`)
            .on(sql`upper(${sql.ref('o.Surname')})`, '=', sql`upper(${sql.ref('d.Surname')})`)
            .onRef('o.DOB', '=', 'd.DOB')
            .on('o.IsDeleted', '=', 0)
            .on((eb) =>
              eb.or([
                eb('o.DateCreated', '<', eb.ref('d.DateCreated')),
                eb.and([eb('o.DateCreated', '=', eb.ref('d.DateCreated')), eb('o.YoungPersonID', '<', eb.ref('d.YoungPersonID'))]),
              ]),
            ),
        )
        .select(['d.YoungPersonID as copyId', 'o.YoungPersonID as originalId', 'd.DateCreated as copyCreated'])
        .where('d.IsDeleted', '=', 0)
        .where('d.DOB', 'is not', null)
        .where('d.DOB', '<>', '')
        .orderBy('d.YoungPersonID')
        .execute();
      return rows.map((row) => ({
        kind: 'IYSS_PROBABLE_DUPLICATE',
        records: [
          { system: 'IYSS', recordType: 'PERSON', recordId: String(row.copyId), personRecordId: String(row.copyId), note: `registered again on ${String(row.copyCreated).slice(0, 10)} with the same name and date of birth: the copy` },
          { system: 'IYSS', recordType: 'PERSON', recordId: String(row.originalId), personRecordId: String(row.originalId), note: 'the earlier registration' },
        ],
      }));
    },
  };
}
