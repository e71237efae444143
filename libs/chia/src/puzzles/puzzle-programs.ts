/**
 * Compiled CLVM of the puzzles the pool needs, embedded so the library works without the shared vectors.
 * These are public consensus constants (Chia-Network/chia_puzzles @ 32561ab5, identical to the `.clsp.hex`
 * files chia-blockchain ships; the v2 Plot NFT modules further down name their own source). The declared
 * tree hash beside each program is the value wallets and nodes use; `puzzle-programs.spec.ts` recomputes it
 * from the bytes so a corrupted constant cannot slip through.
 */

export interface EmbeddedPuzzle {
  /** Name in chia_puzzles. */
  readonly name: string;
  /** Serialized program, lowercase hex. */
  readonly hex: string;
  /** sha256tree of the program, lowercase hex (the "mod hash"). */
  readonly treeHash: string;
}

/** Outer layer of v1 plot NFTs (pool singletons). Solution: (lineage_proof my_amount inner_solution). */
export const SINGLETON_TOP_LAYER_V1_0: EmbeddedPuzzle = {
  name: 'SINGLETON_TOP_LAYER',
  treeHash: '24e044101e57b3d8c908b8a38ad57848afd29d3eecc439dba45f4412df4954fd',
  hex:
    'ff02ffff01ff02ffff03ffff18ff2fffff010180ffff01ff02ff36ffff04ff02ffff04ff05ffff04ff17ffff04ffff02ff26' +
    'ffff04ff02ffff04ff0bff80808080ffff04ff2fffff04ff0bffff04ff5fff808080808080808080ffff01ff088080ff0180' +
    'ffff04ffff01ffffffff4602ff3304ffff0101ff02ffff02ffff03ff05ffff01ff02ff5cffff04ff02ffff04ff0dffff04ff' +
    'ff0bff2cffff0bff24ff3880ffff0bff2cffff0bff2cffff0bff24ff3480ff0980ffff0bff2cff0bffff0bff24ff80808080' +
    '80ff8080808080ffff010b80ff0180ff02ffff03ff0bffff01ff02ff32ffff04ff02ffff04ff05ffff04ff0bffff04ff17ff' +
    'ff04ffff02ff2affff04ff02ffff04ffff02ffff03ffff09ff23ff2880ffff0181b3ff8080ff0180ff80808080ff80808080' +
    '808080ffff01ff02ffff03ff17ff80ffff01ff088080ff018080ff0180ffffffff0bffff0bff17ffff02ff3affff04ff02ff' +
    'ff04ff09ffff04ff2fffff04ffff02ff26ffff04ff02ffff04ff05ff80808080ff808080808080ff5f80ff0bff81bf80ff02' +
    'ffff03ffff20ffff22ff4fff178080ffff01ff02ff7effff04ff02ffff04ff6fffff04ffff04ffff02ffff03ff4fffff01ff' +
    '04ff23ffff04ffff02ff3affff04ff02ffff04ff09ffff04ff53ffff04ffff02ff26ffff04ff02ffff04ff05ff80808080ff' +
    '808080808080ffff04ff81b3ff80808080ffff011380ff0180ffff02ff7cffff04ff02ffff04ff05ffff04ff1bffff04ffff' +
    '21ff4fff1780ff80808080808080ff8080808080ffff01ff088080ff0180ffff04ffff09ffff18ff05ffff010180ffff0101' +
    '80ffff09ff05ffff01818f8080ff0bff2cffff0bff24ff3080ffff0bff2cffff0bff2cffff0bff24ff3480ff0580ffff0bff' +
    '2cffff02ff5cffff04ff02ffff04ff07ffff04ffff0bff24ff2480ff8080808080ffff0bff24ff8080808080ffffff02ffff' +
    '03ffff07ff0580ffff01ff0bffff0102ffff02ff26ffff04ff02ffff04ff09ff80808080ffff02ff26ffff04ff02ffff04ff' +
    '0dff8080808080ffff01ff0bffff0101ff058080ff0180ff02ff5effff04ff02ffff04ff05ffff04ff0bffff04ffff02ff3a' +
    'ffff04ff02ffff04ff09ffff04ff17ffff04ffff02ff26ffff04ff02ffff04ff05ff80808080ff808080808080ffff04ff17' +
    'ffff04ff2fffff04ff5fffff04ff81bfff80808080808080808080ffff04ffff04ff20ffff04ff17ff808080ffff02ff7cff' +
    'ff04ff02ffff04ff05ffff04ffff02ff82017fffff04ffff04ffff04ff17ff2f80ffff04ffff04ff5fff81bf80ffff04ff0b' +
    'ff05808080ff8202ff8080ffff01ff80808080808080ffff02ff2effff04ff02ffff04ff05ffff04ff0bffff04ffff02ffff' +
    '03ff3bffff01ff02ff22ffff04ff02ffff04ff05ffff04ff17ffff04ff13ffff04ff2bffff04ff5bffff04ff5fff80808080' +
    '8080808080ffff01ff02ffff03ffff09ff15ffff0bff13ff1dff2b8080ffff01ff0bff15ff17ff5f80ffff01ff088080ff01' +
    '8080ff0180ffff04ff17ffff04ff2fffff04ff5fffff04ff81bfffff04ff82017fff8080808080808080808080ff02ffff03' +
    'ff05ffff011bffff010b80ff0180ff018080',
};

