import { prepareRecord, type MatchRecord } from '../../matchRecord';
import { EXTENDED_NAME_KNOWLEDGE } from '../../nameEquivalents';
import { compareFields, levelNames } from '../compareFields';

const record = (overrides: Partial<MatchRecord>): MatchRecord => ({
  source: 'IYSS', sourceId: '1', forename: 'Aleksander', surname: 'Nowak', knownAs: null, dateOfBirth: '2017-08-26',
  gender: 'MALE', postcode: 'E8 2XA', upn: null, pncNumber: null, ...overrides,
});

describe('compareFields', () => {
  it('compares a pair alike whichever record comes first, swapped names included', () => {
    // Found by the evaluator: an incremental run met this pair in the other order and scored it 4 bits lower.
    const a = prepareRecord(record({}));
    const b = prepareRecord(record({ source: 'UMIS', sourceId: 'C1', forename: 'Nowak', surname: 'Aleksandre' }));
    const forward = compareFields(a, b, EXTENDED_NAME_KNOWLEDGE);
    expect([...forward]).toEqual([...compareFields(b, a, EXTENDED_NAME_KNOWLEDGE)]);
    expect(levelNames(forward).nameOrder).toBe('GIVEN_AND_FAMILY_SWAPPED');
  });

  it('counts a field missing on either side as missing, not as disagreement', () => {
    const levels = levelNames(compareFields(prepareRecord(record({ dateOfBirth: null, postcode: 'NFA' })), prepareRecord(record({ source: 'YOIS', sourceId: '2' })), EXTENDED_NAME_KNOWLEDGE));
    expect(levels).toMatchObject({ dateOfBirth: 'MISSING', postcode: 'MISSING', forename: 'EXACT' });
  });

  it('tells a forename two or three slips away from a different name', () => {
    const forename = (x: string, y: string) =>
      levelNames(compareFields(prepareRecord(record({ forename: x })), prepareRecord(record({ source: 'UMIS', sourceId: 'C1', forename: y })), EXTENDED_NAME_KNOWLEDGE)).forename;
    expect(forename('Salma', 'Sla')).toBe('TWO_OR_THREE_EDITS');
    expect(forename('Xenia', 'Xna')).toBe('TWO_OR_THREE_EDITS');
    // Twins' names: as many edits, but most of a short name (0.4 of the longer at most).
    expect(forename('Ava', 'Mia')).toBe('DIFFERENT');
    expect(forename('Busra', 'Nur')).toBe('DIFFERENT');
    expect(forename('Hodan', 'Efua')).toBe('DIFFERENT');
  });
});
