import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installSyntheticData, type SyntheticDataset } from '../../adapters/synthetic/installSyntheticData';
import type { SourceSystem } from '../../adapters/types';
import { mintDevelopmentToken, type DevelopmentTokenClaims } from '../../src/auth/mintToken';
import { allocationsOf } from '../../src/access/allocatedUnits';
import { loadConfig, type GatewayConfig } from '../../src/config/config';
import { createLoaders } from '../../src/loaders/createLoaders';
import { createLogger } from '../../src/logging/logger';
import { createGateway } from '../../src/server/createGateway';
import type { GatewayServices } from '../../src/server/GatewayServices';
import { assembleServices, matchIfUnlinked, openSourceDatabases, type SourceDatabases } from '../../src/server/createServices';
import { openGatewayStore } from '../../src/store/GatewayStore';
import { createScratchMssqlDatabase, createScratchMysqlDatabase } from './testDatabases';

export const TEST_SECRET = 'test-secret-for-jest-only-0123456789abcdef';

/** A clock tests can move, so expiry is tested without sleeping. */
export class TestClock {
  constructor(private current = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestGateway {
  url: string;
  services: GatewayServices;
  databases: SourceDatabases;
  clock: TestClock;
  /** The synthetic data written, with the ground truth of who is who. */
  dataset: SyntheticDataset;
  /** SQL statements sent so far, to every source and the gateway store together. */
  statements(): number;
  /** The gateway person ID a source record belongs to. */
  personIdOf(system: Exclude<SourceSystem, 'DMS'>, sourceId: string | number): Promise<string>;
  token(claims?: Partial<DevelopmentTokenClaims>, options?: { expiresIn?: string | number }): Promise<string>;
  /** The Core Units a young person is currently allocated to (what need to know checks), sorted. */
  allocatedUnitsOf(personId: string): Promise<string[]>;
  /** POSTs a GraphQL operation with a bearer token (a default tier-1 practitioner in CU1 unless given). */
  graphql(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: GraphQLBody }>;
  stop(): Promise<void>;
}

export interface GraphQLBody {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response data is checked field by field in each test
  data?: any;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export interface TestGatewayOptions {
  /** Where the four systems live: SQLite files, or one scratch MariaDB (MYSQL_URL) or SQL Server (MSSQL_URL) database. */
  engine?: 'sqlite' | 'mysql' | 'mssql';
  /** The gateway store in a scratch database of its own on the same server (else an SQLite file); on for SQL Server unless `false`. */
  storeOnEngine?: boolean;
  volume?: number;
  env?: Record<string, string>;
  /** Source URLs used as they are, without creating or seeding anything (e.g. a server that is down). */
  urls?: Partial<Record<'IYSS_DB_URL' | 'UMIS_DB_URL' | 'YOIS_DB_URL' | 'DMS_DB_URL', string>>;
  /** Benchmark only: `false` serves the schema without its per-field authorization guards (see createGateway). */
  authorization?: boolean;
  /** Where the gateway's JSON log lines go (set LOG_LEVEL in `env` too; tests default to silent). */
  logDestination?: { write(line: string): void };
}

/**
 * Starts the real gateway over HTTP on a free port, with freshly seeded source databases on the
 * chosen engine (SQLite files, or one scratch MariaDB or SQL Server database holding all four systems'
 * tables; on SQL Server the gateway store gets a scratch database there too).
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const engine = options.engine ?? 'sqlite';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-test-'));
  const urls: Record<string, string> = {};
  const drops: Array<() => Promise<void>> = [];
  if (engine !== 'sqlite') {
    const scratch = engine === 'mysql' ? await createScratchMysqlDatabase('gateway_test') : await createScratchMssqlDatabase('gateway_test');
    drops.push(scratch.drop);
    for (const name of ['IYSS_DB_URL', 'UMIS_DB_URL', 'YOIS_DB_URL', 'DMS_DB_URL']) urls[name] = scratch.url;
    if (options.storeOnEngine ?? engine === 'mssql') {
      const store = engine === 'mysql' ? await createScratchMysqlDatabase('gateway_store') : await createScratchMssqlDatabase('gateway_store');
      drops.push(store.drop);
      urls.GATEWAY_DB_URL = store.url;
    }
  }
  const config: GatewayConfig = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_JWT_SECRET: TEST_SECRET,
    DATA_DIR: dir,
    // One gateway per test: the cached policy never goes stale behind its back, and a re-check would add a
    // statement at an unpredictable moment to the statement-count tests. Tests of refreshing set their own.
    POLICY_REFRESH_MS: '3600000',
    ...urls,
    ...options.urls,
    ...options.env,
  });
  const databases = openSourceDatabases(config);
  const given = new Set(Object.keys(options.urls ?? {}).map((name) => name.slice(0, 4).toLowerCase()));
  const seedable = Object.fromEntries(
    (['iyss', 'umis', 'yois', 'dms'] as const).filter((system) => !given.has(system)).map((system) => [system, databases[system]]),
  );
  const dataset = await installSyntheticData(seedable, databases.files, { prngSeed: 4242, volume: options.volume ?? 400 });
  const clock = new TestClock();
  const store = await openGatewayStore(config.gatewayStoreUrl);
  const services = assembleServices(config, createLogger(config.logLevel, options.logDestination), store, databases, clock);
  await services.policy.ensureInstalled();
  await matchIfUnlinked(services);
  const gateway = await createGateway(services, { authorization: options.authorization !== false });
  const port = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const token: TestGateway['token'] = (claims = {}, tokenOptions = {}) =>
    mintDevelopmentToken(
      TEST_SECRET,
      { sub: 'u-test', name: 'Test Practitioner', roles: ['practitioner'], tier: 1, units: ['CU1'], ...claims },
      tokenOptions,
    );
  const defaultToken = await token();
  const allDatabases = [databases.iyss, databases.umis, databases.yois, databases.dms, store.database];
  return {
    url,
    services,
    databases,
    clock,
    dataset,
    statements: () => allDatabases.reduce((sum, database) => sum + database.stats.statements, 0),
    async personIdOf(system, sourceId) {
      const [person] = await services.persons.personsForRecords([{ system, sourceId: String(sourceId) }]);
      return person!.personId;
    },
    token,
    async allocatedUnitsOf(personId) {
      const loaders = createLoaders(services, services.log);
      return [...(await allocationsOf({ loaders, services }, personId)).units].sort();
    },
    async graphql(query, variables, bearer = defaultToken, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLBody };
    },
    async stop() {
      await gateway.stop();
      for (const drop of drops) await drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
