/**
 * The T-SQL the IYSS adapter sends to SQL Server, captured without a server: a Kysely instance runs
 * Kysely's T-SQL compiler (the one the production `MssqlDriverDialect` uses) over a fake driver that
 * records each compiled statement and answers with no rows (a recording database, drivers/recordingDatabase.ts). The live suite in test/live/ runs the same
 * adapter against a real server when MSSQL_URL is set.
 */
import * as mssql from 'mssql';
import { describeLocation, parseDatabaseUrl } from '../../drivers/databaseUrl';
import { MAX_PARAMETERS_PER_STATEMENT } from '../../drivers/insertRows';
import { mssqlTypeFor } from '../../drivers/mssqlDialect';
import { createRecordingDatabase, type RecordedStatement, type RecordingDatabase } from '../../drivers/recordingDatabase';
import {
  compiledDdl,
  expectCreatesTablesInOrder,
  expectNoBareIdentifiers,
  expectRecordingDialectMatchesProduction,
  inListValues,
  onlyStatement,
  safeTsqlCheck,
  schemaIdentifiers,
  SQL_SERVER_PARAMETER_LIMIT,
  valueAfter,
} from '../../drivers/__tests__/tsqlAssertions';
import { RecordNotFound, type IyssAdapter } from '../../types';
import { createIyssAdapter } from '../createIyssAdapter';
import { iyssSchemaStatements, IYSS_TABLES } from '../ddl';
import type { IyssTables } from '../tables';

const HOSTILE = "O'Brien'; DROP TABLE x;--";
/** The one raw SQL fragment in the adapter (postcode comparison); it carries no user value. */
const POSTCODE_EXPRESSION = "replace(upper(\"p\".\"Postcode\"), ' ', '')";

/** A `Database<IyssTables>` that looks like an open SQL Server database but only records statements. */
const recordingDatabase = () => createRecordingDatabase<IyssTables>({ database: 'IYSS' });

// ---------------------------------------------------------------------------------------------
// Shape checks shared by every statement.

/** Every identifier the IYSS schema declares (tables, columns, indexes), read from its compiled DDL. */
const SCHEMA_IDENTIFIERS = schemaIdentifiers(iyssSchemaStatements(recordingDatabase().db, 'mssql'));

/** What every statement must look like on SQL Server (see safeTsqlCheck); the postcode expression is the only raw SQL. */
const expectSafeTsql = safeTsqlCheck({ schemaIdentifiers: SCHEMA_IDENTIFIERS, rawFragments: [POSTCODE_EXPRESSION] });

function expectOnlyIntegers(values: readonly unknown[]): void {
  for (const value of values) expect(Number.isInteger(value)).toBe(true);
}

// ---------------------------------------------------------------------------------------------

describe('the recording dialect matches production', () => {
  it('uses the same compiler and adapter classes as MssqlDriverDialect, so the captured SQL is what production sends', () => {
    expectRecordingDialectMatchesProduction();
  });
});

