import { bytesToHex, hexToBytes, sha256, type SpendBundle } from '@pool/chia';

/**
 * Chia's spend bundle name (the transaction id): sha256 of the Streamable bytes, i.e. a u32 count, then per
 * coin spend the coin (parent, puzzle hash, u64 amount) and the serialized puzzle and solution as they are
 * (SerializedProgram carries no length prefix), then the 96-byte aggregated signature.
 */
export function spendBundleName(bundle: SpendBundle): string {
  const parts: Uint8Array[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(bundle.coinSpends.length);
  parts.push(count);
  for (const spend of bundle.coinSpends) {
    const amount = Buffer.alloc(8);
    amount.writeBigUInt64BE(spend.coin.amount);
    parts.push(hexToBytes(strip(spend.coin.parentCoinInfo), 32), hexToBytes(strip(spend.coin.puzzleHash), 32), amount);
    parts.push(hexToBytes(strip(spend.puzzleReveal)), hexToBytes(strip(spend.solution)));
  }
  parts.push(hexToBytes(strip(bundle.aggregatedSignature), 96));
  return bytesToHex(sha256(...parts));
}

function strip(hex: string): string {
  return hex.toLowerCase().replace(/^0x/, '');
}
