import { Prng } from '../../synthetic/prng';
import {
  assessmentStatusFromCode,
  domainFromCode,
  DOMAIN_CODES,
  genderFromIso5218,
  guidKey,
  iso5218FromSex,
  isoDate,
  nameCaseForms,
  planStatusFromCode,
  postcodeLikePatterns,
  realIsoDates,
  workerName,
} from '../mapping';
import { seededGuid } from '../../synthetic/umis/seededGuid';

describe('UMIS mapping', () => {
  it('reads ISO/IEC 5218 sex codes, treating not known and anything else as not stated', () => {
    expect(genderFromIso5218('1')).toBe('MALE');
    expect(genderFromIso5218('2')).toBe('FEMALE');
    expect(genderFromIso5218(' 2 ')).toBe('FEMALE');
    expect(genderFromIso5218('9')).toBe('NOT_STATED');
    expect(genderFromIso5218('0')).toBe('NOT_STATED');
    expect(genderFromIso5218('F')).toBe('NOT_STATED');
    expect(genderFromIso5218(null)).toBe('NOT_STATED');
    expect([iso5218FromSex('M'), iso5218FromSex('F')]).toEqual(['1', '2']);
  });

  it('maps assessment and plan status codes, reading unknown codes as unfinished and live', () => {
    expect(['D', 'C', 'X', 'c', 'Q'].map(assessmentStatusFromCode)).toEqual(['DRAFT', 'COMPLETED', 'CANCELLED', 'COMPLETED', 'DRAFT']);
    expect(['O', 'C', 'c ', 'Z'].map(planStatusFromCode)).toEqual(['ACTIVE', 'CLOSED', 'CLOSED', 'ACTIVE']);
  });

  it('maps every domain code to a distinct unified domain and leaves unknown codes out', () => {
    const domains = DOMAIN_CODES.map(domainFromCode);
    expect(domains).toEqual([
      'FAMILY', 'EDUCATION', 'HEALTH_WELLBEING', 'EMOTIONAL_MENTAL_HEALTH', 'SUBSTANCE_USE', 'RISK', 'RELATIONSHIPS',
      'LIVING_ARRANGEMENTS',
    ]);
    expect(domainFromCode('risk')).toBe('RISK');
    expect(domainFromCode('SPIR')).toBeUndefined();
  });

  it('reads DATE values from text (SQLite, mysql2) and from a UTC-midnight Date (mssql)', () => {
    expect(isoDate('2010-05-06')).toBe('2010-05-06');
    expect(isoDate('2010-05-06 00:00:00')).toBe('2010-05-06');
    expect(isoDate(new Date('2010-05-06T00:00:00Z'))).toBe('2010-05-06');
    expect(isoDate(new Date('2008-02-29T00:00:00Z'))).toBe('2008-02-29');
    expect(isoDate(null)).toBeNull();
    expect(isoDate('2010-02-30')).toBeNull();
    expect(isoDate('06/05/2010')).toBeNull();
    expect(isoDate(new Date(Number.NaN))).toBeNull();
  });

  it('keeps only real ISO dates for a DATE column, once each', () => {
    expect(realIsoDates(['2008-02-29', '2009-02-29', '2008-02-29', ' 2010-01-01 ', '01/01/2010', '2010-1-1', ''])).toEqual([
      '2008-02-29',
      '2010-01-01',
    ]);
  });

  it('accepts GUID keys in any case, stored lower case, and nothing else', () => {
    const guid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(guidKey(guid)).toBe(guid);
    expect(guidKey(` ${guid.toUpperCase()} `)).toBe(guid);
    for (const bad of ['', '10001', `${guid}x`, guid.replace(/-/g, ''), `{${guid}}`, "0f8fad5b-d9cb-469f-a165-70867728950'"]) {
      expect(guidKey(bad)).toBeUndefined();
    }
  });

  it('draws reproducible version-4 GUIDs from a seeded stream', () => {
    const first = Array.from({ length: 200 }, ((prng) => () => seededGuid(prng))(new Prng(9)));
    const again = Array.from({ length: 200 }, ((prng) => () => seededGuid(prng))(new Prng(9)));
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    for (const guid of first) expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('tries a name prefix as given, capitalised and in lower case', () => {
    expect(nameCaseForms('ÖZ')).toEqual(['ÖZ', 'Öz', 'öz']);
    expect(nameCaseForms('smi')).toEqual(['smi', 'Smi']);
    expect(nameCaseForms('Ab')).toEqual(['Ab', 'ab']);
    // The Turkish capital İ lower-cases to a plain i, as names are stored.
    expect(nameCaseForms('İBR')).toEqual(['İBR', 'İbr', 'ibr']);
    expect(nameCaseForms('  ')).toEqual([]);
  });

  it("turns a compact postcode prefix into LIKE patterns for the stored 'OUT IN' form", () => {
    expect(postcodeLikePatterns('E8')).toEqual(['E8%']);
    expect(postcodeLikePatterns('e8')).toEqual(['E8%']);
    expect(postcodeLikePatterns('E81')).toEqual(['E81%', 'E8 1%']);
    expect(postcodeLikePatterns('N16')).toEqual(['N16%', 'N1 6%']);
    expect(postcodeLikePatterns('N167')).toEqual(['N167%', 'N16 7%']);
    expect(postcodeLikePatterns('N16A')).toEqual(['N16A%', 'N1 6A%']);
    expect(postcodeLikePatterns('E81AB')).toEqual(['E8 1AB%']);
    expect(postcodeLikePatterns('e8 1ab')).toEqual(['E8 1AB%']);
    expect(postcodeLikePatterns('N166AB')).toEqual(['N16 6AB%']);
    expect(postcodeLikePatterns('E8%_')).toEqual(['E8%']);
    expect(postcodeLikePatterns(' ')).toEqual([]);
    expect(postcodeLikePatterns('E8ABC')).toEqual([]);
  });

  it('joins worker name parts, or null when there are none', () => {
    expect(workerName('Selin', 'Aydemir')).toBe('Selin Aydemir');
    expect(workerName(' Selin ', null)).toBe('Selin');
    expect(workerName(null, null)).toBeNull();
  });
});