describe('IYSS adapter T-SQL', () => {
  let database: RecordingDatabase<IyssTables>;
  let statements: RecordedStatement[];
  let adapter: IyssAdapter;

  beforeEach(() => {
    database = recordingDatabase();
    ({ statements } = database);
    adapter = createIyssAdapter(database);
  });
  afterEach(() => database.close());

  const only = (): RecordedStatement => onlyStatement(statements);

  describe('peopleByIds', () => {
    it('sends valid IDs once each as integer parameters, drops malformed ones, and answers every key in order', async () => {
      const ids = ['98765', '43210', 'not-an-id', '98765', '1 OR 1=1', '-5', '0012', HOSTILE];
      const results = await adapter.peopleByIds(ids);

      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select "p"\."YoungPersonID", /);
      expect(statement.sql).toContain('from "tblYoungPerson" as "p" left join "tlkpEthnicity" as "e" on "e"."EthnicityCode" = "p"."EthnicityCode"');
      expect(statement.sql).toContain('"p"."Surname"');
      expect(valueAfter(statement, '"p"."IsDeleted" = ')).toBe(0);
      expect(inListValues(statement, '"p"."YoungPersonID"')).toEqual([98765, 43210, 12]);
      expect(statement.parameters).toEqual([0, 98765, 43210, 12]);
      expectOnlyIntegers(statement.parameters);
      expect(statement.sql).not.toMatch(/98765|43210|not-an-id|OR 1=1|DROP/);
      expect(statement.sql).not.toMatch(/\btop\b/);

      expect(results).toHaveLength(ids.length);
      results.forEach((result, i) => {
        expect(result).toBeInstanceOf(RecordNotFound);
        expect((result as RecordNotFound).key).toBe(ids[i]);
      });
    });

    it('sends nothing when no key is a valid IYSS ID', async () => {
      const results = await adapter.peopleByIds(['abc', '', '12345678901', HOSTILE]);
      expect(statements).toHaveLength(0);
      expect(results.every((r) => r instanceof RecordNotFound)).toBe(true);
    });
  });

  describe('lists by person', () => {
    const ids = ['501', 'bad', '502', '501'];

    it('attendanceByPersonIds joins sessions and activity types, filtering soft deletes on both tables', async () => {
      const results = await adapter.attendanceByPersonIds(ids);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toContain(
        'from "tblAttendance" as "a" inner join "tblGroupSession" as "s" on "s"."GroupSessionID" = "a"."GroupSessionID" ' +
          'left join "tlkpActivityType" as "t" on "t"."ActivityTypeCode" = "s"."ActivityTypeCode"',
      );
      expect(inListValues(statement, '"a"."YoungPersonID"')).toEqual([501, 502]);
      expect(valueAfter(statement, '"a"."IsDeleted" = ')).toBe(0);
      expect(valueAfter(statement, '"s"."IsDeleted" = ')).toBe(0);
      expect(statement.parameters).toEqual([501, 502, 0, 0]);
      expect(statement.sql).toMatch(/ order by "s"\."SessionDate" desc, "s"\."GroupSessionID" desc$/);
      expect(results).toEqual([[], [], [], []]);
    });

    it('contactsByPersonIds filters soft deletes and orders newest first', async () => {
      const results = await adapter.contactsByPersonIds(ids);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toContain(
        'from "tblContact" as "c" left join "tlkpContactType" as "t" on "t"."ContactTypeCode" = "c"."ContactTypeCode"',
      );
      expect(inListValues(statement, '"c"."YoungPersonID"')).toEqual([501, 502]);
      expect(valueAfter(statement, '"c"."IsDeleted" = ')).toBe(0);
      expect(statement.parameters).toEqual([501, 502, 0]);
      expect(statement.sql).toMatch(/ order by "c"\."ContactDate" desc, "c"\."ContactID" desc$/);
      expect(results).toEqual([[], [], [], []]);
    });

    it('educationByPersonIds joins NEET codes and filters soft deletes', async () => {
      const results = await adapter.educationByPersonIds(ids);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toContain('from "tblEducationStatus" as "s" left join "tlkpNeetStatus" as "n" on "n"."NeetCode" = "s"."NeetCode"');
      expect(inListValues(statement, '"s"."YoungPersonID"')).toEqual([501, 502]);
      expect(valueAfter(statement, '"s"."IsDeleted" = ')).toBe(0);
      expect(statement.parameters).toEqual([501, 502, 0]);
      expect(results).toEqual([[], [], [], []]);
    });

    it('personIdsEverNeet: distinct live people with a live NEET status, soft deletes filtered on both tables', async () => {
      expect(await adapter.personIdsEverNeet()).toEqual([]);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select distinct "s"\."YoungPersonID" from "tblEducationStatus" as "s" inner join "tlkpNeetStatus" as "n"/);
      expect(statement.parameters).toEqual([0, 1, 0]);
    });

    it('sends nothing for keys that cannot be IYSS IDs', async () => {
      expect(await adapter.contactsByPersonIds(['x', HOSTILE])).toEqual([[], []]);
      expect(statements).toHaveLength(0);
    });
  });

  describe('2,500 keys', () => {
    const ids = Array.from({ length: 2_500 }, (_, i) => String(i + 1));
    const cases: Array<[string, (a: IyssAdapter) => Promise<unknown[]>, string]> = [
      ['peopleByIds', (a) => a.peopleByIds(ids), '"p"."YoungPersonID"'],
      ['attendanceByPersonIds', (a) => a.attendanceByPersonIds(ids), '"a"."YoungPersonID"'],
      ['contactsByPersonIds', (a) => a.contactsByPersonIds(ids), '"c"."YoungPersonID"'],
      ['educationByPersonIds', (a) => a.educationByPersonIds(ids), '"s"."YoungPersonID"'],
    ];

    it.each(cases)('%s splits the IN list into statements SQL Server accepts', async (_name, call, column) => {
      const results = await call(adapter);
      expect(results).toHaveLength(ids.length);
      expect(statements).toHaveLength(2);
      const lists = statements.map((statement) => {
        expectSafeTsql(statement);
        return inListValues(statement, column);
      });
      expect(lists.map((list) => list.length)).toEqual([2_000, 500]);
      for (const statement of statements) {
        // Each IN list holds at most MAX_PARAMETERS_PER_STATEMENT IDs; the soft-delete zero(s) ride along as
        // parameters too (2,001-2,002 in the first statement), still well under SQL Server's 2,100.
        expect(statement.parameters.length).toBeLessThanOrEqual(MAX_PARAMETERS_PER_STATEMENT + 2);
        expect(statement.parameters.length).toBeLessThan(SQL_SERVER_PARAMETER_LIMIT);
      }
      expect(lists.flat()).toEqual(ids.map(Number));
    });
  });

  describe('findCandidates', () => {
    function candidateStatement(): RecordedStatement {
      const statement = only();
      expectSafeTsql(statement);
      // Row caps use TOP directly after SELECT; never LIMIT/OFFSET.
      expect(statement.sql).toMatch(/^select top\(\d+\) "p"\."YoungPersonID", /);
      expect(statement.sql).toContain('from "tblYoungPerson" as "p" left join "tlkpEthnicity" as "e"');
      expect(valueAfter(statement, '"p"."IsDeleted" = ')).toBe(0);
      expect(statement.sql).toMatch(/ order by "p"\."YoungPersonID"$/);
      return statement;
    }

    it('caps rows with TOP(limit)', async () => {
      await adapter.findCandidates({ limit: 7 });
      const statement = candidateStatement();
      expect(statement.sql).toMatch(/^select top\(7\) /);
      expect(statement.parameters).toEqual([0]);
    });

    it('refuses a limit that is not a number rather than writing it into the SQL', async () => {
      await expect(adapter.findCandidates({ limit: '1) * from x; --' as unknown as number })).rejects.toThrow(/top/i);
      expect(statements).toHaveLength(0);
    });

    it('matches surname prefixes with parameterised LIKE, hostile text included', async () => {
      await adapter.findCandidates({ surnamePrefixes: [HOSTILE, 'Öz'], limit: 25 });
      const statement = candidateStatement();
      expect(statement.sql).toMatch(/^select top\(25\) /);
      expect(statement.sql).toContain('("p"."Surname" like @2 or "p"."Surname" like @3)');
      expect(statement.parameters).toEqual([0, `${HOSTILE}%`, 'Öz%']);
      expect(statement.sql).not.toMatch(/O'Brien|DROP|Öz/);
    });

    it('matches forename prefixes against Forename and KnownAs, with LIKE wildcards stripped from input', async () => {
      await adapter.findCandidates({ forenamePrefixes: ['Al_%[x]', HOSTILE], limit: 10 });
      const statement = candidateStatement();
      expect(statement.sql).toContain(
        '("p"."Forename" like @2 or "p"."KnownAs" like @3 or "p"."Forename" like @4 or "p"."KnownAs" like @5)',
      );
      expect(statement.parameters).toEqual([0, 'Alx%', 'Alx%', `${HOSTILE}%`, `${HOSTILE}%`]);
    });

    it('matches dates of birth in both legacy text forms', async () => {
      await adapter.findCandidates({ datesOfBirth: ['2008-02-29', '2009-12-01'], limit: 10 });
      const statement = candidateStatement();
      expect(inListValues(statement, '"p"."DOB"')).toEqual(['2008-02-29', '29/02/2008', '2009-12-01', '01/12/2009']);
      expect(statement.parameters).toHaveLength(5);
      expect(statement.sql).not.toMatch(/2008|2009/);
    });

    it('matches a postcode prefix ignoring case and spaces, the prefix as a parameter', async () => {
      const hostilePostcode = "E8' OR '1'='1";
      await adapter.findCandidates({ postcodePrefix: hostilePostcode, limit: 10 });
      const statement = candidateStatement();
      expect(statement.sql).toContain(`and ${POSTCODE_EXPRESSION} like @2 `);
      expect(statement.parameters).toEqual([0, `${hostilePostcode}%`]);
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
        'where "p"."IsDeleted" = @1 and "p"."Surname" like @2 and ("p"."Forename" like @3 or "p"."KnownAs" like @4) ' +
          `and "p"."DOB" in (@5, @6) and ${POSTCODE_EXPRESSION} like @7 order by`,
      );
      expect(statement.parameters).toEqual([0, 'Smi%', 'Jo%', 'Jo%', '2010-05-06', '06/05/2010', 'N16%']);
    });
  });
});

