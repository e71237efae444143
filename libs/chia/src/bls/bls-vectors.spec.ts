import { describeWithVectors } from '@pool/testing';
import { type BlsBackend } from './bls-backend';
import { bytesToHex, hexToBytes } from './bls-bytes';
import { BLS_BACKEND_NAMES, loadBls } from './bls-loader';
import { derivePkAlongPath, deriveSkAlongPath, masterSkFromMnemonic, parseChiaKeyPath } from './chia-key-paths';

/* Every upstream/derived vector of crypto/bls.json and protocol/bls_*.json + signed_requests.json, per backend. */

interface BlsJson {
  vectors: {
    aug_sign_pyecc: { sk1: string; sk2: string; msg: string; sig1: string; sig2: string; sig_agg: string };
    keygen_chia_vector_1: { seed1: string; sk1: string; pk1: string; pk1_fingerprint: number; seed2: string; pk2_fingerprint: number };
    aug_chia_vector_2: { seed1: string; seed2: string; m1: string; m2: string; m3: string; m4: string; agg_sig: string };
    keygen_fingerprint_8: { seed: string; pk_fingerprint: number };
    eip2333_chia_variant: { cases: { seed: string; master: string; index: number; child: string }[] };
    derive_from_sk_chia_rs: { sk: string; unhardened: string[]; hardened: string[]; sk_to_pk: [string, string][] };
    mnemonic_keys_chia_blockchain: {
      mnemonic: string;
      master_fingerprint: number;
      message_utf8: string;
      paths: { path: string; pk: string; sk?: string; aug_sig_hello_world?: string }[];
    };
  };
}

interface ReferenceJson {
  aug_scheme_sign: { sk: string; message_utf8: string; signature: string };
  derive_child_sk_unhardened: { sk: string; children: Record<string, string> };
}

interface SignedRequestsJson {
  keys: Record<'owner_sk' | 'auth_sk' | 'plot_sk' | 'owner_pk' | 'auth_pk' | 'plot_pk', string>;
  signatures: Record<string, { message_signed_hex: string; public_keys: string[]; signature: string; verifies: boolean; derived_pk_12381?: string }>;
}

const h = (hex: string): Uint8Array => hexToBytes(hex);
const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

/** Flips the lowest bit of the last byte: a different message, or a different (usually invalid) point. */
function flipLastBit(bytes: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[copy.length - 1] ^= 0x01;
  return copy;
}

