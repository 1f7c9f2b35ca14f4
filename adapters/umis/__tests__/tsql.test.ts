/**
 * The T-SQL the UMIS adapter sends to SQL Server (UMIS's production engine), captured without a server:
 * a Kysely instance runs Kysely's T-SQL compiler (the one the production `MssqlDriverDialect` uses) over a
 * fake driver that records each compiled statement and answers with no rows.
 */
import { MAX_PARAMETERS_PER_STATEMENT } from '../../drivers/insertRows';
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
  valueAfter,
} from '../../drivers/__tests__/tsqlAssertions';
import { Prng } from '../../synthetic/prng';
import { RecordNotFound, type UmisAdapter } from '../../types';
import { createUmisAdapter } from '../createUmisAdapter';
import { umisSchemaStatements, UMIS_TABLES } from '../ddl';
import { seededGuid } from '../../synthetic/umis/seededGuid';
import type { UmisTables } from '../tables';

const HOSTILE = "O'Brien'; DROP TABLE x;--";
const GUID_A = '0f8fad5b-d9cb-469f-a165-70867728950e';
const GUID_B = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

/** A `Database<UmisTables>` that looks like an open SQL Server database but only records statements. */
const recordingDatabase = () => createRecordingDatabase<UmisTables>({ database: 'UMIS' });

// ---------------------------------------------------------------------------------------------
// Shape checks shared by every statement.

/** Every identifier the UMIS schema declares (tables, columns, indexes), read from its compiled DDL. */
const SCHEMA_IDENTIFIERS = schemaIdentifiers(umisSchemaStatements(recordingDatabase().db, 'mssql'));

/** What every statement must look like on SQL Server (see safeTsqlCheck); the UMIS adapter writes no raw SQL. */
const expectSafeTsql = safeTsqlCheck({ schemaIdentifiers: SCHEMA_IDENTIFIERS });

// ---------------------------------------------------------------------------------------------

describe('the recording dialect matches production', () => {
  it('uses the same compiler and adapter classes as MssqlDriverDialect', () => {
    expectRecordingDialectMatchesProduction();
  });
});

