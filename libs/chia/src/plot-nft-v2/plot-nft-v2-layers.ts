import { type Hex } from '../chain/chain-types';
import { toHex } from '../puzzles/bytes-hex';
import { type PlotNftV2Identity, type PlotNftV2State } from './plot-nft-v2-types';
import { type RestrictionWrapperKind, plotNftV2Puzzles } from './plot-nft-v2-puzzle';

/** The hashes of the layers that exist only with a pool, named as in shared/vectors/protocol/plotnft_v2.json. */
export interface PlotNftV2PoolLayerHashes {
  forwardToPoolPuzzleHashDpuzHash: Hex;
  claimPoolRewardsDpuzHash: Hex;
  fixedPuzzleMemberPuzzleHash: Hex;
  /** MofN leaf 1. */
  poolMemberIndexWrappedHash: Hex;
  restrictionWrapper1: { kind: RestrictionWrapperKind; puzzleHash: Hex };
  restrictionWrapper2: { kind: 'send_message_banned'; puzzleHash: Hex };
  quotedWrapperHashes: [Hex, Hex];
  validatorStackRestrictionHash: Hex;
  userRestrictionLayerHash: Hex;
  /** MofN leaf 0. */
  userMemberIndexWrappedHash: Hex;
  mofnMerkleRoot: Hex;
  oneOfNPuzzleHash: Hex;
}

/** Every intermediate hash of a Plot NFT in one state, so a mismatch can be traced to the layer that differs. */
export interface PlotNftV2LayerHashes {
  singletonStructHash: Hex;
  blsWithTaprootMemberPuzzleHash: Hex;
  /** null while self-pooling. */
  pool: PlotNftV2PoolLayerHashes | null;
  delegatedPuzzleFeederHash: Hex;
  innerPuzzleHash: Hex;
  fullSingletonPuzzleHash: Hex;
}

export function plotNftV2Layers(id: PlotNftV2Identity, state: PlotNftV2State): PlotNftV2LayerHashes {
  const puzzles = plotNftV2Puzzles(id, state);
  const custody = puzzles.custody;
  return {
    singletonStructHash: toHex(puzzles.struct.hash),
    blsWithTaprootMemberPuzzleHash: toHex(puzzles.blsMember.hash),
    pool:
      custody === null
        ? null
        : {
            forwardToPoolPuzzleHashDpuzHash: toHex(custody.forward.hash),
            claimPoolRewardsDpuzHash: toHex(custody.claim.hash),
            fixedPuzzleMemberPuzzleHash: toHex(custody.fixedMember.hash),
            poolMemberIndexWrappedHash: toHex(custody.poolMember.hash),
            restrictionWrapper1: { kind: custody.wrapper1.kind, puzzleHash: toHex(custody.wrapper1.node.hash) },
            restrictionWrapper2: { kind: 'send_message_banned', puzzleHash: toHex(custody.wrapper2.hash) },
            quotedWrapperHashes: [toHex(custody.quotedWrapperHashes[0]), toHex(custody.quotedWrapperHashes[1])],
            validatorStackRestrictionHash: toHex(custody.validatorStack.hash),
            userRestrictionLayerHash: toHex(custody.userRestrictionLayer.hash),
            userMemberIndexWrappedHash: toHex(custody.userMember.hash),
            mofnMerkleRoot: toHex(custody.merkleRoot),
            oneOfNPuzzleHash: toHex(custody.oneOfN.hash),
          },
    delegatedPuzzleFeederHash: toHex(puzzles.feeder.hash),
    innerPuzzleHash: toHex(puzzles.inner.hash),
    fullSingletonPuzzleHash: toHex(puzzles.full.hash),
  };
}
