import damerauLevenshtein from 'damerau-levenshtein';
import { canonicalName, knownVariants } from './nameVariants';

/** Letters that legacy systems store with or without accents; used to widen SQL prefixes. */
const ACCENTED: Record<string, string> = {
  a: 'aàáâäãåā',
  c: 'cçćč',
  e: 'eéèêëē',
  g: 'gğ',
  i: 'iıíìîïİ',
  n: 'nñń',
  o: 'oöóòôõøō',
  s: 'sşśš',
  u: 'uüúùûū',
  y: 'yýÿ',
  z: 'zžźż',
};

/** Lower case, no accents (Turkish dotless i included), letters and single spaces only. */
/** Letters NFKD does not decompose into a base letter and a mark. */
const UNDECOMPOSABLE: Record<string, string> = { ı: 'i', İ: 'I', ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE' };

export function foldName(text: string): string {
  return text
    .replace(/[ıİłŁøØđĐßæÆœŒ]/g, (letter) => UNDECOMPOSABLE[letter] ?? letter)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z\s'-]/g, ' ')
    .replace(/['-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function nameTokens(text: string | null | undefined): string[] {
  return text ? foldName(text).split(' ').filter(Boolean) : [];
}

/**
 * The first letters, in every case and accent, that a stored name matching `token` may start with,
 * across its known spelling variants. Sent to the source as LIKE prefixes, so the SQL pre-filter
 * is tolerant and the gateway does the fine ranking.
 */
export function sqlPrefixesFor(token: string): string[] {
  const initials = new Set(knownVariants(token).map((variant) => variant.charAt(0)));
  const prefixes = new Set<string>();
  for (const initial of initials) {
    for (const letter of ACCENTED[initial] ?? initial) {
      prefixes.add(letter.toLowerCase());
      prefixes.add(letter.toUpperCase());
    }
  }
  return [...prefixes].sort();
}

/** How well one searched-for name token matches one stored token, 0 (no match) to 1 (identical). */
export function tokenSimilarity(query: string, stored: string): number {
  if (query === stored) return 1;
  if (canonicalName(query) === canonicalName(stored)) return 0.95;
  if (query.length >= 2 && stored.startsWith(query)) return 0.85;
  const longest = Math.max(query.length, stored.length);
  // Damerau distance: a swapped pair of letters ("Oztruk") is one slip, not two.
  const similarity = 1 - damerauLevenshtein(query, stored).steps / longest;
  // One slip in a short name, or a few in a long one, still counts; anything looser is noise.
  return longest >= 4 && similarity >= 0.7 ? Math.round(similarity * 0.9 * 1000) / 1000 : 0;
}

/**
 * Scores searched tokens against a record's tokens: each searched token takes its best match, and
 * every searched token must match something (0 otherwise). Returns the mean.
 */
export function namesSimilarity(query: readonly string[], stored: readonly string[]): number {
  if (query.length === 0 || stored.length === 0) return 0;
  let total = 0;
  for (const token of query) {
    const best = Math.max(...stored.map((candidate) => tokenSimilarity(token, candidate)));
    if (best === 0) return 0;
    total += best;
  }
  return total / query.length;
}
