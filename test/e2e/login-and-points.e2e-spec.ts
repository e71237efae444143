import { randomUUID } from 'node:crypto';
import { bytesToHex, getCurrentAuthenticationToken, hexToBytes, PoolErrorCode } from '@pool/chia';
import { type SimulatedFarmer } from '@pool/devnet';
import { farmerDecider, farmerStream, partialDecider, partialStream, payoutStream, type PartialEvent, type PayoutPlanned } from '@pool/domain';
import { DevnetPoolHarness, openLedgerCommandBus, type LedgerCommandBus } from '../support';
import { PartialConfirmer } from '@pool/worker';
import { StreamCommandRunner } from '@pool/event-sourcing';
import { LOGIN_COOKIE, LoginSessions } from '@pool/api';

/*
 * GET /farmer's current_points (confirmed points of the current payout window, from the ledger) and GET /login
 * (JSON for API clients, a signed session cookie and the dashboard for browsers), against the devnet pool.
 */
describe('GET /farmer current_points and GET /login against the devnet pool', () => {
  const harness = new DevnetPoolHarness('login-and-points');
  const { chain } = harness;
  let f: SimulatedFarmer;
  let runner: StreamCommandRunner;
  let bus: LedgerCommandBus;

  beforeAll(async () => {
    await harness.start();
    runner = new StreamCommandRunner(harness.store);
    bus = await openLedgerCommandBus(harness.store);
    f = harness.farmer('account');
    await f.joinPool();
    chain.farmBlocks(6);
    await f.register();
  });
  afterAll(async () => {
    await bus.close();
    await harness.stop();
  });

  const currentPoints = async (): Promise<unknown> => (await f.getFarmer()).current_points;

  /** Submits `count` partials and returns their proof hashes and receive times. */
  async function partials(count: number): Promise<{ proofHash: string; at: number }[]> {
    const sent: { proofHash: string; at: number }[] = [];
    for (let i = 0; i < count; i++) {
      const request = f.nextPartial();
      expect(await f.submit(request)).toEqual({ new_difficulty: 1 });
      const [event] = (await harness.store.readAll({ filter: { types: ['PartialSubmitted'] } })).slice(-1);
      sent.push({ proofHash: (event!.data as { proofHash: string }).proofHash, at: (event!.data as { receivedAt: number }).receivedAt });
    }
    return sent;
  }

  /** The pool's own confirmer, fed from the store, after the confirmation delay has passed on the chain's clock. */
  async function confirmDue(): Promise<number> {
    const confirmer = new PartialConfirmer({
      store: harness.store,
      commandBus: bus.commandBus,
      chain: harness.client,
      farmerState: async (launcherId) => (await runner.load(farmerStream(launcherId), farmerDecider)).state,
      delaySeconds: harness.config.settings.partialConfirmationDelay,
      now: harness.now,
    });
    const events = await harness.store.readAll({ filter: { types: ['PartialSubmitted', 'PartialConfirmed', 'PartialReverted'] } });
    for (const e of events) confirmer.track({ type: e.type, data: e.data } as PartialEvent);
    chain.advance((harness.config.settings.partialConfirmationDelay + 1) * 1000);
    return confirmer.settleDue();
  }

  async function planPayout(sequence: number): Promise<void> {
    const ledgerPosition = (await harness.store.headPosition())!;
    const planned: PayoutPlanned = {
      type: 'PayoutPlanned',
      data: {
        payoutId: `payout-${sequence}`,
        sequence,
        ledgerPosition,
        plannedAt: Math.floor(harness.now()),
        scheme: {
          name: 'prop',
          feeBasisPoints: 100,
          poolFeePuzzleHash: harness.poolTarget,
          minimumPayout: '0',
          maxAdditionsPerTransaction: 400,
          blockchainFeePerTransaction: '0',
        },
        configVersion: 'test',
        rewardCoinIds: [],
        rewardTotal: '0',
        poolFee: { puzzleHash: harness.poolTarget, amount: '0' },
        blockchainFee: '0',
        allocations: [{ launcherId: f.launcherId, puzzleHash: f.walletPuzzleHash, points: '2', amount: '0' }],
        carried: [],
        transactions: [],
      },
    };
    await harness.store.append(payoutStream(sequence), [{ id: randomUUID(), type: planned.type, data: planned.data }], { expectedRevision: 'no_stream' });
  }

  it('current_points counts confirmed points only, takes reverts back, and starts again after a payout', async () => {
    expect(await currentPoints()).toBe(0);
    const [, , third] = await partials(3);
    expect(await currentPoints()).toBe(0); // submitted, not yet confirmed

    expect(await confirmDue()).toBe(3);
    expect(await currentPoints()).toBe(3);

    // A reorg takes one confirmed partial back.
    await runner.run(partialStream(third!.proofHash), partialDecider, { type: 'RevertPartial', reason: 'reorg', forkHeight: 1, now: Math.floor(harness.now()) });
    expect(await currentPoints()).toBe(2);

    // A payout planned at the head ends the window: the two confirmed partials left were paid for.
    await planPayout(1);
    expect(await currentPoints()).toBe(0);
    await partials(1);
    expect(await confirmDue()).toBe(1);
    expect(await currentPoints()).toBe(1);
  });

  it('GET /login as an API client: the farmer record and its recent partials, newest first', async () => {
    const answer = await f.login();
    const submitted = (await harness.store.readAll({ filter: { types: ['PartialSubmitted', 'PartialReverted'] } }))
      .map((e) => ({ type: e.type, data: e.data as { proofHash: string; receivedAt: number; points: string } }));
    const reverted = new Set(submitted.filter((e) => e.type === 'PartialReverted').map((e) => e.data.proofHash));
    const accepted = submitted.filter((e) => e.type === 'PartialSubmitted' && !reverted.has(e.data.proofHash)).reverse();
    expect(answer).toEqual({
      farmer_record: {
        launcher_id: `0x${f.launcherId}`,
        p2_singleton_puzzle_hash: `0x${f.p2SingletonPuzzleHash}`,
        authentication_public_key: `0x${bytesToHex(f.signer.authPk)}`,
        owner_public_key: `0x${bytesToHex(f.signer.ownerPk)}`,
        payout_instructions: f.walletPuzzleHash,
        difficulty: 1,
        points: 1,
        is_pool_member: true,
      },
      recent_partials: accepted.map((e) => [e.data.receivedAt, Number(e.data.points)]),
    });
    expect((answer.recent_partials as unknown[]).length).toBe(3);
  });

  it('GET /login in a browser: a signed, short-lived session cookie and a redirect to the farmer area', async () => {
    const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    const response = await fetch(`${harness.poolUrl}${f.loginPath()}`, { headers: { accept: browserAccept }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/dashboard/account');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${LOGIN_COOKIE}=[^;]+; Path=/; Max-Age=1800; HttpOnly; SameSite=Lax$`));
    const value = cookie.split(';')[0]!.slice(LOGIN_COOKIE.length + 1);

    const sessions = new LoginSessions(harness.config.settings.jwtSecretHex);
    const now = harness.now();
    expect(sessions.verify(value, now)).toEqual({ launcherId: f.launcherId, sessionId: expect.any(String), expiresAt: Math.floor(now) + 1800 });
    expect(sessions.verify(value, now + 1800)).toBeNull(); // expired
    const [v, launcher, id, expiresAt, mac] = value.split('.');
    expect(sessions.verify([v, launcher, id, Number(expiresAt) + 3600, mac].join('.'), now)).toBeNull(); // extended by hand
    expect(sessions.verify([v, 'ab'.repeat(32), id, expiresAt, mac].join('.'), now)).toBeNull(); // moved to another farmer
    // The farmer area knows the farmer from the cookie alone.
    const area = await fetch(`${harness.poolUrl}/api/farmer-area`, { headers: { cookie: `${LOGIN_COOKIE}=${value}` } });
    expect(area.status).toBe(200);
    expect(await area.json()).toMatchObject({ launcherId: f.launcherId });
    expect(new LoginSessions('11'.repeat(32)).verify(value, now)).toBeNull(); // another pool's key
  });

  it('GET /login in a browser with a bad signature: a protocol error, no session', async () => {
    // Signed as GET /farmer: a valid signature by the right key over another message.
    const token = getCurrentAuthenticationToken(harness.config.settings.authenticationTokenTimeout, Math.floor(harness.now()));
    const signature = f.signer.authentication('get_farmer', hexToBytes(f.launcherId, 32), hexToBytes(harness.poolTarget, 32), token);
    const path = `/login?launcher_id=${f.launcherId}&authentication_token=${token}&signature=${bytesToHex(signature)}`;
    const response = await fetch(`${harness.poolUrl}${path}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.json()).toEqual({ error_code: PoolErrorCode.INVALID_SIGNATURE, error_message: expect.stringMatching(/registered authentication key/) });
  });
});
