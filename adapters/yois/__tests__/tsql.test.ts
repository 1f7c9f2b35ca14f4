/**
 * The T-SQL the YOIS adapter sends to SQL Server, captured without a server: a Kysely instance runs
 * Kysely's T-SQL compiler (the one the production `MssqlDriverDialect` uses) over a fake driver that
 * records each compiled statement and answers with no rows.
 */
import * as createDatabaseModule from '../../drivers/createDatabase';
import { MAX_PARAMETERS_PER_STATEMENT } from '../../drivers/insertRows';
import { createRecordingDatabase, type RecordedStatement, type RecordingDatabase } from '../../drivers/recordingDatabase';
import {
  compiledDdl,
  expectCreatesTablesInOrder,
  expectNoBareIdentifiers,
  inListValues,
  onlyStatement,
  safeTsqlCheck,
  schemaIdentifiers,
  valueAfter,
} from '../../drivers/__tests__/tsqlAssertions';
import { RecordNotFound, type YoisAdapter } from '../../types';
import { createYoisAdapter } from '../createYoisAdapter';
import { yoisSchemaStatements, YOIS_TABLES } from '../ddl';
import { openYoisDatabase } from '../openYoisDatabase';
import type { YoisTables } from '../tables';

const HOSTILE = "O'Brien'; DROP TABLE x;--";
/** The one raw SQL fragment in the adapter (postcode comparison); it carries no user value. */
const POSTCODE_EXPRESSION = "replace(upper(\"p\".\"POSTCODE\"), ' ', '')";

/** A `Database<YoisTables>` that looks like an open SQL Server database but only records statements. */
const recordingDatabase = () => createRecordingDatabase<YoisTables>({ database: 'YOIS' });

/** Every identifier the YOIS schema declares (tables, columns, indexes), read from its compiled DDL. */
const SCHEMA_IDENTIFIERS = schemaIdentifiers(yoisSchemaStatements(recordingDatabase().db, 'mssql'));

/**
 * What every statement must look like on SQL Server (see safeTsqlCheck). The postcode expression is the
 * only raw SQL, and the 'N' deleted flag may match inside quoted names such as "PERSON_ID".
 */
const expectSafeTsql = safeTsqlCheck({
  schemaIdentifiers: SCHEMA_IDENTIFIERS,
  rawFragments: [POSTCODE_EXPRESSION],
  valuesMayMatchInside: ['identifiers'],
});

function expectOnlyIntegersBesidesFlags(values: readonly unknown[]): void {
  for (const value of values) expect(Number.isInteger(value) || value === 'N').toBe(true);
}

