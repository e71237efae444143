import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { coinId } from '@pool/chia';
import { AcceleratedClock, DEVNET_NETWORK, DevnetChain, DevnetWallet, type TimelineEntry, signagePointIntervalMs } from '@pool/devnet';

/**
 * `node --expose-gc dist/test/bench/devnet-soak.bench.js` (after `npm run build`): heap growth of the devnet chain and
 * wallet when they run for a long time, which is what `npm start` does. The chain follows an AcceleratedClock at
 * BENCH_SPEED (default 1000) for BENCH_SECONDS of real time (default 120) while the loop does what the pool and its
 * farmers ask of a node: a pool farmer wins a block every 32 signage points, the wallet pays three farmers every 50
 * devnet seconds (the devnet run's payout every 5 s at x10), partials look their signage point up, the chain
 * follower reads the last 200 block records, and reward/payout coins are looked up by name. After a forced GC every
 * few devnet minutes the heap is sampled; the growth is fitted over the second half of the run (once every horizon
 * has filled) and reported as MB per devnet hour and as MB per real hour of `npm start` (x10). BENCH_UNBOUNDED=1
 * measures the same with horizons no run reaches, for comparison.
 */
const SPEED = Number(process.env.BENCH_SPEED ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const SAMPLE_EVERY_DEVNET_S = 600;

const puzzleHash = (label: string): string => createHash('sha256').update(`devnet-soak ${label}`).digest('hex');

interface Sample {
  devnetSeconds: number;
  heapMb: number;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
}

function slope(samples: Sample[]): number {
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.devnetSeconds, 0) / n;
  const my = samples.reduce((s, p) => s + p.heapMb, 0) / n;
  const num = samples.reduce((s, p) => s + (p.devnetSeconds - mx) * (p.heapMb - my), 0);
  const den = samples.reduce((s, p) => s + (p.devnetSeconds - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function main(): Promise<void> {
  const clock = new AcceleratedClock(SPEED);
  // BENCH_UNBOUNDED=1 sets horizons no run reaches: the chain then keeps everything, as it did before it had them.
  const unbounded = process.env.BENCH_UNBOUNDED === '1' ? { signagePointCacheSize: 2 ** 40, fullBlockHeights: 2 ** 40 } : {};
  const chain = new DevnetChain({ network: DEVNET_NETWORK, clock, seed: 'devnet-soak', ...unbounded });
  const wallet = new DevnetWallet(chain, { tag: 'soak-pool-wallet' });
  wallet.fund(10n ** 15n);
  const payees = [0, 1, 2].map((i) => puzzleHash(`payee ${i}`));
  const poolContract = puzzleHash('p2 singleton');
  const payoutCoins: string[] = [];
  const rewardCoins: string[] = [];
  const spMs = signagePointIntervalMs(DEVNET_NETWORK);
  const payoutEverySps = Math.round(50_000 / spMs);

  collect();
  const startHeap = process.memoryUsage().heapUsed / 2 ** 20;
  const samples: Sample[] = [{ devnetSeconds: 0, heapMb: startHeap }];
  const realStart = performance.now();
  let nextSeq = chain.latestSignagePoint().seq + 1;
  let nextSample = SAMPLE_EVERY_DEVNET_S;
  let payouts = 0;
  let lookups = 0;
  while (performance.now() - realStart < SECONDS * 1000) {
    const fresh: readonly TimelineEntry[] = chain.signagePoints(nextSeq);
    for (const entry of fresh) {
      nextSeq = entry.seq + 1;
      // A farmer too far behind the clock would miss the block, as in the devnet run.
      if (entry.seq % 32 === 0 && chain.latestSignagePoint().seq - entry.seq < 32) {
        const won = chain.submitBlock({ signagePointHash: entry.hash, farmerPuzzleHash: payees[0], poolPuzzleHash: poolContract });
        rewardCoins.push(coinId(won.poolRewardCoin));
        rewardCoins.splice(0, Math.max(0, rewardCoins.length - 50));
      }
      if (entry.seq % payoutEverySps === 0) {
        // As the payout saga does: pick a wallet coin, have the wallet sign without pushing, push to the node. Signage
        // points caught up in one go share a block, so the previous payout's change may not be confirmed yet.
        const [input] = await chain.getCoinRecordsByPuzzleHash(wallet.puzzleHash, { includeSpentCoins: false });
        if (input !== undefined && !chain.mempoolNames().length) {
          const additions = payees.map((puzzleHash) => ({ puzzleHash, amount: 1000n }));
          const signed = await wallet.createSignedTransaction({ additions, fee: 0n, coins: [input.coin], push: false });
          const tx = signed.signedTxs[0];
          if (tx.spendBundle !== null) await chain.pushTx(tx.spendBundle);
          payoutCoins.push(...tx.additions.map((coin) => coinId(coin)));
          payoutCoins.splice(0, Math.max(0, payoutCoins.length - 100));
          payouts++;
        }
      }
      // What the pool asks: the signage point of a partial, the follower's window and the coins it waits for.
      await chain.getRecentSignagePointOrEos({ spHash: entry.hash });
      lookups++;
    }
    const peak = chain.peakHeight();
    for (let h = Math.max(0, peak - 200); h <= peak; h += 50) await chain.getBlockRecordByHeight(h);
    await chain.getCoinRecordsByNames([...payoutCoins, ...rewardCoins], { includeSpentCoins: true });
    await chain.getCoinRecordsByPuzzleHash(wallet.puzzleHash, { includeSpentCoins: false });
    const devnetSeconds = (chain.clock.now() - chain.startMs) / 1000;
    if (devnetSeconds >= nextSample) {
      nextSample += SAMPLE_EVERY_DEVNET_S;
      collect();
      samples.push({ devnetSeconds, heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  collect();
  const devnetSeconds = (chain.clock.now() - chain.startMs) / 1000;
  samples.push({ devnetSeconds, heapMb: process.memoryUsage().heapUsed / 2 ** 20 });
  const secondHalf = samples.filter((s) => s.devnetSeconds >= devnetSeconds / 2);
  const perDevnetHour = slope(secondHalf) * 3600;
  const realSeconds = (performance.now() - realStart) / 1000;
  console.log(
    `devnet soak: ${devnetSeconds.toFixed(0)} devnet s in ${realSeconds.toFixed(0)} s (x${(devnetSeconds / realSeconds).toFixed(0)}), ` +
      `height ${chain.peakHeight()}, ${payouts} payouts, ${lookups} signage point lookups`,
  );
  console.log(`heap: ${startHeap.toFixed(1)} MB at start, ${samples[samples.length - 1].heapMb.toFixed(1)} MB at the end`);
  console.log(
    `growth over the second half: ${perDevnetHour.toFixed(2)} MB per devnet hour = ${(perDevnetHour * 10).toFixed(1)} MB per real hour at x10`,
  );
  for (const s of samples) console.log(`  ${s.devnetSeconds.toFixed(0).padStart(8)} devnet s  ${s.heapMb.toFixed(1).padStart(8)} MB`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
