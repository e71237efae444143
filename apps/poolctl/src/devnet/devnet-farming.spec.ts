import { DevnetChainError, type TimelineEntry } from '@pool/devnet';
import { DevnetFarming, type DevnetFarmer } from './devnet-farming';

type Partial = ReturnType<DevnetFarmer['partialsFor']>[number];
type Answer = Awaited<ReturnType<DevnetFarmer['submit']>>;

/** A stand-in farmer whose every step is scripted; it records what it was asked. */
class ScriptedFarmer implements DevnetFarmer {
  readonly launcherId: string;
  connectAnswers: (() => Promise<Answer>)[] = [];
  block: () => boolean = () => false;
  proofs: () => Partial[] = () => [];
  answer: (partial: Partial) => Promise<Answer> = async () => ({});
  submitted = 0;

  constructor(name: string) {
    this.launcherId = name.repeat(64).slice(0, 64);
  }

  connect(): Promise<Answer> {
    return (this.connectAnswers.shift() ?? (async () => ({})))();
  }
  tryToWinBlock(): boolean {
    return this.block();
  }
  partialsFor(): Partial[] {
    return this.proofs();
  }
  submit(partial: Partial): Promise<Answer> {
    this.submitted++;
    return this.answer(partial);
  }
}

const partial = {} as Partial;
const entry = (timeReceived: number): TimelineEntry => ({ seq: 1, timeReceived }) as TimelineEntry;

function farming(farmers: ScriptedFarmer[], overrides: { now?: () => number; realNow?: () => number; stopped?: () => boolean } = {}) {
  const lines: string[] = [];
  const blocks: [number, string][] = [];
  const run = new DevnetFarming({
    farmers,
    now: overrides.now ?? (() => 1000),
    maxSignagePointAge: 15,
    speed: 10,
    log: (line) => lines.push(line),
    onBlockWon: (height, launcherId) => blocks.push([height, launcherId]),
    stopped: overrides.stopped ?? (() => false),
    registerRetryMs: 5000,
    realNow: overrides.realNow ?? (() => 0),
  });
  return { run, lines, blocks };
}

describe('DevnetFarming', () => {
  it('counts accepted and refused partials and blocks won, per signage point, for every registered farmer', async () => {
    const a = new ScriptedFarmer('a');
    const b = new ScriptedFarmer('b');
    a.proofs = () => [partial, partial];
    b.proofs = () => [partial];
    let n = 0;
    a.answer = async () => (++n === 2 ? { error_code: 2, error_message: 'late' } : {});
    b.block = () => true;
    const { run, blocks, lines } = farming([a, b]);
    await run.register();
    await run.signagePoint(entry(995), 40);
    expect(run.tally).toEqual({ partialsAccepted: 2, partialsRejected: { '2': 1 }, blocksWon: 1, farmerErrors: 0, signagePointsMissed: 0 });
    expect(blocks).toEqual([[40, b.launcherId]]);
    expect(lines).toEqual([]);
  });

  it('logs each kind of farmer failure once, counts every one, and goes on farming', async () => {
    const broken = new ScriptedFarmer('c');
    const healthy = new ScriptedFarmer('d');
    broken.proofs = () => [partial];
    broken.answer = () => Promise.reject(new TypeError('fetch failed'));
    broken.block = () => {
      throw new Error('the node refused the block');
    };
    healthy.proofs = () => [partial];
    const { run, lines } = farming([broken, healthy]);
    await run.register();
    for (let i = 0; i < 3; i++) await run.signagePoint(entry(1000), 40 + i);
    expect(run.tally.farmerErrors).toBe(6);
    expect(run.tally.partialsAccepted).toBe(3);
    expect(lines).toEqual([
      'devnet: farmer 0 block: the node refused the block (counted in the summary; the run goes on, repeats are not printed)',
      'devnet: farmer 0 partial: fetch failed (counted in the summary; the run goes on, repeats are not printed)',
    ]);
  });

  it('lets a late signage point pass when the chain refuses the block as too old', async () => {
    const farmer = new ScriptedFarmer('e');
    farmer.block = () => {
      throw new DevnetChainError('SP_TOO_OLD', 'signage point is more than 64 signage points old');
    };
    const { run } = farming([farmer]);
    await run.register();
    await run.signagePoint(entry(1000), 40);
    expect(run.tally).toMatchObject({ blocksWon: 0, farmerErrors: 0 });
  });

  it('skips signage points the farmers reached too late, and says so once', async () => {
    const farmer = new ScriptedFarmer('f');
    farmer.proofs = () => [partial];
    const { run, lines } = farming([farmer], { now: () => 1000 });
    await run.register();
    await run.signagePoint(entry(980), 40);
    await run.signagePoint(entry(984), 41);
    await run.signagePoint(entry(990), 42);
    expect(run.tally).toMatchObject({ signagePointsMissed: 2, partialsAccepted: 1 });
    expect(farmer.submitted).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^devnet: the farmers fell behind the x10 clock; signage points older than 15 devnet s are skipped/)]);
  });

  it('retries a refused or unanswered registration every few seconds, and farms only once registered', async () => {
    const farmer = new ScriptedFarmer('g');
    farmer.proofs = () => [partial];
    farmer.connectAnswers = [async () => ({ error_code: 8, error_message: 'not yet buried' }), () => Promise.reject(new Error('ECONNRESET')), async () => ({})];
    let clock = 0;
    const { run, lines } = farming([farmer], { realNow: () => clock });
    await run.register();
    await run.signagePoint(entry(1000), 40);
    expect(farmer.submitted).toBe(0);
    clock = 4000;
    await run.retryRegistrations();
    expect(run.registeredFarmers).toBe(0);
    clock = 5000;
    await run.retryRegistrations();
    clock = 10_000;
    await run.retryRegistrations();
    expect(run.registeredFarmers).toBe(1);
    await run.signagePoint(entry(1000), 41);
    expect(farmer.submitted).toBe(1);
    expect(run.tally.farmerErrors).toBe(2);
    expect(lines).toEqual([
      'devnet: farmer 0 registration: error 8: not yet buried (counted in the summary; the run goes on, repeats are not printed)',
      'devnet: farmer 0 registration: ECONNRESET (counted in the summary; the run goes on, repeats are not printed)',
    ]);
  });

  it('sends no more partials once the run is stopping', async () => {
    const farmer = new ScriptedFarmer('h');
    farmer.proofs = () => [partial, partial, partial];
    let stopping = false;
    farmer.answer = async () => {
      stopping = true;
      return {};
    };
    const { run } = farming([farmer], { stopped: () => stopping });
    await run.register();
    await run.signagePoint(entry(1000), 40);
    expect(farmer.submitted).toBe(1);
  });
});
