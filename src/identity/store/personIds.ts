/**
 * Gateway person IDs: `P-` and 10 random Crockford base32 characters, allocated so that no two
 * persons share one. An ID says nothing about the records behind it, so nobody can compute the ID
 * of `YOIS:300001` and ask about it; it is stable because it is stored.
 */
import { randomBytes } from 'node:crypto';
import { chunk, MAX_PARAMETERS_PER_STATEMENT } from '../../../adapters/drivers/insertRows';
import type { Db } from './identitySchema';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * `P-` and 10 Crockford base32 characters (50 bits) from a cryptographic random source. Never derived
 * from a record key: a derived ID would let anyone compute the ID of any record and probe for it.
 */
export function newPersonId(): string {
  const bytes = randomBytes(7);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 10; i++) id += CROCKFORD[Number((bits >> BigInt(5 * i)) & 31n)];
  return `P-${id}`;
}

export async function existingPersonIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunk([...new Set(ids)], MAX_PARAMETERS_PER_STATEMENT)) {
    const rows = await db.selectFrom('identity_person').select('person_id').where('person_id', 'in', part).execute();
    for (const row of rows) found.add(row.person_id);
  }
  return found;
}

/** `count` fresh random person IDs, skipping IDs already used in the store or in `taken`. */
export async function allocatePersonIds(db: Db, count: number, taken: Set<string>): Promise<string[]> {
  const ids: Array<string | null> = new Array<string | null>(count).fill(null);
  let pending = ids.map((_, i) => i);
  while (pending.length > 0) {
    const candidates = pending.map(() => newPersonId());
    const used = await existingPersonIds(db, candidates);
    const retry: number[] = [];
    pending.forEach((seedIndex, j) => {
      const candidate = candidates[j] as string;
      if (used.has(candidate) || taken.has(candidate)) retry.push(seedIndex);
      else {
        ids[seedIndex] = candidate;
        taken.add(candidate);
      }
    });
    pending = retry;
  }
  return ids as string[];
}

/** Active rejected pairs touching any of `keys` (all of them when `keys` is null). */

export async function ensurePerson(db: Db, personId: string, at: string): Promise<void> {
  const found = await db.selectFrom('identity_person').select('person_id').where('person_id', '=', personId).executeTakeFirst();
  if (!found) await db.insertInto('identity_person').values({ person_id: personId, created_at: at }).execute();
}