/** Launcher; its coin id is the launcher id. Solution: (singleton_full_puzzle_hash amount key_value_list). */
export const SINGLETON_LAUNCHER: EmbeddedPuzzle = {
  name: 'SINGLETON_LAUNCHER',
  treeHash: 'eff07522495060c066f66f32acc2a77e3a3e737aca8baea4d1a64ea4cdc13da9',
  hex:
    'ff02ffff01ff04ffff04ff04ffff04ff05ffff04ff0bff80808080ffff04ffff04ff0affff04ffff02ff0effff04ff02ffff' +
    '04ffff04ff05ffff04ff0bffff04ff17ff80808080ff80808080ff808080ff808080ffff04ffff01ff33ff3cff02ffff03ff' +
    'ff07ff0580ffff01ff0bffff0102ffff02ff0effff04ff02ffff04ff09ff80808080ffff02ff0effff04ff02ffff04ff0dff' +
    '8080808080ffff01ff0bffff0101ff058080ff0180ff018080',
};

/** v1 pool reward address (plot pool_contract_puzzle_hash). */
export const P2_SINGLETON_OR_DELAYED_PUZHASH: EmbeddedPuzzle = {
  name: 'P2_SINGLETON_OR_DELAYED_PUZHASH',
  treeHash: 'adb656e0211e2ab4f42069a4c5efc80dc907e7062be08bf1628c8e5b6d94d25b',
  hex:
    'ff02ffff01ff02ffff03ff82017fffff01ff04ffff04ff38ffff04ffff0bffff02ff2effff04ff02ffff04ff05ffff04ff81' +
    'bfffff04ffff02ff3effff04ff02ffff04ffff04ff05ffff04ff0bff178080ff80808080ff808080808080ff82017f80ff80' +
    '8080ffff04ffff04ff3cffff01ff248080ffff04ffff04ff28ffff04ff82017fff808080ff80808080ffff01ff04ffff04ff' +
    '24ffff04ff2fff808080ffff04ffff04ff2cffff04ff5fffff04ff81bfff80808080ffff04ffff04ff10ffff04ff81bfff80' +
    '8080ff8080808080ff0180ffff04ffff01ffffff49ff463fffff5002ff333cffff04ff0101ffff02ff02ffff03ff05ffff01' +
    'ff02ff36ffff04ff02ffff04ff0dffff04ffff0bff26ffff0bff2aff1280ffff0bff26ffff0bff26ffff0bff2aff3a80ff09' +
    '80ffff0bff26ff0bffff0bff2aff8080808080ff8080808080ffff010b80ff0180ffff0bff26ffff0bff2aff3480ffff0bff' +
    '26ffff0bff26ffff0bff2aff3a80ff0580ffff0bff26ffff02ff36ffff04ff02ffff04ff07ffff04ffff0bff2aff2a80ff80' +
    '80808080ffff0bff2aff8080808080ff02ffff03ffff07ff0580ffff01ff0bffff0102ffff02ff3effff04ff02ffff04ff09' +
    'ff80808080ffff02ff3effff04ff02ffff04ff0dff8080808080ffff01ff0bffff0101ff058080ff0180ff018080',
};

