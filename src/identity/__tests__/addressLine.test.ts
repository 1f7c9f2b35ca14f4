import { prepareAddressLine, sameAddressLine } from '../addressLine';
import { prepareRecord, type MatchRecord } from '../matchRecord';
import { compareFields, levelNames } from '../model/compareFields';
import { EXTENDED_NAME_KNOWLEDGE } from '../nameEquivalents';

describe('prepareAddressLine', () => {
  it.each([
    ['12 Mare Street', { number: '12', flat: null, street: 'MARE STREET' }],
    ['12 mare st.', { number: '12', flat: null, street: 'MARE STREET' }],
    ['Flat 3, 12 Mare Street', { number: '12', flat: '3', street: 'MARE STREET' }],
    ['3/12 MARE STREET', { number: '12', flat: '3', street: 'MARE STREET' }],
    ['12A Mare Street', { number: '12A', flat: null, street: 'MARE STREET' }],
    ["7 St Mark's Rd", { number: '7', flat: null, street: 'ST MARK S ROAD' }],
    ['Flat 12B Brook House, 3 Well Street', { number: '3', flat: '12B', street: 'WELL STREET' }],
  ])('reads %p', (raw, expected) => {
    expect(prepareAddressLine(raw)).toEqual(expected);
  });

  it.each(['NFA', 'Brook House', '', '12', null])('has no door to compare in %p', (raw) => {
    expect(prepareAddressLine(raw)).toBeNull();
  });
});

describe('sameAddressLine', () => {
  const line = (raw: string) => prepareAddressLine(raw);
  it('is the same door however each system wrote it, with a slip in the street name', () => {
    expect(sameAddressLine(line('Flat 3, 12 Mare Street'), line('12 MARE ST'))).toBe(true);
    expect(sameAddressLine(line('12 Amhurst Road'), line('12 Amhrust Road'))).toBe(true);
  });
  it('is not the same door at another number, another flat or another street', () => {
    expect(sameAddressLine(line('12 Mare Street'), line('14 Mare Street'))).toBe(false);
    expect(sameAddressLine(line('Flat 3, 12 Mare Street'), line('Flat 4, 12 Mare Street'))).toBe(false);
    expect(sameAddressLine(line('12 Mare Street'), line('12 Well Street'))).toBe(false);
  });
});

describe('the postcode comparison with address lines', () => {
  const record = (sourceId: string, postcode: string | null, addressLine: string | null): MatchRecord => ({
    source: sourceId.startsWith('I') ? 'IYSS' : 'UMIS', sourceId, forename: 'Ada', surname: 'Lovelace', knownAs: null,
    dateOfBirth: '2010-01-01', gender: 'FEMALE', postcode, addressLine, upn: null, pncNumber: null,
  });
  const level = (a: MatchRecord, b: MatchRecord) => levelNames(compareFields(prepareRecord(a), prepareRecord(b), EXTENDED_NAME_KNOWLEDGE)).postcode;

  it('asks the line where a postcode is missing or unusable, or mistyped within its sector or district', () => {
    expect(level(record('I1', null, '12 Mare Street'), record('U1', 'E8 1AB', '12 Mare St'))).toBe('SAME_ADDRESS_LINE');
    expect(level(record('I1', 'NFA', '12 Mare Street'), record('U1', 'E8 1AB', '12 Mare St'))).toBe('SAME_ADDRESS_LINE');
    expect(level(record('I1', 'E8 1AD', '12 Mare Street'), record('U1', 'E8 1AB', '12 Mare St'))).toBe('SAME_ADDRESS_LINE');
    expect(level(record('I1', 'E8 3AB', '12 Mare Street'), record('U1', 'E8 1AB', '12 Mare St'))).toBe('SAME_ADDRESS_LINE');
  });

  it('tells the doors of one postcode apart, and says when a line is missing', () => {
    expect(level(record('I1', 'E8 1AB', 'Flat 3, 12 Mare Street'), record('U1', 'e81ab', '12 MARE ST'))).toBe('SAME_ADDRESS');
    expect(level(record('I1', 'E8 1AB', '12 Mare Street'), record('U1', 'E8 1AB', '14 Mare St'))).toBe('FULL_OTHER_DOOR');
    expect(level(record('I1', 'E8 1AB', null), record('U1', 'E8 1AB', '14 Mare St'))).toBe('FULL');
  });

  it('leaves the postcodes to speak where they lie in different districts', () => {
    // The same number on a same-named street in another district is another house.
    expect(level(record('I1', 'N16 5EE', '12 High Street'), record('U1', 'E8 1AB', '12 High Street'))).toBe('DIFFERENT');
    expect(level(record('I1', 'E8 1AD', '12 Mare Street'), record('U1', 'E8 1AB', '14 Mare St'))).toBe('SECTOR');
    expect(level(record('I1', null, null), record('U1', 'E8 1AB', '12 Mare St'))).toBe('MISSING');
  });
});
