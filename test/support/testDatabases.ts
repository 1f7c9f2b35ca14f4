import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';

/** Which engines the adapter and integration suites run on: SQLite always, MariaDB when MYSQL_URL is set. */
export function testEngines(): Array<'sqlite' | 'mysql'> {
  return process.env.MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
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