/** Inner puzzle while FARMING_TO_POOL. */
export const POOL_MEMBER_INNERPUZ: EmbeddedPuzzle = {
  name: 'POOL_MEMBER_INNERPUZ',
  treeHash: 'a8490702e333ddd831a3ac9c22d0fa26d2bfeaf2d33608deb22f0e0123eb0494',
  hex:
    'ff02ffff01ff02ffff03ff8202ffffff01ff02ff16ffff04ff02ffff04ff05ffff04ff8204bfffff04ff8206bfffff04ff82' +
    '017fffff04ffff0bffff19ff2fffff18ffff019100ffffffffffffffffffffffffffffffffff8202ff8080ff0bff82017f80' +
    'ff8080808080808080ffff01ff04ffff04ff08ffff04ff17ffff04ffff02ff1effff04ff02ffff04ff82017fff80808080ff' +
    '80808080ffff04ffff04ff1cffff04ff5fffff04ff8206bfff80808080ff80808080ff0180ffff04ffff01ffff32ff3d33ff' +
    '3effff04ffff04ff1cffff04ff0bffff04ff17ff80808080ffff04ffff04ff1cffff04ff05ffff04ff2fff80808080ffff04' +
    'ffff04ff0affff04ff5fff808080ffff04ffff04ff14ffff04ffff0bff5fffff012480ff808080ff8080808080ff02ffff03' +
    'ffff07ff0580ffff01ff0bffff0102ffff02ff1effff04ff02ffff04ff09ff80808080ffff02ff1effff04ff02ffff04ff0d' +
    'ff8080808080ffff01ff0bffff0101ff058080ff0180ff018080',
};

/** Inner puzzle while SELF_POOLING or LEAVING_POOL. */
export const POOL_WAITINGROOM_INNERPUZ: EmbeddedPuzzle = {
  name: 'POOL_WAITINGROOM_INNERPUZ',
  treeHash: 'a317541a765bf8375e1c6e7c13503d0d2cbf56cacad5182befe947e78e2c0307',
  hex:
    'ff02ffff01ff02ffff03ff82017fffff01ff04ffff04ff1cffff04ff5fff808080ffff04ffff04ff12ffff04ff8205ffffff' +
    '04ff8206bfff80808080ffff04ffff04ff08ffff04ff17ffff04ffff02ff1effff04ff02ffff04ffff04ff8205ffffff04ff' +
    '8202ffff808080ff80808080ff80808080ff80808080ffff01ff02ff16ffff04ff02ffff04ff05ffff04ff8204bfffff04ff' +
    '8206bfffff04ff8202ffffff04ffff0bffff19ff2fffff18ffff019100ffffffffffffffffffffffffffffffffff8205ff80' +
    '80ff0bff8202ff80ff808080808080808080ff0180ffff04ffff01ffff32ff3d52ffff333effff04ffff04ff12ffff04ff0b' +
    'ffff04ff17ff80808080ffff04ffff04ff12ffff04ff05ffff04ff2fff80808080ffff04ffff04ff1affff04ff5fff808080' +
    'ffff04ffff04ff14ffff04ffff0bff5fffff012480ff808080ff8080808080ff02ffff03ffff07ff0580ffff01ff0bffff01' +
    '02ffff02ff1effff04ff02ffff04ff09ff80808080ffff02ff1effff04ff02ffff04ff0dff8080808080ffff01ff0bffff01' +
    '01ff058080ff0180ff018080',
};

