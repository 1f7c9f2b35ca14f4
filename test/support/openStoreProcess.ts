/**
 * Child process for the concurrent-start tests: waits until the wall-clock instant given as its
 * second argument, so several processes open the store at the same moment, then opens the gateway
 * store named by its first argument (migrations, trigger repair), takes the store initialisation
 * lock once, and prints one JSON line: what it migrated, or the error that stopped it.
 */
import { openGatewayStore } from '../../src/store/GatewayStore';
import { withStoreInitLock } from '../../src/store/storeInitLock';

async function main(): Promise<void> {
  const [url, startAt] = process.argv.slice(2);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  try {
    const store = await openGatewayStore(url!);
    await withStoreInitLock(store.database, async () => undefined);
    await store.close();
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: (error as Error).message })}\n`);
  }
}

void main();