describe('UMIS adapter T-SQL', () => {
  let database: RecordingDatabase<UmisTables>;
  let statements: RecordedStatement[];
  let adapter: UmisAdapter;

  beforeEach(() => {
    database = recordingDatabase();
    ({ statements } = database);
    adapter = createUmisAdapter(database);
  });
  afterEach(() => database.close());

  const only = (): RecordedStatement => onlyStatement(statements);

  describe('peopleByIds', () => {
    it('sends well-formed GUIDs once each, lower-cased, drops malformed ones, and answers every key in order', async () => {
      const ids = [GUID_A, GUID_B.toUpperCase(), 'not-a-guid', GUID_A, `${GUID_A}' OR 1=1`, '12345', HOSTILE];
      const results = await adapter.peopleByIds(ids);

      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select "c"\."client_id", /);
      expect(statement.sql).toContain('from "client" as "c" left join "ref_ethnicity" as "e" on "e"."ethnicity_code" = "c"."ethnicity_code"');
      expect(valueAfter(statement, '"c"."is_active" = ')).toBe(1);
      expect(inListValues(statement, '"c"."client_id"')).toEqual([GUID_A, GUID_B]);
      expect(statement.parameters).toEqual([1, GUID_A, GUID_B]);
      expect(statement.sql).not.toMatch(/\btop\b/);

      expect(results).toHaveLength(ids.length);
      results.forEach((result, i) => {
        expect(result).toBeInstanceOf(RecordNotFound);
        expect((result as RecordNotFound).key).toBe(ids[i]);
      });
    });

    it('sends nothing when no key is a GUID', async () => {
      const results = await adapter.peopleByIds(['abc', '', '10001', HOSTILE]);
      expect(statements).toHaveLength(0);
      expect(results.every((r) => r instanceof RecordNotFound)).toBe(true);
    });
  });

  describe('lists by client', () => {
    const ids = [GUID_A, 'bad', GUID_B, GUID_A];

    it('assessmentsByPersonIds: assessments (live client, type, assessor), then their live domain scores in form order', async () => {
      const results = await adapter.assessmentsByPersonIds(ids);
      expect(statements).toHaveLength(2);
      const [assessments, scores] = statements as [RecordedStatement, RecordedStatement];
      for (const statement of statements) expectSafeTsql(statement);

      expect(assessments.sql).toContain(
        'from "assessment" as "a" inner join "client" as "c" on "c"."client_id" = "a"."client_id" ' +
          'left join "ref_assessment_type" as "t" on "t"."assessment_type_code" = "a"."assessment_type_code" ' +
          'left join "worker" as "w" on "w"."worker_id" = "a"."assessor_worker_id"',
      );
      expect(inListValues(assessments, '"a"."client_id"')).toEqual([GUID_A, GUID_B]);
      expect(valueAfter(assessments, '"a"."is_active" = ')).toBe(1);
      expect(valueAfter(assessments, '"c"."is_active" = ')).toBe(1);
      expect(assessments.parameters).toEqual([GUID_A, GUID_B, 1, 1]);
      expect(assessments.sql).toMatch(/ order by "a"\."started_date" desc, "a"\."created_utc" desc, "a"\."assessment_id"$/);

      expect(scores.sql).toContain(
        'from "assessment_domain_score" as "s" inner join "assessment" as "a" on "a"."assessment_id" = "s"."assessment_id" ' +
          'left join "ref_domain" as "d" on "d"."domain_code" = "s"."domain_code"',
      );
      expect(inListValues(scores, '"a"."client_id"')).toEqual([GUID_A, GUID_B]);
      expect(valueAfter(scores, '"s"."is_active" = ')).toBe(1);
      expect(scores.sql).toMatch(/ order by "s"\."assessment_id", "d"\."display_order", "s"\."domain_code"$/);
      expect(results).toEqual([[], [], [], []]);
    });

    it('plansByPersonIds: plans, goals and reviews in three statements, all keyed by client', async () => {
      const results = await adapter.plansByPersonIds(ids);
      expect(statements).toHaveLength(3);
      const [plans, goals, reviews] = statements as [RecordedStatement, RecordedStatement, RecordedStatement];
      for (const statement of statements) expectSafeTsql(statement);

      expect(plans.sql).toContain('from "plan" as "p" inner join "client" as "c" on "c"."client_id" = "p"."client_id"');
      expect(plans.parameters).toEqual([GUID_A, GUID_B, 1, 1]);
      expect(plans.sql).toMatch(/ order by "p"\."start_date" desc, "p"\."created_utc" desc, "p"\."plan_id"$/);

      expect(goals.sql).toContain('from "plan_goal" as "g" inner join "plan" as "p" on "p"."plan_id" = "g"."plan_id"');
      expect(inListValues(goals, '"p"."client_id"')).toEqual([GUID_A, GUID_B]);
      expect(valueAfter(goals, '"g"."is_active" = ')).toBe(1);
      expect(goals.sql).toMatch(/ order by "g"\."plan_id", "g"\."sequence_no"$/);

      expect(reviews.sql).toContain(
        'from "plan_review" as "r" inner join "plan" as "p" on "p"."plan_id" = "r"."plan_id" ' +
          'left join "worker" as "w" on "w"."worker_id" = "r"."reviewer_worker_id" ' +
          'left join "ref_review_outcome" as "o" on "o"."review_outcome_code" = "r"."review_outcome_code"',
      );
      expect(inListValues(reviews, '"p"."client_id"')).toEqual([GUID_A, GUID_B]);
      expect(valueAfter(reviews, '"r"."is_active" = ')).toBe(1);
      expect(reviews.sql).toMatch(/ order by "r"\."review_date" desc, "r"\."plan_review_id"$/);
      expect(results).toEqual([[], [], [], []]);
    });

    it('allocationsByPersonIds joins the worker without filtering workers who have left', async () => {
      const results = await adapter.allocationsByPersonIds(ids);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toContain(
        'from "client_worker_assignment" as "a" inner join "client" as "c" on "c"."client_id" = "a"."client_id" ' +
          'left join "worker" as "w" on "w"."worker_id" = "a"."worker_id"',
      );
      expect(statement.sql).not.toContain('"w"."is_active"');
      expect(statement.parameters).toEqual([GUID_A, GUID_B, 1, 1]);
      expect(statement.sql).toMatch(/ order by "a"\."start_date" desc, "a"\."created_utc" desc, "a"\."client_worker_assignment_id"$/);
      expect(results).toEqual([[], [], [], []]);
    });

    it('personIdsAllocatedToUnits asks for distinct clients with an open allocation, capped with TOP', async () => {
      await adapter.personIdsAllocatedToUnits(['CU1', 'CU2'], '2026-12-05', 2001);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select distinct top\(2001\) "a"\."client_id" from "client_worker_assignment" as "a"/);
      expect(statement.sql).toContain('("a"."end_date" is null or "a"."end_date" >= @');
      expect(statement.parameters).toEqual(['CU1', 'CU2', 1, 1, '2026-12-05']);
    });

    it('sends nothing for keys that cannot be UMIS keys', async () => {
      expect(await adapter.plansByPersonIds(['x', HOSTILE, '10001'])).toEqual([[], [], []]);
      expect(await adapter.allocationsByPersonIds([])).toEqual([]);
      expect(statements).toHaveLength(0);
    });
  });

  describe('2,500 keys', () => {
    const prng = new Prng('tsql-keys');
    const ids = Array.from({ length: 2_500 }, () => seededGuid(prng));
    const cases: Array<[string, (a: UmisAdapter) => Promise<unknown[]>, number, string]> = [
      ['peopleByIds', (a) => a.peopleByIds(ids), 1, '"c"."client_id"'],
      ['assessmentsByPersonIds', (a) => a.assessmentsByPersonIds(ids), 2, '"a"."client_id"'],
      ['plansByPersonIds', (a) => a.plansByPersonIds(ids), 3, '"p"."client_id"'],
      ['allocationsByPersonIds', (a) => a.allocationsByPersonIds(ids), 1, '"a"."client_id"'],
    ];

    it.each(cases)('%s splits the IN list into statements SQL Server accepts', async (_name, call, perChunk, column) => {
      const results = await call(adapter);
      expect(results).toHaveLength(ids.length);
      expect(statements).toHaveLength(2 * perChunk);
      const lists = statements.map((statement) => {
        expectSafeTsql(statement);
        // The is_active ones ride along as parameters, still under SQL Server's 2,100.
        expect(statement.parameters.length).toBeLessThanOrEqual(MAX_PARAMETERS_PER_STATEMENT + 2);
        return inListValues(statement, column);
      });
      expect(lists.map((list) => list.length)).toEqual([
        ...Array<number>(perChunk).fill(2_000),
        ...Array<number>(perChunk).fill(500),
      ]);
      // Every statement of a chunk carries the same keys; over the chunks, every key once.
      expect(lists.filter((_, i) => i % perChunk === 0).flat()).toEqual(ids);
    });
  });

  describe('findCandidates', () => {
    function candidateStatement(): RecordedStatement {
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select top\(\d+\) "c"\."client_id", /);
      expect(statement.sql).toContain('from "client" as "c" left join "ref_ethnicity" as "e"');
      expect(valueAfter(statement, '"c"."is_active" = ')).toBe(1);
      expect(statement.sql).toMatch(/ order by "c"\."client_id"$/);
      return statement;
    }

    it('caps rows with TOP(limit)', async () => {
      await adapter.findCandidates({ limit: 7 });
      const statement = candidateStatement();
      expect(statement.sql).toMatch(/^select top\(7\) /);
      expect(statement.parameters).toEqual([1]);
    });

    it('refuses a limit that is not a number rather than writing it into the SQL', async () => {
      await expect(adapter.findCandidates({ limit: '1) * from x; --' as unknown as number })).rejects.toThrow(/top/i);
      expect(statements).toHaveLength(0);
    });

    it('matches surname prefixes on family_name and live aliases, in each case form, as parameters', async () => {
      await adapter.findCandidates({ surnamePrefixes: [HOSTILE, 'ÖZ'], limit: 25 });
      const statement = candidateStatement();
      const patterns = [`${HOSTILE}%`, "O'brien'; drop table x;--%", "o'brien'; drop table x;--%", 'ÖZ%', 'Öz%', 'öz%'];
      const own = patterns.map((_, i) => `"c"."family_name" like @${i + 2}`).join(' or ');
      const alias = patterns.map((_, i) => `"al"."family_name" like @${i + 9}`).join(' or ');
      expect(statement.sql).toContain(
        `(${own} or "c"."client_id" in (select "al"."client_id" from "client_alias" as "al" where "al"."is_active" = @8 and (${alias})))`,
      );
      expect(statement.parameters).toEqual([1, ...patterns, 1, ...patterns]);
      expect(statement.sql).not.toMatch(/O'Brien|DROP|Öz/i);
    });

    it('matches forename prefixes on given_name, preferred_name and alias given names, LIKE wildcards stripped', async () => {
      await adapter.findCandidates({ forenamePrefixes: ['al_%[x]'], limit: 10 });
      const statement = candidateStatement();
      expect(statement.sql).toContain(
        '("c"."given_name" like @2 or "c"."given_name" like @3 or "c"."preferred_name" like @4 or "c"."preferred_name" like @5 ' +
          'or "c"."client_id" in (select "al"."client_id" from "client_alias" as "al" where "al"."is_active" = @6 ' +
          'and ("al"."given_name" like @7 or "al"."given_name" like @8)))',
      );
      expect(statement.parameters).toEqual([1, 'alx%', 'Alx%', 'alx%', 'Alx%', 1, 'alx%', 'Alx%']);
    });

    it('matches real ISO dates of birth against the DATE column, dropping text SQL Server could not convert', async () => {
      await adapter.findCandidates({ datesOfBirth: ['2008-02-29', '2009-02-29', '01/12/2009', '2009-12-01', "2009' --"], limit: 10 });
      const statement = candidateStatement();
      expect(inListValues(statement, '"c"."date_of_birth"')).toEqual(['2008-02-29', '2009-12-01']);
      expect(statement.parameters).toEqual([1, '2008-02-29', '2009-12-01']);
    });

    it('sends nothing when every date of birth asked for is impossible', async () => {
      expect(await adapter.findCandidates({ datesOfBirth: ['2010-13-01', 'yesterday'], limit: 10 })).toEqual([]);
      expect(statements).toHaveLength(0);
    });

    it('matches a postcode prefix against the stored "OUT IN" form, once per place the space could fall', async () => {
      await adapter.findCandidates({ postcodePrefix: 'N16', limit: 10 });
      const statement = candidateStatement();
      expect(statement.sql).toContain('("c"."post_code" like @2 or "c"."post_code" like @3)');
      expect(statement.parameters).toEqual([1, 'N16%', 'N1 6%']);
    });

    it('keeps a hostile postcode prefix a parameter', async () => {
      await adapter.findCandidates({ postcodePrefix: "';--", limit: 10 });
      const statement = candidateStatement();
      expect(statement.parameters).toEqual([1, "';--%"]);
      expect(statement.sql).not.toContain('--');
    });

    it('sends nothing for a postcode prefix no stored postcode could start with', async () => {
      expect(await adapter.findCandidates({ postcodePrefix: "E8' OR '1'='1", limit: 10 })).toEqual([]);
      expect(statements).toHaveLength(0);
    });

    it('combines every filter, numbering parameters in order', async () => {
      await adapter.findCandidates({
        surnamePrefixes: ['Smi'],
        forenamePrefixes: ['Jo'],
        datesOfBirth: ['2010-05-06'],
        postcodePrefix: 'E8',
        limit: 50,
      });
      const statement = candidateStatement();
      expect(statement.sql).toMatch(/^select top\(50\) /);
      expect(statement.sql).toContain(
        'where "c"."is_active" = @1 and ("c"."family_name" like @2 or "c"."family_name" like @3 or "c"."client_id" in ' +
          '(select "al"."client_id" from "client_alias" as "al" where "al"."is_active" = @4 and ("al"."family_name" like @5 or "al"."family_name" like @6))) ' +
          'and ("c"."given_name" like @7 or "c"."given_name" like @8 or "c"."preferred_name" like @9 or "c"."preferred_name" like @10 or "c"."client_id" in ' +
          '(select "al"."client_id" from "client_alias" as "al" where "al"."is_active" = @11 and ("al"."given_name" like @12 or "al"."given_name" like @13))) ' +
          'and "c"."date_of_birth" in (@14) and "c"."post_code" like @15 order by',
      );
      expect(statement.parameters).toEqual([
        1, 'Smi%', 'smi%', 1, 'Smi%', 'smi%', 'Jo%', 'jo%', 'Jo%', 'jo%', 1, 'Jo%', 'jo%', '2010-05-06', 'E8%',
      ]);
    });
  });

  describe('scanPeople', () => {
    it('pages by client_id with TOP, the last key as a parameter', async () => {
      await adapter.scanPeople(GUID_B.toUpperCase(), 100);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select top\(100\) "c"\."client_id", /);
      expect(statement.sql).toMatch(/where "c"\."is_active" = @1 and "c"\."client_id" > @2 order by "c"\."client_id"$/);
      expect(statement.parameters).toEqual([1, GUID_B]);
    });

    it('starts from the beginning without a key, and sends nothing after a key that cannot exist', async () => {
      await adapter.scanPeople(null, 5);
      expect(only().sql).toMatch(/where "c"\."is_active" = @1 order by "c"\."client_id"$/);
      expect(await adapter.scanPeople(HOSTILE, 5)).toEqual([]);
      expect(statements).toHaveLength(1);
    });
  });
});

