import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TestGateway } from './startTestGateway';

/** The gateway-store tables a lookup or a refused change must leave alone. */
export const GUARDED_TABLES = [
  'identity_person',
  'identity_link',
  'identity_link_event',
  'identity_rejected_pair',
  'identity_review_item',
  'break_glass_grant',
  'break_glass_review',
  'worker_allocation',
  'worker_allocation_end',
] as const;

export type RowCounts = Record<(typeof GUARDED_TABLES)[number], number>;

/** Row counts of the identity, break-glass and worker allocation tables, read straight from the gateway store. */
export async function storeRowCounts(gateway: TestGateway): Promise<RowCounts> {
  const db = gateway.services.store.database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const counts = {} as RowCounts;
  for (const table of GUARDED_TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The person ID the gateway used to derive from a record key (SHA-256, before issue 10): what an
 * attacker would compute for `YOIS:300001`. Tests use it as a guessed ID that must name nobody.
 */
export function formerlyDerivedPersonId(system: string, sourceId: string): string {
  const digest = createHash('sha256').update(`${system}:${sourceId}`).digest();
  let bits = 0n;
  for (let i = 0; i < 7; i++) bits = (bits << 8n) | BigInt(digest[i] as number);
  let id = '';
  for (let i = 0; i < 10; i++) id += CROCKFORD[Number((bits >> BigInt(51 - 5 * (i + 1))) & 31n)];
  return `P-${id}`;
}
