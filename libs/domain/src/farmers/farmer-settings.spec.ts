import { deciderSpecification, launcher, registered } from '@pool/testing';
import { farmerDecider, type SetDisplayName, type SetMinimumPayout } from './farmer.decider';
import type { FarmerEvent } from './farmer.events';
import { effectiveMinimumPayout, MAX_FARMER_MINIMUM_PAYOUT, normalizeDisplayName } from './farmer-settings';

const spec = deciderSpecification(farmerDecider);
const ID = launcher(1);
const joined = registered(1) as FarmerEvent;
const XCH = 10n ** 12n;

const setName = (displayName: string | null): SetDisplayName => ({ type: 'SetDisplayName', launcherId: ID, displayName, now: 5000 });
const setMinimum = (minimumPayout: bigint | null, poolMinimumPayout = XCH / 100n): SetMinimumPayout => ({
  type: 'SetMinimumPayout',
  launcherId: ID,
  minimumPayout,
  poolMinimumPayout,
  now: 5000,
});
const nameSet = (displayName: string | null): FarmerEvent => ({ type: 'FarmerDisplayNameSet', data: { launcherId: ID, displayName, setAt: 5000 } });
const minimumSet = (minimumPayout: string | null, poolMinimumPayout = (XCH / 100n).toString()): FarmerEvent => ({
  type: 'FarmerMinimumPayoutSet',
  data: { launcherId: ID, minimumPayout, poolMinimumPayout, setAt: 5000 },
});

describe('farmer settings', () => {
  describe('SetDisplayName', () => {
    it('records the name as it will be shown: NFC, trimmed, one space between words', () => {
      spec.given([joined]).when(setName('  Cafe\u0301   Farm ')).then([nameSet('Café Farm')]);
    });

    it('records nothing when the name does not change, and null when the farmer clears it', () => {
      spec.given([joined, nameSet('Café Farm')]).when(setName('Café  Farm')).then([]);
      spec.given([joined, nameSet('Café Farm')]).when({ ...setName('   '), now: 6000 }).then([{ type: 'FarmerDisplayNameSet', data: { launcherId: ID, displayName: null, setAt: 6000 } }]);
      spec.given([joined]).when(setName(null)).then([]);
    });

    it('refuses markup, invisible characters, look-alikes of launcher ids and names too long to show', () => {
      for (const name of ['<script>', 'a"b', 'farm\u202Eevil', 'zero\u200Bwidth', '-dash first', `0x${'ab'.repeat(8)}`, 'deadbeefcafe01', 'x'.repeat(33)]) {
        spec.given([joined]).when(setName(name)).thenThrows('INVALID_DISPLAY_NAME');
      }
      expect(normalizeDisplayName('x'.repeat(32))).toBe('x'.repeat(32));
      expect(normalizeDisplayName("Ōkami's farm #2 (NAS)")).toBe("Ōkami's farm #2 (NAS)");
    });

    it('lets a name change once a minute at most: every change stays in the public ledger', () => {
      spec.given([joined, nameSet('Farm')]).when({ ...setName('Other'), now: 5059 }).thenThrows('REQUEST_FAILED', /try again in 1 s/);
      spec.given([joined, nameSet('Farm')]).when({ ...setName('Other'), now: 5060 }).then([{ type: 'FarmerDisplayNameSet', data: { launcherId: ID, displayName: 'Other', setAt: 5060 } }]);
      // The other setting has a cooldown of its own.
      spec.given([joined, nameSet('Farm')]).when(setMinimum(XCH)).then([minimumSet(XCH.toString())]);
      spec.given([joined, minimumSet(XCH.toString())]).when({ ...setMinimum(2n * XCH), now: 5010 }).thenThrows('REQUEST_FAILED', /minimum payout was changed 10 s ago/);
    });

    it('refuses a launcher the pool does not know', () => {
      spec.given([]).when(setName('Farm')).thenThrows('FARMER_NOT_KNOWN');
    });
  });

  describe('SetMinimumPayout', () => {
    it("records a minimum at or above the pool's, with the pool's minimum of the moment", () => {
      spec.given([joined]).when(setMinimum(XCH / 2n)).then([minimumSet((XCH / 2n).toString())]);
      spec.given([joined]).when(setMinimum(XCH / 100n)).then([minimumSet((XCH / 100n).toString())]);
    });

    it("refuses one below the pool's minimum or above 100 XCH", () => {
      spec.given([joined]).when(setMinimum(XCH / 100n - 1n)).thenThrows('INVALID_MINIMUM_PAYOUT', /at least the pool's/);
      spec.given([joined]).when(setMinimum(MAX_FARMER_MINIMUM_PAYOUT + 1n)).thenThrows('INVALID_MINIMUM_PAYOUT', /at most/);
    });

    it("goes back to the pool's minimum with null, and records nothing when nothing changes", () => {
      spec
        .given([joined, minimumSet('500000000000')])
        .when({ ...setMinimum(null), now: 6000 })
        .then([{ type: 'FarmerMinimumPayoutSet', data: { launcherId: ID, minimumPayout: null, poolMinimumPayout: (XCH / 100n).toString(), setAt: 6000 } }]);
      spec.given([joined, minimumSet('500000000000')]).when(setMinimum(XCH / 2n)).then([]);
      spec.given([joined]).when(setMinimum(null)).then([]);
    });

    it('keeps both settings in the state the api reads', () => {
      spec
        .given([joined, nameSet('Farm')])
        .when(setMinimum(XCH))
        .thenState((state) => {
          expect(state).toMatchObject({ status: 'registered', displayName: 'Farm', minimumPayout: XCH });
        });
    });
  });

  it("pays at the larger of the pool's minimum and the farmer's own", () => {
    expect(effectiveMinimumPayout(100n, null)).toBe(100n);
    expect(effectiveMinimumPayout(100n, 500n)).toBe(500n);
    // The pool raised its minimum above the farmer's: the pool's wins.
    expect(effectiveMinimumPayout(1000n, 500n)).toBe(1000n);
  });
});
