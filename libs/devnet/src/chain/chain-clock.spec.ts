import { AcceleratedClock, ManualClock, startChainDriver } from './chain-clock';
import { DevnetChain } from './devnet-chain';

describe('chain clocks', () => {
  afterEach(() => jest.useRealTimers());

  it('moves a manual clock only forward', () => {
    const clock = new ManualClock(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });

  it('runs an accelerated clock faster than the wall clock', () => {
    jest.useFakeTimers({ now: 0 });
    const clock = new AcceleratedClock(10, 5000);
    jest.advanceTimersByTime(100);
    expect(clock.now()).toBe(6000);
  });

  it('lets a driver tick the chain as its clock moves', () => {
    jest.useFakeTimers({ now: 0 });
    const chain = new DevnetChain({ clock: new AcceleratedClock(4), networkBlockEverySignagePoints: 0 });
    const driver = startChainDriver(chain, 250);
    jest.advanceTimersByTime(2000);
    driver.stop();
    // 2 s of wall time at 4x is 8 s of chain time: 8 one-second signage points after the opening EOS.
    expect(chain.signagePoints().length).toBe(9);
  });
});
