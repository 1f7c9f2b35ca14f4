import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config';
import { IncrementalMatcher } from '../identity/incrementalMatcher';
import { createLogger } from '../logging/logger';
import { assembleServices, openSourceDatabases } from '../server/createServices';
import { openGatewayStore } from '../store/GatewayStore';

const USAGE = `npm run match -- [--watch [--every 60]]

A full identity match run over every source, with the gateway's configuration: respects people's
confirmations and rejections, and prints what it changed as JSON.

--watch keeps going after the full run: every --every seconds (default 60) it reads the sources
again and matches the records created or changed in their own systems since it last looked, so a
child registered straight into IYSS, UMIS or YOIS joins their gateway person within one round
instead of staying a provisional person until the next full run. One JSON line per round. Run one
watcher per gateway store; SIGTERM or SIGINT ends it after the round in progress.`;

type Store = ConstructorParameters<typeof IncrementalMatcher>[0];

/** Resolves after `ms`, or at once when `stopped` settles first. */
async function pause(ms: number, stopped: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), stopped]);
  clearTimeout(timer);
}

async function watch(matcher: IncrementalMatcher, everyMs: number, log: ReturnType<typeof createLogger>): Promise<void> {
  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => ((stopping = true), resolve()));
  });
  while (!stopping) {
    try {
      const round = await matcher.refresh(new Date());
      const { applied, ...counts } = round;
      const written = applied ? { linksCreated: applied.linksCreated, linksMoved: applied.linksMoved, personsCreated: applied.personsCreated, reviewQueued: applied.reviewQueue.queued } : null;
      process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...counts, written })}\n`);
    } catch (error) {
      // A source down (or the store) fails this round only; nothing is taken as deleted for not being read.
      log.warn({ err: error }, 'identity watch: round skipped, will try again');
      process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), skipped: error instanceof Error ? error.message : String(error) })}\n`);
    }
    await pause(everyMs, stopped);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { watch: { type: 'boolean' }, every: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const everySeconds = Number(values.every ?? 60);
  if (!Number.isInteger(everySeconds) || everySeconds < 1) throw new Error(`--every: a whole number of seconds, 1 or more, not '${values.every}'`);
  if (values.every !== undefined && !values.watch) throw new Error('--every goes with --watch');
  const config = loadConfig();
  const log = createLogger('warn');
  const store = await openGatewayStore(config.gatewayStoreUrl, config.pool);
  const services = assembleServices(config, log, store, openSourceDatabases(config));
  try {
    const database = store.database as unknown as Store;
    const { iyss, umis, yois } = services.sources;
    const matcher = new IncrementalMatcher(database, [iyss, umis, yois]);
    const report = await matcher.fullRun(new Date());
    process.stdout.write(`${JSON.stringify(report, null, values.watch ? undefined : 2)}\n`);
    if (values.watch) await watch(matcher, everySeconds * 1000, log);
  } finally {
    await Promise.allSettled([...Object.values(services.sources).map((source) => source.close()), store.close()]);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`match run failed: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(1);
});
