/**
 * Compiled CLVM of the puzzles the pool needs, embedded so the library works without the shared vectors.
 * These are public consensus constants (Chia-Network/chia_puzzles @ 32561ab5, identical to the `.clsp.hex`
 * files chia-blockchain ships). The declared tree hash beside each program is the value wallets and nodes
 * use; `puzzle-programs.spec.ts` recomputes it from the bytes so a corrupted constant cannot slip through.
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
];
