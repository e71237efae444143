import { createHash } from 'node:crypto';
import { chainHash, ChainLink, encodeLedgerRecord, GENESIS_HASH, LedgerChain, recordDigest, SEALED_DIGEST_BYTES, type LedgerRecord } from './ledger-encoding';

/*
 * The chain's bytes against SHA-256 computed another way (a Hash object over the bytes docs/ledger-encoding.md
 * names), so that the one-shot digests written in place (ChainLink) are checked by something other than themselves.
 */
const sha256 = (...parts: (string | Buffer)[]): Buffer => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
};

const record = (n: number, data: unknown): LedgerRecord => ({
  position: String(n).padStart(20, '0'),
  stream: `partial-${sha256(`stream ${n}`).toString('hex')}`,
  id: `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
  type: 'PartialSubmitted',
  schemaVersion: 2,
  data,
});

// Non-ASCII text (two-, three- and four-byte UTF-8, an escaped control character) and the digests' bytes at and over
// 0x80, which a digest handed over as latin1 text must keep as they are.
const records = Array.from({ length: 40 }, (_, n) =>
  record(n + 1, { launcherId: sha256(`launcher ${n}`).toString('hex'), points: String(n * 7), userAgent: n % 3 === 0 ? `Chia Blockchain v.2.5.${n} é 漢 🌱 \u0001` : null, plotSize: 32 }),
);

describe('ledger encoding: digests and the chain', () => {
  it('digests an event as SHA-256 of its canonical line in UTF-8', () => {
    for (const r of records) expect(recordDigest(r).toString('hex')).toBe(sha256(Buffer.from(encodeLedgerRecord(r), 'utf8')).toString('hex'));
  });

  it('chains as SHA-256 of the hash so far and the next digest', () => {
    let previous = Buffer.from(GENESIS_HASH, 'hex');
    for (const r of records) {
      const digest = recordDigest(r);
      const next = chainHash(previous, digest);
      expect(next.toString('hex')).toBe(sha256(previous, digest).toString('hex'));
      previous = next;
    }
  });

  it('runs the chain in place (ChainLink) as it runs step by step', () => {
    const link = new ChainLink();
    let expected = Buffer.from(GENESIS_HASH, 'hex');
    for (const r of records) {
      link.digestOf(r);
      expect(link.digest.toString('hex')).toBe(recordDigest(r).toString('hex'));
      link.step();
      expected = sha256(expected, recordDigest(r));
      expect(link.hash.toString('hex')).toBe(expected.toString('hex'));
      expect(link.digest.toString('hex')).toBe(recordDigest(r).toString('hex'));
    }
    link.restart(GENESIS_HASH);
    expect(link.hash.toString('hex')).toBe(GENESIS_HASH);
  });

  it('keeps a ledger chain: its point after each event and the short digests of its segment', () => {
    const chain = new LedgerChain();
    let hash = Buffer.from(GENESIS_HASH, 'hex');
    const short: Buffer[] = [];
    records.forEach((r, i) => {
      chain.append(r);
      hash = sha256(hash, recordDigest(r));
      short.push(recordDigest(r).subarray(0, SEALED_DIGEST_BYTES));
      expect(chain.point).toEqual({ position: r.position, eventCount: i + 1, hash: hash.toString('hex') });
    });
    expect(chain.segmentLength).toBe(records.length);
    expect(chain.segmentDigests()).toBe(Buffer.concat(short).toString('base64'));
    chain.mark();
    expect(chain.segmentLength).toBe(0);

    // A chain resumed from a point goes on as the one that got there.
    const resumed = new LedgerChain(chain.point);
    const next = record(99, { launcherId: 'ab'.repeat(32) });
    resumed.append(next);
    expect(resumed.point.hash).toBe(sha256(hash, recordDigest(next)).toString('hex'));
    expect(resumed.segmentDigests()).toBe(recordDigest(next).subarray(0, SEALED_DIGEST_BYTES).toString('base64'));
  });
});
