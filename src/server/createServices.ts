import { createDatabase } from '../../adapters/drivers/createDatabase';
import { createIyssAdapter } from '../../adapters/iyss/createIyssAdapter';
import { installIyss } from '../../adapters/iyss/installIyss';
import type { IyssTables } from '../../adapters/iyss/tables';
import { createTokenVerifier } from '../auth/tokenVerifier';
import type { GatewayConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import { gatewayVersion } from '../schema/buildSchema';
import { openGatewayStore } from '../store/GatewayStore';
import type { GatewayServices } from './GatewayServices';

/**
 * Opens the gateway store and every source. Embedded SQLite sources are created and seeded with
 * synthetic data when absent; a server database (MySQL, SQL Server) is never seeded implicitly.
 */
export async function createServices(config: GatewayConfig, log: Logger): Promise<GatewayServices> {
  const store = await openGatewayStore(config.gatewayStoreUrl, config.pool);
  const iyssDatabase = createDatabase<IyssTables>(config.sources.iyss, { pool: config.pool });
  if (iyssDatabase.engine === 'sqlite' && config.seed.enabled) {
    const started = Date.now();
    const result = await installIyss(iyssDatabase, { prngSeed: config.seed.prngSeed, volume: config.seed.volume });
    if (result.created) {
      log.info({ source: 'IYSS', people: config.seed.volume, ms: Date.now() - started }, 'created and seeded embedded IYSS database with synthetic data');
    }
  }
  return {
    config,
    version: gatewayVersion(),
    log,
    verifyToken: createTokenVerifier(config.auth),
    sources: { iyss: createIyssAdapter(iyssDatabase) },
    store,
  };
}
