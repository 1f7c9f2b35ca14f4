import type { CandidateFilter, PersonRecord } from '../../adapters/types';
import { BadUserInputError } from '../errors/errors';
import { decodeCursor, encodeCursor, isAfter, type RankCursor } from './cursor';
import { namesSimilarity, nameTokens, sqlPrefixesFor } from './nameMatching';

export interface SearchCriteria {
  name?: string | null;
  forename?: string | null;
  surname?: string | null;
  dateOfBirth?: string | null;
  postcode?: string | null;
}

export interface SearchLimits {
  maxPageSize: number;
  maxCandidates: number;
}


const POSTCODE = /^[A-Z0-9]{2,7}$/;

/** Day and month swapped: the commonest mis-keying of a date of birth. */
function transposed(iso: string): string | undefined {
  const [year, month, day] = iso.split('-');
  if (!year || !month || !day || month === day || Number(day) > 12) return undefined;
  return `${year}-${day}-${month}`;
}

function compactPostcode(text: string | null): string {
  return (text ?? '').replace(/\s+/g, '').toUpperCase();
}

interface ParsedCriteria {
  name: string[];
  forename: string[];
  surname: string[];
  dateOfBirth?: string;
  postcode?: string;
}

function parseCriteria(criteria: SearchCriteria): ParsedCriteria {
  const parsed: ParsedCriteria = {
    name: nameTokens(criteria.name),
    forename: nameTokens(criteria.forename),
    surname: nameTokens(criteria.surname),
  };
  for (const field of ['name', 'forename', 'surname'] as const) {
    const given = criteria[field];
    if (given !== undefined && given !== null && parsed[field].join('').length < 2) {
      throw new BadUserInputError(`criteria.${field} must contain at least two letters`, 'NAME_TOO_SHORT');
    }
  }
  if (criteria.dateOfBirth) parsed.dateOfBirth = criteria.dateOfBirth;
  if (criteria.postcode !== undefined && criteria.postcode !== null) {
    const postcode = compactPostcode(criteria.postcode);
    if (!POSTCODE.test(postcode)) {
      throw new BadUserInputError('criteria.postcode must be a UK postcode or its first part, e.g. "E8 1AB" or "E8"', 'BAD_POSTCODE');
    }
    parsed.postcode = postcode;
  }
  const given = parsed.name.length + parsed.forename.length + parsed.surname.length;
  if (given === 0 && !parsed.dateOfBirth && !parsed.postcode) {
    throw new BadUserInputError(
      'Give at least one search criterion: name, forename, surname, dateOfBirth or postcode',
      'NO_CRITERIA',
    );
  }
  return parsed;
}

function candidateFilter(parsed: ParsedCriteria, limit: number): CandidateFilter {
  const filter: CandidateFilter = { limit };
  // Free-text names: any token may be the surname, so widen by every token's initials.
  const surnameTokens = parsed.surname.length ? parsed.surname : parsed.name;
  if (surnameTokens.length) filter.surnamePrefixes = [...new Set(surnameTokens.flatMap(sqlPrefixesFor))];
  if (parsed.forename.length) filter.forenamePrefixes = [...new Set(parsed.forename.flatMap(sqlPrefixesFor))];
  if (parsed.dateOfBirth) {
    const swap = transposed(parsed.dateOfBirth);
    filter.datesOfBirth = swap ? [parsed.dateOfBirth, swap] : [parsed.dateOfBirth];
  }
  if (parsed.postcode) filter.postcodePrefix = parsed.postcode;
  return filter;
}

/** Scores one record against the criteria, 0 when it does not match. Names weigh double. */
function score(parsed: ParsedCriteria, record: PersonRecord): number {
  const parts: Array<[number, number]> = [];
  const forenames = [...nameTokens(record.forename), ...nameTokens(record.knownAs)];
  const surnames = nameTokens(record.surname);
  if (parsed.name.length) parts.push([namesSimilarity(parsed.name, [...forenames, ...surnames]), 2]);
  if (parsed.forename.length) parts.push([namesSimilarity(parsed.forename, forenames), 2]);
  if (parsed.surname.length) parts.push([namesSimilarity(parsed.surname, surnames), 2]);
  if (parsed.dateOfBirth) {
    const dob = record.dateOfBirth;
    parts.push([dob === parsed.dateOfBirth ? 1 : dob && dob === transposed(parsed.dateOfBirth) ? 0.7 : 0, 1]);
  }
  if (parsed.postcode) {
    const stored = compactPostcode(record.address?.postcode ?? null);
    // A full postcode must match whole; an outward code ("N1") must not match a longer one ("N16").
    const matches = parsed.postcode.length >= 5 ? stored === parsed.postcode : stored.slice(0, -3) === parsed.postcode;
    parts.push([matches ? 1 : 0, 1]);
  }
  if (parts.some(([value]) => value === 0)) return 0;
  const weight = parts.reduce((sum, [, w]) => sum + w, 0);
  return Math.round((parts.reduce((sum, [value, w]) => sum + value * w, 0) / weight) * 10_000) / 10_000;
}

/** A search checked and prepared: what to ask each source, and how to rank what comes back. */
export interface PreparedSearch {
  filter: CandidateFilter;
  score(record: PersonRecord): number;
}

/** Validates criteria (BAD_USER_INPUT naming the problem) and prepares the tolerant pre-filter and the scorer. */
export function prepareSearch(criteria: SearchCriteria, maxCandidates: number): PreparedSearch {
  const parsed = parseCriteria(criteria);
  return { filter: candidateFilter(parsed, maxCandidates + 1), score: (record) => score(parsed, record) };
}

/** Refuses a search whose candidates overflowed the cap: ranking a truncated set would silently miss people. */
export function assertNotTooBroad(candidates: number, maxCandidates: number): void {
  if (candidates > maxCandidates) {
    throw new BadUserInputError(
      `Search is too broad: more than ${maxCandidates} possible records. Add a date of birth, a postcode or more of the name.`,
      'TOO_BROAD',
    );
  }
}

export interface PageRequest {
  first: number;
  after?: string | null;
}

/** Checks `first` and `after` before any source is asked. */
export function checkPage(page: PageRequest, maxPageSize: number): RankCursor | undefined {
  if (!Number.isInteger(page.first) || page.first < 1 || page.first > maxPageSize) {
    throw new BadUserInputError(`first must be between 1 and ${maxPageSize} (the page size limit)`, 'PAGE_SIZE_LIMIT');
  }
  const after = page.after ? decodeCursor(page.after) : undefined;
  if (page.after && !after) throw new BadUserInputError('after is not a cursor returned by this search', 'BAD_CURSOR');
  return after;
}

/** Orders ranked items best first (score, then ID) and cuts the page after the cursor. */
export function paginate<T extends { id: string; score: number }>(
  items: T[],
  first: number,
  after: RankCursor | undefined,
): { edges: Array<T & { cursor: string }>; hasNextPage: boolean; totalCount: number } {
  const ranked = items
    .filter((item) => item.score > 0)
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const start = after ? ranked.findIndex((item) => isAfter(item, after)) : 0;
  const rest = start < 0 ? [] : ranked.slice(start);
  const edges = rest.slice(0, first).map((item) => ({ ...item, cursor: encodeCursor(item) }));
  return { edges, hasNextPage: rest.length > first, totalCount: ranked.length };
}
