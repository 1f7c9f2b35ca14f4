import {
  appointmentTypeFromCode,
  attendanceFromFlag,
  canonicalPncNumber,
  compactDateOf,
  genderFromSex,
  isoDateFromCompact,
  isoDateFromDateTime,
  isoDateTime,
  legacyUpperCase,
  naturalCase,
  orderStatusFromCode,
  outcomeTypeFromCode,
  requirementText,
  standardPostcode,
} from '../mapping';

describe('naturalCase', () => {
  it.each([
    ['ÖZTÜRK', 'Öztürk'],
    ['MCDONALD', 'McDonald'],
    ["O'BRIEN", "O'Brien"],
    ['SMITH-JONES', 'Smith-Jones'],
    ['MCKENZIE-OKAFOR', 'McKenzie-Okafor'],
    ['MACKENZIE', 'Mackenzie'],
    ['ÇELIK', 'Çelik'],
    ['ZOË', 'Zoë'],
    ['JOÃO', 'João'],
    ['ABDUL RAHMAN', 'Abdul Rahman'],
    ['  WÓJCIK ', 'Wójcik'],
    ['mehmet', 'Mehmet'],
  ])('%s -> %s', (stored, shown) => {
    expect(naturalCase(stored)).toBe(shown);
  });
});

describe('legacyUpperCase', () => {
  it('upper-cases, keeping letters Windows-1252 has', () => {
    expect(legacyUpperCase('Öztürk')).toBe('ÖZTÜRK');
    expect(legacyUpperCase('öz')).toBe('ÖZ');
    expect(legacyUpperCase('Zoë')).toBe('ZOË');
    expect(legacyUpperCase("o'b")).toBe("O'B");
  });

  it('reduces letters outside Windows-1252 to their base letter, as the VARCHAR column would', () => {
    expect(legacyUpperCase('Şahin')).toBe('SAHIN');
    expect(legacyUpperCase('Doğan')).toBe('DOGAN');
    expect(legacyUpperCase('İbrahim')).toBe('IBRAHIM');
    expect(legacyUpperCase('Yılmaz')).toBe('YILMAZ');
    expect(legacyUpperCase('Dąbrowski')).toBe('DABROWSKI');
    expect(legacyUpperCase('Łukasz')).toBe('LUKASZ');
    expect(legacyUpperCase('Ștefan')).toBe('STEFAN');
    expect(legacyUpperCase('Wiśniewski')).toBe('WISNIEWSKI');
  });

  it('writes ? for characters with no base letter in the code page', () => {
    expect(legacyUpperCase('Ли')).toBe('??');
  });
});

describe('YOIS dates', () => {
  it('reads YYYYMMDD text, and nothing that is not a real date', () => {
    expect(isoDateFromCompact('20080229')).toBe('2008-02-29');
    expect(isoDateFromCompact(' 20120101 ')).toBe('2012-01-01');
    for (const bad of [null, '', '00000000', '20090229', '2008-02-29', '200802', '20081301']) expect(isoDateFromCompact(bad)).toBeNull();
  });

  it('writes ISO dates as YYYYMMDD for matching in SQL', () => {
    expect(compactDateOf('2010-05-06')).toBe('20100506');
    expect(compactDateOf('2009-02-29')).toBeNull();
    expect(compactDateOf("2010-05-06' OR 1=1")).toBeNull();
  });

  it('reads DATETIME text and Date values as ISO', () => {
    expect(isoDateTime('2025-03-04 09:15:00')).toBe('2025-03-04T09:15:00.000Z');
    expect(isoDateTime(new Date('2025-03-04T09:15:00Z'))).toBe('2025-03-04T09:15:00.000Z');
    expect(isoDateFromDateTime('2025-03-04 23:59:59')).toBe('2025-03-04');
  });
});

describe('YOIS codes', () => {
  it('maps outcome type codes, both discharges to DISCHARGE, unknown to null', () => {
    expect(outcomeTypeFromCode('CR')).toBe('COMMUNITY_RESOLUTION');
    expect(outcomeTypeFromCode('YC')).toBe('YOUTH_CAUTION');
    expect(outcomeTypeFromCode('YCC')).toBe('YOUTH_CONDITIONAL_CAUTION');
    expect(outcomeTypeFromCode('RO ')).toBe('REFERRAL_ORDER');
    expect(outcomeTypeFromCode('YRO')).toBe('YOUTH_REHABILITATION_ORDER');
    expect(outcomeTypeFromCode('DTO')).toBe('DETENTION_AND_TRAINING_ORDER');
    expect(outcomeTypeFromCode('AD')).toBe('DISCHARGE');
    expect(outcomeTypeFromCode('CD')).toBe('DISCHARGE');
    expect(outcomeTypeFromCode('FINE')).toBe('FINE');
    expect(outcomeTypeFromCode('XYZ')).toBeNull();
  });

  it('maps order statuses, attendance flags, sex and appointment types', () => {
    expect(['A', 'C', 'R', 'B', '?'].map(orderStatusFromCode)).toEqual(['ACTIVE', 'COMPLETED', 'REVOKED', 'BREACHED', 'ACTIVE']);
    expect(['Y', 'N', 'A', 'P', ' '].map(attendanceFromFlag)).toEqual([
      'ATTENDED', 'FAILED_TO_ATTEND', 'ACCEPTABLE_ABSENCE', 'NOT_YET_DUE', 'NOT_YET_DUE',
    ]);
    expect(['M', 'F', 'U', null].map(genderFromSex)).toEqual(['MALE', 'FEMALE', 'NOT_STATED', 'NOT_STATED']);
    expect(appointmentTypeFromCode('PAN')).toBe('Referral order panel');
    expect(appointmentTypeFromCode('ZZZ')).toBe('ZZZ');
    expect(requirementText('Unpaid work', 'UPW', '60 hours')).toBe('Unpaid work (60 hours)');
    expect(requirementText(null, 'XX', null)).toBe('Requirement XX');
  });

  it('writes PNC numbers in the long form', () => {
    expect(canonicalPncNumber('2024/0012345A')).toBe('2024/0012345A');
    expect(canonicalPncNumber('24/12345A')).toBe('2024/0012345A');
    expect(canonicalPncNumber(' 19/7z ')).toBe('2019/0000007Z');
    expect(canonicalPncNumber('not a pnc')).toBe('NOT A PNC');
    expect(canonicalPncNumber('')).toBeNull();
    expect(canonicalPncNumber(null)).toBeNull();
  });

  it('presents postcodes in OUT IN form', () => {
    expect(standardPostcode('N16  7AB')).toBe('N16 7AB');
    expect(standardPostcode('e81ab')).toBe('E8 1AB');
    expect(standardPostcode(null)).toBeNull();
  });
});
