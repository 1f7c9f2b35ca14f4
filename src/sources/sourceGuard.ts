import { SourceFailure, type SourceSystem } from '../../adapters/types';

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
    case 'PROTOCOL_SEQUENCE_TIMEOUT':
      return 'statement timed out';
    case 'POOL_ACQUIRE_TIMEOUT':
      return 'no free connection in time';
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ELOGIN':
      return 'login refused';
    case 'ER_BAD_DB_ERROR':
      return 'database not found';
    case 'PROTOCOL_CONNECTION_LOST':
    case 'ECONNRESET':
    case 'ESOCKET':
    case 'EPIPE':
      return 'connection lost';
    default:
      return 'query failed';
  }
}

/**
 * The pool's own queue is full: the gateway is overloaded, the source is not at fault. mysql2's
 * "Queue limit reached." carries no code, so it is recognised by its message.
 */
export function isOverload(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'POOL_QUEUE_FULL' || code === 'POOL_ENQUEUELIMIT' || (error as Error)?.message === 'Queue limit reached.';
}

/** Connection-level errors a second attempt on another connection may not meet; never a timeout (a hung source would double the wait). */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'PROTOCOL_CONNECTION_LOST' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNREFUSED';
}

/** A source call refused because the gateway itself is saturated: answered as OVERLOADED, never as a missing source. */
export class SourceOverloaded extends SourceFailure {
  constructor(source: SourceSystem, options?: { cause?: unknown }) {
    super(source, 'gateway overloaded', options);
    this.name = 'SourceOverloaded';
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
