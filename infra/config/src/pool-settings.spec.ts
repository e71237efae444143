import { feeFraction } from './pool-settings';

describe('feeFraction', () => {
  it.each([
    [100, '0.01'],
    [0, '0'],
    [10_000, '1'],
    [250, '0.025'],
    [1, '0.0001'],
    [1_050, '0.105'],
  ])('%i basis points is %s', (bp, expected) => expect(feeFraction(bp)).toBe(expected));

  it('refuses fees outside 0..10000 or fractional basis points', () => {
    expect(() => feeFraction(10_001)).toThrow(RangeError);
    expect(() => feeFraction(1.5)).toThrow(RangeError);
  });
});
