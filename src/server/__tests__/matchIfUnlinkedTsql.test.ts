/**
 * The start-up step that runs the first identity match, with the gateway store on SQL Server:
 * compiled by Kysely's SQL Server compiler and recorded (no server needed). It runs at every start,
 * so a statement SQL Server rejects here stops the gateway from starting at all.
 */
import { createRecordingDatabase } from '../../../adapters/drivers/recordingDatabase';
import { folderFileStore } from '../../../adapters/dms/folderFileStore';
import { loadConfig } from '../../config/config';
import { createLogger } from '../../logging/logger';
import type { GatewayStore, GatewayTables } from '../../store/GatewayStore';
import { assembleServices, matchIfUnlinked, type SourceDatabases } from '../createServices';

it('asks whether any person exists with TOP, not LIMIT, on SQL Server', async () => {
  const storeDatabase = createRecordingDatabase<GatewayTables>({ database: 'gateway' });
  const store: GatewayStore = { database: storeDatabase, ping: async () => {}, close: async () => {} };
  const sources = {
    iyss: createRecordingDatabase({ database: 'iyss' }),
    umis: createRecordingDatabase({ database: 'umis' }),
    yois: createRecordingDatabase({ database: 'yois' }),
    dms: createRecordingDatabase({ database: 'dms' }),
    files: folderFileStore('/nonexistent'),
  } as unknown as SourceDatabases;
  const config = loadConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: 'x'.repeat(40) });
  const services = assembleServices(config, createLogger('silent'), store, sources);

  await matchIfUnlinked(services);

  expect(storeDatabase.statements[0]).toEqual({ sql: 'select top(1) "person_id" from "identity_person"', parameters: [] });
  expect(storeDatabase.statements.filter((s) => /\blimit\b/i.test(s.sql))).toEqual([]);
});
