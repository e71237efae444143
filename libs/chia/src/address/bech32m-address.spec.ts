import { bech32, bech32m } from 'bech32';
import fc from 'fast-check';
import { describeWithVectors } from '@pool/testing';
import { bytesToHex, hexToBytes } from '../util/hex';
import { AddressError, addressToPuzzleHash, decodeAddress, puzzleHashToAddress } from './bech32m-address';
import { payoutInstructionsToPuzzleHash } from './payout-instructions';

interface AddressRow {
  puzzle_hash: string;
  xch: string;
  txch: string;
}
interface PuzzlesFile {
  address_examples: { rows: AddressRow[] };
}

describeWithVectors<PuzzlesFile>('addresses from chia-blockchain test_keys.py (crypto/puzzles.json)', 'crypto/puzzles.json', (file) => {
  const rows = file.address_examples.rows;

  it('has examples', () => expect(rows.length).toBeGreaterThan(0));

  it.each(rows.map((row) => [row.xch, row] as const))('%s <-> puzzle hash, on mainnet and testnet', (_, row) => {
    const puzzleHash = hexToBytes(row.puzzle_hash, 32);
    expect(puzzleHashToAddress(puzzleHash, 'xch')).toBe(row.xch);
    expect(puzzleHashToAddress(puzzleHash, 'txch')).toBe(row.txch);
    expect(bytesToHex(addressToPuzzleHash(row.xch, 'xch'))).toBe(row.puzzle_hash);
    expect(bytesToHex(addressToPuzzleHash(row.txch, 'txch'))).toBe(row.puzzle_hash);
  });

  it('rejects a vector address on the other network', () => {
    const row = rows[0] as AddressRow;
    expect(() => addressToPuzzleHash(row.txch, 'xch')).toThrow(/is a "txch" address, expected "xch"/);
  });
});

describe('bech32m addresses (self-contained)', () => {
  const puzzleHash = hexToBytes('c2b08e41d766da4116e388357ed957d04ad754623a915f3fd65188a8746cf3e8');

  it('round-trips any puzzle hash under both prefixes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.constantFrom('xch', 'txch'), (hash, prefix) => {
        const address = puzzleHashToAddress(hash, prefix);
        expect(address.startsWith(`${prefix}1`)).toBe(true);
        expect(address).toHaveLength(prefix.length + 1 + 52 + 6);
        expect(decodeAddress(address)).toEqual({ prefix, puzzleHash: hash });
      }),
    );
  });

  it('accepts an all-uppercase address but not mixed case', () => {
    const address = puzzleHashToAddress(puzzleHash, 'xch');
    expect(addressToPuzzleHash(address.toUpperCase(), 'xch')).toEqual(puzzleHash);
    const mixed = `X${address.slice(1)}`;
    expect(() => decodeAddress(mixed)).toThrow(/mixed case/);
  });

  it('rejects any single-character change (checksum)', () => {
    const address = puzzleHashToAddress(puzzleHash, 'xch');
    const alphabet = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
    fc.assert(
      fc.property(fc.integer({ min: 4, max: address.length - 1 }), fc.nat({ max: 30 }), (index, shift) => {
        const original = address[index] as string;
        const replacement = alphabet[(alphabet.indexOf(original) + 1 + shift) % 32] as string;
        const corrupted = address.slice(0, index) + replacement + address.slice(index + 1);
        expect(() => decodeAddress(corrupted)).toThrow(AddressError);
      }),
    );
  });

  it('rejects a bech32 (not bech32m) checksum over the same data', () => {
    const legacy = bech32.encode('xch', bech32.toWords(puzzleHash));
    expect(() => decodeAddress(legacy)).toThrow(/not a valid bech32m address/);
  });

  it('rejects a valid bech32m string whose payload is not 32 bytes', () => {
    const short = puzzleHashToAddress(puzzleHash, 'xch');
    // A correctly checksummed 20-byte address, built with the library directly.
    const twentyBytes = bech32m.encode('xch', bech32m.toWords(puzzleHash.subarray(0, 20)));
    expect(() => decodeAddress(twentyBytes)).toThrow(/encodes 20 bytes, but an address must encode a 32-byte puzzle hash/);
    expect(decodeAddress(short).puzzleHash).toEqual(puzzleHash);
  });

  it('rejects wrong prefix, no separator and overlong input with a readable reason', () => {
    const address = puzzleHashToAddress(puzzleHash, 'txch');
    expect(() => addressToPuzzleHash(address, 'xch')).toThrow(/"txch" address, expected "xch"/);
    expect(() => decodeAddress('xchqqqq')).toThrow(AddressError);
    expect(() => decodeAddress('')).toThrow(AddressError);
    expect(() => decodeAddress(`xch1${'q'.repeat(100)}`)).toThrow(/longer than 90 characters/);
  });

  it('refuses to encode a hash that is not 32 bytes or an invalid prefix', () => {
    expect(() => puzzleHashToAddress(new Uint8Array(31), 'xch')).toThrow(/must be 32 bytes, got 31/);
    expect(() => puzzleHashToAddress(puzzleHash, 'XCH')).toThrow(/invalid address prefix/);
    expect(() => puzzleHashToAddress(puzzleHash, '')).toThrow(/invalid address prefix/);
  });
});

describe('payoutInstructionsToPuzzleHash', () => {
  const hex = 'c2b08e41d766da4116e388357ed957d04ad754623a915f3fd65188a8746cf3e8';
  const hash = hexToBytes(hex);

  it('accepts 32-byte hex with or without 0x and any bech32m address', () => {
    expect(payoutInstructionsToPuzzleHash(hex)).toEqual(hash);
    expect(payoutInstructionsToPuzzleHash(`0x${hex}`)).toEqual(hash);
    expect(payoutInstructionsToPuzzleHash(puzzleHashToAddress(hash, 'txch'))).toEqual(hash);
  });

  it('restricts prefixes on request and rejects anything else', () => {
    const testnet = puzzleHashToAddress(hash, 'txch');
    expect(() => payoutInstructionsToPuzzleHash(testnet, { allowedPrefixes: ['xch'] })).toThrow(/not accepted here/);
    expect(() => payoutInstructionsToPuzzleHash(hex.slice(2))).toThrow(AddressError);
    expect(() => payoutInstructionsToPuzzleHash('payout_instructions')).toThrow(AddressError);
  });
});