describe('UMIS schema DDL for SQL Server', () => {
  const database = recordingDatabase();
  const { compiled, createTable } = compiledDdl(umisSchemaStatements(database.db, 'mssql'));
  afterAll(() => database.close());

  it('creates every UMIS table, in order, with no parameters', () => {
    expectCreatesTablesInOrder(compiled, UMIS_TABLES);
  });

  it('uses SQL Server types: nchar(36) GUIDs, nvarchar text, date, bit flags, datetime2 stamps', () => {
    const client = createTable('client');
    expect(client).toContain('"client_id" nchar(36) primary key');
    expect(client).toContain('"family_name" nvarchar(60) not null');
    expect(client).toContain('"date_of_birth" date,');
    expect(client).toContain('"gender_code" char(1) not null');
    expect(client).toContain('"post_code" nvarchar(8)');
    expect(client).toContain('"is_active" bit default 1 not null');
    expect(client).toContain('"created_utc" datetime2 not null');
    expect(client).toContain('"modified_utc" datetime2 not null');
    expect(createTable('assessment')).toContain('"started_date" date not null');
    expect(createTable('assessment')).toContain('"assessor_worker_id" nchar(36),');
    expect(createTable('assessment_domain_score')).toContain('"score" smallint not null');
    expect(createTable('plan_review')).toContain('"review_date" date not null');
    expect(createTable('client_worker_assignment')).toContain('"unit_code" nvarchar(4) not null');
    expect(createTable('client_worker_assignment')).toContain('"end_date" date,');
    expect(createTable('ref_domain')).toContain('"domain_code" nvarchar(8) primary key');
  });

  it('never uses types or syntax SQL Server lacks or that lose non-Latin-1 letters', () => {
    for (const { sql: text } of compiled) {
      expect(text).not.toMatch(/autoincrement|auto_increment|\bserial\b|\bboolean\b|\btext\b|\btinyint\b|if not exists|\blimit\b/i);
      expect(text).not.toMatch(/(^|[^n])varchar\(/i);
      expect(text).not.toContain("'");
      expectNoBareIdentifiers(text, SCHEMA_IDENTIFIERS);
    }
  });

  it('indexes the name, date of birth and postcode columns and every client and parent key the adapter filters on', () => {
    const indexes = compiled.filter((c) => c.sql.startsWith('create index ')).map((c) => c.sql);
    for (const [table, column] of [
      ['client', 'family_name'], ['client', 'given_name'], ['client', 'date_of_birth'], ['client', 'post_code'],
      ['client_alias', 'client_id'], ['client_alias', 'family_name'], ['assessment', 'client_id'],
      ['assessment_domain_score', 'assessment_id'], ['plan', 'client_id'], ['plan_goal', 'plan_id'],
      ['plan_review', 'plan_id'], ['client_worker_assignment', 'client_id'],
    ]) {
      expect(indexes).toContain(`create index "ix_${table}_${column}" on "${table}" ("${column}")`);
    }
  });
});
