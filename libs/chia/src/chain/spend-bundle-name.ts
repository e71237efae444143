import { bytesToHex, hexToBytes } from '../util/hex';
import { sha256 } from '../util/hash';
import { type Hex, type SpendBundle } from './chain-types';

/**
 * Chia's spend bundle name, which wallets and nodes use as the transaction id: sha256 of the Streamable bytes,
 * i.e. a u32 count, then per coin spend the coin (parent, puzzle hash, u64 amount) and the serialized puzzle and
 * solution as they are (SerializedProgram carries no length prefix), then the 96-byte aggregated signature.
 */
export function spendBundleName(bundle: SpendBundle): Hex {
  const parts: Uint8Array[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(bundle.coinSpends.length);
  parts.push(count);
  for (const spend of bundle.coinSpends) {
    const amount = Buffer.alloc(8);
    amount.writeBigUInt64BE(spend.coin.amount);
    parts.push(hexToBytes(bare(spend.coin.parentCoinInfo), 32), hexToBytes(bare(spend.coin.puzzleHash), 32), amount);
    parts.push(hexToBytes(bare(spend.puzzleReveal)), hexToBytes(bare(spend.solution)));
  }
  parts.push(hexToBytes(bare(bundle.aggregatedSignature), 96));
  return bytesToHex(sha256(...parts));
}

/** Chain objects carry hex without `0x`; a value that came straight off the wire may still have it. */
function bare(hex: string): string {
  return hex.toLowerCase().replace(/^0x/, '');
}
