import type { Kysely } from 'kysely';
import path from 'node:path';
import { createDatabase } from '../../adapters/drivers/createDatabase';
import { capRows } from '../../adapters/drivers/queryHelpers';
import { createDmsAdapter } from '../../adapters/dms/createDmsAdapter';
import { folderFileStore } from '../../adapters/dms/folderFileStore';
import type { DmsTables } from '../../adapters/dms/tables';
import { installSyntheticData, type SyntheticDatabases } from '../../adapters/synthetic/installSyntheticData';
import { createIyssAdapter } from '../../adapters/iyss/createIyssAdapter';
import { createIyssAggregates } from '../../adapters/iyss/iyssAggregates';
import type { IyssTables } from '../../adapters/iyss/tables';
import type { FileStore } from '../../adapters/types';
import { createUmisAdapter } from '../../adapters/umis/createUmisAdapter';
import type { UmisTables } from '../../adapters/umis/tables';
import { createYoisAdapter } from '../../adapters/yois/createYoisAdapter';
import { createYoisWriter } from '../../adapters/yois/yoisWriter';
import { createIyssWriter } from '../../adapters/iyss/iyssWriter';
import { createUmisWriter } from '../../adapters/umis/umisWriter';
import { createDmsWriter } from '../../adapters/dms/dmsWriter';
import { createWriteLedger } from '../writes/writeLedger';
import { createDemographicOutbox } from '../writes/demographicOutbox';
import { createChangeDeliverer } from '../writes/deliverChanges';
import { createYoisAggregates } from '../../adapters/yois/yoisAggregates';
import { guardedReportSources } from '../reports/guardedReportSources';
import { createGapChecks } from '../gaps/sourceGapChecks';
import { createCoreUnitResolver, linkedDimensions } from '../reports/coreUnits';
import { createGoldenDatesOfBirth } from '../reports/goldenDates';
import { createTriageAggregates } from '../reports/triageAggregates';
import { openYoisDatabase } from '../../adapters/yois/openYoisDatabase';
import { readFile } from 'node:fs/promises';
import { readCheckpoints, type AuditCheckpoint } from '../audit/auditCheckpoints';
import { createAuditLog } from '../audit/auditStore';
import { createTokenVerifier } from '../auth/tokenVerifier';
import type { GatewayConfig } from '../config/config';
import { createDocumentLinkSigner } from '../documents/documentLinks';
import { runFullMatch } from '../identity/runFullMatch';
import type { Logger } from '../logging/logger';
import { createPersonDirectory, type IdentityStore } from '../persons/createPersonDirectory';
import { createPanelAgencyStore } from '../referrals/panelAgencyStore';
import { createReferralStore } from '../referrals/referralStore';
import { createBreakGlassStore } from '../authz/breakGlassStore';
import { createWorkerAllocationStore } from '../access/workerAllocationStore';
import { defaultPolicyText } from '../authz/PolicyService';
import { createPolicyService } from '../authz/policyStore';
import { createGatewayMetrics, type GatewayMetrics } from '../metrics/gatewayMetrics';
import { gatewayVersion, schemaFromSdl } from '../schema/buildSchema';
import { createSourceBreakers } from '../sources/sourceBreakers';
import type { AuditLog } from '../audit/AuditEvent';
import { openGatewayStore, type GatewayStore } from '../store/GatewayStore';
import { withStoreInitLock } from '../store/storeInitLock';
import type { GatewayServices } from './GatewayServices';

/** The identity tables live in the gateway store beside the gateway's own. */
const identityStoreOf = (store: GatewayStore): IdentityStore => store.database as unknown as IdentityStore;

export interface SourceDatabases extends SyntheticDatabases {
  files: FileStore;
}

/** Opens every source database the configuration names (nothing is created or seeded here). */
export function openSourceDatabases(config: GatewayConfig): SourceDatabases {
  const pool = { pool: config.pool };
  return {
    iyss: createDatabase<IyssTables>(config.sources.iyss, pool),
    umis: createDatabase<UmisTables>(config.sources.umis, pool),
    yois: openYoisDatabase(config.sources.yois, pool),
    dms: createDatabase<DmsTables>(config.sources.dms, pool),
    files: folderFileStore(path.resolve(config.dmsFilesDir)),
  };
}

/** The signed checkpoints in the configured checkpoint file (none when there is no file yet). */
function checkpointsFrom(config: GatewayConfig, log: Logger): (() => Promise<AuditCheckpoint[]>) | undefined {
  const { file, secret } = config.auditCheckpoints;
  if (!file) return undefined;
  return async () => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const { checkpoints, rejectedLines } = readCheckpoints(text, secret);
    if (rejectedLines.length) log.warn({ file, rejectedLines }, 'audit checkpoint file has lines not signed with this gateway\'s key');
    return checkpoints;
  };
}