/** v1.1 singleton; v2 plot NFTs and the v2 RewardPuzzle singleton struct use its hash. */
export const SINGLETON_TOP_LAYER_V1_1: EmbeddedPuzzle = {
  name: 'SINGLETON_TOP_LAYER_V1_1',
  treeHash: '7faa3253bfddd1e0decb0906b2dc6247bbc4cf608f58345d173adb63e8b47c9f',
  hex:
    'ff02ffff01ff02ffff03ffff18ff2fff3480ffff01ff04ffff04ff20ffff04ff2fff808080ffff04ffff02ff3effff04ff02' +
    'ffff04ff05ffff04ffff02ff2affff04ff02ffff04ff27ffff04ffff02ffff03ff77ffff01ff02ff36ffff04ff02ffff04ff' +
    '09ffff04ff57ffff04ffff02ff2effff04ff02ffff04ff05ff80808080ff808080808080ffff011d80ff0180ffff04ffff02' +
    'ffff03ff77ffff0181b7ffff015780ff0180ff808080808080ffff04ff77ff808080808080ffff02ff3affff04ff02ffff04' +
    'ff05ffff04ffff02ff0bff5f80ffff01ff8080808080808080ffff01ff088080ff0180ffff04ffff01ffffffff4947ff0233' +
    'ffff0401ff0102ffffff20ff02ffff03ff05ffff01ff02ff32ffff04ff02ffff04ff0dffff04ffff0bff3cffff0bff34ff24' +
    '80ffff0bff3cffff0bff3cffff0bff34ff2c80ff0980ffff0bff3cff0bffff0bff34ff8080808080ff8080808080ffff010b' +
    '80ff0180ffff02ffff03ffff22ffff09ffff0dff0580ff2280ffff09ffff0dff0b80ff2280ffff15ff17ffff0181ff8080ff' +
    'ff01ff0bff05ff0bff1780ffff01ff088080ff0180ff02ffff03ff0bffff01ff02ffff03ffff02ff26ffff04ff02ffff04ff' +
    '13ff80808080ffff01ff02ffff03ffff20ff1780ffff01ff02ffff03ffff09ff81b3ffff01818f80ffff01ff02ff3affff04' +
    'ff02ffff04ff05ffff04ff1bffff04ff34ff808080808080ffff01ff04ffff04ff23ffff04ffff02ff36ffff04ff02ffff04' +
    'ff09ffff04ff53ffff04ffff02ff2effff04ff02ffff04ff05ff80808080ff808080808080ff738080ffff02ff3affff04ff' +
    '02ffff04ff05ffff04ff1bffff04ff34ff8080808080808080ff0180ffff01ff088080ff0180ffff01ff04ff13ffff02ff3a' +
    'ffff04ff02ffff04ff05ffff04ff1bffff04ff17ff8080808080808080ff0180ffff01ff02ffff03ff17ff80ffff01ff0880' +
    '80ff018080ff0180ffffff02ffff03ffff09ff09ff3880ffff01ff02ffff03ffff18ff2dffff010180ffff01ff0101ff8080' +
    'ff0180ff8080ff0180ff0bff3cffff0bff34ff2880ffff0bff3cffff0bff3cffff0bff34ff2c80ff0580ffff0bff3cffff02' +
    'ff32ffff04ff02ffff04ff07ffff04ffff0bff34ff3480ff8080808080ffff0bff34ff8080808080ffff02ffff03ffff07ff' +
    '0580ffff01ff0bffff0102ffff02ff2effff04ff02ffff04ff09ff80808080ffff02ff2effff04ff02ffff04ff0dff808080' +
    '8080ffff01ff0bffff0101ff058080ff0180ff02ffff03ffff21ff17ffff09ff0bff158080ffff01ff04ff30ffff04ff0bff' +
    '808080ffff01ff088080ff0180ff018080',
};

/** MIPS member that only the named singleton can satisfy (v2 RewardPuzzle core). */
export const SINGLETON_MEMBER: EmbeddedPuzzle = {
  name: 'SINGLETON_MEMBER',
  treeHash: '6f1cebc5a6d3661ad87d3558146259ca580729b244b7662757f8d1c34a6a9ad9',
  hex:
    'ff02ffff01ff04ffff04ff12ffff04ffff0117ffff04ff0bffff04ffff02ff2effff04ff02ffff04ff09ffff04ff17ffff04' +
    'ffff02ff3effff04ff02ffff04ff05ff80808080ff808080808080ff8080808080ff8080ffff04ffff01ffffff0204ff0101' +
    'ffff4302ffff02ffff03ff05ffff01ff02ff16ffff04ff02ffff04ff0dffff04ffff0bff1affff0bff14ff1880ffff0bff1a' +
    'ffff0bff1affff0bff14ff1c80ff0980ffff0bff1aff0bffff0bff14ff8080808080ff8080808080ffff010b80ff0180ffff' +
    '0bff1affff0bff14ff1080ffff0bff1affff0bff1affff0bff14ff1c80ff0580ffff0bff1affff02ff16ffff04ff02ffff04' +
    'ff07ffff04ffff0bff14ff1480ff8080808080ffff0bff14ff8080808080ff02ffff03ffff07ff0580ffff01ff0bffff0102' +
    'ffff02ff3effff04ff02ffff04ff09ff80808080ffff02ff3effff04ff02ffff04ff0dff8080808080ffff01ff0bffff0101' +
    'ff058080ff0180ff018080',
};

