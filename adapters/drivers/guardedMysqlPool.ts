import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';

/** How busy a connection pool is, for metrics and tests. */
export interface PoolUsage {
  /** Connections handed out and not yet returned. */
  inUse: number;
  /** Callers waiting for a connection. */
  waiting: number;
  /** Most connections the pool may open. */
  max: number;
}

export interface GuardedPoolOptions {
  maxConnections: number;
  /** Callers allowed to wait; the next one is refused at once with POOL_QUEUE_FULL. */
  queueLimit: number;
  /** How long a caller waits for a free connection before giving up with POOL_ACQUIRE_TIMEOUT. */
  acquireTimeoutMs: number;
  /** How long one statement may run before mysql2 gives up on it (PROTOCOL_SEQUENCE_TIMEOUT). */
  statementTimeoutMs: number;
}

/** An error with a code, the way mysql2 reports its own (describeFailure and the guard read `code`). */
export class PoolError extends Error {
  constructor(
    readonly code: 'POOL_QUEUE_FULL' | 'POOL_ACQUIRE_TIMEOUT' | 'POOL_CLOSED',
    message: string,
  ) {
    super(message);
    this.name = 'PoolError';
  }
}

/** Errors after which a connection cannot be trusted with another statement. */
const BROKEN = new Set(['PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

/**
 * The mysql2 pool as Kysely sees it, with the three bounds mysql2 lacks or gets wrong: a queue that
 * refuses with a code (mysql2's "Queue limit reached." has none), a wait for a connection that ends
 * (mysql2 waits for ever), and a per-statement timeout after which the connection is destroyed rather
 * than returned (a statement to a hung server would otherwise block the next caller of that connection).
 */
export function guardPool(pool: Pool, options: GuardedPoolOptions): MysqlPool & { usage(): PoolUsage } {
  let inUse = 0;
  let waiting = 0;
  let closed = false;

  const wrap = (raw: PoolConnection): MysqlPoolConnection => {
    let broken = false;
    const connection: MysqlPoolConnection = {
      query: ((sql: string, parameters: unknown[], callback?: (error: unknown, result: MysqlQueryResult) => void) => {
        if (!callback) return raw.query({ sql, timeout: options.statementTimeoutMs }, parameters);
        raw.query({ sql, timeout: options.statementTimeoutMs }, parameters, (error, result) => {
          if (error && BROKEN.has(String((error as { code?: unknown }).code))) broken = true;
          callback(error, result as MysqlQueryResult);
        });
      }) as MysqlPoolConnection['query'],
      release() {
        inUse -= 1;
        if (broken) raw.destroy();
        else raw.release();
      },
    };
    return connection;
  };

  return {
    getConnection(callback) {
      if (closed) return callback(new PoolError('POOL_CLOSED', 'pool is closed'), undefined as never);
      if (waiting >= options.queueLimit) {
        return callback(new PoolError('POOL_QUEUE_FULL', 'too many callers waiting for a connection'), undefined as never);
      }
      waiting += 1;
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        waiting -= 1;
        callback(new PoolError('POOL_ACQUIRE_TIMEOUT', `no free connection within ${options.acquireTimeoutMs} ms`), undefined as never);
      }, options.acquireTimeoutMs);
      pool.getConnection((error, raw) => {
        if (settled) {
          // The caller gave up waiting: hand the connection straight back.
          raw?.release();
          return;
        }
        settled = true;
        clearTimeout(timer);
        waiting -= 1;
        if (error) return callback(error, undefined as never);
        inUse += 1;
        callback(null, wrap(raw));
      });
    },
    end(callback) {
      closed = true;
      pool.end(callback);
    },
    usage: () => ({ inUse, waiting, max: options.maxConnections }),
  };
}
