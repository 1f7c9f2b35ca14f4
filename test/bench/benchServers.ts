/**
 * The benchmark's server process (started by test/bench/run.ts, which generates the load from its own
 * process). Seeds one set of source databases and one gateway store on the engine asked for, then
 * serves, side by side over loopback HTTP:
 * - `gateway`: the real gateway;
 * - `noAuthz`: the same gateway without its authorization rules (createGateway `authorization: false`);
 * - `noBatch`: the same gateway with DataLoader batching off (one statement per key);
 * - `floor`: the SQL floor (test/bench/floor.ts): the same rows through the same adapters and drivers,
 *   sources in parallel, the same JSON out, no GraphQL, no authorization, no audit;
 * - `bareApollo`: a bare Apollo Server 5 with a one-field schema, for `{__typename}`.
 * All gateways share the databases and the store, as replicas do. It talks to the load generator over
 * IPC: `setup` (workloads, URLs, headers) once, then `stats` between rounds.
 */
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { installSyntheticData } from '../../adapters/synthetic/installSyntheticData';
import { allocationsOf } from '../../src/access/allocatedUnits';
import type { AuditLog } from '../../src/audit/AuditEvent';
import { mintDevelopmentToken } from '../../src/auth/mintToken';
import { loadConfig } from '../../src/config/config';
import { createLoaders } from '../../src/loaders/createLoaders';
import { createLogger } from '../../src/logging/logger';
import { createGateway, type Gateway } from '../../src/server/createGateway';
import type { GatewayServices } from '../../src/server/GatewayServices';
import { assembleServices, matchIfUnlinked, openSourceDatabases } from '../../src/server/createServices';
import { openGatewayStore } from '../../src/store/GatewayStore';
import { TEST_SECRET } from '../support/startTestGateway';
import { createScratchMysqlDatabase } from '../support/testDatabases';
import { startFloor } from './floor';
import { workloadsFor, type BenchWorkload } from './workloads';

export type Target = 'gateway' | 'noAuthz' | 'noBatch' | 'floor' | 'bareApollo';

export interface SetupMessage {
  type: 'setup';
  engine: string;
  volume: number;
  seedSeconds: number;
  urls: Record<Target, string>;
  workloads: BenchWorkload[];
}

export interface StatsMessage {
  type: 'stats';
  /** SQL statements sent so far to the sources and the gateway store, all targets together. */
  statements: number;
  /** Audit events written so far, all gateways together. */
  auditEvents: number;
  /** 200 responses to POST /graphql so far, by target. */
  ok: Record<string, number>;
  peakRssMb: number;
  rssMb: number;
}

const engine = (process.env.BENCH_ENGINE ?? 'sqlite') as 'sqlite' | 'mysql';
const volume = Number(process.env.BENCH_VOLUME ?? 2_000);

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-bench-'));
  const drops: Array<() => Promise<void>> = [];
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    AUTH_JWT_SECRET: TEST_SECRET,
    DATA_DIR: dir,
    POLICY_REFRESH_MS: '3600000',
    MAX_REQUESTS_PER_CALLER: '1000',
    MAX_IDS_PER_LOOKUP: '1000',
    MAX_QUERY_COMPLEXITY: '10000000',
    // With batching off a 500-person list queues thousands of statements on the store's pool at once.
    DB_POOL_QUEUE_LIMIT: '100000',
  };
  if (engine === 'mysql') {
    const sources = await createScratchMysqlDatabase('bench_sources');
    const store = await createScratchMysqlDatabase('bench_store');
    drops.push(sources.drop, store.drop);
    for (const name of ['IYSS_DB_URL', 'UMIS_DB_URL', 'YOIS_DB_URL', 'DMS_DB_URL']) env[name] = sources.url;
    env.GATEWAY_DB_URL = store.url;
  }
  const cleanup = async () => {
    for (const drop of drops) await drop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once('disconnect', () => {
    void cleanup().finally(() => process.exit(0));
  });

  const config = loadConfig(env);
  const databases = openSourceDatabases(config);
  const seeded = Date.now();
  const dataset = await installSyntheticData(databases, databases.files, { prngSeed: 4242, volume });
  const store = await openGatewayStore(config.gatewayStoreUrl, config.pool);
  const log = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent');
  let auditEvents = 0;
  const build = (): GatewayServices => {
    const services = assembleServices(config, log, store, databases);
    const audit: AuditLog = services.audit;
    return {
      ...services,
      audit: {
        ...audit,
        async record(event) {
          const stored = await audit.record(event);
          auditEvents += 1;
          return stored;
        },
      },
    };
  };
  const services = build();
  await services.policy.ensureInstalled();
  await matchIfUnlinked(services);
  const seedSeconds = (Date.now() - seeded) / 1000;

  const ok: Record<string, number> = {};
  const counted = (name: string, server: http.Server) => {
    ok[name] = 0;
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      if (req.method !== 'POST') return;
      // Counted when produced, not when delivered: a response to a client that had already hung up (the load
      // generator stopping mid-request) was still produced, and audited.
      const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
      res.end = ((...args: unknown[]) => {
        if (res.statusCode === 200) ok[name]! += 1;
        return end(...args);
      }) as typeof res.end;
    });
  };
  const gateways: Gateway[] = [];
  const urls: Partial<Record<Target, string>> = {};
  const variants: Array<[Target, { authorization?: boolean; batching?: boolean }]> = [
    ['gateway', {}],
    ['noAuthz', { authorization: false }],
    ['noBatch', { batching: false }],
  ];
  for (const [name, options] of variants) {
    const gateway = await createGateway(name === 'gateway' ? services : build(), options);
    counted(name, gateway.httpServer);
    urls[name] = `http://127.0.0.1:${await gateway.listen(0, '127.0.0.1')}`;
    gateways.push(gateway);
  }
  const floor = startFloor(services);
  counted('floor', floor);
  urls.floor = await listen(floor);

  const bare = new ApolloServer({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });
  const { url: bareUrl } = await startStandaloneServer(bare, { listen: { port: 0, host: '127.0.0.1' } });
  urls.bareApollo = bareUrl.replace(/\/$/, '');

  const token = (claims: Parameters<typeof mintDevelopmentToken>[1]) => mintDevelopmentToken(TEST_SECRET, claims, { expiresIn: '1d' });
  const allocated = async (personId: string) => {
    const loaders = createLoaders(services, log);
    return [...(await allocationsOf({ loaders, services }, personId)).units].sort();
  };
  const workloads = await workloadsFor({ services, dataset, token, allocated });

  const allDatabases = [databases.iyss, databases.umis, databases.yois, databases.dms, store.database];
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      const stats: StatsMessage = {
        type: 'stats',
        statements: allDatabases.reduce((sum, database) => sum + database.stats.statements, 0),
        auditEvents,
        ok: { ...ok },
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        rssMb: Math.round(process.memoryUsage.rss() / 1024 / 1024),
      };
      process.send!(stats);
    } else if (message.type === 'stop') {
      void (async () => {
        await bare.stop();
        floor.close();
        for (const gateway of gateways) await gateway.stop().catch(() => undefined);
        await cleanup();
        process.exit(0);
      })();
    }
  });
  const setup: SetupMessage = { type: 'setup', engine, volume, seedSeconds, urls: urls as Record<Target, string>, workloads };
  process.send!(setup);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