describe.each(BLS_BACKEND_NAMES)('BLS vectors on the %s backend', (backendName) => {
  let bls: BlsBackend;
  beforeAll(async () => {
    bls = await loadBls(backendName);
  });

  describeWithVectors<BlsJson>('crypto/bls.json', 'crypto/bls.json', ({ vectors: v }) => {
    it('aug_sign_pyecc: signatures of raw secret keys, their aggregate and its verification', () => {
      const { sk1, sk2, msg, sig1, sig2, sig_agg } = v.aug_sign_pyecc;
      expect(bytesToHex(bls.sign(h(sk1), h(msg)))).toBe(sig1);
      expect(bytesToHex(bls.sign(h(sk2), h(msg)))).toBe(sig2);
      expect(bytesToHex(bls.aggregate([h(sig1), h(sig2)]))).toBe(sig_agg);
      const pks = [bls.skToPk(h(sk1)), bls.skToPk(h(sk2))];
      expect(bls.verify(pks[0], h(msg), h(sig1))).toBe(true);
      expect(bls.verify(pks[1], h(msg), h(sig1))).toBe(false);
      expect(bls.aggregateVerify(pks, [h(msg), h(msg)], h(sig_agg))).toBe(true);
      expect(bls.aggregateVerify(pks, [h(msg), flipLastBit(h(msg))], h(sig_agg))).toBe(false);
    });

    it('keygen_chia_vector_1: key_gen, sk -> pk and fingerprints', () => {
      const t = v.keygen_chia_vector_1;
      const sk1 = bls.keyGen(h(t.seed1));
      expect(bytesToHex(sk1)).toBe(t.sk1);
      expect(bytesToHex(bls.skToPk(sk1))).toBe(t.pk1);
      expect(bls.fingerprint(h(t.pk1))).toBe(t.pk1_fingerprint);
      expect(bls.fingerprint(bls.skToPk(bls.keyGen(h(t.seed2))))).toBe(t.pk2_fingerprint);
    });

    it('keygen_fingerprint_8: fingerprint of key_gen(32 x 0x08)', () => {
      const t = v.keygen_fingerprint_8;
      expect(bls.fingerprint(bls.skToPk(bls.keyGen(h(t.seed))))).toBe(t.pk_fingerprint);
    });

    it('aug_chia_vector_2: aggregate of aggregates over repeated (pk, msg) pairs', () => {
      const t = v.aug_chia_vector_2;
      const [sk1, sk2] = [bls.keyGen(h(t.seed1)), bls.keyGen(h(t.seed2))];
      const [pk1, pk2] = [bls.skToPk(sk1), bls.skToPk(sk2)];
      const [m1, m2, m3, m4] = [h(t.m1), h(t.m2), h(t.m3), h(t.m4)];
      const left = bls.aggregate([bls.sign(sk1, m1), bls.sign(sk2, m2)]);
      const right = bls.aggregate([bls.sign(sk2, m1), bls.sign(sk1, m3), bls.sign(sk1, m1)]);
      const all = bls.aggregate([left, right, bls.sign(sk1, m4)]);
      expect(bytesToHex(all)).toBe(t.agg_sig);
      const pks = [pk1, pk2, pk2, pk1, pk1, pk1];
      const msgs = [m1, m2, m1, m3, m1, m4];
      expect(bls.aggregateVerify(pks, msgs, h(t.agg_sig))).toBe(true);
      expect(bls.aggregateVerify(pks.slice(0, 5), msgs.slice(0, 5), h(t.agg_sig))).toBe(false);
    });

    it('eip2333_chia_variant: master key_gen and hardened child', () => {
      for (const c of v.eip2333_chia_variant.cases) {
        const master = bls.keyGen(h(c.seed));
        expect(bytesToHex(master)).toBe(c.master);
        expect(bytesToHex(bls.deriveChildSk(master, c.index))).toBe(c.child);
      }
    });

    it('derive_from_sk_chia_rs: hardened, unhardened (sk and pk side) and sk -> pk', () => {
      const t = v.derive_from_sk_chia_rs;
      const sk = h(t.sk);
      const pk = bls.skToPk(sk);
      t.unhardened.forEach((child, i) => {
        expect(bytesToHex(bls.deriveChildSkUnhardened(sk, i))).toBe(child);
        expect(bytesToHex(bls.deriveChildPkUnhardened(pk, i))).toBe(bytesToHex(bls.skToPk(h(child))));
      });
      t.hardened.forEach((child, i) => expect(bytesToHex(bls.deriveChildSk(sk, i))).toBe(child));
      for (const [secret, publicKey] of t.sk_to_pk) expect(bytesToHex(bls.skToPk(h(secret)))).toBe(publicKey);
    });

    it('mnemonic_keys_chia_blockchain: master fingerprint, path keys and "hello world" signatures', () => {
      const t = v.mnemonic_keys_chia_blockchain;
      const master = masterSkFromMnemonic(bls, t.mnemonic);
      expect(bls.fingerprint(bls.skToPk(master))).toBe(t.master_fingerprint);
      for (const entry of t.paths) {
        const steps = parseChiaKeyPath(entry.path);
        const sk = deriveSkAlongPath(bls, master, steps);
        expect(bytesToHex(bls.skToPk(sk))).toBe(entry.pk);
        if (entry.sk !== undefined) expect(bytesToHex(sk)).toBe(entry.sk);
        if (steps.every((step) => !step.hardened)) {
          expect(bytesToHex(derivePkAlongPath(bls, bls.skToPk(master), steps))).toBe(entry.pk);
        }
        if (entry.aug_sig_hello_world !== undefined) {
          expect(bytesToHex(bls.sign(sk, utf8(t.message_utf8)))).toBe(entry.aug_sig_hello_world);
          expect(bls.verify(h(entry.pk), utf8(t.message_utf8), h(entry.aug_sig_hello_world))).toBe(true);
          expect(bls.verify(h(entry.pk), utf8('hello world!'), h(entry.aug_sig_hello_world))).toBe(false);
        }
      }
    });
  });

  describeWithVectors<ReferenceJson>('protocol/bls_reference_vectors.json', 'protocol/bls_reference_vectors.json', (v) => {
    it('chia_rs test_verify: sign("foobar") and verify', () => {
      const { sk, message_utf8, signature } = v.aug_scheme_sign;
      expect(bytesToHex(bls.sign(h(sk), utf8(message_utf8)))).toBe(signature);
      expect(bls.verify(bls.skToPk(h(sk)), utf8(message_utf8), h(signature))).toBe(true);
      expect(bls.verify(bls.skToPk(h(sk)), utf8('foobaz'), h(signature))).toBe(false);
    });

    it('chia_rs test_derive_unhardened: children 0..3', () => {
      const { sk, children } = v.derive_child_sk_unhardened;
      for (const [index, child] of Object.entries(children)) {
        expect(bytesToHex(bls.deriveChildSkUnhardened(h(sk), Number(index)))).toBe(child);
      }
    });
  });

  describeWithVectors<SignedRequestsJson>('protocol/signed_requests.json', 'protocol/signed_requests.json', (v) => {
    it('the listed secret keys give the listed public keys', () => {
      for (const role of ['owner', 'auth', 'plot'] as const) {
        expect(bytesToHex(bls.skToPk(h(v.keys[`${role}_sk`])))).toBe(v.keys[`${role}_pk`]);
      }
    });

    it.each(Object.keys(v.signatures))('%s verifies, and fails with one message bit flipped', (name) => {
      const s = v.signatures[name];
      const pks = s.public_keys.map(h);
      const msg = h(s.message_signed_hex);
      const sig = h(s.signature);
      const check = (m: Uint8Array): boolean =>
        pks.length === 1 ? bls.verify(pks[0], m, sig) : bls.aggregateVerify(pks, pks.map(() => m), sig);
      expect(check(msg)).toBe(s.verifies);
      expect(check(flipLastBit(msg))).toBe(false);
      expect(bls.verifyBatch([{ pks, msgs: pks.map(() => msg), sig }])).toEqual([s.verifies]);
    });

    it('the v2 signing key is the unhardened child 12381 of the owner key (sk and pk side)', () => {
      const derived = v.signatures.v2_get_auth.derived_pk_12381;
      expect(derived).toBeDefined();
      expect(bytesToHex(bls.deriveChildPkUnhardened(h(v.keys.owner_pk), 12381))).toBe(derived);
      expect(bytesToHex(bls.skToPk(bls.deriveChildSkUnhardened(h(v.keys.owner_sk), 12381)))).toBe(derived);
    });

    it('verifyBatch over every signed request at once finds exactly the tampered one', () => {
      const items = Object.values(v.signatures).map((s) => ({
        pks: s.public_keys.map(h),
        msgs: s.public_keys.map(() => h(s.message_signed_hex)),
        sig: h(s.signature),
      }));
      expect(bls.verifyBatch(items)).toEqual(items.map(() => true));
      const tampered = items.map((item, i) => (i === 2 ? { ...item, msgs: item.msgs.map(flipLastBit) } : item));
      expect(bls.verifyBatch(tampered)).toEqual(items.map((_, i) => i !== 2));
    });
  });
});
