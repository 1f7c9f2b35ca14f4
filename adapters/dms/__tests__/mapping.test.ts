import {
  canonicalSubjectRef,
  documentTypeFromGroup,
  isoDateTime,
  parseSubjectKey,
  storedSubjectRefForms,
  subjectSystemFromCode,
  tierFromSecurityClass,
} from '../mapping';

const GUID = '3f2a9c1e-7b4d-4e8a-9c2b-1d5e6f7a8b9c';

describe('DMS mapping', () => {
  it('reads protective markings as tiers, in any case and older spellings', () => {
    expect(tierFromSecurityClass('OFFICIAL')).toBe(1);
    expect(tierFromSecurityClass(' official ')).toBe(1);
    expect(tierFromSecurityClass('OFFICIAL-SENSITIVE')).toBe(2);
    expect(tierFromSecurityClass('OFFICIAL SENSITIVE')).toBe(2);
    expect(tierFromSecurityClass('Official_Sensitive')).toBe(2);
    expect(tierFromSecurityClass('RESTRICTED')).toBe(3);
  });

  it('fails closed: a missing or unknown marking is tier 3', () => {
    expect(tierFromSecurityClass(null)).toBe(3);
    expect(tierFromSecurityClass('')).toBe(3);
    expect(tierFromSecurityClass('PROTECT')).toBe(3);
    expect(tierFromSecurityClass('OFFICIAL-ISH')).toBe(3);
  });

  it("maps DMS's own system codes", () => {
    expect(subjectSystemFromCode('YS')).toBe('IYSS');
    expect(subjectSystemFromCode('um')).toBe('UMIS');
    expect(subjectSystemFromCode('YO ')).toBe('YOIS');
    expect(subjectSystemFromCode('DM')).toBeUndefined();
    expect(subjectSystemFromCode('IYSS')).toBeUndefined();
  });

  it('maps document groups to unified types, an unknown group to a paper record', () => {
    expect(['ASSESS', 'CORR', 'COURT', 'SCAN', 'REFER', 'PLAN'].map(documentTypeFromGroup)).toEqual([
      'ASSESSMENT', 'LETTER', 'COURT_REPORT', 'SCANNED_PAPER_RECORD', 'REFERRAL_FORM', 'PLAN',
    ]);
    expect(documentTypeFromGroup('corr ')).toBe('LETTER');
    expect(documentTypeFromGroup(null)).toBe('SCANNED_PAPER_RECORD');
    expect(documentTypeFromGroup('MEMO')).toBe('SCANNED_PAPER_RECORD');
  });

  it('canonicalises references: plain integers, lower-case GUIDs without braces', () => {
    expect(canonicalSubjectRef('IYSS', '10001')).toBe('10001');
    expect(canonicalSubjectRef('IYSS', ' 0010001 ')).toBe('10001');
    expect(canonicalSubjectRef('YOIS', '123')).toBe('123');
    expect(canonicalSubjectRef('UMIS', GUID)).toBe(GUID);
    expect(canonicalSubjectRef('UMIS', `{${GUID.toUpperCase()}}`)).toBe(GUID);
    for (const bad of ['', 'abc', '-1', '1.5', '1234567890', '1 OR 1=1']) {
      expect(canonicalSubjectRef('IYSS', bad)).toBeUndefined();
      expect(canonicalSubjectRef('YOIS', bad)).toBeUndefined();
    }
    expect(canonicalSubjectRef('UMIS', '10001')).toBeUndefined();
    expect(canonicalSubjectRef('UMIS', `${GUID}x`)).toBeUndefined();
    expect(canonicalSubjectRef('IYSS', GUID)).toBeUndefined();
  });

  it('lists every stored spelling of a reference', () => {
    expect(storedSubjectRefForms('IYSS', '10001')).toEqual(['10001']);
    expect(storedSubjectRefForms('UMIS', GUID)).toEqual([GUID, `{${GUID.toUpperCase()}}`]);
  });

  it('parses SYSTEM:sourceId subject keys', () => {
    expect(parseSubjectKey('IYSS:10001')).toEqual({ system: 'IYSS', ref: '10001' });
    expect(parseSubjectKey(`UMIS:{${GUID.toUpperCase()}}`)).toEqual({ system: 'UMIS', ref: GUID });
    expect(parseSubjectKey('YOIS:0123')).toEqual({ system: 'YOIS', ref: '123' });
    for (const bad of ['10001', 'DMS:500001', 'iyss:10001', 'IYSS:', 'IYSS:abc', ':10001', `YOIS:${GUID}`]) {
      expect(parseSubjectKey(bad)).toBeUndefined();
    }
  });

  it('reads DATETIME text and Date values as ISO instants in UTC', () => {
    expect(isoDateTime('2025-03-04 09:05:06')).toBe('2025-03-04T09:05:06.000Z');
    expect(isoDateTime(new Date('2025-03-04T09:05:06Z'))).toBe('2025-03-04T09:05:06.000Z');
    expect(isoDateTime('not a date')).toBe('not a date');
  });
});
