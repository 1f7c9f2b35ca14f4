import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

/** The MariaDB server binary, if this machine has one. */
export function mariadbBinary(): string | null {
  for (const candidate of ['/usr/sbin/mariadbd', '/usr/sbin/mysqld', '/usr/bin/mariadbd']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A MariaDB server of the test's own, on a spare port with a temporary data directory, so a test can
 * stop, hang (SIGSTOP) and restart a real source without touching the shared server. It is killed when
 * the test process exits, whatever happens to the test.
 */
export interface PrivateMariadb {
  readonly port: number;
  /** URL of a database on it (created on first start). */
  url(database: string): string;
  /** Stops the server cleanly (connections are closed, the port refuses). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** SIGSTOP: the port still accepts connections, nothing answers. */
  hang(): void;
  /** SIGCONT. */
  resume(): void;
  /** Kills it and removes its data. */
  destroy(): Promise<void>;
}

export async function startPrivateMariadb(): Promise<PrivateMariadb> {
  const binary = mariadbBinary();
  if (!binary) throw new Error('no mariadbd binary: install the Debian mariadb-server package');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'private-mariadb-'));
  const datadir = path.join(dir, 'data');
  execFileSync(
    'mariadb-install-db',
    ['--no-defaults', `--datadir=${datadir}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
    { stdio: 'ignore' },
  );
  const port = await freePort();
  let child: ChildProcess | null = null;
  const killNow = () => child?.kill('SIGKILL');
  process.on('exit', killNow);

  const ping = async (): Promise<boolean> => {
    try {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 500 });
      await connection.end();
      return true;
    } catch {
      return false;
    }
  };

  const start = async () => {
    child = spawn(
      binary,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        '--user=root',
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(dir, 'mysqld.sock')}`,
        `--pid-file=${path.join(dir, 'mysqld.pid')}`,
        `--log-error=${path.join(dir, 'error.log')}`,
        '--skip-log-bin',
        '--skip-name-resolve',
        '--innodb-buffer-pool-size=32M',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 150; i += 1) {
      if (await ping()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`private mariadbd did not start; see ${path.join(dir, 'error.log')}`);
  };

  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGCONT');
    running.kill('SIGTERM');
    await exited;
    child = null;
  };

  await start();
  const created = new Set<string>();
  return {
    port,
    url(database) {
      created.add(database);
      return `mysql://root@127.0.0.1:${port}/${database}`;
    },
    stop,
    start,
    hang: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    async destroy() {
      child?.kill('SIGCONT');
      child?.kill('SIGKILL');
      child = null;
      process.off('exit', killNow);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates a database on the private server. */
export async function createDatabaseOn(server: PrivateMariadb, name: string): Promise<string> {
  const connection = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
  await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  return server.url(name);
}
