import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDatabase } from '../../adapters/drivers/createDatabase';
import { readCheckpoints, type AuditCheckpoint } from '../audit/auditCheckpoints';
import { verifyAuditChain } from '../audit/auditStore';
import { loadConfig } from '../config/config';

/**
 * `npm run audit:verify [-- --checkpoints <file> ...]`: walks the access audit chain in the configured
 * gateway store (`GATEWAY_DB_URL`) from its first event and prints `{ events, firstBrokenSeq, reason }`
 * as JSON. With signed checkpoints (checkpoint files, or gateway logs holding "audit checkpoint"
 * lines; `AUDIT_CHECKPOINT_FILE` by default) it also checks that every checkpointed event is still in
 * the chain with the same hash, which catches a tail cut off with the head rewritten. Exits 1 when a
 * link is broken or a checkpoint line is not signed with AUDIT_CHECKPOINT_SECRET, 2 when the store
 * cannot be read. Reads only: it opens the store without creating tables or re-creating triggers, so
 * what it reports is what is there.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const { values } = parseArgs({ options: { checkpoints: { type: 'string', multiple: true } } });
  const files = values.checkpoints ?? (config.auditCheckpoints.file ? [config.auditCheckpoints.file] : []);
  const checkpoints: AuditCheckpoint[] = [];
  const rejected: Array<{ file: string; line: number }> = [];
  for (const file of files) {
    const read = readCheckpoints(readFileSync(file, 'utf8'), config.auditCheckpoints.secret);
    checkpoints.push(...read.checkpoints);
    rejected.push(...read.rejectedLines.map((line) => ({ file, line })));
  }
  if (files.length === 0) {
    process.stderr.write('no audit checkpoints given (--checkpoints <file>): a tail cut off with the head rewritten cannot be detected\n');
  }
  const store = createDatabase<unknown>(config.gatewayStoreUrl, { pool: config.pool });
  try {
    const report = await verifyAuditChain(store, { checkpoints });
    const anchored = files.length
      ? { checkpoints: { verified: checkpoints.length, latestSeq: checkpoints.reduce((max, c) => Math.max(max, c.seq), 0), rejected } }
      : {};
    process.stdout.write(`${JSON.stringify({ ...report, ...anchored }, null, 2)}\n`);
    return report.firstBrokenSeq === null && rejected.length === 0 ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit verification failed to run: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
