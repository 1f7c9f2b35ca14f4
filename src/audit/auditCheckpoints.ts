/**
 * Signed checkpoints of the audit chain, kept outside the gateway store.
 *
 * The chain's hashes are plain SHA-256, so someone who can write the store (a database
 * administrator) can cut events off the end and set `audit_chain_head` to the new last event, and
 * the chain alone still verifies. A checkpoint is that end as this gateway saw it (`seq`, `hash`,
 * when), signed with HMAC-SHA256 under a key the store never holds, written at intervals to the log
 * and, when configured, appended to a file. `npm run audit:verify --checkpoints <file>` then checks
 * that every checkpointed event is still in the chain with the same hash: a truncated tail or a
 * chain rewritten from some event on is caught back to the last checkpoint before it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile } from 'node:fs/promises';

/** One anchor of the chain: event `seq` had hash `hash` at time `at`. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  /** ISO instant when the checkpoint was written. */
  at: string;
  /** HMAC-SHA256 (hex) over the three fields above, under AUDIT_CHECKPOINT_SECRET. */
  mac: string;
}

/** The log message checkpoint lines carry: a gateway's JSON log can be given to `audit:verify` as it is. */
export const CHECKPOINT_MESSAGE = 'audit checkpoint';

const macOf = (checkpoint: Omit<AuditCheckpoint, 'mac'>, secret: string) =>
  createHmac('sha256', secret).update(`audit-checkpoint-v1|${checkpoint.seq}|${checkpoint.hash}|${checkpoint.at}`, 'utf8').digest('hex');

export function signCheckpoint(checkpoint: Omit<AuditCheckpoint, 'mac'>, secret: string): AuditCheckpoint {
  return { ...checkpoint, mac: macOf(checkpoint, secret) };
}

/** The checkpoints found in checkpoint files or gateway logs, and lines that look like checkpoints but are not signed with `secret`. */
export interface ReadCheckpoints {
  checkpoints: AuditCheckpoint[];
  /** 1-based line numbers (per text given) of checkpoint lines whose signature does not verify. */
  rejectedLines: number[];
}

/**
 * Reads checkpoint lines from a checkpoint file or a gateway log (other log lines are skipped). A
 * line that names a checkpoint but whose signature does not verify is rejected: someone wrote it
 * without the key.
 */
export function readCheckpoints(text: string, secret: string): ReadCheckpoints {
  const checkpoints: AuditCheckpoint[] = [];
  const rejectedLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.includes('"mac"')) return;
    let value: Partial<AuditCheckpoint> & { msg?: string };
    try {
      value = JSON.parse(line) as typeof value;
    } catch {
      rejectedLines.push(index + 1);
      return;
    }
    if (value.msg !== undefined && value.msg !== CHECKPOINT_MESSAGE) return;
    const { seq, hash, at, mac } = value;
    const expected = typeof seq === 'number' && typeof hash === 'string' && typeof at === 'string' ? macOf({ seq, hash, at }, secret) : null;
    if (!expected || typeof mac !== 'string' || mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) {
      rejectedLines.push(index + 1);
      return;
    }
    checkpoints.push({ seq: seq!, hash: hash!, at: at!, mac });
  });
  return { checkpoints, rejectedLines };
}

export interface CheckpointWriterOptions {
  /** The newest event this process knows to be in the chain (its own last append, or the head at start). */
  latest(): Promise<{ seq: number; hash: string } | null>;
  secret: string;
  intervalMs: number;
  /** Also append each checkpoint to this file (JSON lines), when set. */
  file?: string;
  log: { info(fields: object, message: string): void; warn(fields: object, message: string): void };
  clock: { now(): Date };
}

export interface CheckpointWriter {
  /** Writes a checkpoint of the newest event now, unless it was checkpointed already. */
  writeNow(): Promise<AuditCheckpoint | null>;
  /** Stops the timer after writing a last checkpoint (on shutdown). */
  stop(): Promise<void>;
}

/** Writes a checkpoint every `intervalMs` when the chain has grown since the last one. */
export function startCheckpointWriter(options: CheckpointWriterOptions): CheckpointWriter {
  let lastSeq = -1;
  let writing: Promise<AuditCheckpoint | null> = Promise.resolve(null);

  const write = async (): Promise<AuditCheckpoint | null> => {
    const latest = await options.latest();
    if (!latest || latest.seq <= lastSeq) return null;
    const checkpoint = signCheckpoint({ seq: latest.seq, hash: latest.hash, at: options.clock.now().toISOString() }, options.secret);
    lastSeq = latest.seq;
    options.log.info({ ...checkpoint }, CHECKPOINT_MESSAGE);
    if (options.file) await appendFile(options.file, `${JSON.stringify(checkpoint)}\n`, { encoding: 'utf8', flag: 'a' });
    return checkpoint;
  };
  // One write at a time, so the file's lines stay in order.
  const writeNow = () => {
    writing = writing.then(write, write).catch((error: unknown) => {
      options.log.warn({ err: error }, 'audit checkpoint could not be written');
      return null;
    });
    return writing;
  };

  const timer = setInterval(() => void writeNow(), options.intervalMs);
  timer.unref();
  void writeNow();
  return {
    writeNow,
    async stop() {
      clearInterval(timer);
      await writeNow();
    },
  };
}
