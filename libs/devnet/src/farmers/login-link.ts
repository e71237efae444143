import { createHash } from 'node:crypto';
import { AuthenticationPayloadSchema, authV2SkFromOwnerSk, bytesToHex, chiaKeyGen, hexToBytes, walletSkUnhardened, type BlsBackend } from '@pool/chia';
import { farmerKeysFromSeed } from './farmer-signer';
import { syntheticSecretKey } from './simulated-farmer-v2';

/** The seed of the i-th farmer of `poolctl devnet run` (and `npm start`): its keys, plot NFT owner and plot ids. */
export function devnetFarmerSeed(index: number): Buffer {
  return createHash('sha256').update(`chia-pool-ledger devnet farmer ${index}`).digest();
}

/** The key a farmer signs its login link with, for the plot NFT protocol it registered with. */
export interface LoginKey {
  protocol: 1 | 2;
  /** As the pool records it in FarmerRegistered / FarmerUpdated (hex). */
  authenticationPublicKey: string;
  sign(message: Uint8Array): Uint8Array;
}

/**
 * The login keys a simulated farmer with this seed can hold: a v1 plot NFT's authentication key (m/12381/8444/6/0),
 * or, for a v2 plot NFT, the owner's synthetic key, whose 12381-derived child signs (as SimulatedFarmerV2 does).
 */
export function devnetLoginKeys(bls: BlsBackend, seed: Uint8Array): LoginKey[] {
  const v1 = farmerKeysFromSeed(bls, seed).authSk;
  const synthetic = syntheticSecretKey(bls, walletSkUnhardened(bls, chiaKeyGen(seed), 0));
  const v2 = authV2SkFromOwnerSk(bls, synthetic);
  return [
    { protocol: 1, authenticationPublicKey: bytesToHex(bls.skToPk(v1)), sign: (message) => bls.sign(v1, message) },
    { protocol: 2, authenticationPublicKey: bytesToHex(bls.skToPk(synthetic)), sign: (message) => bls.sign(v2, message) },
  ];
}

/**
 * The link `chia plotnft get_login_link` prints, built as chia-blockchain's farmer builds it
 * (chia/farmer/farmer.py generate_login_link): `<pool_url>/login` (v1) or `<pool_url>/v2/login` (v2) with the
 * launcher id, the current v1 time token for the pool's authentication_token_timeout, and a signature over
 * AuthenticationPayload("get_login", launcher id, the pool's target puzzle hash, token).
 */
export function loginLink(options: { poolUrl: string; launcherId: string; targetPuzzleHash: string; token: bigint; key: LoginKey }): string {
  const { poolUrl, launcherId, targetPuzzleHash, token, key } = options;
  const message = AuthenticationPayloadSchema.hash({
    methodName: 'get_login',
    launcherId: hexToBytes(launcherId, 32),
    targetPuzzleHash: hexToBytes(targetPuzzleHash.replace(/^0x/, ''), 32),
    authenticationToken: token,
  });
  const endpoint = key.protocol === 1 ? 'login' : 'v2/login';
  return `${poolUrl.replace(/\/+$/, '')}/${endpoint}?launcher_id=${launcherId}&authentication_token=${token}&signature=${bytesToHex(key.sign(message))}`;
}
