import { PoolErrorCode } from '@pool/chia';
import { CryptoFailureBudget, type CryptoFailureBudgetOptions } from './crypto-failure-budget';

const MINUTE = 60_000;
const launcher = 'ab'.repeat(32);

function budget(options: Partial<CryptoFailureBudgetOptions> = {}) {
  let now = 1_000_000;
  const b = new CryptoFailureBudget({ maxFailures: 3, windowMs: 10 * MINUTE, refuseForMs: 5 * MINUTE, maxKeys: 1000, now: () => now, ...options });
  return { b, advance: (ms: number) => (now += ms) };
}

describe('CryptoFailureBudget', () => {
  it('refuses a sender whose partials for a launcher keep failing, with a clear 16, for the refusal time only', () => {
    const { b, advance } = budget();
    const gate = b.gate(launcher, '203.0.113.7');
    gate.failed();
    gate.failed();
    expect(() => gate.admit()).not.toThrow();
    gate.failed();
    expect(() => gate.admit()).toThrow(
      expect.objectContaining({
        code: PoolErrorCode.REQUEST_FAILED,
        message: `3 partials for launcher ${launcher} from your address 203.0.113.7 failed their signature or proof check within 10 minutes; its partials from that address are refused unchecked for 300 s more`,
      }),
    );
    advance(5 * MINUTE - 1);
    expect(() => b.gate(launcher, '203.0.113.7').admit()).toThrow(/refused unchecked for 1 s more/);
    advance(1);
    expect(() => gate.admit()).not.toThrow();
    // Back with a fresh budget, not a spent one.
    gate.failed();
    gate.failed();
    expect(() => gate.admit()).not.toThrow();
  });

  it('forgets failures older than its window', () => {
    const { b, advance } = budget();
    const gate = b.gate(launcher, '203.0.113.7');
    gate.failed();
    gate.failed();
    advance(10 * MINUTE);
    gate.failed();
    gate.failed();
    expect(() => gate.admit()).not.toThrow();
  });

  it("spends only the sender's budget: another address sending for the same launcher is still checked, and so is another launcher", () => {
    const { b } = budget();
    const forger = b.gate(launcher, '198.51.100.1');
    for (let i = 0; i < 3; i++) forger.failed();
    expect(() => forger.admit()).toThrow(/refused unchecked/);
    expect(() => b.gate(launcher, '203.0.113.7').admit()).not.toThrow();
    expect(() => b.gate('cd'.repeat(32), '198.51.100.1').admit()).not.toThrow();
  });

  it('holds at most maxKeys senders, and drops those whose failures are stale', () => {
    const { b, advance } = budget({ maxKeys: 10 });
    for (let i = 0; i < 100; i++) b.gate(launcher, `10.0.0.${i}`).failed();
    expect(b.size).toBe(10);
    advance(10 * MINUTE);
    b.gate(launcher, '10.0.1.1').failed();
    expect(b.size).toBe(1);
  });
});
