/**
 * Pair scoring under a model estimated from a generated population (as a real run estimates it from
 * the records it matches). Rewritten for issue 12: the levels are the model's (e.g. a spelling
 * variant is NICKNAME_OR_TRANSLITERATION, a slip JARO_WINKLER_0_94_OR_ONE_EDIT), thresholds are
 * the model's.
 */
import { upnCheckLetter } from '../../../adapters/synthetic/population';
import { generateLinkageData } from '../evaluation/generateLinkageData';
import { compactPostcode, prepareRecord, validPnc, validUpn, type MatchRecord } from '../matchRecord';
import { matchRecords } from '../matchRecords';
import { decide, type MatchModel } from '../model/matchModel';
import { scorePair as scoreWithModel } from '../scorePair';

let model: MatchModel;
beforeAll(() => {
  model = matchRecords(generateLinkageData({ seed: 77, people: 2_000 }).records).index.model;
});

function scorePair(a: MatchRecord, b: MatchRecord) {
  const result = scoreWithModel(model, prepareRecord(a), prepareRecord(b));
  return { ...result, comparison: Object.fromEntries(result.explanation.fields.map((f) => [f.field, f.level])) };
}

let nextId = 1;
/** A clean record; each test changes what it is about. */
function record(overrides: Partial<MatchRecord> = {}): MatchRecord {
  return {
    source: 'IYSS',
    sourceId: String(nextId++),
    forename: 'Elif',
    surname: 'Yılmaz',
    knownAs: null,
    dateOfBirth: '2011-03-07',
    gender: 'FEMALE',
    postcode: 'N16 7AB',
    upn: null,
    pncNumber: null,
    ...overrides,
  };
}
const other = (overrides: Partial<MatchRecord> = {}) => record({ source: 'UMIS', ...overrides });

function upn(twelveDigits: string): string {
  return `${upnCheckLetter(twelveDigits)}${twelveDigits}`;
}
function pnc(year: number, serial: string): string {
  return `${year}/${serial}${'ZABCDEFGHJKLMNPQRTUVWXY'[Number(`${year % 100}${serial}`) % 23]}`;
}

describe('decide', () => {
  it('splits totals at the two thresholds', () => {
    const { autoLink, review } = model.thresholds;
    expect(review).toBeLessThan(autoLink);
    expect(decide(autoLink, model.thresholds)).toBe('AUTO_LINK');
    expect(decide(autoLink - 0.01, model.thresholds)).toBe('REVIEW');
    expect(decide(review, model.thresholds)).toBe('REVIEW');
    expect(decide(review - 0.01, model.thresholds)).toBe('NO_LINK');
  });
});

