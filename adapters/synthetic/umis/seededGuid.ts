import type { Prng } from '../prng';

const hex = (value: number, digits: number): string => (value >>> 0).toString(16).padStart(digits, '0').slice(-digits);

/**
 * A version-4-shaped GUID drawn from a seeded stream, in the lower-case 36-character text UMIS stores.
 * Never crypto.randomUUID: every synthetic key must be reproducible from the seed.
 */
export function seededGuid(prng: Prng): string {
  const words = [0, 1, 2, 3].map(() => prng.int(0, 0xffffffff));
  const [a = 0, b = 0, c = 0, d = 0] = words;
  const version = 0x4000 | (b & 0x0fff);
  // RFC 4122 variant: the top two bits of the clock-sequence field are 10.
  const variant = 0x8000 | ((c >>> 16) & 0x3fff);
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-${hex(version, 4)}-${hex(variant, 4)}-${hex(c & 0xffff, 4)}${hex(d, 8)}`;
}
