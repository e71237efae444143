import { dayOf, hourOf, ledgerTimeOf } from './ledger-time';

describe('ledger time', () => {
  it("reads each event's own time and floors it to whole seconds", () => {
    expect(ledgerTimeOf({ type: 'PartialSubmitted', data: { receivedAt: 1_750_000_123.9 } })).toBe(1_750_000_123);
    expect(ledgerTimeOf({ type: 'PartialReverted', data: { revertedAt: 5 } })).toBe(5);
    expect(ledgerTimeOf({ type: 'FarmerLeftPool', data: { at: 7 } })).toBe(7);
    expect(ledgerTimeOf({ type: 'PayoutPlanned', data: { plannedAt: 9 } })).toBe(9);
    expect(ledgerTimeOf({ type: 'SomethingElse', data: { at: 1 } })).toBeUndefined();
    expect(ledgerTimeOf({ type: 'PartialConfirmed', data: {} })).toBeUndefined();
  });

  it('buckets by UTC hour and day', () => {
    expect(hourOf(3599)).toBe(0);
    expect(hourOf(3600)).toBe(3600);
    expect(dayOf(86_399)).toBe(0);
    expect(dayOf(1_750_000_000)).toBe(1_749_945_600);
  });
});