describe('scorePair: the same young person', () => {
  it('links identical details across systems', () => {
    const result = scorePair(record(), other());
    expect(result).toMatchObject({ decision: 'AUTO_LINK', method: 'PROBABILISTIC', rule: null });
    expect(result.comparison).toMatchObject({ forename: 'EXACT', surname: 'EXACT', dateOfBirth: 'EXACT', postcode: 'FULL' });
  });

  it('folds accents, Turkish dotless i and Polish ł, and ignores postcode spacing and case', () => {
    const result = scorePair(
      record({ forename: 'Ayşe', surname: 'Öztürk', postcode: 'E8 1AB' }),
      other({ forename: 'AYSE', surname: 'OZTURK', postcode: 'e81ab' }),
    );
    expect(result.comparison).toMatchObject({ forename: 'EXACT', surname: 'EXACT', postcode: 'FULL' });
    expect(result.decision).toBe('AUTO_LINK');
    expect(scorePair(record({ forename: 'Małgorzata' }), other({ forename: 'Malgorzata' })).comparison.forename).toBe('EXACT');
  });

  it('treats transliterations and registered English forms as the same name', () => {
    const result = scorePair(
      record({ forename: 'Mohammed', surname: 'Chowdhury', gender: 'MALE' }),
      other({ forename: 'Muhammad', surname: 'Choudhury', gender: 'MALE' }),
    );
    expect(result.comparison).toMatchObject({ forename: 'NICKNAME_OR_TRANSLITERATION', surname: 'TRANSLITERATION' });
    expect(result.decision).toBe('AUTO_LINK');
    const hebrew = scorePair(record({ forename: 'Shmuel', surname: 'Friedman', gender: 'MALE' }), other({ forename: 'Samuel', surname: 'Fridman', gender: 'MALE' }));
    expect(hebrew.comparison).toMatchObject({ forename: 'NICKNAME_OR_TRANSLITERATION', surname: 'TRANSLITERATION' });
    expect(hebrew.decision).toBe('AUTO_LINK');
  });

  it('matches a nickname used as the forename, or recorded as known-as', () => {
    const asForename = scorePair(record({ forename: 'Thomas', gender: 'MALE' }), other({ forename: 'Tom', gender: 'MALE' }));
    expect(asForename.comparison.forename).toBe('NICKNAME_OR_TRANSLITERATION');
    expect(asForename.decision).toBe('AUTO_LINK');
    const knownAs = scorePair(
      record({ forename: 'Oluwatobi', knownAs: 'Tobi', gender: 'MALE' }),
      other({ forename: 'Tobi', gender: 'MALE' }),
    );
    expect(knownAs.comparison.forename).toBe('EXACT');
    expect(knownAs.decision).toBe('AUTO_LINK');
  });

  it('forgives one typing slip in a name', () => {
    const result = scorePair(record({ forename: 'Zeynep' }), other({ forename: 'Zenyep' }));
    expect(result.comparison.forename).toBe('JARO_WINKLER_0_94_OR_ONE_EDIT');
    expect(result.decision).toBe('AUTO_LINK');
    expect(scorePair(record({ surname: 'Oberlander' }), other({ surname: 'Oberllander' })).comparison.surname).toBe('JARO_WINKLER_0_94_OR_ONE_EDIT');
  });

  it('recognises a date of birth with day and month swapped, or one digit slipped', () => {
    const swapped = scorePair(record({ dateOfBirth: '2011-03-07' }), other({ dateOfBirth: '2011-07-03' }));
    expect(swapped.comparison.dateOfBirth).toBe('DAY_MONTH_SWAPPED');
    expect(swapped.decision).toBe('AUTO_LINK');
    const slipped = scorePair(record({ dateOfBirth: '2011-03-17' }), other({ dateOfBirth: '2011-03-12' }));
    expect(slipped.comparison.dateOfBirth).toBe('ONE_DIGIT');
    expect(slipped.decision).toBe('AUTO_LINK');
    expect(scorePair(record({ dateOfBirth: '2011-03-07' }), other({ dateOfBirth: null })).comparison.dateOfBirth).toBe('MISSING');
  });

  it('links a changed surname when forename, date of birth and address agree', () => {
    const changed = scorePair(record({ surname: 'Yılmaz' }), other({ surname: 'Kaya' }));
    expect(changed.comparison.surname).toBe('DIFFERENT');
    expect(changed.decision).toBe('AUTO_LINK');
    const doubleBarrelled = scorePair(record({ surname: 'Campbell' }), other({ surname: 'Campbell-Okafor' }));
    expect(doubleBarrelled.comparison.surname).toBe('ONE_PART_SHARED');
    expect(doubleBarrelled.decision).toBe('AUTO_LINK');
  });

  it('recognises given name and surname swapped', () => {
    const result = scorePair(record({ forename: 'Elif', surname: 'Yılmaz' }), other({ forename: 'Yilmaz', surname: 'Elif' }));
    expect(result.comparison).toMatchObject({ forename: 'EXACT', surname: 'EXACT', nameOrder: 'GIVEN_AND_FAMILY_SWAPPED' });
    expect(result.decision).toBe('AUTO_LINK');
  });

  it('recognises a date of birth a year out', () => {
    const result = scorePair(record({ dateOfBirth: '2011-03-07' }), other({ dateOfBirth: '2012-03-07' }));
    expect(result.comparison.dateOfBirth).toBe('YEAR_PLUS_MINUS_ONE');
    expect(result.decision).toBe('AUTO_LINK');
  });

  it('links deterministically on the same valid UPN or PNC number, whatever else drifted', () => {
    const sharedUpn = upn('204301714123');
    const byUpn = scorePair(record({ upn: sharedUpn, postcode: null, dateOfBirth: null }), other({ upn: sharedUpn, forename: 'Elifcan' }));
    expect(byUpn).toMatchObject({ method: 'DETERMINISTIC', decision: 'AUTO_LINK', rule: 'SAME_UPN' });
    // The long and the short (YOIS older screens) forms of one PNC number.
    const long = pnc(2024, '0012345');
    const short = `24/12345${long.slice(-1)}`;
    expect(validPnc(short)).toBe(validPnc(long));
    const byPnc = scorePair(record({ source: 'YOIS', pncNumber: long, surname: 'Kaya' }), record({ source: 'YOIS', pncNumber: short }));
    expect(byPnc).toMatchObject({ method: 'DETERMINISTIC', rule: 'SAME_PNC' });
  });
});

