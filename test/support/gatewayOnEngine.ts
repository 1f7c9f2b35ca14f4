import SqliteDatabase from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './startTestGateway';
import { createScratchMysqlDatabase } from './testDatabases';

/**
 * A separate connection to the gateway store, as a database administrator would have: it can drop
 * triggers and change rows behind the gateway's back. Used to tamper with the audit and to make the
 * store refuse writes.
 */
export interface AdminConnection {
  exec(statement: string): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayOnEngine {
  gateway: TestGateway;
  /** Opens an administrator's connection to the gateway store. */
  admin(): Promise<AdminConnection>;
  stop(): Promise<void>;
}

/**
 * The test gateway with its own store on the engine under test: SQLite, or a scratch MariaDB
 * database (startTestGateway alone keeps the store on SQLite whatever the sources' engine).
 */
export async function startGatewayOnEngine(engine: 'sqlite' | 'mysql', options: TestGatewayOptions = {}): Promise<GatewayOnEngine> {
  const scratch = engine === 'mysql' ? await createScratchMysqlDatabase('gateway_store') : null;
  const gateway = await startTestGateway({
    ...options,
    engine,
    env: { ...options.env, ...(scratch ? { GATEWAY_DB_URL: scratch.url } : {}) },
  });
  const storeUrl = gateway.services.config.gatewayStoreUrl;
  return {
    gateway,
    async admin() {
      if (scratch) {
        const connection = await mysql.createConnection({ uri: scratch.url });
        return {
          exec: async (statement) => {
            await connection.query(statement);
          },
          close: () => connection.end(),
        };
      }
      const connection = new SqliteDatabase(storeUrl.slice('sqlite:'.length));
      connection.pragma('busy_timeout = 5000');
      return {
        exec: async (statement) => {
          connection.exec(statement);
        },
        close: async () => {
          connection.close();
        },
      };
    },
    async stop() {
      await gateway.stop();
      await scratch?.drop();
    },
  };
}
