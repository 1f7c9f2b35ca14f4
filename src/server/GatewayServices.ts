import type { IyssAdapter } from '../../adapters/types';
import type { TokenVerifier } from '../auth/tokenVerifier';
import type { GatewayConfig } from '../config/config';
import type { Logger } from '../logging/logger';
import type { GatewayStore } from '../store/GatewayStore';

/** Process-wide services, built once at start and shared by every request. Holds no per-user state. */
export interface GatewayServices {
  config: GatewayConfig;
  /** The gateway's release version, reported by `gatewayInfo`. */
  version: string;
  log: Logger;
  verifyToken: TokenVerifier;
  sources: { iyss: IyssAdapter };
  store: GatewayStore;
}