describe('YOIS adapter T-SQL', () => {
  let database: RecordingDatabase<YoisTables>;
  let statements: RecordedStatement[];
  let adapter: YoisAdapter;

  beforeEach(() => {
    database = recordingDatabase();
    ({ statements } = database);
    adapter = createYoisAdapter(database);
  });
  afterEach(() => database.close());

  const only = (): RecordedStatement => onlyStatement(statements);

  describe('peopleByIds', () => {
    it('sends valid IDs once each as integer parameters, drops malformed ones, and answers every key in order', async () => {
      const ids = ['300123', '300045', 'not-an-id', '300123', '1 OR 1=1', '-5', '0012', HOSTILE];
      const results = await adapter.peopleByIds(ids);

      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select "p"\."PERSON_ID", /);
      expect(statement.sql).toContain('from "YP_PERSON" as "p" left join "LU_ETHNICITY" as "e" on "e"."ETHNICITY_CODE" = "p"."ETHNICITY_CODE"');
      expect(statement.sql).toContain('"p"."PNC_NUMBER"');
      expect(valueAfter(statement, '"p"."DELETED_FLAG" = ')).toBe('N');
      expect(inListValues(statement, '"p"."PERSON_ID"')).toEqual([300123, 300045, 12]);
      expect(statement.parameters).toEqual(['N', 300123, 300045, 12]);
      expect(statement.sql).not.toMatch(/300123|300045|not-an-id|OR 1=1|DROP/);
      expect(statement.sql).not.toMatch(/\btop\b/);

      expect(results).toHaveLength(ids.length);
      results.forEach((result, i) => {
        expect(result).toBeInstanceOf(RecordNotFound);
        expect((result as RecordNotFound).key).toBe(ids[i]);
      });
    });

    it('sends nothing when no key is a valid PERSON_ID', async () => {
      const results = await adapter.peopleByIds(['abc', '', '12345678901', HOSTILE]);
      expect(statements).toHaveLength(0);
      expect(results.every((r) => r instanceof RecordNotFound)).toBe(true);
    });
  });

  describe('lists by person', () => {
    const ids = ['501', 'bad', '502', '501'];

    it('offencesByPersonIds joins the offence code table and the live outcome, newest first', async () => {
      const results = await adapter.offencesByPersonIds(ids);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toContain(
        'from "YP_OFFENCE" as "f" left join "LU_OFFENCE" as "l" on "l"."OFFENCE_CODE" = "f"."OFFENCE_CODE" ' +
          'left join "YP_OUTCOME" as "o" on "o"."OFFENCE_ID" = "f"."OFFENCE_ID" and "o"."DELETED_FLAG" = @1',
      );
      expect(inListValues(statement, '"f"."PERSON_ID"')).toEqual([501, 502]);
      expect(valueAfter(statement, '"f"."DELETED_FLAG" = ')).toBe('N');
      expect(statement.parameters).toEqual(['N', 501, 502, 'N']);
      expect(statement.sql).toMatch(/ order by "f"\."OFFENCE_DATE" desc, "f"\."OFFENCE_ID" desc, "o"\."OUTCOME_DATE" desc$/);
      expect(results).toEqual([[], [], [], []]);
    });

    it('ordersByPersonIds sends four statements (orders, requirements, appointments, warnings), each filtered by person and soft deletes', async () => {
      const results = await adapter.ordersByPersonIds(ids);
      expect(statements).toHaveLength(4);
      for (const statement of statements) {
        expectSafeTsql(statement);
        expect(statement.sql).toContain('from "YP_ORDER" as "o"');
        expect(inListValues(statement, '"o"."PERSON_ID"')).toEqual([501, 502]);
        expect(valueAfter(statement, '"o"."DELETED_FLAG" = ')).toBe('N');
        expectOnlyIntegersBesidesFlags(statement.parameters);
      }
      const [orders, requirements, appointments, warnings] = ['"o"."ORDER_TYPE_CODE"', '"r"."REQUIREMENT_CODE"', '"a"."APPT_DATETIME"', '"w"."STRIKE_NO"'].map(
        (marker) => statements.find((s) => s.sql.includes(marker))!,
      );
      expect(orders!.sql).toMatch(/ order by "o"\."ORDER_START" desc, "o"\."ORDER_ID" desc$/);
      expect(requirements!.sql).toContain(
        'inner join "YP_ORDER_REQUIREMENT" as "r" on "r"."ORDER_ID" = "o"."ORDER_ID" left join "LU_REQUIREMENT" as "l" on "l"."REQUIREMENT_CODE" = "r"."REQUIREMENT_CODE"',
      );
      expect(valueAfter(requirements!, '"r"."DELETED_FLAG" = ')).toBe('N');
      expect(appointments!.sql).toContain('inner join "YP_APPOINTMENT" as "a" on "a"."ORDER_ID" = "o"."ORDER_ID"');
      expect(valueAfter(appointments!, '"a"."DELETED_FLAG" = ')).toBe('N');
      expect(appointments!.sql).toMatch(/ order by "a"\."APPT_DATETIME" desc, "a"\."APPOINTMENT_ID" desc$/);
      expect(warnings!.sql).toContain('inner join "YP_BREACH_WARNING" as "w" on "w"."ORDER_ID" = "o"."ORDER_ID"');
      expect(valueAfter(warnings!, '"w"."DELETED_FLAG" = ')).toBe('N');
      expect(results).toEqual([[], [], [], []]);
    });

    it('allocationsByPersonIds filters soft deletes and orders newest first', async () => {
      const results = await adapter.allocationsByPersonIds(ids);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toContain('from "YP_CASE_ALLOCATION" as "c"');
      expect(inListValues(statement, '"c"."PERSON_ID"')).toEqual([501, 502]);
      expect(statement.parameters).toEqual([501, 502, 'N']);
      expect(statement.sql).toMatch(/ order by "c"\."ALLOC_START" desc, "c"\."ALLOCATION_ID" desc$/);
      expect(results).toEqual([[], [], [], []]);
    });

    it('personIdsAllocatedToUnits asks for distinct live people with an open allocation, capped with TOP', async () => {
      await adapter.personIdsAllocatedToUnits(['CU1'], '2026-12-05', 2001);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select distinct top\(2001\) "c"\."PERSON_ID" from "YP_CASE_ALLOCATION" as "c" inner join "YP_PERSON" as "p"/);
      expect(statement.parameters).toEqual(['CU1', 'N', 'N', '2026-12-05 00:00:00']);
    });

    it('sends nothing for keys that cannot be PERSON_IDs', async () => {
      expect(await adapter.offencesByPersonIds(['x', HOSTILE])).toEqual([[], []]);
      expect(await adapter.ordersByPersonIds(['x', HOSTILE])).toEqual([[], []]);
      expect(await adapter.allocationsByPersonIds([])).toEqual([]);
      expect(statements).toHaveLength(0);
    });
  });

  describe('2,500 keys', () => {
    const ids = Array.from({ length: 2_500 }, (_, i) => String(i + 1));
    const cases: Array<[string, (a: YoisAdapter) => Promise<unknown[]>, string, number]> = [
      ['peopleByIds', (a) => a.peopleByIds(ids), '"p"."PERSON_ID"', 1],
      ['offencesByPersonIds', (a) => a.offencesByPersonIds(ids), '"f"."PERSON_ID"', 1],
      ['ordersByPersonIds', (a) => a.ordersByPersonIds(ids), '"o"."PERSON_ID"', 4],
      ['allocationsByPersonIds', (a) => a.allocationsByPersonIds(ids), '"c"."PERSON_ID"', 1],
    ];

    it.each(cases)('%s splits the IN list into statements SQL Server accepts', async (_name, call, column, perChunk) => {
      const results = await call(adapter);
      expect(results).toHaveLength(ids.length);
      expect(statements).toHaveLength(2 * perChunk);
      const lists = statements.map((statement) => {
        expectSafeTsql(statement);
        expect(statement.parameters.length).toBeLessThanOrEqual(MAX_PARAMETERS_PER_STATEMENT + 3);
        return inListValues(statement, column);
      });
      expect(lists.map((list) => list.length).sort((a, b) => b - a)).toEqual([
        ...Array<number>(perChunk).fill(2_000),
        ...Array<number>(perChunk).fill(500),
      ]);
      const perStatement = new Set(lists.map((list) => JSON.stringify(list)));
      expect([...perStatement].flatMap((list) => JSON.parse(list) as number[])).toEqual(ids.map(Number));
    });
  });

  describe('findCandidates', () => {
    function candidateStatement(): RecordedStatement {
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select top\(\d+\) "p"\."PERSON_ID", /);
      expect(statement.sql).toContain('from "YP_PERSON" as "p" left join "LU_ETHNICITY" as "e"');
      expect(valueAfter(statement, '"p"."DELETED_FLAG" = ')).toBe('N');
      expect(statement.sql).toMatch(/ order by "p"\."PERSON_ID"$/);
      return statement;
    }

    it('caps rows with TOP(limit)', async () => {
      await adapter.findCandidates({ limit: 7 });
      const statement = candidateStatement();
      expect(statement.sql).toMatch(/^select top\(7\) /);
      expect(statement.parameters).toEqual(['N']);
    });

    it('refuses a limit that is not a number rather than writing it into the SQL', async () => {
      await expect(adapter.findCandidates({ limit: '1) * from x; --' as unknown as number })).rejects.toThrow(/top/i);
      expect(statements).toHaveLength(0);
    });

    it('compares upper(SURNAME) with upper-cased prefixes (accents too, within Windows-1252), hostile text included', async () => {
      await adapter.findCandidates({ surnamePrefixes: [HOSTILE, 'öz', 'ÖZ', 'Şa', 'mcd'], limit: 25 });
      const statement = candidateStatement();
      expect(statement.sql).toContain('(upper("p"."SURNAME") like @2 or upper("p"."SURNAME") like @3 or upper("p"."SURNAME") like @4 or upper("p"."SURNAME") like @5)');
      // 'öz' and 'ÖZ' are one prefix once upper-cased; Ş is outside the code page, so it is sent as S.
      expect(statement.parameters).toEqual(['N', `${HOSTILE.toUpperCase()}%`, 'ÖZ%', 'SA%', 'MCD%']);
      expect(statement.sql).not.toMatch(/O'Brien|DROP|ÖZ|Öz/i);
    });

    it('matches forename prefixes against FORENAME and KNOWN_AS, with LIKE wildcards stripped', async () => {
      await adapter.findCandidates({ forenamePrefixes: ['Al_%[x]', 'mo'], limit: 10 });
      const statement = candidateStatement();
      expect(statement.sql).toContain(
        '(upper("p"."FORENAME") like @2 or upper("p"."KNOWN_AS") like @3 or upper("p"."FORENAME") like @4 or upper("p"."KNOWN_AS") like @5)',
      );
      expect(statement.parameters).toEqual(['N', 'ALX%', 'ALX%', 'MO%', 'MO%']);
    });

    it('matches dates of birth in the YYYYMMDD form YOIS stores, dropping unreal dates', async () => {
      await adapter.findCandidates({ datesOfBirth: ['2008-02-29', '2009-12-01', '2009-02-29', HOSTILE], limit: 10 });
      const statement = candidateStatement();
      expect(inListValues(statement, '"p"."DOB"')).toEqual(['20080229', '20091201']);
      expect(statement.parameters).toHaveLength(3);
    });

    it('sends nothing when every date of birth is unreadable', async () => {
      expect(await adapter.findCandidates({ datesOfBirth: ['31/02/2009', HOSTILE], limit: 10 })).toEqual([]);
      expect(statements).toHaveLength(0);
    });

    it('matches a postcode prefix ignoring case and spaces, the prefix as a parameter', async () => {
      const hostilePostcode = "e8' OR '1'='1";
      await adapter.findCandidates({ postcodePrefix: hostilePostcode, limit: 10 });
      const statement = candidateStatement();
      expect(statement.sql).toContain(`and ${POSTCODE_EXPRESSION} like @2 `);
      expect(statement.parameters).toEqual(['N', "E8'OR'1'='1%"]);
      expect(statement.sql).not.toContain("'1'='1");
    });

    it('combines every filter, numbering parameters in order', async () => {
      await adapter.findCandidates({
        surnamePrefixes: ['Smi'],
        forenamePrefixes: ['Jo'],
        datesOfBirth: ['2010-05-06'],
        postcodePrefix: 'N16',
        limit: 50,
      });
      const statement = candidateStatement();
      expect(statement.sql).toMatch(/^select top\(50\) /);
      expect(statement.sql).toContain(
        'where "p"."DELETED_FLAG" = @1 and upper("p"."SURNAME") like @2 and (upper("p"."FORENAME") like @3 or upper("p"."KNOWN_AS") like @4) ' +
          `and "p"."DOB" in (@5) and ${POSTCODE_EXPRESSION} like @6 order by`,
      );
      expect(statement.parameters).toEqual(['N', 'SMI%', 'JO%', 'JO%', '20100506', 'N16%']);
    });
  });

  describe('scanPeople', () => {
    it('pages by PERSON_ID with TOP and an integer parameter', async () => {
      await adapter.scanPeople('300010', 100);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select top\(100\) "p"\."PERSON_ID", /);
      expect(statement.sql).toMatch(/where "p"\."DELETED_FLAG" = @1 and "p"\."PERSON_ID" > @2 order by "p"\."PERSON_ID"$/);
      expect(statement.parameters).toEqual(['N', 300010]);
    });

    it('starts from the beginning for null, and sends nothing after a key that cannot be a PERSON_ID', async () => {
      await adapter.scanPeople(null, 5);
      expect(only().parameters).toEqual(['N', 0]);
      expect(await adapter.scanPeople(HOSTILE, 5)).toEqual([]);
      expect(statements).toHaveLength(1);
    });
  });
});

