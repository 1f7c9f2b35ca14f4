import { createPool } from 'mysql2';
import type { MysqlPoolConnection } from 'kysely';
import { guardPool, PoolError } from '../guardedMysqlPool';

/** Runs against the MYSQL_URL server only: these are the bounds mysql2 lacks. */
const describeOnMysql = process.env.MYSQL_URL ? describe : describe.skip;

describeOnMysql('guardPool over a real mysql2 pool', () => {
  const pool = guardPool(createPool({ uri: process.env.MYSQL_URL, connectionLimit: 1 }), {
    maxConnections: 1,
    queueLimit: 1,
    acquireTimeoutMs: 300,
    statementTimeoutMs: 300,
  });
  afterAll(() => new Promise<void>((resolve) => pool.end(() => resolve())));

  const acquire = () =>
    new Promise<MysqlPoolConnection>((resolve, reject) => pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))));
  const query = (connection: MysqlPoolConnection, sql: string) =>
    new Promise<Array<Record<string, unknown>>>((resolve, reject) =>
      connection.query(sql, [], (error, rows) => (error ? reject(error) : resolve(rows as Array<Record<string, unknown>>))),
    );

  it('refuses a caller beyond the queue at once with a code, and gives up on a wait after the acquire timeout', async () => {
    const held = await acquire();
    let waitingSettled = false;
    const waiting = acquire()
      .catch((error: unknown) => error)
      .finally(() => (waitingSettled = true));
    await expect(acquire()).rejects.toMatchObject({ code: 'POOL_QUEUE_FULL' });
    // At once, not after a wait: the caller already queued is still waiting for its 300 ms timeout.
    expect(waitingSettled).toBe(false);
    expect(pool.usage()).toEqual({ inUse: 1, waiting: 1, max: 1 });
    const timedOut = await waiting;
    expect(timedOut).toBeInstanceOf(PoolError);
    expect(timedOut).toMatchObject({ code: 'POOL_ACQUIRE_TIMEOUT' });
    expect(pool.usage()).toEqual({ inUse: 1, waiting: 0, max: 1 });
    held.release();
    expect(pool.usage()).toEqual({ inUse: 0, waiting: 0, max: 1 });
  });

  it('times a statement out and destroys its connection instead of handing it to the next caller', async () => {
    const first = await acquire();
    const [{ id: before }] = (await query(first, 'SELECT CONNECTION_ID() AS id')) as [{ id: number }];
    await expect(query(first, 'SELECT SLEEP(2)')).rejects.toMatchObject({ code: 'PROTOCOL_SEQUENCE_TIMEOUT' });
    first.release();
    const next = await acquire();
    const [{ id: after }] = (await query(next, 'SELECT CONNECTION_ID() AS id')) as [{ id: number }];
    next.release();
    expect(after).not.toBe(before);
  });
});
