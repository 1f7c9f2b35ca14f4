import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDatabase } from '../../adapters/drivers/createDatabase';
import { mintDevelopmentToken } from '../../src/auth/mintToken';
import { startGatewayProcess } from '../support/gatewayProcess';
import { TEST_SECRET } from '../support/startTestGateway';
import { createScratchMysqlDatabase } from '../support/testDatabases';

/**
 * `npm run seed` as a newcomer runs it: the CLI as its own process into an empty database, then the
 * gateway started on that database answers a search. On SQLite always; on MariaDB when MYSQL_URL is set.
 */
const ROOT = path.resolve(__dirname, '../..');

function seed(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/seed.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const engines: Array<'sqlite' | 'mysql'> = process.env.MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];

describe.each(engines)('npm run seed on %s', (engine) => {
  let url: string;
  let drop: () => Promise<void> = async () => undefined;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-cli-'));
    if (engine === 'mysql') ({ url, drop } = await createScratchMysqlDatabase('seed_cli'));
    else url = `sqlite:${path.join(dir, 'trial.db')}`;
  });
  afterAll(async () => {
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('seeds all four systems into an empty database, refuses it once it holds tables, and the gateway runs on it', async () => {
    const files = path.join(dir, 'dms-files');
    const first = await seed(['--system', 'all', '--url', url, '--volume', '300', '--seed', '7', '--files', files]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as { seeded: string[]; records: Record<string, number> };
    expect(summary.seeded).toEqual(['IYSS', 'UMIS', 'YOIS', 'DMS']);

    // What the summary says was written is what the database holds.
    const database = createDatabase<Record<string, Record<string, unknown>>>(url);
    const count = async (table: string) =>
      Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(database.db)).rows[0]!.n);
    let counts: Record<string, number>;
    let documents: number;
    let someone: { Forename: string; Surname: string } | undefined;
    try {
      counts = { IYSS: await count('tblYoungPerson'), UMIS: await count('client'), YOIS: await count('YP_PERSON') };
      documents = await count('dm_document');
      [someone] = (await sql<{ Forename: string; Surname: string }>`select Forename, Surname from tblYoungPerson where IsDeleted = 0 order by YoungPersonID`.execute(database.db)).rows;
    } finally {
      await database.close();
    }
    expect(counts).toEqual(summary.records);
    expect(Math.min(...Object.values(counts))).toBeGreaterThan(0);
    expect(documents).toBeGreaterThan(0);
    expect(fs.readdirSync(files).length).toBeGreaterThan(0);

    // A second run finds tables and refuses, writing nothing.
    const again = await seed(['--system', 'IYSS', '--url', url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Refusing to seed: the database already holds \d+ table\(s\)/);
    expect(again.stdout).toBe('');

    // A bad argument is a usage error naming it.
    const bad = await seed(['--system', 'CRM', '--url', url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not CRM');

    // The gateway on the seeded database (its own store elsewhere) finds a seeded young person.
    const gateway = await startGatewayProcess({
      DATA_DIR: dir,
      IYSS_DB_URL: url,
      UMIS_DB_URL: url,
      YOIS_DB_URL: url,
      DMS_DB_URL: url,
      DMS_FILES_DIR: files,
      GATEWAY_DB_URL: `sqlite:${path.join(dir, 'gateway.db')}`,
      AUTH_JWT_SECRET: TEST_SECRET,
      NODE_ENV: 'development',
    });
    try {
      const token = await mintDevelopmentToken(TEST_SECRET, { sub: 'u-seed', name: 'Seed Test', roles: ['practitioner'], tier: 1, units: ['CU1'] });
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query: 'query($name: String!) { searchYoungPeople(criteria: { name: $name }) { totalCount edges { node { forename surname } } } }',
          variables: { name: `${someone!.Forename} ${someone!.Surname}` },
        }),
      });
      const body = (await response.json()) as { data: { searchYoungPeople: { totalCount: number; edges: Array<{ node: { surname: string } }> } } };
      expect(body.data.searchYoungPeople.totalCount).toBeGreaterThan(0);
      expect(body.data.searchYoungPeople.edges[0]!.node.surname).toBe(someone!.Surname);
    } finally {
      await gateway.stop();
    }
  }, 240_000);
});
