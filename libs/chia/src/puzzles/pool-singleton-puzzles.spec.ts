import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import { type Program } from 'clvm-lib';
import { toHex } from './bytes-hex';
import { poolRewardPrefix } from './coin-id';
import { p2SingletonOrDelayedPuzzleHash } from './p2-singleton-puzzle';
import {
  type PlotNftIdentity,
  innerPuzzleKindForState,
  memberInnerPuzzle,
  memberInnerPuzzleHash,
  poolSingletonPuzzle,
  poolSingletonPuzzleHash,
  poolStateToInnerPuzzle,
  poolStateToInnerPuzzleHash,
  poolStateToSingletonPuzzleHash,
  waitingRoomInnerPuzzle,
  waitingRoomInnerPuzzleHash,
} from './pool-singleton-puzzles';
import { type PoolState } from './pool-state-codec';
import {
  POOL_MEMBER_INNERPUZ,
  POOL_WAITINGROOM_INNERPUZ,
  SINGLETON_LAUNCHER,
  SINGLETON_TOP_LAYER_V1_0,
} from './puzzle-programs';

interface SingletonRow {
  genesis_challenge_name: string;
  genesis_challenge: string;
  launcher_id: string;
  delay_time: number;
  delay_puzzle_hash: string;
  pool_state: { target_puzzle_hash: string; relative_lock_height: number; owner_pubkey: string };
  'waiting_room_inner_puzzle_hash (state SELF_POOLING=1 or LEAVING_POOL=2)': string;
  'member_inner_puzzle_hash (state FARMING_TO_POOL=3)': string;
  full_singleton_puzzle_hash_waiting_room: string;
  full_singleton_puzzle_hash_member: string;
}
interface V1File {
  pool_singleton_puzzles: SingletonRow[];
}
interface PuzzlesFile {
  constants: { mainnet_genesis_challenge: string };
  absorb_spend_example: { singleton_spend: { coin: { puzzle_hash: string }; puzzle_reveal: string } };
}

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map(toHex);
const identityArb: fc.Arbitrary<PlotNftIdentity> = fc.record({
  launcherId: hex(32),
  genesisChallenge: hex(32),
  delayTime: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  delayPuzzleHash: hex(32),
});
const stateArb: fc.Arbitrary<PoolState> = fc.record({
  version: fc.constant(1),
  state: fc.constantFrom(1 as const, 2 as const, 3 as const),
  targetPuzzleHash: hex(32),
  ownerPubkey: hex(48),
  poolUrl: fc.constant(null),
  relativeLockHeight: fc.integer({ min: 0, max: 0xffffffff }),
});

function uncurried(program: Program): [string, string[]] {
  const result = program.uncurry();
  if (result === null) throw new Error('not curried');
  return [result[0].hashHex(), result[1].map((a) => a.toHex())];
}

describe('pool singleton puzzles', () => {
  it('sha256 hashes equal the hashes of the built programs (random identities and states)', () => {
    fc.assert(
      fc.property(identityArb, stateArb, (identity, state) => {
        const inner = poolStateToInnerPuzzle(state, identity);
        expect(poolStateToInnerPuzzleHash(state, identity)).toBe(inner.hashHex());
        expect(waitingRoomInnerPuzzleHash(state, identity)).toBe(waitingRoomInnerPuzzle(state, identity).hashHex());
        expect(memberInnerPuzzleHash(state, identity)).toBe(memberInnerPuzzle(state, identity).hashHex());
        const full = poolSingletonPuzzle(identity.launcherId, inner);
        expect(poolSingletonPuzzleHash(identity.launcherId, inner.hashHex())).toBe(full.hashHex());
        expect(poolStateToSingletonPuzzleHash(state, identity)).toBe(full.hashHex());
      }),
      { numRuns: 15 },
    );
  });

  it('curries the arguments Chia expects, in order', () => {
    const identity: PlotNftIdentity = {
      launcherId: '01'.repeat(32),
      genesisChallenge: 'ab'.repeat(16) + 'cd'.repeat(16),
      delayTime: 604800,
      delayPuzzleHash: '02'.repeat(32),
    };
    const state = { targetPuzzleHash: '03'.repeat(32), ownerPubkey: '04'.repeat(48), relativeLockHeight: 100 };
    const p2 = p2SingletonOrDelayedPuzzleHash(identity.launcherId, identity.delayTime, identity.delayPuzzleHash);
    const prefix = poolRewardPrefix(identity.genesisChallenge);
    expect(prefix).toBe('ab'.repeat(16) + '00'.repeat(16));

    const waitingRoom = waitingRoomInnerPuzzle(state, identity);
    expect(uncurried(waitingRoom)).toEqual([
      POOL_WAITINGROOM_INNERPUZ.treeHash,
      ['03'.repeat(32), p2, '04'.repeat(48), prefix, '64'],
    ]);
    expect(uncurried(memberInnerPuzzle(state, identity))).toEqual([
      POOL_MEMBER_INNERPUZ.treeHash,
      ['03'.repeat(32), p2, '04'.repeat(48), prefix, waitingRoom.hashHex()],
    ]);

    const full = poolSingletonPuzzle(identity.launcherId, waitingRoom).uncurry();
    expect(full).not.toBeNull();
    const [mod, [struct, inner]] = full as [Program, Program[]];
    expect(mod.hashHex()).toBe(SINGLETON_TOP_LAYER_V1_0.treeHash);
    expect(struct.first.toHex()).toBe(SINGLETON_TOP_LAYER_V1_0.treeHash);
    expect(struct.rest.first.toHex()).toBe(identity.launcherId);
    expect(struct.rest.rest.toHex()).toBe(SINGLETON_LAUNCHER.treeHash);
    expect(inner.hashHex()).toBe(waitingRoom.hashHex());
  });

  it('maps states to inner puzzles: 1 and 2 wait, 3 is a member', () => {
    expect(innerPuzzleKindForState(1)).toBe('waiting-room');
    expect(innerPuzzleKindForState(2)).toBe('waiting-room');
    expect(innerPuzzleKindForState(3)).toBe('member');
    expect(() => innerPuzzleKindForState(0)).toThrow(/unknown pool singleton state/);
  });
});