/** MIPS top-level wrapper that runs a delegated puzzle approved by its member (v2 RewardPuzzle). */
export const DELEGATED_PUZZLE_FEEDER: EmbeddedPuzzle = {
  name: 'DELEGATED_PUZZLE_FEEDER',
  treeHash: '9db33d93853179903d4dd272a00345ee6630dc94907dbcdd96368df6931060fd',
  hex:
    'ff02ffff01ff02ff04ffff04ff02ffff04ffff02ff05ffff04ffff02ff06ffff04ff02ffff04ff0bff80808080ff1f8080ff' +
    'ff04ffff02ff0bff1780ff8080808080ffff04ffff01ffff02ffff03ff05ffff01ff04ff09ffff02ff04ffff04ff02ffff04' +
    'ff0dffff04ff0bff808080808080ffff010b80ff0180ff02ffff03ffff07ff0580ffff01ff0bffff0102ffff02ff06ffff04' +
    'ff02ffff04ff09ff80808080ffff02ff06ffff04ff02ffff04ff0dff8080808080ffff01ff0bffff0101ff058080ff0180ff' +
    '018080',
};

/** `(a 5 7)`: runs the curried inner puzzle with the solution; wraps MIPS members with a nonce. */
export const INDEX_WRAPPER: EmbeddedPuzzle = {
  name: 'INDEX_WRAPPER',
  treeHash: '847d971ef523417d555ea9854b1612837155d34d453298defcd310774305f657',
  hex: 'ff02ff05ff0780',
};

// v2 Plot NFT (CHIP-59) custody: the MIPS (CHIP-43) modules of chia_puzzles tag 0.20.3 and the Plot NFT's own
// modules of chia-blockchain at the revision pool2-reference pins. Each names the file it was taken from.

/**
 * MIPS 1-of-n: runs the one member proven against the curried merkle root. Solution: (proof member_puzzle member_solution).
 * Source: Chia-Network/chia_puzzles@0.20.3 (d122456f) puzzles/mips_puzzles/architecture_puzzles/1_of_n.clsp.hex.
 */
export const ONE_OF_N: EmbeddedPuzzle = {
  name: 'ONE_OF_N',
  treeHash: 'bcb9aa74893bebcfa2da87271b0330bf2773b6391144ae72262b6824d9c55939',
  hex:
    'ff02ffff01ff02ffff03ffff09ff05ffff02ff06ffff04ff02ffff04ffff0bffff0101ffff02ff04ffff04ff02ffff04ff2f' +
    'ff8080808080ffff04ff17ff808080808080ffff01ff02ff2fffff04ff0bff5f8080ffff01ff088080ff0180ffff04ffff01' +
    'ffff02ffff03ffff07ff0580ffff01ff0bffff0102ffff02ff04ffff04ff02ffff04ff09ff80808080ffff02ff04ffff04ff' +
    '02ffff04ff0dff8080808080ffff01ff0bffff0101ff058080ff0180ff02ffff03ff1bffff01ff02ff06ffff04ff02ffff04' +
    'ffff02ffff03ffff18ffff0101ff1380ffff01ff0bffff0102ff2bff0580ffff01ff0bffff0102ff05ff2b8080ff0180ffff' +
    '04ffff04ffff17ff13ffff0181ff80ff3b80ff8080808080ffff010580ff0180ff018080',
};

/**
 * MIPS restriction layer: runs member validators and delegated-puzzle validators around a member.
 * Source: Chia-Network/chia_puzzles@0.20.3 (d122456f) puzzles/mips_puzzles/architecture_puzzles/restrictions.clsp.hex.
 */
export const RESTRICTIONS: EmbeddedPuzzle = {
  name: 'RESTRICTIONS',
  treeHash: 'a28d59d39f964a93159c986b1914694f6f2f1c9901178f91e8b0ba4045980eef',
  hex:
    'ff02ffff01ff02ff04ffff04ff02ffff04ff05ffff04ff5fffff04ffff02ff17ffff04ff2fff82017f8080ffff04ffff02ff' +
    '06ffff04ff02ffff04ff0bffff04ff81bfffff04ff2fff808080808080ff80808080808080ffff04ffff01ffff03ff80ffff' +
    '02ff06ffff04ff02ffff04ff05ffff04ff0bffff04ff17ff808080808080ff1780ff02ffff03ff05ffff01ff03ff80ffff02' +
    'ff09ffff04ff17ff138080ffff02ff06ffff04ff02ffff04ff0dffff04ff1bffff04ff17ff80808080808080ff8080ff0180' +
    'ff018080',
};