describe('IYSS schema DDL for SQL Server', () => {
  const database = recordingDatabase();
  const { compiled, createTable } = compiledDdl(iyssSchemaStatements(database.db, 'mssql'));
  afterAll(() => database.close());

  it('creates every IYSS table, in order, with no parameters', () => {
    expectCreatesTablesInOrder(compiled, IYSS_TABLES);
  });

  it('uses SQL Server types: nvarchar for text, datetime2 for timestamps, char(1) for codes', () => {
    const person = createTable('tblYoungPerson');
    expect(person).toContain('"YoungPersonID" integer primary key');
    expect(person).toContain('"Surname" nvarchar(50) not null');
    expect(person).toContain('"DOB" nvarchar(10)');
    expect(person).toContain('"Sex" char(1) not null');
    expect(person).toContain('"IsDeleted" smallint default 0 not null');
    expect(person).toContain('"DateCreated" datetime2 not null');
    expect(createTable('tblGroupSession')).toContain('"SessionDate" datetime2 not null');
    expect(createTable('tblContact')).toContain('"ContactDate" datetime2 not null');
    expect(createTable('tblContact')).toContain('"Notes" nvarchar(2000)');
    expect(createTable('tblAttendance')).toContain('"AttendanceCode" char(1) not null');
    expect(createTable('tlkpEthnicity')).toContain('"EthnicityCode" nvarchar(4) primary key');
  });

  it('never uses types or syntax SQL Server lacks or that lose non-Latin-1 letters', () => {
    for (const { sql: text } of compiled) {
      expect(text).not.toMatch(/autoincrement|auto_increment|\bserial\b|\bboolean\b|\btext\b|if not exists|\blimit\b/i);
      expect(text).not.toMatch(/(^|[^n])varchar\(/i);
      expect(text).not.toContain("'");
      // Every name quoted (see safeTsqlCheck on why ANSI quotes, not brackets, are valid T-SQL here).
      expectNoBareIdentifiers(text, SCHEMA_IDENTIFIERS);
    }
  });

  it('creates the lookup indexes the adapter relies on', () => {
    const indexes = compiled.filter((c) => c.sql.startsWith('create index ')).map((c) => c.sql);
    expect(indexes).toContain('create index "IX_tblYoungPerson_Surname" on "tblYoungPerson" ("Surname")');
    expect(indexes).toContain('create index "IX_tblYoungPerson_DOB" on "tblYoungPerson" ("DOB")');
    expect(indexes).toContain('create index "IX_tblAttendance_YoungPersonID" on "tblAttendance" ("YoungPersonID")');
    expect(indexes).toContain('create index "IX_tblContact_YoungPersonID" on "tblContact" ("YoungPersonID")');
    expect(indexes).toContain('create index "IX_tblEducationStatus_YoungPersonID" on "tblEducationStatus" ("YoungPersonID")');
  });
});

describe('mssqlTypeFor', () => {
  it('sends strings as NVARCHAR(4000), or NVARCHAR(MAX) past 4,000 characters', () => {
    expect(mssqlTypeFor('Öztürk', false)).toEqual({ type: mssql.NVarChar, length: 4000 });
    expect(mssqlTypeFor('', false)).toEqual({ type: mssql.NVarChar, length: 4000 });
    expect(mssqlTypeFor('x'.repeat(4000), false)).toEqual({ type: mssql.NVarChar, length: 4000 });
    expect(mssqlTypeFor('x'.repeat(4001), false)).toEqual({ type: mssql.NVarChar, length: mssql.MAX });
  });

  it('sends strings as VARCHAR(8000), or VARCHAR(MAX) past 8,000, when varcharStrings is set', () => {
    expect(mssqlTypeFor('Smith', true)).toEqual({ type: mssql.VarChar, length: 8000 });
    expect(mssqlTypeFor('x'.repeat(5000), true)).toEqual({ type: mssql.VarChar, length: 8000 });
    expect(mssqlTypeFor('x'.repeat(8001), true)).toEqual({ type: mssql.VarChar, length: mssql.MAX });
  });

  it('sends 32-bit integers as INT and other numbers as FLOAT', () => {
    expect(mssqlTypeFor(0, false)).toBe(mssql.Int);
    expect(mssqlTypeFor(-7, false)).toBe(mssql.Int);
    expect(mssqlTypeFor(2_147_483_647, false)).toBe(mssql.Int);
    expect(mssqlTypeFor(2_147_483_648, false)).toBe(mssql.Float);
    expect(mssqlTypeFor(1.5, true)).toBe(mssql.Float);
    expect(mssqlTypeFor(12n, false)).toBe(mssql.BigInt);
  });

  it('maps booleans, dates and buffers', () => {
    expect(mssqlTypeFor(true, false)).toBe(mssql.Bit);
    expect(mssqlTypeFor(false, true)).toBe(mssql.Bit);
    expect(mssqlTypeFor(new Date('2024-01-02T03:04:05Z'), false)).toBe(mssql.DateTime2);
    expect(mssqlTypeFor(Buffer.from('abc'), false)).toEqual({ type: mssql.VarBinary, length: mssql.MAX });
  });

  it('types null and undefined as the string type in use', () => {
    expect(mssqlTypeFor(null, false)).toBe(mssql.NVarChar);
    expect(mssqlTypeFor(undefined, false)).toBe(mssql.NVarChar);
    expect(mssqlTypeFor(null, true)).toBe(mssql.VarChar);
  });

  it('refuses values it cannot type', () => {
    expect(() => mssqlTypeFor({ a: 1 }, false)).toThrow(TypeError);
    expect(() => mssqlTypeFor(Symbol('s'), false)).toThrow(/unsupported SQL Server parameter type/);
  });
});

describe('parseDatabaseUrl for SQL Server', () => {
  it('reads server, database and credentials, defaulting to port 1433, encryption on and certificates verified', () => {
    expect(parseDatabaseUrl('mssql://gateway:pw@sql.internal/IYSS')).toEqual({
      engine: 'mssql',
      server: 'sql.internal',
      port: 1433,
      database: 'IYSS',
      user: 'gateway',
      password: 'pw',
      encrypt: true,
      trustServerCertificate: false,
    });
  });

  it('decodes a percent-encoded password, user and database, and reads an explicit port', () => {
    const location = parseDatabaseUrl('mssql://svc%5Cgateway:p%40ss%3Aw%2Frd%25@10.0.0.5:14330/Young%20People');
    expect(location).toMatchObject({
      engine: 'mssql',
      server: '10.0.0.5',
      port: 14330,
      user: 'svc\\gateway',
      password: 'p@ss:w/rd%',
      database: 'Young People',
    });
  });

  it('reads encrypt and trustServerCertificate flags (true/1 on, anything else off)', () => {
    const flags = (query: string) => {
      const location = parseDatabaseUrl(`mssql://u:p@h/db${query}`);
      if (location.engine !== 'mssql') throw new Error('expected mssql');
      return [location.encrypt, location.trustServerCertificate];
    };
    expect(flags('')).toEqual([true, false]);
    expect(flags('?encrypt=false')).toEqual([false, false]);
    expect(flags('?encrypt=0&trustServerCertificate=1')).toEqual([false, true]);
    expect(flags('?encrypt=true&trustServerCertificate=true')).toEqual([true, true]);
    expect(flags('?trustServerCertificate=false')).toEqual([true, false]);
  });

  it('accepts the sqlserver: scheme as a synonym', () => {
    expect(parseDatabaseUrl('sqlserver://u:p@h:1500/db')).toMatchObject({ engine: 'mssql', server: 'h', port: 1500, database: 'db' });
  });

  it('describes a location by engine and database only, never host or credentials', () => {
    const location = parseDatabaseUrl('mssql://gateway:S3cr%40t-pass@prod-sql.hackney.example:1433/IYSS_Live?encrypt=true');
    const description = describeLocation(location);
    expect(description).toBe('mssql:IYSS_Live');
    expect(description).not.toMatch(/S3cr|secret|gateway|prod-sql|hackney|1433/i);
  });

  it('names what is missing without echoing the password', () => {
    expect(() => parseDatabaseUrl('mssql://gateway:TopSecret@host:1433/')).toThrow(/database name/);
    expect(() => parseDatabaseUrl('mssql://gateway:TopSecret@host:1433/')).not.toThrow(/TopSecret/);
    expect(() => parseDatabaseUrl('postgres://gateway:TopSecret@host/db')).toThrow(/unsupported/);
    expect(() => parseDatabaseUrl('postgres://gateway:TopSecret@host/db')).not.toThrow(/TopSecret/);
  });
});