/** Wires adapters, the person directory and the other process-wide services over open databases. */
export function assembleServices(
  config: GatewayConfig,
  log: Logger,
  store: GatewayStore,
  databases: SourceDatabases,
  clock: { now(): Date } = { now: () => new Date() },
): GatewayServices {
  const directory = createPersonDirectory(identityStoreOf(store), clock);
  const metrics = createGatewayMetrics();
  const breakers = createSourceBreakers(config.breaker, log);
  metrics.watch({
    breakers: () => ({ IYSS: breakers.IYSS.state(), UMIS: breakers.UMIS.state(), YOIS: breakers.YOIS.state(), DMS: breakers.DMS.state() }),
    pools: {
      IYSS: databases.iyss.poolUsage,
      UMIS: databases.umis.poolUsage,
      YOIS: databases.yois.poolUsage,
      DMS: databases.dms.poolUsage,
      GATEWAY_STORE: store.database.poolUsage,
    },
  });
  const writers = {
    iyss: createIyssWriter(databases.iyss, clock),
    umis: createUmisWriter(databases.umis, clock),
    yois: createYoisWriter(databases.yois, clock),
    dms: createDmsWriter(databases.dms, databases.files),
  };
  const outbox = createDemographicOutbox(store.database);
  const sources = {
    iyss: createIyssAdapter(databases.iyss),
    umis: createUmisAdapter(databases.umis),
    yois: createYoisAdapter(databases.yois),
    dms: createDmsAdapter(databases.dms, databases.files),
  };
  return {
    config,
    version: gatewayVersion(),
    log,
    verifyToken: createTokenVerifier(config.auth),
    sources,
    writers,
    writeLedger: createWriteLedger(store.database, clock),
    outbox,
    changeDelivery: createChangeDeliverer({ writers, breakers, clock, log }, outbox, config.outbox),
    breakers,
    metrics,
    reportSources: guardedReportSources(
      {
        yois: createYoisAggregates(databases.yois),
        iyss: createIyssAggregates(databases.iyss),
        store: createTriageAggregates(store.database),
        linked: linkedDimensions(
          createCoreUnitResolver({ store: identityStoreOf(store), yois: databases.yois, umis: databases.umis, breakers }),
          createGoldenDatesOfBirth({ store: identityStoreOf(store), sources, breakers }),
        ),
      },
      breakers,
    ),
    gapChecks: createGapChecks({ databases, sources, store: identityStoreOf(store), breakers }),
    persons: directory,
    identity: directory,
    documentLinks: createDocumentLinkSigner(config.documentLinks.secret, config.documentLinks.ttlSeconds),
    clock,
    store,
    audit: countedAudit(createAuditLog(store.database, { checkpoints: checkpointsFrom(config, log) }), metrics),
    referrals: createReferralStore(store.database, clock),
    panelAgencies: createPanelAgencyStore(store.database, clock),
    policy: createPolicyService(store.database, { schema: schemaFromSdl(), defaultDocument: defaultPolicyText, clock, refreshMs: config.policyRefreshMs }),
    breakGlass: createBreakGlassStore(store.database, clock),
    workerAllocations: createWorkerAllocationStore(store.database, clock),
  };
}

/** The audit log, counting events written and failures for /metrics. */
function countedAudit(audit: AuditLog, metrics: GatewayMetrics): AuditLog {
  return {
    ...audit,
    async record(event) {
      try {
        const stored = await audit.record(event);
        metrics.auditWritten();
        return stored;
      } catch (error) {
        metrics.auditFailed();
        throw error;
      }
    },
  };
}

/** Links every record to a gateway person when the store has none yet (first start, or a new store). The store's migrations made the tables. */
export async function matchIfUnlinked(services: GatewayServices): Promise<void> {
  const database = identityStoreOf(services.store);
  const anyPerson = (database.db as unknown as Kysely<{ identity_person: { person_id: string } }>).selectFrom('identity_person').select('person_id');
  // TOP on SQL Server, LIMIT elsewhere: `limit` is not T-SQL and stopped a gateway with its store on SQL Server from starting.
  const existing = await capRows(anyPerson, database.engine, 1).execute();
  if (existing.length > 0) return;
  const { iyss, umis, yois } = services.sources;
  try {
    const report = await runFullMatch(database, [iyss, umis, yois], services.clock.now());
    services.log.info(report, 'identity: full match run linked every record to a gateway person');
  } catch (error) {
    // A source being down must not stop the gateway: records not yet matched become people of their own on first sight.
    services.log.warn({ err: error }, 'identity: full match run skipped, a source could not be read; run `npm run match` when it is back');
  }
}

/**
 * Opens the gateway store and every source. Embedded SQLite sources are created and seeded with
 * synthetic data when absent; a server database (MySQL, SQL Server) is never seeded implicitly.
 */
export async function createServices(config: GatewayConfig, log: Logger): Promise<GatewayServices> {
  const store = await openGatewayStore(config.gatewayStoreUrl, config.pool);
  const databases = openSourceDatabases(config);
  if (config.seed.enabled) {
    const embedded: Partial<SyntheticDatabases> = {};
    for (const system of ['iyss', 'umis', 'yois', 'dms'] as const) {
      if (databases[system].engine === 'sqlite') Object.assign(embedded, { [system]: databases[system] });
    }
    const started = Date.now();
    const dataset = await installSyntheticData(embedded, databases.files, { prngSeed: config.seed.prngSeed, volume: config.seed.volume });
    if (dataset.created.length) {
      log.info({ systems: dataset.created, people: config.seed.volume, ms: Date.now() - started }, 'created and seeded embedded databases with synthetic data');
    }
  }
  const services = assembleServices(config, log, store, databases);
  // One replica installs the first policy and runs the first match; the others wait, then find them done.
  await withStoreInitLock(store.database, async () => {
    await services.policy.ensureInstalled();
    await matchIfUnlinked(services);
  });
  return services;
}