/**
 * MIPS member: AGG_SIG_ME by the curried synthetic key over the delegated puzzle hash.
 * Source: Chia-Network/chia_puzzles@0.20.3 (d122456f) puzzles/mips_puzzles/member_puzzles/bls_with_taproot_member.clsp.hex.
 */
export const BLS_WITH_TAPROOT_MEMBER: EmbeddedPuzzle = {
  name: 'BLS_WITH_TAPROOT_MEMBER',
  treeHash: '35d2ad31aaf0df91c965909e5112294c57a18354ee4a5aae80572080ec3b6842',
  hex:
    'ff02ffff01ff02ffff03ff17ffff01ff02ffff03ffff09ff05ffff1dff17ffff1effff0bff17ff0b80808080ff80ffff01ff' +
    '088080ff0180ffff01ff04ffff04ff02ffff04ff05ffff04ff0bff80808080ff808080ff0180ffff04ffff0132ff018080',
};

/**
 * MIPS member: approves only the curried delegated puzzle hash, with no signature.
 * Source: Chia-Network/chia_puzzles@0.20.3 (d122456f) puzzles/mips_puzzles/member_puzzles/fixed_puzzle_member.clsp.hex.
 */
export const FIXED_PUZZLE_MEMBER: EmbeddedPuzzle = {
  name: 'FIXED_PUZZLE_MEMBER',
  treeHash: '34ede3eadc52ed750e405f2b9dea9891506547f651290bb606356d997c64f219',
  hex: 'ff02ffff03ffff09ff02ff0580ff80ffff01ff088080ff0180',
};

/**
 * Wraps a delegated puzzle so a wrapper puzzle checks its conditions.
 * Source: Chia-Network/chia_puzzles@0.20.3 (d122456f) puzzles/mips_puzzles/restriction_puzzles/add_dpuz_wrapper.clsp.hex.
 */
export const ADD_DPUZ_WRAPPER: EmbeddedPuzzle = {
  name: 'ADD_DPUZ_WRAPPER',
  treeHash: '6427724905f2dcf8187300ef9a0436a3c96198e4fcd17101d1ded9bc61c3f3bf',
  hex: 'ff02ff02ffff04ffff02ff05ff1780ff0b8080',
};

/**
 * Delegated-puzzle validator: the delegated puzzle must be the original wrapped by the curried wrappers, in order.
 * Source: Chia-Network/chia_puzzles@0.20.3 (d122456f) puzzles/mips_puzzles/restriction_puzzles/enforce_dpuz_wrappers.clsp.hex.
 */
export const ENFORCE_DPUZ_WRAPPERS: EmbeddedPuzzle = {
  name: 'ENFORCE_DPUZ_WRAPPERS',
  treeHash: '1f94aa2381c1c02fec90687c0b045ef3cad4b458f8eac5bd90695b4d89624f09',
  hex:
    'ff02ffff01ff02ffff03ffff09ff17ffff02ff1effff04ff02ffff04ff05ffff04ff0bffff04ff2fff80808080808080ff80' +
    'ffff01ff088080ff0180ffff04ffff01ffffa0ba4484b961b7a2369d948d06c55b64bdbfaffb326bc13b490ab1215dd33d8d' +
    '46ffa09dcf97a184f32623d11a73124ceb99a5709b083721e878a16d78f596718ba7b2a0a12871fee210fb8619291eaea194' +
    '581cbd2531e4b23759d225f6806923f63222ffffa0a8d5dd63fba471ebcb1f3e8f7c1e1879b7152a6e7298a91ce119a63400' +
    'ade7c5a04bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459aff02ff02ffff03ff0bffff01ff0b' +
    'ff16ff1cffff0bff16ff05ffff0bff16ffff0bff16ff12ffff0bff16ff13ffff0bff16ffff0bff16ff12ffff0bff16ffff0b' +
    'ff16ff14ffff02ff1effff04ff02ffff04ff05ffff04ff1bffff04ff17ff80808080808080ff088080ff1a808080ff1a8080' +
    '80ffff011780ff0180ff018080',
};