describeWithVectors<V1File>(
  'pool singleton puzzle hashes (protocol/puzzle_hashes_v1_pool_singleton.json)',
  'protocol/puzzle_hashes_v1_pool_singleton.json',
  (v) => {
    it.each(v.pool_singleton_puzzles.map((row) => [row.genesis_challenge_name, row] as const))('%s', (_name, row) => {
      const identity: PlotNftIdentity = {
        launcherId: row.launcher_id,
        genesisChallenge: row.genesis_challenge,
        delayTime: row.delay_time,
        delayPuzzleHash: row.delay_puzzle_hash,
      };
      const base = {
        version: 1,
        targetPuzzleHash: row.pool_state.target_puzzle_hash,
        ownerPubkey: row.pool_state.owner_pubkey,
        poolUrl: null,
        relativeLockHeight: row.pool_state.relative_lock_height,
      };
      const waitingRoomHash = row['waiting_room_inner_puzzle_hash (state SELF_POOLING=1 or LEAVING_POOL=2)'];
      const memberHash = row['member_inner_puzzle_hash (state FARMING_TO_POOL=3)'];
      for (const state of [1, 2] as const) {
        expect(poolStateToInnerPuzzleHash({ ...base, state }, identity)).toBe(waitingRoomHash);
        expect(poolStateToInnerPuzzle({ ...base, state }, identity).hashHex()).toBe(waitingRoomHash);
        expect(poolStateToSingletonPuzzleHash({ ...base, state }, identity)).toBe(row.full_singleton_puzzle_hash_waiting_room);
      }
      const member = { ...base, state: 3 as const };
      expect(poolStateToInnerPuzzleHash(member, identity)).toBe(memberHash);
      expect(poolStateToInnerPuzzle(member, identity).hashHex()).toBe(memberHash);
      expect(poolStateToSingletonPuzzleHash(member, identity)).toBe(row.full_singleton_puzzle_hash_member);
      expect(poolSingletonPuzzle(row.launcher_id, poolStateToInnerPuzzle(member, identity)).hashHex()).toBe(
        row.full_singleton_puzzle_hash_member,
      );
    });
  },
);

describeWithVectors<PuzzlesFile>('mainnet plot NFT puzzle (crypto/puzzles.json absorb example)', 'crypto/puzzles.json', (v) => {
  it('rebuilds the on-chain singleton puzzle reveal from its PoolState byte for byte', () => {
    // Inputs curried in the block 3326213 reveal; relative_lock_height 32 is the one whose waiting room
    // hash equals the member's escape hash (the pool's published lock height).
    const identity: PlotNftIdentity = {
      launcherId: '1844ac993a536e7b25c5e33f19ca103f31e62ce2cda83fe440c8bae8fe99338f',
      genesisChallenge: v.constants.mainnet_genesis_challenge,
      delayTime: 604800,
      delayPuzzleHash: '64dfc086d72c4e27434c86cc7af122e25abf79e34374f7e6fb4ffb2f71300b7d',
    };
    const state: PoolState = {
      version: 1,
      state: 3,
      targetPuzzleHash: '0213db9cb540a52c39071ef70acdf81796303189061b5aa0ee8098a05d5ceff5',
      ownerPubkey:
        'a16b798de8c9d15d163e96755e85d7be75cafd62683dbc02640f4c505f8c72b16927e94682d81aa962415a6c69e507d0',
      poolUrl: null,
      relativeLockHeight: 32,
    };
    const spend = v.absorb_spend_example.singleton_spend;
    const puzzle = poolSingletonPuzzle(identity.launcherId, poolStateToInnerPuzzle(state, identity));
    expect(puzzle.serializeHex()).toBe(spend.puzzle_reveal.slice(2));
    expect(poolStateToSingletonPuzzleHash(state, identity)).toBe(spend.coin.puzzle_hash.slice(2));
  });
});
