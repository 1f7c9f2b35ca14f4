import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, type Database } from '../../adapters/drivers/createDatabase';
import { createIyssAdapter } from '../../adapters/iyss/createIyssAdapter';
import { installIyss } from '../../adapters/iyss/installIyss';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { IyssSeed } from '../../adapters/iyss/seedRows';
import { mintDevelopmentToken, type DevelopmentTokenClaims } from '../../src/auth/mintToken';
import { createTokenVerifier } from '../../src/auth/tokenVerifier';
import { loadConfig, type GatewayConfig } from '../../src/config/config';
import { createLogger } from '../../src/logging/logger';
import { createGateway } from '../../src/server/createGateway';
import type { GatewayServices } from '../../src/server/GatewayServices';
import { gatewayVersion } from '../../src/schema/buildSchema';
import { openGatewayStore } from '../../src/store/GatewayStore';
import { createScratchMysqlDatabase } from './testDatabases';

export const TEST_SECRET = 'test-secret-for-jest-only-0123456789abcdef';

export interface TestGateway {
  url: string;
  services: GatewayServices;
  iyssDatabase: Database<IyssTables>;
  /** The synthetic rows written (empty when `iyssUrl` was given). */
  seed: IyssSeed;
  token(claims?: Partial<DevelopmentTokenClaims>, options?: { expiresIn?: string | number }): Promise<string>;
  /** POSTs a GraphQL operation with a bearer token (a default practitioner unless given). */
  graphql(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<{ status: number; body: GraphQLBody }>;
  stop(): Promise<void>;
}

export interface GraphQLBody {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response data is checked field by field in each test
  data?: any;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

export interface TestGatewayOptions {
  engine?: 'sqlite' | 'mysql';
  volume?: number;
  env?: Record<string, string>;
  /** Use this IYSS URL as it is, without creating or seeding anything (e.g. a server that is down). */
  iyssUrl?: string;
}

/** Starts the real gateway over HTTP on a free port, with a freshly seeded IYSS database on the chosen engine. */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const engine = options.engine ?? 'sqlite';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-test-'));
  let iyssUrl = `sqlite:${path.join(dir, 'iyss.db')}`;
  let dropMysql: (() => Promise<void>) | undefined;
  if (options.iyssUrl) {
    iyssUrl = options.iyssUrl;
  } else if (engine === 'mysql') {
    const scratch = await createScratchMysqlDatabase('iyss_test');
    iyssUrl = scratch.url;
    dropMysql = scratch.drop;
  }
  const config: GatewayConfig = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_JWT_SECRET: TEST_SECRET,
    DATA_DIR: dir,
    IYSS_DB_URL: iyssUrl,
    ...options.env,
  });
  const iyssDatabase = createDatabase<IyssTables>(iyssUrl, { pool: config.pool });
  const installed = options.iyssUrl
    ? { created: false as const }
    : await installIyss(iyssDatabase, { prngSeed: 4242, volume: options.volume ?? 400 });
  const log = createLogger(config.logLevel);
  const services: GatewayServices = {
    config,
    version: gatewayVersion(),
    log,
    verifyToken: createTokenVerifier(config.auth),
    sources: { iyss: createIyssAdapter(iyssDatabase) },
    store: await openGatewayStore(config.gatewayStoreUrl),
  };
  const gateway = await createGateway(services);
  const port = await gateway.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const token: TestGateway['token'] = (claims = {}, tokenOptions = {}) =>
    mintDevelopmentToken(
      TEST_SECRET,
      { sub: 'u-test', name: 'Test Practitioner', roles: ['practitioner'], tier: 1, units: ['CU1'], ...claims },
      tokenOptions,
    );
  const defaultToken = await token();
  return {
    url,
    services,
    iyssDatabase,
    seed: installed.seed ?? { rows: emptyRows(), truth: [] },
    token,
    async graphql(query, variables, bearer = defaultToken) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLBody };
    },
    async stop() {
      await gateway.stop();
      await dropMysql?.();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function emptyRows(): IyssSeed['rows'] {
  return {
    tlkpEthnicity: [],
    tlkpActivityType: [],
    tlkpContactType: [],
    tlkpNeetStatus: [],
    tblYoungPerson: [],
    tblGroupSession: [],
    tblAttendance: [],
    tblContact: [],
    tblEducationStatus: [],
  };
}
