import { randomUUID } from 'node:crypto';
import { coinId, poolParentId } from '@pool/chia';
import { DEVNET_NETWORK, MAINNET_NETWORK } from '@pool/devnet';
import { DEVNET_SPACE_CONSTANTS, MAINNET_SPACE_CONSTANTS, type RewardDetected } from '@pool/domain';
import { InMemoryEventStore } from '@pool/event-store';
import { allProjections } from '@pool/projections';
import { FARMER_A, submitted } from '@pool/testing';
import { projectionsFor } from './connections';
import { ledgerNetwork } from './ledger-network';

const PUZZLE_HASH = '5'.repeat(64);

function reward(genesisChallenge: string, farmedHeight: number): RewardDetected {
  const amount = 1_750_000_000_000n;
  const id = coinId({ parentCoinInfo: poolParentId(genesisChallenge, farmedHeight), puzzleHash: PUZZLE_HASH, amount });
  return {
    type: 'RewardDetected',
    data: { coinId: id, launcherId: FARMER_A, puzzleHash: PUZZLE_HASH, amount: String(amount), farmedHeight, confirmedHeight: farmedHeight + 1, detectedAt: 1 },
  };
}

async function ledgerOf(...events: { type: string; data: unknown }[]): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  for (const event of events) await store.append(`s-${randomUUID()}`, [{ id: randomUUID(), ...event }], { expectedRevision: 'no_stream' });
  return store;
}

/**
 * The rebuild's space constants come from the ledger's own chain facts, not from where its read models happen to
 * be kept: a devnet ledger with PostgreSQL read models used to be rebuilt with mainnet's constants.
 */
describe('ledgerNetwork', () => {
  it('places a reward coin on the chain whose genesis minted it', async () => {
    expect(await ledgerNetwork(await ledgerOf(reward(DEVNET_NETWORK.genesisChallenge, 12)))).toMatchObject({ network: 'devnet', space: DEVNET_SPACE_CONSTANTS });
    // Even with partials of mainnet-sized plots beside it: the coin's id is the exact fact.
    const mainnet = await ledgerOf(submitted(FARMER_A, 'p1', 1, 1), reward(MAINNET_NETWORK.genesisChallenge, 5_000_000));
    expect(await ledgerNetwork(mainnet)).toMatchObject({ network: 'mainnet', space: MAINNET_SPACE_CONSTANTS, reason: expect.stringMatching(/minted on the mainnet chain/) });
  });

  it('tells a devnet ledger without rewards by its small plots, which a mainnet pool refuses', async () => {
    const small = await ledgerOf({ type: 'PartialSubmitted', data: { ...submitted(FARMER_A, 'p1', 1, 1).data, plotSize: 18 } });
    expect(await ledgerNetwork(small)).toMatchObject({ network: 'devnet', space: DEVNET_SPACE_CONSTANTS, reason: expect.stringMatching(/k18 plot/) });
    expect(await ledgerNetwork(await ledgerOf(submitted(FARMER_A, 'p1', 1, 1)))).toMatchObject({ network: 'mainnet', reason: expect.stringMatching(/k32 plots/) });
  });

  it('uses mainnet constants where nothing tells (no partials: every estimate is zero anyway)', async () => {
    expect(await ledgerNetwork(await ledgerOf())).toMatchObject({ network: 'mainnet', reason: expect.stringMatching(/no partials/) });
  });

  it('gives the projections of the ledger’s network', async () => {
    expect((await projectionsFor(await ledgerOf())).projections).toBe(allProjections);
    const devnet = await projectionsFor(await ledgerOf(reward(DEVNET_NETWORK.genesisChallenge, 3)));
    expect(devnet.projections).not.toBe(allProjections);
    expect(devnet.projections.map((p) => p.name)).toEqual(allProjections.map((p) => p.name));
  });
});
