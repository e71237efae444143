import { type BlsBackend } from '@pool/chia';
import { type RequiredSignature, type SpendContext } from './spend-validator';

/**
 * A signature check for DevnetChain's `verifySignatures`: the bundle's aggregated signature must be the AugSchemeMPL
 * aggregate over every AGG_SIG_ME / AGG_SIG_UNSAFE condition (AGG_SIG_ME messages already end with the coin id and
 * the genesis challenge, Chia's AGG_SIG_ME_ADDITIONAL_DATA).
 */
export function blsSignatureVerifier(bls: BlsBackend): NonNullable<SpendContext['verifySignatures']> {
  return (signatures: RequiredSignature[], aggregated: Uint8Array) =>
    bls.aggregateVerify(
      signatures.map((signature) => signature.publicKey),
      signatures.map((signature) => signature.message),
      aggregated,
    );
}

/**
 * Signs what a bundle requires with the secret keys given (matched by public key); conditions whose key is not
 * among them are left unsigned, so such a bundle fails a verifying chain. Returns the aggregate as hex.
 */
export function signRequired(bls: BlsBackend, required: RequiredSignature[], secretKeys: readonly Uint8Array[]): string {
  const byPublicKey = new Map(secretKeys.map((sk) => [Buffer.from(bls.skToPk(sk)).toString('hex'), sk]));
  const signatures: Uint8Array[] = [];
  for (const item of required) {
    const sk = byPublicKey.get(Buffer.from(item.publicKey).toString('hex'));
    if (sk !== undefined) signatures.push(bls.sign(sk, item.message));
  }
  return Buffer.from(bls.aggregate(signatures)).toString('hex');
}
