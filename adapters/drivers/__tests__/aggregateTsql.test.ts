/**
 * The T-SQL the report aggregates send to SQL Server, captured without a server (see
 * recordingDatabase): one statement per grouping, caller values only as @ parameters, SQL Server's own
 * spellings for the few functions that differ, and grouping by the derived table's plain columns.
 */
import { createIyssAggregates } from '../../iyss/iyssAggregates';
import type { IyssTables } from '../../iyss/tables';
import { createYoisAggregates } from '../../yois/yoisAggregates';
import type { YoisTables } from '../../yois/tables';
import { createRecordingDatabase, type RecordedStatement } from '../recordingDatabase';
import { onlyStatement, placeholdersIn } from './tsqlAssertions';

const HOSTILE = "E8'; DROP TABLE YP_PERSON;--";

function expectTsqlShape(statement: RecordedStatement, callerValues: readonly string[]): void {
  expect(placeholdersIn(statement.sql)).toEqual(statement.parameters.map((_, i) => `@${i + 1}`));
  for (const value of callerValues) {
    expect(statement.parameters).toContain(value);
    expect(statement.sql).not.toContain(value);
  }
  expect(statement.sql).not.toMatch(/[`[\]]/);
  expect(statement.sql).not.toMatch(/\blimit\b|\bchar_length\(|\blength\(|as signed|as integer|date_format|substr\(/i);
  // The unit (a person's ID) is counted, never selected.
  expect(statement.sql).toMatch(/^select count\(distinct "t"\."UNIT"\) as "n"/);
}

describe('report aggregates on SQL Server', () => {
  it('first-time entrants: YOIS compact dates cast with int, len() for postcodes, grouped by the derived columns', async () => {
    const database = createRecordingDatabase<YoisTables>({ database: 'YOIS' });
    await createYoisAggregates(database).firstTimeEntrants.count({
      from: '2031-01-01',
      to: '2032-01-01',
      groupBy: ['GENDER', 'POSTCODE_DISTRICT'],
      filters: { POSTCODE_DISTRICT: [HOSTILE] },
    });
    const statement = onlyStatement(database.statements);
    expectTsqlShape(statement, [HOSTILE]);
    expect(statement.parameters).toEqual(expect.arrayContaining(['20310101', '20320101']));
    expect(statement.sql).toContain('cast("p"."DOB" as int)');
    expect(statement.sql).toContain('len(replace(upper("p"."POSTCODE"), \' \', \'\'))');
    expect(statement.sql).toMatch(/group by "t"\."GENDER", "t"\."POSTCODE_DISTRICT"$/);
    expect(statement.sql).toContain('"t"."POSTCODE_DISTRICT" in (@');
    await database.close();
  });

  it('re-offending by Core Unit: person IDs the gateway resolved as checked integer literals, unit names as @ parameters; breach warnings by month with convert(char(7), ..., 126)', async () => {
    const database = createRecordingDatabase<YoisTables>({ database: 'YOIS' });
    const aggregates = createYoisAggregates(database);
    const values = new Map([['101', 'CU1'], ['7', HOSTILE], ['102', 'CU1']]);
    await aggregates.reoffendingCohort.count({ from: '2031-01-01', to: '2032-01-01', groupBy: ['CORE_UNIT'], filters: {}, personValues: { CORE_UNIT: { values, otherwise: 'Not allocated' } } });
    const statement = onlyStatement(database.statements);
    expectTsqlShape(statement, [HOSTILE, 'CU1', 'Not allocated']);
    expect(statement.sql).toContain('when "p"."PERSON_ID" in (101, 102) then @');
    expect(statement.sql).toContain('when "p"."PERSON_ID" in (7) then @');
    // Anything but digits as a person ID is refused before a statement is built.
    await expect((async () => aggregates.reoffendingCohort.count({ from: '2031-01-01', to: '2032-01-01', groupBy: ['CORE_UNIT'], filters: {}, personValues: { CORE_UNIT: { values: new Map([['1) or (1=1', 'CU1']]), otherwise: 'x' } } }))()).rejects.toThrow(RangeError);
    expect(database.statements).toHaveLength(1);
    database.statements.length = 0;
    await aggregates.breachWarnings.count({ from: '2031-01-01', to: '2032-01-01', groupBy: ['MONTH'], filters: { GENDER: [HOSTILE] } });
    const breach = onlyStatement(database.statements);
    expectTsqlShape(breach, [HOSTILE, '2031-01-01 00:00:00', '2032-01-01 00:00:00']);
    expect(breach.sql).toContain('convert(char(7), "w"."ISSUED_DATE", 126)');
    await database.close();
  });

  it('participation: the session month with convert(char(7), ..., 126); NEET: months as a derived table of constants', async () => {
    const database = createRecordingDatabase<IyssTables>({ database: 'IYSS' });
    const aggregates = createIyssAggregates(database);
    await aggregates.positiveActivityParticipation.count({ from: '2031-03-01', to: '2031-04-01', groupBy: ['MONTH', 'ACTIVITY_TYPE'], filters: { GENDER: [HOSTILE] } });
    const participation = onlyStatement(database.statements);
    expectTsqlShape(participation, [HOSTILE, '2031-03-01', '2031-04-01']);
    expect(participation.sql).toContain('convert(char(7), "g"."SessionDate", 126)');
    database.statements.length = 0;
    await aggregates.neet16To18.count({ from: '2031-01-01', to: '2031-03-01', groupBy: ['MONTH'], filters: {} });
    const neet = onlyStatement(database.statements);
    expectTsqlShape(neet, []);
    expect(neet.sql).toContain("select '2031-01' as MONTH, 20310131 as MONTH_END union all select '2031-02' as MONTH, 20310228 as MONTH_END");
    expect(neet.sql).toContain('min("b"."D") as "UNTIL"');
    await database.close();
  });

  it('re-offenders: the six-month waiting period by the index date\'s half-year, on int-cast compact dates', async () => {
    const database = createRecordingDatabase<YoisTables>({ database: 'YOIS' });
    await createYoisAggregates(database).reoffenders.count({ from: '2031-01-01', to: '2032-01-01', groupBy: [], filters: {} });
    const statement = onlyStatement(database.statements);
    expectTsqlShape(statement, []);
    expect(statement.sql).toContain('cast("r"."OUTCOME_DATE" as int) <= case when substring("ix"."INDEX_DATE", 5, 2) <= \'06\' then cast("ix"."INDEX_DATE" as int) + 10600 else cast("ix"."INDEX_DATE" as int) + 19400 end');
    await database.close();
  });
});
