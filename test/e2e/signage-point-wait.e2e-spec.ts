import { bytesToHex, type PostPartialRequest, type SignagePointOrEosQuery } from '@pool/chia';
import { DevnetPoolHarness } from '../support';

/**
 * Issue 13 item 2 over HTTP against the devnet: a farmer hears of a signage point from its own node and sends its
 * partial before the pool's node has the point. The pool waits for it (looking again every second, up to
 * `signagePointWaitSeconds`) instead of answering NOT_FOUND at once, and accepts the partial once the point appears.
 * The pool's node is the devnet's, reached over mutual-TLS RPC; it is made to "not have heard yet" of the point
 * by answering not found for it until the test lets it through.
 */
describe('a partial sent before the pool node knows its signage point', () => {
  const harness = new DevnetPoolHarness('signage-point-wait', { settings: { signagePointWaitSeconds: 10 } });
  const { chain } = harness;
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());

  it('is accepted once the node has the point, the node asked once a second meanwhile, not once per partial', async () => {
    const f = harness.farmer('early bird');
    await f.joinPool();
    chain.farmBlocks(6);
    expect(await f.register()).toEqual({ welcome_message: expect.any(String) });

    // The next signage point with partials from this farmer (one or several, all for the same point).
    let partials: PostPartialRequest[] = [];
    for (let sp = 0; sp < 2000 && partials.length === 0; sp++) {
      chain.advanceSignagePoints(1);
      partials = f.partialsFor(chain.latestSignagePoint(), chain.peakHeight() + 1);
    }
    expect(partials.length).toBeGreaterThan(0);
    const spHash = bytesToHex(partials[0]!.payload.spHash);
    const isThePoint = (query: SignagePointOrEosQuery): boolean => ('spHash' in query ? query.spHash : query.challengeHash) === spHash;

    // The pool's node has not heard of the point yet.
    let nodeHasIt = false;
    const original = chain.getRecentSignagePointOrEos.bind(chain);
    const lookups = jest.spyOn(chain, 'getRecentSignagePointOrEos').mockImplementation((query) => (isThePoint(query) && !nodeHasIt ? Promise.resolve(null) : original(query)));
    const looksForThePoint = (): number => lookups.mock.calls.filter(([query]) => isThePoint(query)).length;
    try {
      let answered = false;
      const answers = Promise.all(partials.map((partial) => f.submit(partial))).finally(() => (answered = true));
      // Two looks that found nothing, about a second apart, and still no answer: the pool is waiting.
      const waitStarted = Date.now();
      while (looksForThePoint() < 2 && Date.now() - waitStarted < 8000) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(looksForThePoint()).toBe(2);
      expect(answered).toBe(false);

      nodeHasIt = true;
      for (const answer of await answers) expect(answer).toEqual({ new_difficulty: 1 });
      // One look per round for all of this point's partials: the two misses and the one that found it.
      expect(looksForThePoint()).toBe(3);
    } finally {
      lookups.mockRestore();
    }
    const recorded = (await harness.store.readAll({ filter: { types: ['PartialSubmitted'] } })).filter((e) => (e.data as { signagePointHash: string }).signagePointHash === spHash);
    expect(recorded).toHaveLength(partials.length);
  });
});
