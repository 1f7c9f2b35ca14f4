import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { createDatabase } from '../../adapters/drivers/createDatabase';
import { installSyntheticData } from '../../adapters/synthetic/installSyntheticData';
import type { IyssTables } from '../../adapters/iyss/tables';
import { mintDevelopmentToken } from '../../src/auth/mintToken';
import { loadConfig } from '../../src/config/config';
import { indexExists, ONE_ACTIVE_LINK_INDEX } from '../../src/identity/store/oneActiveLink';
import { openSourceDatabases } from '../../src/server/createServices';
import { startGatewayProcess, type GatewayProcess } from '../support/gatewayProcess';
import { TEST_SECRET, type GraphQLBody } from '../support/startTestGateway';
import { createScratchMysqlDatabase, testEngines } from '../support/testDatabases';

const OPEN = 'mutation($id: ID!, $r: String!) { openBreakGlass(personId: $id, reason: $r, minutes: 30) { id personId } }';
const RACERS = 20;

interface StoreTables {
  identity_person: { person_id: string };
  identity_link: { person_id: string; source_system: string; source_id: string; active: number };
}

async function graphql(url: string, query: string, variables: Record<string, unknown>, token: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'emergency' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

/**
 * Issue 17, item 3: the first sight of a record no match run has placed yet writes it to the store
 * (here: break-glass opened on it). Twenty of those at once, within one gateway process and split
 * over two processes on one store, must make one person, every request answered without error.
 */
describe.each(testEngines())('first sight of a new record, raced (store on %s)', (engine) => {
  let dir: string;
  const replicas: GatewayProcess[] = [];
  let store: { db: Kysely<StoreTables>; close(): Promise<void> };
  let iyss: { db: Kysely<IyssTables>; close(): Promise<void> };
  const drops: Array<() => Promise<void>> = [];
  let nextId = 880000;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-sight-'));
    let sourceUrl = '';
    let storeUrl = `sqlite:${path.join(dir, 'gateway.db')}`;
    if (engine === 'mysql') {
      const sources = await createScratchMysqlDatabase('race_sources');
      const scratchStore = await createScratchMysqlDatabase('race_store');
      drops.push(sources.drop, scratchStore.drop);
      sourceUrl = sources.url;
      storeUrl = scratchStore.url;
    }
    const env: Record<string, string> = {
      NODE_ENV: 'test',
      AUTH_JWT_SECRET: TEST_SECRET,
      DATA_DIR: dir,
      ...(sourceUrl ? { IYSS_DB_URL: sourceUrl, UMIS_DB_URL: sourceUrl, YOIS_DB_URL: sourceUrl, DMS_DB_URL: sourceUrl } : {}),
      DMS_FILES_DIR: path.join(dir, 'dms-files'),
      GATEWAY_DB_URL: storeUrl,
      SEED_ON_START: 'false',
      MAX_REQUESTS_PER_CALLER: '100',
    };
    const databases = openSourceDatabases(loadConfig(env));
    await installSyntheticData(databases, databases.files, { prngSeed: 77, volume: 120 });
    await Promise.all([databases.umis, databases.yois, databases.dms].map((database) => database.close()));
    iyss = databases.iyss as unknown as typeof iyss;
    // One after the other: the first runs the first match; an embedded SQLite store has no start-up lock.
    replicas.push(await startGatewayProcess({ ...env, AUDIT_CHECKPOINT_FILE: path.join(dir, 'cp-1.jsonl') }));
    replicas.push(await startGatewayProcess({ ...env, AUDIT_CHECKPOINT_FILE: path.join(dir, 'cp-2.jsonl') }));
    store = createDatabase<StoreTables>(storeUrl) as unknown as typeof store;
  }, 240_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop().catch(() => undefined)));
    await store?.close();
    await iyss?.close();
    for (const drop of drops) await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A young person added to IYSS after the first match: no person holds the record yet. */
  async function newIyssRecord(): Promise<string> {
    nextId += 1;
    await iyss.db
      .insertInto('tblYoungPerson')
      .values({ YoungPersonID: nextId, Forename: 'Zephyrine', Surname: `Quillfeather${nextId}`, KnownAs: null, DOB: '2011-04-17', Sex: 'F', EthnicityCode: 'WBRI', AddressLine1: '9 Race Street', Postcode: 'E8 1AB', UPN: null, IsDeleted: 0, DateCreated: '2026-11-30 09:00:00', DateModified: '2026-11-30 09:00:00' })
      .execute();
    return String(nextId);
  }

  async function race(sourceId: string, urls: string[]): Promise<Array<{ status: number; body: GraphQLBody }>> {
    const tokens = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => mintDevelopmentToken(TEST_SECRET, { sub: `racer-${sourceId}-${i}`, name: `Racer ${i}`, roles: ['practitioner'], tier: 3, units: [] })),
    );
    return Promise.all(
      tokens.map((token, i) => graphql(urls[i % urls.length]!, OPEN, { id: `yp:IYSS:${sourceId}`, r: 'Reported missing overnight; checking who knows her' }, token)),
    );
  }

  async function holders(sourceId: string): Promise<string[]> {
    const rows = await store.db.selectFrom('identity_link').select('person_id').where('source_system', '=', 'IYSS').where('source_id', '=', sourceId).where('active', '=', 1).execute();
    return rows.map((row) => row.person_id);
  }

  async function personCount(): Promise<number> {
    const row = await store.db.selectFrom('identity_person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function expectOnePerson(sourceId: string, answers: Array<{ status: number; body: GraphQLBody }>, personsBefore: number): Promise<void> {
    for (const answer of answers) {
      expect(answer.body.errors).toBeUndefined();
      expect(answer.status).toBe(200);
    }
    const placed = await holders(sourceId);
    expect(placed).toHaveLength(1);
    // Every grant is on that one person, and exactly one person was created for the record.
    expect(new Set(answers.map((answer) => answer.body.data.openBreakGlass.personId))).toEqual(new Set(placed));
    expect(await personCount()).toBe(personsBefore + 1);
  }

  it(`${RACERS} concurrent first sights within one process make one person and no error`, async () => {
    const sourceId = await newIyssRecord();
    const before = await personCount();
    expect(await holders(sourceId)).toEqual([]);
    await expectOnePerson(sourceId, await race(sourceId, [replicas[0]!.url]), before);
  }, 60_000);

  it(`${RACERS} concurrent first sights over two processes on one store make one person and no error`, async () => {
    for (let round = 0; round < 3; round++) {
      const sourceId = await newIyssRecord();
      const before = await personCount();
      await expectOnePerson(sourceId, await race(sourceId, replicas.map((replica) => replica.url)), before);
    }
    for (const replica of replicas) expect(replica.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  }, 120_000);

  it('the store itself refuses a second active link for a record', async () => {
    // The key is there (a failure here says the migration did not make it, not that it failed to hold).
    expect(await indexExists(engine, store.db as unknown as Kysely<unknown>, 'identity_link', ONE_ACTIVE_LINK_INDEX)).toBe(true);
    await Promise.all(replicas.map((replica) => replica.stop()));
    const [row] = await store.db.selectFrom('identity_link').select(['person_id', 'source_system', 'source_id']).where('active', '=', 1).limit(1).execute();
    const [other] = await store.db.selectFrom('identity_person').select('person_id').where('person_id', '<>', row!.person_id).limit(1).execute();
    const second = store.db
      .insertInto('identity_link')
      .values({ person_id: other!.person_id, source_system: row!.source_system, source_id: row!.source_id, active: 1, method: 'DETERMINISTIC', score: null, made_by: 'test', made_at: '2026-11-30T09:00:00.000Z' } as never)
      .execute();
    const outcome = await second.then(
      () => null,
      (error: unknown) => error as Error,
    );
    if (!outcome) {
      // Should never happen: say everything the store holds about the record, to find out why.
      const rows = await store.db.selectFrom('identity_link').selectAll().where('source_system', '=', row!.source_system).where('source_id', '=', row!.source_id).execute();
      const schema = await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where tbl_name = 'identity_link'`.execute(store.db).catch(() => ({ rows: [] }));
      throw new Error(`a second active link was accepted for ${row!.source_system}:${row!.source_id}; rows now ${JSON.stringify(rows)}; schema ${JSON.stringify(schema.rows)}`);
    }
    expect(outcome.message).toMatch(/unique|duplicate/i);
    // An earlier (inactive) placement of the same record is allowed alongside.
    await store.db
      .insertInto('identity_link')
      .values({ person_id: other!.person_id, source_system: row!.source_system, source_id: row!.source_id, active: 0, method: 'DETERMINISTIC', score: null, made_by: 'test', made_at: '2026-11-30T09:00:00.000Z' } as never)
      .execute();
  });
});
