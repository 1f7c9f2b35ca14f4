/** The three engines a legacy source or the gateway store can run on. */
export type Engine = 'sqlite' | 'mysql' | 'mssql';

/** A parsed connection URL: which engine, and where. Credentials never reach logs through this type's `describe`. */
export type DatabaseLocation =
  | { engine: 'sqlite'; file: string }
  | { engine: 'mysql'; url: string; database: string }
  | {
      engine: 'mssql';
      server: string;
      port: number;
      database: string;
      user: string;
      password: string;
      encrypt: boolean;
      trustServerCertificate: boolean;
    };

/**
 * Parses `sqlite:path`, `mysql://user:pass@host:port/db` or `mssql://user:pass@host:port/db?encrypt=true`.
 * Throws with a message that names what was expected, never echoing a password.
 */
export function parseDatabaseUrl(raw: string): DatabaseLocation {
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new Error('sqlite URL needs a file path, e.g. sqlite:data/iyss.db or sqlite::memory:');
    return { engine: 'sqlite', file };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('expected sqlite:<file>, mysql://user@host:port/db or mssql://user:pass@host:port/db');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) throw new Error(`${url.protocol}// URL needs a database name in its path`);
  if (url.protocol === 'mysql:' || url.protocol === 'mariadb:') {
    url.protocol = 'mysql:';
    return { engine: 'mysql', url: url.toString(), database };
  }
  if (url.protocol === 'mssql:' || url.protocol === 'sqlserver:') {
    const flag = (name: string, fallback: boolean): boolean => {
      const value = url.searchParams.get(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (['true', '1', 'yes'].includes(value)) return true;
      if (['false', '0', 'no'].includes(value)) return false;
      throw new Error(`mssql URL option ${name} must be true or false`);
    };
    return {
      engine: 'mssql',
      server: url.hostname,
      port: url.port ? Number(url.port) : 1433,
      database,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      encrypt: flag('encrypt', true),
      trustServerCertificate: flag('trustServerCertificate', false),
    };
  }
  throw new Error(`unsupported database URL scheme "${url.protocol}": use sqlite:, mysql:// or mssql://`);
}

/** A loggable description of a location: engine and database, no host or credentials. */
export function describeLocation(location: DatabaseLocation): string {
  return location.engine === 'sqlite' ? `sqlite:${location.file}` : `${location.engine}:${location.database}`;
}
