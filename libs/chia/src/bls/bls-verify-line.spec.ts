import { randomBytes } from 'node:crypto';
import { type BlsBackend } from './bls-backend';
import { bytesToHex } from './bls-bytes';
import { BLS_BACKEND_NAMES, loadBls } from './bls-loader';
import { handleBlsVerifyLine } from './bls-verify-line';

describe.each(BLS_BACKEND_NAMES)('handleBlsVerifyLine (%s)', (backendName) => {
  let bls: BlsBackend;
  let pks: string[];
  let msg: string;
  let singleSig: string;
  let aggregateSig: string;

  beforeAll(async () => {
    bls = await loadBls(backendName);
    const sks = [bls.keyGen(randomBytes(32)), bls.keyGen(randomBytes(32))];
    const message = new Uint8Array(randomBytes(32));
    pks = sks.map((sk) => bytesToHex(bls.skToPk(sk)));
    msg = bytesToHex(message);
    singleSig = bytesToHex(bls.sign(sks[0], message));
    aggregateSig = bytesToHex(bls.aggregate(sks.map((sk) => bls.sign(sk, message))));
  });

  it('one pk: plain verify', () => {
    expect(handleBlsVerifyLine({ pks: [pks[0]], msgs: [msg], sig: singleSig }, bls)).toEqual({ valid: true });
    expect(handleBlsVerifyLine({ pks: [pks[1]], msgs: [msg], sig: singleSig }, bls)).toEqual({ valid: false });
  });

  it('several pks: aggregate verify', () => {
    expect(handleBlsVerifyLine({ pks, msgs: [msg, msg], sig: aggregateSig }, bls)).toEqual({ valid: true });
    expect(handleBlsVerifyLine({ pks, msgs: [msg, `${msg}00`], sig: aggregateSig }, bls)).toEqual({ valid: false });
  });

  it('accepts 0x prefixes, upper case and a JSON string', () => {
    const line = JSON.stringify({ pks: pks.map((pk) => `0x${pk.toUpperCase()}`), msgs: [`0x${msg}`, msg], sig: `0x${aggregateSig}` });
    expect(handleBlsVerifyLine(line, bls)).toEqual({ valid: true });
  });

  it('an empty message is a valid message', () => {
    const sk = bls.keyGen(randomBytes(32));
    const sig = bytesToHex(bls.sign(sk, new Uint8Array(0)));
    expect(handleBlsVerifyLine({ pks: [bytesToHex(bls.skToPk(sk))], msgs: [''], sig }, bls)).toEqual({ valid: true });
  });

  it('well-formed bytes that are not valid points do not verify', () => {
    expect(handleBlsVerifyLine({ pks: ['ff'.repeat(48)], msgs: [msg], sig: singleSig }, bls)).toEqual({ valid: false });
    expect(handleBlsVerifyLine({ pks: [pks[0]], msgs: [msg], sig: 'ff'.repeat(96) }, bls)).toEqual({ valid: false });
  });

  it.each<[string, unknown, RegExp]>([
    ['invalid JSON text', '{"pks":', /not valid JSON/],
    ['a non-object', 42, /must be an object/],
    ['an array', [], /must be an object/],
    ['null', null, /must be an object/],
    ['missing pks', { msgs: [], sig: '' }, /pks must be a non-empty array/],
    ['empty pks', { pks: [], msgs: [], sig: 'c0' + '00'.repeat(95) }, /pks must be a non-empty array/],
    ['missing msgs', { pks: ['aa'], sig: '' }, /msgs must be an array/],
    ['count mismatch', { pks: ['aa', 'bb'], msgs: ['cc'], sig: '' }, /same length \(got 2 and 1\)/],
    ['non-hex pk', { pks: ['zz'.repeat(48)], msgs: ['00'], sig: '00'.repeat(96) }, /pks\[0\] is not valid hex/],
    ['odd-length msg', { pks: ['aa'.repeat(48)], msgs: ['abc'], sig: '00'.repeat(96) }, /msgs\[0\] is not valid hex/],
    ['short pk', { pks: ['aa'.repeat(47)], msgs: ['00'], sig: '00'.repeat(96) }, /pks\[0\] must be 48 bytes, got 47/],
    ['long sig', { pks: ['aa'.repeat(48)], msgs: ['00'], sig: '00'.repeat(97) }, /sig must be 96 bytes, got 97/],
    ['numeric sig', { pks: ['aa'.repeat(48)], msgs: ['00'], sig: 5 }, /sig must be a hex string/],
  ])('%s -> error', (_label, input, message) => {
    const result = handleBlsVerifyLine(input, bls);
    expect(result).toEqual({ error: expect.stringMatching(message) });
  });
});