/**
 * Diagnostic only: the ASSERT_SECONDS_RELATIVE lock of pre-2026-01-15 drafts; the pinned Plot NFT uses HEIGHTLOCK. Lets a spec recognise that variant.
 * Source: Chia-Network/chia_puzzles@0.20.3 (d122456f) puzzles/mips_puzzles/restriction_puzzles/wrappers/timelock.clsp.hex.
 */
export const TIMELOCK: EmbeddedPuzzle = {
  name: 'TIMELOCK',
  treeHash: 'a6f96d8ecf9bd29e8c41822d231408823707b587bc0d372e5db4ac9733cbea3c',
  hex:
    'ff02ffff01ff02ff06ffff04ff02ffff04ff05ffff04ff0bff8080808080ffff04ffff01ff50ff02ffff03ffff02ffff03ff' +
    'ff09ff23ff0480ffff01ff02ffff03ffff09ff53ff0580ffff01ff0101ff8080ff0180ff8080ff0180ffff010bffff01ff04' +
    'ff13ffff02ff06ffff04ff02ffff04ff05ffff04ff1bff80808080808080ff0180ff018080',
};

/**
 * Plot NFT v2 pool path: recreates the singleton unchanged and sends a reward coin of this launcher to FORWARD.
 * Source: Chia-Network/chia-blockchain@23d9f9d282ffb0220f04a74cade227b42dab97d6 chia/pools/claim_pool_rewards_dpuz.clsp.hex.
 */
export const CLAIM_POOL_REWARDS_DPUZ: EmbeddedPuzzle = {
  name: 'CLAIM_POOL_REWARDS_DPUZ',
  treeHash: 'a505dffda8f601f2cddf7e01b6272222614c21807d26bbc447256cae220f0e47',
  hex:
    'ff02ffff01ff04ffff04ff08ffff04ffff0bff5effff0bff16ffff0bff16ff6eff0b80ffff0bff16ffff0bff7effff0bff16' +
    'ffff0bff16ff6eff1780ffff0bff16ffff0bff7effff0bff16ffff0bff16ff6eff81bf80ffff0bff16ff6eff4e808080ff4e' +
    '808080ff4e808080ff808080ffff04ffff04ff0cffff04ff81bfffff04ffff0101ffff04ffff04ff17ff8080ff8080808080' +
    'ffff04ffff04ff0affff04ffff0117ffff04ff5fffff04ffff30ffff19ffff16ff05ffff0182008080ffff18ffff019100ff' +
    'ffffffffffffffffffffffffffffffff82017f8080ff2fff8202ff80ff8080808080ff80808080ffff04ffff01ffff4833ff' +
    '42ff02ffffa04bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459aa09dcf97a184f32623d11a73' +
    '124ceb99a5709b083721e878a16d78f596718ba7b2ffa102a12871fee210fb8619291eaea194581cbd2531e4b23759d225f6' +
    '806923f63222a102a8d5dd63fba471ebcb1f3e8f7c1e1879b7152a6e7298a91ce119a63400ade7c5ff018080',
};

/**
 * Plot NFT v2 reward coin dpuz: pays the whole amount to the pool claim hash, memoization after the amount.
 * Source: Chia-Network/chia-blockchain@23d9f9d282ffb0220f04a74cade227b42dab97d6 chia/pools/forward_to_pool_puzzle_hash_dpuz.clsp.hex.
 */
export const FORWARD_TO_POOL_PUZZLE_HASH_DPUZ: EmbeddedPuzzle = {
  name: 'FORWARD_TO_POOL_PUZZLE_HASH_DPUZ',
  treeHash: 'db11ed2af1ed92c759f99d8cfeeb7a945c2fc81ee846fc0a61b0e048d6aeb770',
  hex: 'ff04ffff04ffff0149ffff04ff0bff808080ffff04ffff04ffff0133ffff04ff02ffff04ff0bff05808080ff808080',
};

/**
 * Wrapper: every CREATE_COIN must go to the curried puzzle hash (a pooling owner may only go to the waiting room).
 * Source: Chia-Network/chia-blockchain@23d9f9d282ffb0220f04a74cade227b42dab97d6 chia/wallet/puzzles/custody/fixed_create_coin_destinations.clsp.hex.
 */
