import { randomBytes } from 'node:crypto';
import { type BlsBackend } from './bls-backend';
import { bytesToHex, hexToBytes } from './bls-bytes';
import { BLS_BACKEND_NAMES, loadBls } from './bls-loader';
import { mnemonicToSeed } from './chia-key-derivation';
import {
  authV2PkFromOwnerPk,
  authV2SkFromOwnerSk,
  backupSk,
  derivePkAlongPath,
  deriveSkAlongPath,
  farmerSk,
  localSk,
  parseChiaKeyPath,
  poolingAuthenticationSk,
  poolSk,
  singletonOwnerSk,
  walletPkUnhardened,
  walletSk,
  walletSkUnhardened,
} from './chia-key-paths';

describe('parseChiaKeyPath', () => {
  it('reads Chia notation: an n suffix is a hardened step', () => {
    expect(parseChiaKeyPath('m/12381n/8444n/2/3')).toEqual([
      { index: 12381, hardened: true },
      { index: 8444, hardened: true },
      { index: 2, hardened: false },
      { index: 3, hardened: false },
    ]);
    expect(parseChiaKeyPath('m')).toEqual([]);
  });

  it.each(['12381/8444', 'm/12381h', 'm//1', 'm/-1', 'm/1n2'])('rejects %s', (path) => {
    expect(() => parseChiaKeyPath(path)).toThrow(Error);
  });
});

describe('mnemonicToSeed', () => {
  it('matches the public BIP-39 (Trezor) vector for "abandon x11 about" with passphrase TREZOR', () => {
    const mnemonic = `${'abandon '.repeat(11)}about`;
    expect(bytesToHex(mnemonicToSeed(mnemonic, 'TREZOR'))).toBe(
      'c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04',
    );
  });
});

describe.each(BLS_BACKEND_NAMES)('Chia key paths (%s)', (backendName) => {
  let bls: BlsBackend;
  let master: Uint8Array;
  beforeAll(async () => {
    bls = await loadBls(backendName);
    master = bls.keyGen(randomBytes(32));
  });
  const path = (text: string): string => bytesToHex(deriveSkAlongPath(bls, master, parseChiaKeyPath(text)));

  it('named keys are the documented hardened paths', () => {
    expect(bytesToHex(farmerSk(bls, master))).toBe(path('m/12381n/8444n/0n/0n'));
    expect(bytesToHex(poolSk(bls, master))).toBe(path('m/12381n/8444n/1n/0n'));
    expect(bytesToHex(walletSk(bls, master, 7))).toBe(path('m/12381n/8444n/2n/7n'));
    expect(bytesToHex(localSk(bls, master))).toBe(path('m/12381n/8444n/3n/0n'));
    expect(bytesToHex(backupSk(bls, master))).toBe(path('m/12381n/8444n/4n/0n'));
    expect(bytesToHex(singletonOwnerSk(bls, master, 2))).toBe(path('m/12381n/8444n/5n/2n'));
    expect(bytesToHex(poolingAuthenticationSk(bls, master, 2, 3))).toBe(path('m/12381n/8444n/6n/20003n'));
    expect(bytesToHex(poolingAuthenticationSk(bls, master, 2))).toBe(path('m/12381n/8444n/6n/20000n'));
    expect(bytesToHex(walletSkUnhardened(bls, master, 7))).toBe(path('m/12381/8444/2/7'));
  });

  it('distinct paths give distinct keys', () => {
    const keys = [farmerSk(bls, master), poolSk(bls, master), walletSk(bls, master, 0), walletSkUnhardened(bls, master, 0)];
    expect(new Set(keys.map((b) => bytesToHex(b))).size).toBe(keys.length);
  });

  it('wallet address keys can be derived from the master public key alone', () => {
    const observed = walletPkUnhardened(bls, bls.skToPk(master), 11);
    expect(bytesToHex(observed)).toBe(bytesToHex(bls.skToPk(walletSkUnhardened(bls, master, 11))));
  });

  it('the v2 signing key pair: child 12381 of the owner key, derivable from either side', () => {
    const owner = singletonOwnerSk(bls, master, 0);
    const sk = authV2SkFromOwnerSk(bls, owner);
    expect(bytesToHex(authV2PkFromOwnerPk(bls, bls.skToPk(owner)))).toBe(bytesToHex(bls.skToPk(sk)));
  });

  it('pool wallet and authentication indices are limited to 0..9999', () => {
    expect(() => poolingAuthenticationSk(bls, master, 10000)).toThrow(Error);
    expect(() => poolingAuthenticationSk(bls, master, 0, 10000)).toThrow(Error);
    expect(() => singletonOwnerSk(bls, master, -1)).toThrow(Error);
  });

  it('hardened steps cannot be taken from a public key', () => {
    const pk = bls.skToPk(master);
    expect(() => derivePkAlongPath(bls, pk, parseChiaKeyPath('m/12381/8444n'))).toThrow(/needs the secret key/);
    expect(() => walletPkUnhardened(bls, hexToBytes('00'), 0)).toThrow(Error);
  });
});
