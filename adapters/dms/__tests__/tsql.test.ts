/**
 * The T-SQL the DMS adapter would send to SQL Server, captured without a server: a Kysely instance
 * runs Kysely's T-SQL compiler (the one the production `MssqlDriverDialect` uses) over a fake driver
 * that records each compiled statement and answers with no rows.
 */
import { MAX_PARAMETERS_PER_STATEMENT } from '../../drivers/insertRows';
import { createRecordingDatabase, type RecordedStatement, type RecordingDatabase } from '../../drivers/recordingDatabase';
import {
  compiledDdl,
  expectCreatesTablesInOrder,
  expectNoBareIdentifiers,
  expectRecordingDialectMatchesProduction,
  inLists,
  onlyStatement,
  safeTsqlCheck,
  schemaIdentifiers,
  valueAfter,
} from '../../drivers/__tests__/tsqlAssertions';
import { Prng } from '../../synthetic/prng';
import { RecordNotFound, type DmsAdapter, type FileStore } from '../../types';
import { createDmsAdapter } from '../createDmsAdapter';
import { dmsSchemaStatements, DMS_TABLES } from '../ddl';
import type { DmsTables } from '../tables';
import { madeUpGuid } from './testSubjects';

const HOSTILE = "10001'; DROP TABLE dm_document;--";

/** A `Database<DmsTables>` that looks like an open SQL Server database but only records statements. */
const recordingDatabase = () => createRecordingDatabase<DmsTables>({ database: 'DMS' });

const noFiles: FileStore = {
  read: async (key) => {
    throw new RecordNotFound('DMS', key);
  },
  write: async () => {},
};

// ---------------------------------------------------------------------------------------------
// Shape checks shared by every statement.

/** Every identifier the DMS schema declares (tables, columns, index), read from its compiled DDL. */
const SCHEMA_IDENTIFIERS = schemaIdentifiers(dmsSchemaStatements(recordingDatabase().db, 'mssql'));

/**
 * What every statement must look like on SQL Server (see safeTsqlCheck); the purge flag '0' may match
 * inside placeholder names such as @10.
 */
const expectSafeTsql = safeTsqlCheck({ schemaIdentifiers: SCHEMA_IDENTIFIERS, valuesMayMatchInside: ['placeholders'] });

const SELECT_FROM =
  'from "dm_document" as "d" left join "dm_doc_type" as "t" on "t"."doc_type_cd" = "d"."doc_type_cd" ' +
  'left join "dm_user" as "u" on "u"."user_login" = "d"."author_login"';

// ---------------------------------------------------------------------------------------------

describe('the recording dialect matches production', () => {
  it('uses the same compiler and adapter classes as MssqlDriverDialect', () => {
    expectRecordingDialectMatchesProduction();
  });
});

