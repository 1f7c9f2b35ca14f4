import { loadConfig } from '../config/config';
import { runFullMatch } from '../identity/runFullMatch';
import { createLogger } from '../logging/logger';
import { assembleServices, openSourceDatabases } from '../server/createServices';
import { openGatewayStore } from '../store/GatewayStore';

/**
 * `npm run match`: a full identity match run over every source, with the gateway's configuration.
 * Respects people's confirmations and rejections; prints what it changed as JSON.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger('warn');
  const store = await openGatewayStore(config.gatewayStoreUrl, config.pool);
  const services = assembleServices(config, log, store, openSourceDatabases(config));
  try {
    const database = store.database as unknown as Parameters<typeof runFullMatch>[0];
    const { iyss, umis, yois } = services.sources;
    const report = await runFullMatch(database, [iyss, umis, yois], new Date());
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await Promise.allSettled([...Object.values(services.sources).map((source) => source.close()), store.close()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`match run failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
