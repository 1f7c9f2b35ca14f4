/**
 * The identity store on SQL Server, without a server: the statements are compiled with Kysely's
 * SQL Server compiler and recorded, so their shape can be checked (types, brackets, @p parameters,
 * and never more parameters than SQL Server accepts in one request).
 */
import { createRecordingDatabase } from '../../../adapters/drivers/recordingDatabase';
import { SQL_SERVER_PARAMETER_LIMIT } from '../../../adapters/drivers/__tests__/tsqlAssertions';
import { generatePopulation } from '../../../adapters/synthetic/population';
import { renderSystems } from '../evaluation/renderSeedSystems';
import { applyMatchResult, ensureIdentitySchema, type IdentityTables } from '../linkStore';
import { matchRecords } from '../matchRecords';

function recordingDatabase() {
  const database = createRecordingDatabase<IdentityTables>({ database: 'gateway' });
  return { database, statements: database.statements };
}

describe('identity store on SQL Server (compiled T-SQL)', () => {
  it('creates the tables with Unicode text, a float score and unbounded JSON columns', async () => {
    const { database, statements } = recordingDatabase();
    await ensureIdentitySchema(database);
    const ddl = statements.map((s) => s.sql).filter((sql) => /^create /i.test(sql));
    // Eight for the links and their history, five for the review queue and link explanations.
    expect(ddl).toHaveLength(13);
    // One active link per record, enforced by SQL Server: a filtered unique index (earlier placements are not active).
    expect(ddl).toContain('create unique index "identity_link_one_active" on "identity_link" ("source_system", "source_id") where "active" = 1');
    const link = ddl.find((sql) => sql.startsWith('create table "identity_link"')) as string;
    expect(link).toContain('"source_id" nvarchar(64) not null');
    expect(link).toContain('"score" float');
    expect(link).toContain('constraint "identity_link_pk" primary key ("person_id", "source_system", "source_id")');
    const events = ddl.find((sql) => sql.startsWith('create table "identity_link_event"')) as string;
    expect(events).toContain('"before_json" nvarchar(max) not null');
    const review = ddl.find((sql) => sql.startsWith('create table "identity_review_item"')) as string;
    expect(review).toContain('"score" float not null');
    expect(review).toContain('"explanation_json" nvarchar(max) not null');
    expect(ddl).toContain('create unique index "identity_review_item_pair" on "identity_review_item" ("record_a", "record_b")');
    const explanation = ddl.find((sql) => sql.startsWith('create table "identity_link_explanation"')) as string;
    expect(explanation).toContain('"explanation_json" nvarchar(max) not null');
    expect(explanation).toContain('constraint "identity_link_explanation_pk" primary key ("source_system", "source_id")');
  });

  it('writes a full run in statements under the parameter limit', async () => {
    const rendered = renderSystems(generatePopulation({ seed: 3, size: 1_500 }), { seed: 3 });
    const { database, statements } = recordingDatabase();
    await applyMatchResult(database, matchRecords(rendered.records), '2026-11-24T09:00:00Z');
    const inserts = statements.filter((s) => s.sql.startsWith('insert into "identity_link"'));
    expect(inserts.length).toBeGreaterThan(1);
    for (const statement of statements) {
      expect(statement.parameters.length).toBeLessThanOrEqual(SQL_SERVER_PARAMETER_LIMIT);
      expect(statement.sql).not.toMatch(/\blimit\b/i);
      if (statement.parameters.length > 0) expect(statement.sql).toContain('@1');
    }
    const linked = inserts.reduce((n, s) => n + s.parameters.length / 8, 0);
    expect(linked).toBe(rendered.records.length);
  });
});