describe('DMS adapter T-SQL', () => {
  let database: RecordingDatabase<DmsTables>;
  let statements: RecordedStatement[];
  let adapter: DmsAdapter;

  beforeEach(() => {
    database = recordingDatabase();
    ({ statements } = database);
    adapter = createDmsAdapter(database, noFiles);
  });
  afterEach(() => database.close());

  const only = (): RecordedStatement => onlyStatement(statements);

  describe('documentsByIds', () => {
    it('sends valid IDs once each as integer parameters, drops malformed ones, and answers every key in order', async () => {
      const ids = ['500001', '500007', 'abc', '500001', '-3', '0500002', HOSTILE, ''];
      const results = await adapter.documentsByIds(ids);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toMatch(/^select "d"\."doc_id", "d"\."doc_title", /);
      expect(statement.sql).toContain(SELECT_FROM);
      expect(valueAfter(statement, '"d"."purged" = ')).toBe('0');
      expect(inLists(statement, '"d"."doc_id"')).toEqual([[500001, 500007, 500002]]);
      expect(statement.parameters).toEqual(['0', 500001, 500007, 500002]);
      expect(statement.sql).not.toMatch(/500001|DROP/);
      expect(results).toHaveLength(ids.length);
      results.forEach((result, i) => {
        expect(result).toBeInstanceOf(RecordNotFound);
        expect((result as RecordNotFound).key).toBe(ids[i]);
      });
    });

    it('sends nothing when no key can be a DMS document ID', async () => {
      const results = await adapter.documentsByIds(['x', HOSTILE, '1234567890']);
      expect(statements).toHaveLength(0);
      expect(results.every((r) => r instanceof RecordNotFound)).toBe(true);
    });
  });

  describe('documentsBySubjects', () => {
    const guid = '3f2a9c1e-7b4d-4e8a-9c2b-1d5e6f7a8b9c';

    it('looks up every system in one statement, each system code and stored spelling a parameter', async () => {
      const keys = ['YOIS:123', `UMIS:{${guid.toUpperCase()}}`, 'IYSS:10001', 'IYSS:bad', `IYSS:${HOSTILE}`, 'DMS:1', 'IYSS:010002', 'IYSS:10001'];
      const results = await adapter.documentsBySubjects(keys);
      const statement = only();
      expectSafeTsql(statement);
      expect(statement.sql).toContain(SELECT_FROM);
      expect(statement.sql).toContain(
        'where "d"."purged" = @1 and (("d"."subject_system" = @2 and "d"."subject_ref" in (@3, @4)) or ' +
          '("d"."subject_system" = @5 and "d"."subject_ref" in (@6, @7)) or ("d"."subject_system" = @8 and "d"."subject_ref" in (@9)))',
      );
      expect(statement.parameters).toEqual(['0', 'YS', '10001', '10002', 'UM', guid, `{${guid.toUpperCase()}}`, 'YO', '123']);
      expect(statement.sql).toMatch(/ order by "d"\."created_ts" desc, "d"\."doc_id" desc$/);
      expect(results).toEqual(keys.map(() => []));
    });

    it('sends nothing when no key can name a subject', async () => {
      expect(await adapter.documentsBySubjects(['10001', HOSTILE, 'UMIS:10001', 'YOIS:x'])).toEqual([[], [], [], []]);
      expect(statements).toHaveLength(0);
    });
  });

  describe('2,500 keys', () => {
    const prng = new Prng(5);
    const guids = Array.from({ length: 2_500 }, () => madeUpGuid(prng));
    const cases: Array<[string, string[], number[]]> = [
      ['IYSS subjects', Array.from({ length: 2_500 }, (_, i) => `IYSS:${10_001 + i}`), [2_000, 500]],
      // Two stored spellings per GUID: 1,000 GUIDs (2,000 values) per statement, a GUID's spellings never split.
      ['UMIS subjects', guids.map((g) => `UMIS:${g}`), [2_000, 2_000, 1_000]],
    ];

    it.each(cases)('documentsBySubjects splits %s into statements SQL Server accepts', async (_name, keys, sizes) => {
      const results = await adapter.documentsBySubjects(keys);
      expect(results).toHaveLength(keys.length);
      expect(statements.map((s) => inLists(s, '"d"."subject_ref"').flat().length)).toEqual(sizes);
      for (const statement of statements) {
        expectSafeTsql(statement);
        expect(inLists(statement, '"d"."subject_ref"').flat().length).toBeLessThanOrEqual(MAX_PARAMETERS_PER_STATEMENT);
      }
      const sent = statements.flatMap((s) => inLists(s, '"d"."subject_ref"').flat());
      expect(new Set(sent).size).toBe(sent.length);
      if (keys[0]!.startsWith('UMIS:')) {
        for (const statement of statements) {
          const values = inLists(statement, '"d"."subject_ref"').flat() as string[];
          const lower = values.filter((v) => !v.startsWith('{'));
          expect(values.filter((v) => v.startsWith('{'))).toEqual(lower.map((g) => `{${g.toUpperCase()}}`));
        }
      }
    });

    it('documentsBySubjects keeps mixed systems within the limit, one IN list per system per statement', async () => {
      const keys = [...guids.slice(0, 1_500).map((g) => `UMIS:${g}`), ...Array.from({ length: 1_500 }, (_, i) => `YOIS:${i + 1}`)];
      await adapter.documentsBySubjects(keys);
      expect(statements).toHaveLength(3);
      for (const statement of statements) {
        expectSafeTsql(statement);
        expect(inLists(statement, '"d"."subject_ref"').flat().length).toBeLessThanOrEqual(MAX_PARAMETERS_PER_STATEMENT);
        const codes = statement.parameters.filter((p) => p === 'UM' || p === 'YO');
        expect(new Set(codes).size).toBe(codes.length);
      }
    });

    it('documentsByIds splits the IN list into statements SQL Server accepts', async () => {
      const ids = Array.from({ length: 2_500 }, (_, i) => String(500_001 + i));
      const results = await adapter.documentsByIds(ids);
      expect(results).toHaveLength(ids.length);
      expect(statements.map((s) => inLists(s, '"d"."doc_id"')[0]!.length)).toEqual([2_000, 500]);
      for (const statement of statements) expectSafeTsql(statement);
      expect(statements.flatMap((s) => inLists(s, '"d"."doc_id"')[0]!)).toEqual(ids.map(Number));
    });
  });
});

describe('DMS schema DDL for SQL Server', () => {
  const database = recordingDatabase();
  const { compiled, createTable } = compiledDdl(dmsSchemaStatements(database.db, 'mssql'));
  afterAll(() => database.close());

  it('creates every DMS table, in order, with no parameters', () => {
    expectCreatesTablesInOrder(compiled, DMS_TABLES);
  });

  it('uses SQL Server types: nvarchar for text, datetime2 for timestamps, char for codes and the purge flag', () => {
    const document = createTable('dm_document');
    expect(document).toContain('"doc_id" integer primary key');
    expect(document).toContain('"doc_title" nvarchar(200) not null');
    expect(document).toContain('"subject_system" char(2) not null');
    expect(document).toContain('"subject_ref" nvarchar(40) not null');
    expect(document).toContain('"security_class" nvarchar(20),');
    expect(document).toContain('"created_ts" datetime2 not null');
    expect(document).toContain('"modified_ts" datetime2 not null');
    expect(document).toContain('"byte_size" integer not null');
    expect(document).toContain('"storage_path" nvarchar(255) not null');
    expect(document).toContain(`"purged" char(1) default '0' not null`);
    expect(createTable('dm_doc_type')).toContain('"doc_type_cd" nvarchar(8) primary key');
    expect(createTable('dm_user')).toContain('"user_login" nvarchar(40) primary key');
  });

  it('never uses types or syntax SQL Server lacks, and quotes every name', () => {
    for (const { sql: text } of compiled) {
      expect(text).not.toMatch(/autoincrement|auto_increment|\bserial\b|\bboolean\b|\btext\b|if not exists|\blimit\b/i);
      expect(text).not.toMatch(/(^|[^n])varchar\(/i);
      // The purge flag's default is the only literal.
      expect(text.replace(`default '0'`, '')).not.toContain("'");
      expectNoBareIdentifiers(text, SCHEMA_IDENTIFIERS);
    }
  });

  it('indexes documents by subject system and reference', () => {
    const indexes = compiled.filter((c) => c.sql.startsWith('create index ')).map((c) => c.sql);
    expect(indexes).toEqual(['create index "ix_dm_document_subject" on "dm_document" ("subject_system", "subject_ref")']);
  });
});