export const FIXED_CREATE_COIN_DESTINATIONS: EmbeddedPuzzle = {
  name: 'FIXED_CREATE_COIN_DESTINATIONS',
  treeHash: '9b180c90094b82658705d838a954ad31abeeccf513fcb75b9924caa8d795fd29',
  hex:
    'ff02ffff01ff02ff06ffff04ff02ffff04ff05ffff04ff0bffff04ff0bff808080808080ffff04ffff01ff33ff02ffff03ff' +
    '0bffff01ff02ffff03ffff09ff23ff0480ffff01ff02ffff03ffff09ff53ff0580ffff01ff02ff06ffff04ff02ffff04ff05' +
    'ffff04ff1bffff04ff17ff808080808080ffff01ff088080ff0180ffff01ff02ff06ffff04ff02ffff04ff05ffff04ff1bff' +
    'ff04ff17ff80808080808080ff0180ffff011780ff0180ff018080',
};

/**
 * Wrapper: the conditions must include ASSERT_HEIGHT_RELATIVE with the curried height (leaving the waiting room).
 * Source: Chia-Network/chia-blockchain@23d9f9d282ffb0220f04a74cade227b42dab97d6 chia/wallet/puzzles/custody/heightlock.clsp.hex.
 */
export const HEIGHTLOCK: EmbeddedPuzzle = {
  name: 'HEIGHTLOCK',
  treeHash: '4c3a0aafc84771bb68405c232fefbb641236f9c8ee791a8f7c9a74d9035678f7',
  hex:
    'ff02ffff01ff02ff06ffff04ff02ffff04ff05ffff04ff0bff8080808080ffff04ffff01ff52ff02ffff03ffff02ffff03ff' +
    'ff09ff23ff0480ffff01ff02ffff03ffff09ff53ff0580ffff01ff0101ff8080ff0180ff8080ff0180ffff010bffff01ff04' +
    'ff13ffff02ff06ffff04ff02ffff04ff05ffff04ff1bff80808080808080ff0180ff018080',
};

/**
 * Wrapper: no SEND_MESSAGE (so a pooling owner cannot claim rewards).
 * Source: Chia-Network/chia-blockchain@23d9f9d282ffb0220f04a74cade227b42dab97d6 chia/wallet/puzzles/custody/send_message_banned.clsp.hex.
 */
export const SEND_MESSAGE_BANNED: EmbeddedPuzzle = {
  name: 'SEND_MESSAGE_BANNED',
  treeHash: '74d33c679add06271714c1fa88195e32384c86c2b1ff67f3740c8be0f54298ac',
  hex:
    'ff02ffff01ff02ff06ffff04ff02ffff04ff05ffff04ff05ff8080808080ffff04ffff01ff42ff02ffff03ff05ffff01ff02' +
    'ffff03ffff09ff11ff0480ffff01ff0880ffff01ff02ff06ffff04ff02ffff04ff0dffff04ff0bff808080808080ff0180ff' +
    'ff010b80ff0180ff018080',
};

export const EMBEDDED_PUZZLES: readonly EmbeddedPuzzle[] = [
  SINGLETON_TOP_LAYER_V1_0,
  SINGLETON_LAUNCHER,
  P2_SINGLETON_OR_DELAYED_PUZHASH,
  POOL_MEMBER_INNERPUZ,
  POOL_WAITINGROOM_INNERPUZ,
  SINGLETON_TOP_LAYER_V1_1,
  SINGLETON_MEMBER,
  DELEGATED_PUZZLE_FEEDER,
  INDEX_WRAPPER,
  ONE_OF_N,
  RESTRICTIONS,
  BLS_WITH_TAPROOT_MEMBER,
  FIXED_PUZZLE_MEMBER,
  ADD_DPUZ_WRAPPER,
  ENFORCE_DPUZ_WRAPPERS,
  TIMELOCK,
  CLAIM_POOL_REWARDS_DPUZ,
  FORWARD_TO_POOL_PUZZLE_HASH_DPUZ,
  FIXED_CREATE_COIN_DESTINATIONS,
  HEIGHTLOCK,
  SEND_MESSAGE_BANNED,
];
