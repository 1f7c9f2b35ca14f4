import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import mysql from 'mysql2/promise';
import { createDatabase } from '../../adapters/drivers/createDatabase';

/**
 * Which engines the adapter and integration suites run on: SQLite always, MariaDB when MYSQL_URL is
 * set, and, for the suites that opt in with `{ sqlServer: true }`, SQL Server when MSSQL_URL is set
 * (all four systems and the gateway store in scratch databases there: the live run of the whole gateway).
 */
export function testEngines(): Array<'sqlite' | 'mysql'>;
export function testEngines(options: { sqlServer: true }): Array<'sqlite' | 'mysql' | 'mssql'>;
export function testEngines(options: { sqlServer?: boolean } = {}): Array<'sqlite' | 'mysql' | 'mssql'> {
  return [
    'sqlite' as const,
    ...(process.env.MYSQL_URL ? (['mysql'] as const) : []),
    ...(options.sqlServer && process.env.MSSQL_URL ? (['mssql'] as const) : []),
  ];
}

/** Takes a table out of reach and back (a source "down" for one table), in the engine's own DDL. */
export async function renameTable(db: Kysely<never>, engine: 'sqlite' | 'mysql' | 'mssql', from: string, to: string): Promise<void> {
  if (engine === 'mssql') await sql`exec sp_rename ${from}, ${to}`.execute(db);
  else await sql`alter table ${sql.table(from)} rename to ${sql.table(to)}`.execute(db);
}

/**
 * Creates a uniquely named database on the MYSQL_URL server, so concurrent runs never collide, and
 * returns its URL and a function that drops it. Throws (failing the suite loudly) when MYSQL_URL is
 * set but the server cannot be reached.
 */
export async function createScratchMysqlDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.MYSQL_URL;
  if (!base) throw new Error('MYSQL_URL is not set');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({ uri: base, connectTimeout: 5_000 });
  } catch (error) {
    throw new Error(`MYSQL_URL is set but MariaDB/MySQL is unreachable: ${(error as Error).message}`);
  }
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const connection = await mysql.createConnection({ uri: base });
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    },
  };
}

/**
 * Creates a uniquely named database on the MSSQL_URL server (its login must be allowed to create
 * databases), returns its URL and a function that drops it. Throws when MSSQL_URL is set but the
 * server cannot be reached, so a configured live run never passes by skipping.
 */
export async function createScratchMssqlDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.MSSQL_URL;
  if (!base) throw new Error('MSSQL_URL is not set');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = createDatabase<unknown>(base, { pool: { connectTimeoutMs: 15_000, statementTimeoutMs: 120_000 } });
  try {
    await admin.ping();
    await sql.raw(`CREATE DATABASE [${name}]`).execute(admin.db);
  } catch (error) {
    await admin.close();
    throw new Error(`MSSQL_URL is set but SQL Server could not make a scratch database: ${(error as Error).message}`);
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      try {
        // Connections still pooled by the gateway would block the drop: roll them back and take the database.
        await sql.raw(`ALTER DATABASE [${name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [${name}]`).execute(admin.db);
      } finally {
        await admin.close();
      }
    },
  };
}
