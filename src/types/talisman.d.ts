// talisman ships no type declarations; these cover the two functions the identity matcher uses.
declare module 'talisman/metrics/jaro-winkler' {
  /** Jaro-Winkler similarity in [0, 1]. */
  export default function jaroWinkler(a: string, b: string): number;
}

declare module 'talisman/phonetics/double-metaphone' {
  /** Primary and alternate Double Metaphone codes. */
  export default function doubleMetaphone(word: string): [string, string];
}
