// talisman ships no type declarations; these cover the functions the identity matcher uses.
declare module 'talisman/metrics/jaro-winkler' {
  /** Jaro-Winkler similarity in [0, 1]. */
  export default function jaroWinkler(a: string, b: string): number;
}

declare module 'talisman/phonetics/double-metaphone' {
  /** Primary and alternate Double Metaphone codes. */
  export default function doubleMetaphone(word: string): [string, string];
}

declare module 'talisman/metrics/damerau-levenshtein' {
  /** Damerau-Levenshtein distance (insertions, deletions, substitutions, adjacent transpositions). */
  export default function damerauLevenshtein(a: string, b: string): number;
  /** The distance when at most `max`, else Infinity (stops early). */
  export function limited(max: number, a: string, b: string): number;
}
