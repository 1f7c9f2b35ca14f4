import { SourceFailure, type SourceSystem } from '../../adapters/types';
import type { Logger } from '../logging/logger';

/** A short, safe reason for a source failure: never SQL text, hostnames or stack traces. */
export function describeFailure(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'server not found';
    case 'ETIMEDOUT':
    case 'ETIMEOUT':
      return 'connection timed out';
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ELOGIN':
      return 'login refused';
    case 'ER_BAD_DB_ERROR':
      return 'database not found';
    case 'PROTOCOL_CONNECTION_LOST':
    case 'ECONNRESET':
    case 'ESOCKET':
      return 'connection lost';
    case 'POOL_ENQUEUELIMIT':
      return 'too many requests waiting for a connection';
    default:
      return 'query failed';
  }
}

/** Raised when a call outlives its deadline. */
export class DeadlineExceeded extends Error {
  readonly code = 'ETIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/** Resolves or rejects as `call` does, or rejects with DeadlineExceeded after `timeoutMs`. */
export async function withDeadline<T>(timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([call(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Calls a source with a deadline and turns any failure into a SourceFailure naming the source, so
 * one system being down or slow reads as "not checked" for that system and never fails the others.
 */
export async function callSource<T>(
  source: SourceSystem,
  timeoutMs: number,
  log: Logger,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await withDeadline(timeoutMs, call);
  } catch (error) {
    if (error instanceof SourceFailure) throw error;
    const reason = error instanceof DeadlineExceeded ? error.message : describeFailure(error);
    log.warn({ source, reason, err: error }, 'source unavailable');
    throw new SourceFailure(source, reason, { cause: error });
  }
}

/** For batch functions: a failed source fails every key with the same SourceFailure instead of rejecting the batch. */
export async function callSourceBatch<T>(
  source: SourceSystem,
  timeoutMs: number,
  log: Logger,
  keys: readonly unknown[],
  call: () => Promise<Array<T | Error>>,
): Promise<Array<T | Error>> {
  try {
    return await callSource(source, timeoutMs, log, call);
  } catch (error) {
    return keys.map(() => error as Error);
  }
}
