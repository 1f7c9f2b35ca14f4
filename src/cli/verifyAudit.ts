import { createDatabase } from '../../adapters/drivers/createDatabase';
import { verifyAuditChain } from '../audit/auditStore';
import { loadConfig } from '../config/config';

/**
 * `npm run audit:verify`: walks the access audit chain in the configured gateway store
 * (`GATEWAY_DB_URL`) from its first event and prints `{ events, firstBrokenSeq, reason }` as JSON.
 * Exits 1 when a link is broken, 2 when the store cannot be read. Reads only: it opens the store
 * without creating tables or re-creating triggers, so what it reports is what is there.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const store = createDatabase<unknown>(config.gatewayStoreUrl, { pool: config.pool });
  try {
    const report = await verifyAuditChain(store);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.firstBrokenSeq === null ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit verification failed to run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
