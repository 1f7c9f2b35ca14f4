import { ConfigError, loadConfig } from './config/config';
import { createLogger } from './logging/logger';
import { createGateway } from './server/createGateway';
import { createServices } from './server/createServices';

/** Starts the gateway from environment variables; stops gracefully on SIGTERM or SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const services = await createServices(config, log);
  const gateway = await createGateway(services);
  const port = await gateway.listen(config.port, config.host);
  const url = `http://localhost:${port}/graphql`;
  log.info({ url, auth: config.auth.mode }, `gateway listening on ${url}`);
  if (config.auth.mode === 'hs256' && config.auth.usingDevelopmentSecret) {
    log.warn('using the built-in development JWT secret; mint a token with: npm run token -- --role practitioner --tier 1 --unit CU1');
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => {
      log.error('shutdown grace period exceeded; exiting');
      process.exit(1);
    }, config.shutdownGraceMs + 5_000);
    force.unref();
    gateway
      .stop()
      .then(() => {
        log.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
