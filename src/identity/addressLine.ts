/**
 * The first address line as the matcher compares it: house number, flat and street, so '12 Mare St',
 * 'Flat 3, 12 Mare Street' and '3/12 MARE STREET' read as one address. Compared within the postcode
 * field (model/compareFields.ts): it tells apart the dozen or so doors a UK postcode covers (and the
 * thousands a four-digit foreign one does), and stands in where the postcode cannot be compared
 * (missing, 'NFA') or was mistyped within its district.
 */
import jaroWinkler from 'talisman/metrics/jaro-winkler';

export interface PreparedAddressLine {
  /** House number with any letter suffix ('12', '12A'). */
  number: string;
  /** Flat or unit number, when the line names one. */
  flat: string | null;
  /** Street name, upper case, with its type spelt out ('MARE STREET'). */
  street: string;
}

/** Street types as abbreviated in case systems, spelt out (only as the street's last word: 'ST MARKS ROAD' keeps its saint). */
const STREET_TYPES: Readonly<Record<string, string>> = {
  ST: 'STREET', STR: 'STREET', RD: 'ROAD', AVE: 'AVENUE', AV: 'AVENUE', LN: 'LANE', GDNS: 'GARDENS', GRN: 'GREEN',
  CL: 'CLOSE', DR: 'DRIVE', GR: 'GROVE', GRO: 'GROVE', GRV: 'GROVE', PL: 'PLACE', SQ: 'SQUARE', TER: 'TERRACE',
  TERR: 'TERRACE', TCE: 'TERRACE', CRES: 'CRESCENT', CT: 'COURT', WY: 'WAY', PK: 'PARK', HL: 'HILL', EST: 'ESTATE',
};

const HOUSE_NUMBER = /^\d{1,4}[A-Z]?$/;

/** Parses a first address line; null when it holds no house number and street (a building name alone, 'NFA'). */
export function prepareAddressLine(raw: string | null | undefined): PreparedAddressLine | null {
  if (!raw) return null;
  let text = raw.toUpperCase().replace(/[.,;'"]/g, ' ');
  let flat: string | null = null;
  const flatWord = /\b(?:FLAT|APT|APARTMENT|UNIT)\s+(\w+)\b/.exec(text);
  if (flatWord) {
    flat = flatWord[1] as string;
    text = text.replace(flatWord[0], ' ');
  }
  // '3/12 Mare Street': flat 3 of number 12.
  const slashed = /\b(\w{1,4})\s*\/\s*(\d{1,4}[A-Z]?)\b/.exec(text);
  if (slashed) {
    flat ??= slashed[1] as string;
    text = text.replace(slashed[0], ` ${slashed[2]} `);
  }
  const tokens = text.split(/\s+/).filter(Boolean);
  const at = tokens.findIndex((t) => HOUSE_NUMBER.test(t));
  if (at < 0) return null;
  const streetWords = tokens.slice(at + 1).filter((t) => /^[A-Z][A-Z-]*$/.test(t));
  if (streetWords.length === 0) return null;
  const last = streetWords.length - 1;
  if (streetWords.length > 1) streetWords[last] = STREET_TYPES[streetWords[last] as string] ?? (streetWords[last] as string);
  return { number: tokens[at] as string, flat, street: streetWords.join(' ') };
}

/**
 * The same door: house number equal, streets alike (a slip in the name allowed), and no two
 * different flats. A flat given on one side only still counts: systems often leave it out.
 */
export function sameAddressLine(a: PreparedAddressLine | null, b: PreparedAddressLine | null): boolean {
  if (!a || !b || a.number !== b.number) return false;
  if (a.flat !== null && b.flat !== null && a.flat !== b.flat) return false;
  return a.street === b.street || jaroWinkler(a.street, b.street) >= 0.95;
}

/** The key an address line blocks on: number and street. */
export function addressLineKey(a: PreparedAddressLine): string {
  return `${a.number} ${a.street}`;
}