describe('YOIS schema DDL for SQL Server', () => {
  const database = recordingDatabase();
  const { compiled, createTable } = compiledDdl(yoisSchemaStatements(database.db, 'mssql'));
  afterAll(() => database.close());

  it('creates every YOIS table, in order, with no parameters', () => {
    expectCreatesTablesInOrder(compiled, YOIS_TABLES);
  });

  it('uses the legacy types: non-Unicode varchar, char(8) YYYYMMDD dates, char(1) flags, datetime2', () => {
    const person = createTable('YP_PERSON');
    expect(person).toContain('"PERSON_ID" integer primary key');
    expect(person).toContain('"SURNAME" varchar(50) not null');
    expect(person).toContain('"DOB" char(8)');
    expect(person).toContain('"SEX" char(1) not null');
    expect(person).toContain('"PNC_NUMBER" varchar(15)');
    expect(person).toContain(`"DELETED_FLAG" char(1) default 'N' not null`);
    expect(person).toContain('"CREATED_DATE" datetime2 not null');
    expect(createTable('YP_OFFENCE')).toContain('"OFFENCE_DATE" char(8) not null');
    expect(createTable('YP_ORDER')).toContain('"ORDER_START" char(8) not null');
    expect(createTable('YP_ORDER')).toContain('"ORDER_END" char(8) not null');
    expect(createTable('YP_APPOINTMENT')).toContain('"APPT_DATETIME" datetime2 not null');
    expect(createTable('YP_APPOINTMENT')).toContain('"ATTENDED_FLAG" char(1) not null');
    expect(createTable('YP_CASE_ALLOCATION')).toContain('"ALLOC_END" datetime2');
    expect(createTable('LU_OFFENCE')).toContain('"GRAVITY_SCORE" smallint not null');
  });

  it('never uses Unicode text types or syntax SQL Server lacks', () => {
    for (const { sql: text } of compiled) {
      expect(text).not.toMatch(/nvarchar|nchar|autoincrement|auto_increment|\bserial\b|\bboolean\b|\btext\b|if not exists|\blimit\b/i);
      // The only literal is the 'N' default of the deleted flags.
      expect(text.replace(/default 'N'/g, '')).not.toContain("'");
      expectNoBareIdentifiers(text.replace(/default 'N'/g, ''), SCHEMA_IDENTIFIERS);
    }
  });

  it('creates the lookup indexes the adapter relies on', () => {
    const indexes = compiled.filter((c) => c.sql.startsWith('create index ')).map((c) => c.sql);
    expect(indexes).toContain('create index "IX_YP_PERSON_SURNAME" on "YP_PERSON" ("SURNAME")');
    expect(indexes).toContain('create index "IX_YP_PERSON_DOB" on "YP_PERSON" ("DOB")');
    for (const table of ['YP_OFFENCE', 'YP_ORDER', 'YP_CASE_ALLOCATION']) {
      expect(indexes).toContain(`create index "IX_${table}_PERSON_ID" on "${table}" ("PERSON_ID")`);
    }
    for (const table of ['YP_ORDER_REQUIREMENT', 'YP_APPOINTMENT', 'YP_BREACH_WARNING']) {
      expect(indexes).toContain(`create index "IX_${table}_ORDER_ID" on "${table}" ("ORDER_ID")`);
    }
  });
});

describe('openYoisDatabase', () => {
  afterEach(() => jest.restoreAllMocks());

  it('always sends strings to SQL Server as VARCHAR, to match the non-Unicode columns', async () => {
    const spy = jest.spyOn(createDatabaseModule, 'createDatabase');
    const database = openYoisDatabase('sqlite::memory:', { pool: { maxConnections: 2 } });
    expect(spy).toHaveBeenCalledWith('sqlite::memory:', { pool: { maxConnections: 2 }, mssqlVarcharStrings: true });
    await database.close();
  });
});
