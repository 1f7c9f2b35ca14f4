import { finalOn } from '../runReport';

describe('finalOn: the first day a period\u2019s figures are final', () => {
  it('is the period\u2019s end when a measure has no follow-up', () => {
    expect(finalOn('2032-01-01', 0)).toBe('2032-01-01');
  });

  it('adds the months to the period\u2019s last day, then one day', () => {
    // Last day 31 December 2031; re-offences proven by 30 June 2033 count.
    expect(finalOn('2032-01-01', 18)).toBe('2033-07-01');
    // Last day 14 June 2031: proven by 14 December 2032.
    expect(finalOn('2031-06-15', 18)).toBe('2032-12-15');
  });

  it('clamps a day past the month\u2019s end, as the sources\u2019 YYYYMMDD comparison does', () => {
    // Last day 31 August 2031: 31 February 2033 orders as the end of February.
    expect(finalOn('2031-09-01', 18)).toBe('2033-03-01');
    // Last day 29 February 2032: 29 August 2033 exists.
    expect(finalOn('2032-03-01', 18)).toBe('2033-08-30');
  });
});