describe('scorePair: different young people', () => {
  it('never auto-links twins: same surname, date of birth, address and gender, different forename', () => {
    const result = scorePair(
      record({ forename: 'Hasan', surname: 'Yılmaz', gender: 'MALE' }),
      other({ forename: 'Hüseyin', surname: 'Yılmaz', gender: 'MALE' }),
    );
    expect(result.comparison).toMatchObject({ forename: 'DIFFERENT', surname: 'EXACT', dateOfBirth: 'EXACT', postcode: 'FULL' });
    expect(result.decision).not.toBe('AUTO_LINK');
  });

  it('never auto-links twins whose records also carry known-as names', () => {
    const result = scorePair(
      record({ forename: 'Chaya', surname: 'Klein', knownAs: null }),
      other({ forename: 'Rivka', surname: 'Klein', knownAs: 'Rivky' }),
    );
    expect(result.decision).not.toBe('AUTO_LINK');
  });

  it('never auto-links a brother and sister whose forenames look alike (twins Can and Cansu)', () => {
    const result = scorePair(
      record({ forename: 'Can', surname: 'Özdemir', gender: 'MALE' }),
      other({ forename: 'Cansu', surname: 'Özdemir', gender: 'FEMALE' }),
    );
    expect(result.comparison).toMatchObject({ forename: 'JARO_WINKLER_0_88', gender: 'DISAGREE' });
    expect(result.decision).not.toBe('AUTO_LINK');
  });

  it('does not link siblings: same surname and address, different forename and date of birth', () => {
    const result = scorePair(
      record({ forename: 'Kwame', surname: 'Mensah', gender: 'MALE', dateOfBirth: '2009-05-02' }),
      other({ forename: 'Kofi', surname: 'Mensah', gender: 'MALE', dateOfBirth: '2011-01-19' }),
    );
    expect(result.decision).toBe('NO_LINK');
  });

  it('does not auto-link namesakes at another address with a near date of birth', () => {
    const result = scorePair(
      record({ forename: 'Liam', surname: 'Wright', gender: 'MALE', dateOfBirth: '2010-07-18', postcode: 'E5 8EE' }),
      other({ forename: 'Liam', surname: 'Wright', gender: 'MALE', dateOfBirth: '2010-07-11', postcode: 'E5 8YS' }),
    );
    expect(result.decision).not.toBe('AUTO_LINK');
  });

  it('does not auto-link records with different valid UPNs, and ignores a UPN with a wrong check letter', () => {
    const conflict = scorePair(record({ upn: upn('204301714123') }), other({ upn: upn('204301714124') }));
    expect(conflict.rule).toBe('IDENTIFIER_CONFLICT');
    expect(conflict.decision).not.toBe('AUTO_LINK');
    const good = upn('204301714123');
    const mistyped = `${good.slice(0, 5)}${(Number(good[5]) + 1) % 10}${good.slice(6)}`;
    expect(validUpn(mistyped)).toBeNull();
    expect(scorePair(record({ upn: good, dateOfBirth: null }), other({ upn: mistyped, forename: 'Zeynep' })).method).toBe('PROBABILISTIC');
  });

  it('sends a shared identifier to review when date of birth and forename both clearly differ', () => {
    const shared = upn('204301714123');
    const result = scorePair(
      record({ upn: shared, forename: 'Elif', dateOfBirth: '2011-03-07' }),
      other({ upn: shared, forename: 'Zeynep', dateOfBirth: '2014-10-22' }),
    );
    expect(result).toMatchObject({ method: 'PROBABILISTIC', rule: 'IDENTIFIER_CONTRADICTED' });
    expect(result.decision).not.toBe('AUTO_LINK');
  });
});

describe('identifier and postcode normalisation', () => {
  it('keeps only plausible postcodes, compacted', () => {
    expect(compactPostcode(' n16  7ab ')).toBe('N167AB');
    expect(compactPostcode('unknown')).toBeNull();
  });
});
