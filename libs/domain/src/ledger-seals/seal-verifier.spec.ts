import { auditLedger } from '../audit/payout.audit';
import { canonicalLedgerJson } from './canonical-json';
import { encodeLedgerRecord, LedgerChain, type LedgerRecord } from './ledger-encoding';
import { ledgerSealDecider, type LedgerSealState } from './ledger-seal.decider';
import { LEDGER_SEALS_STREAM } from './ledger-seal.events';
import { SealVerifier } from './seal-verifier';

const position = (n: number): string => String(n).padStart(20, '0');

/** A money-looking event of one farmer stream; only its bytes matter to the seals. */
const event = (n: number): LedgerRecord => ({
  position: position(n),
  stream: `farmer-${n % 3}`,
  id: `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
  type: n % 2 === 0 ? 'PartialConfirmed' : 'PartialSubmitted',
  schemaVersion: 1,
  data: { proofHash: `p${n}`, points: String(n), amount: '1000' },
});

/**
 * A ledger of `count` events sealed as a sealer would: after each index in `sealAfter` the chain is sealed there, and
 * the seal lands `lag` events later (appends do not wait for the sealer).
 */
function sealedLedger(count: number, sealAfter: number[], lag = 1): LedgerRecord[] {
  const records: LedgerRecord[] = [];
  const chain = new LedgerChain();
  let state: LedgerSealState = ledgerSealDecider.initialState();
  const pending: { at: number; record: Omit<LedgerRecord, 'position'> }[] = [];
  let next = 1;
  const add = (record: Omit<LedgerRecord, 'position'>): void => {
    const full = { ...record, position: position(next++) };
    records.push(full);
    chain.append(full);
  };
  for (let i = 1; i <= count; i++) {
    add({ ...event(next), id: `00000000-0000-5000-8000-${String(next).padStart(12, '0')}` });
    for (const seal of pending.filter((p) => p.at === i)) add(seal.record);
    if (sealAfter.includes(i)) {
      const point = chain.point;
      const [sealed] = ledgerSealDecider.decide(
        { type: 'SealLedger', previousPosition: state.last?.coveredPosition ?? null, coveredPosition: point.position!, eventCount: point.eventCount, hash: point.hash, eventDigests: chain.segmentDigests(), reason: 'interval', payoutId: null, now: 1_750_000_000 + i },
        state,
      );
      state = ledgerSealDecider.evolve(state, sealed!);
      chain.mark();
      pending.push({ at: i + lag, record: { stream: LEDGER_SEALS_STREAM, id: `seal-${sealed!.data.sequence}`, type: 'LedgerSealed', schemaVersion: 1, data: sealed!.data } });
    }
  }
  return records;
}

function verify(records: readonly LedgerRecord[]): SealVerifier {
  const verifier = new SealVerifier();
  for (const record of records) verifier.push(record);
  return verifier;
}

const clone = (records: readonly LedgerRecord[]): LedgerRecord[] => records.map((r) => JSON.parse(JSON.stringify(r)) as LedgerRecord);
const indexOfPosition = (records: readonly LedgerRecord[], n: number): number => records.findIndex((r) => r.position === position(n));

describe('ledger seals', () => {
  const ledger = sealedLedger(60, [10, 25, 40]);

  it('verifies every seal of an untouched ledger and counts what no seal covers yet', () => {
    const verifier = verify(ledger);
    expect(verifier.problems).toEqual([]);
    expect(verifier.summary()).toEqual({ seals: 3, verified: 3, lastSealedPosition: ledger[indexOfPosition(ledger, 42)]!.position, unsealedEvents: ledger.length - 42 });
  });

  it('names the one changed event (one mojo) and still verifies the later seals on their own events', () => {
    const tampered = clone(ledger);
    const target = tampered[indexOfPosition(tampered, 17)]!;
    (target.data as { amount: string }).amount = '1001';
    const verifier = verify(tampered);
    expect(verifier.problems).toHaveLength(1);
    expect(verifier.problems[0]!.position).toBe(position(17));
    expect(verifier.problems[0]!.message).toContain(`at position ${position(17)} (${target.type} in ${target.stream}, id ${target.id}), no longer matches`);
    expect(verifier.summary()).toMatchObject({ seals: 3, verified: 2 });
  });

  it('names the event after a removed one, an inserted one, and the first of two swapped ones', () => {
    const removed = clone(ledger);
    removed.splice(indexOfPosition(removed, 5), 1);
    expect(verify(removed).problems.map((p) => p.position)).toEqual([position(6)]);

    const inserted = clone(ledger);
    inserted.splice(indexOfPosition(inserted, 30), 0, event(1000));
    expect(verify(inserted).problems.map((p) => p.position)).toEqual([position(1000)]);

    const swapped = clone(ledger);
    const i = indexOfPosition(swapped, 33);
    [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
    expect(verify(swapped).problems.map((p) => p.position)).toEqual([position(34)]);
  });

  it('finds a changed seal, and a removed one', () => {
    const changed = clone(ledger);
    const seal = changed.filter((r) => r.type === 'LedgerSealed')[1]!;
    (seal.data as { hash: string }).hash = 'ab'.repeat(32);
    const changedProblems = verify(changed).problems;
    expect(changedProblems[0]!.message).toMatch(/^seal 2 at position \d+: every event it covers matches its digest, .* the seal itself was changed$/);

    const removed = clone(ledger).filter((r) => !(r.type === 'LedgerSealed' && (r.data as { sequence: number }).sequence === 2));
    const messages = verify(removed).problems.map((p) => p.message);
    expect(messages.some((m) => m.includes('expected seal 2 here'))).toBe(true);
    expect(messages.some((m) => m.includes('no longer matches'))).toBe(true);
  });

  it('keeps its window across thousands of events: a late change is named, a seal too far back is said so', () => {
    // Seals every 1,000 events over 12,000, the verifier keeping 2,500: its storage is reused and grown many times.
    const long = sealedLedger(12_000, Array.from({ length: 12 }, (_, i) => (i + 1) * 1000), 7);
    const keeping = (records: readonly LedgerRecord[], maxSegmentEvents: number): SealVerifier => {
      const verifier = new SealVerifier({ maxSegmentEvents });
      for (const record of records) verifier.push(record);
      return verifier;
    };
    expect(keeping(long, 2500).problems).toEqual([]);
    expect(keeping(long, 2500).summary()).toMatchObject({ seals: 11, verified: 11 });

    const tampered = clone(long);
    const target = tampered[indexOfPosition(tampered, 9_500)]!;
    (target.data as { amount: string }).amount = '999';
    const verifier = keeping(tampered, 2500);
    expect(verifier.problems.map((p) => p.position)).toEqual([target.position]);
    expect(verifier.problems[0]!.message).toContain(`(${target.type} in ${target.stream}, id ${target.id}), no longer matches`);
    expect(verifier.summary()).toMatchObject({ seals: 11, verified: 10 });

    // A window shorter than a seal's segment: that seal cannot be checked, and says why.
    expect(keeping(long, 500).problems[0]!.message).toMatch(/cannot be checked: its segment starts more than 500 events back/);
  });

  it('fails the audit with the named event, and leaves a ledger without seals as the audit always saw it', async () => {
    const tampered = clone(ledger);
    (tampered[indexOfPosition(tampered, 8)]!.data as { points: string }).points = '9';
    const report = await auditLedger(tampered);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.position)).toEqual([position(8)]);

    const unsealed = await auditLedger(ledger.filter((r) => r.type !== 'LedgerSealed'));
    expect('seals' in unsealed && unsealed.seals !== undefined).toBe(false);
    expect(unsealed.problems).toEqual([]);
  });
});

describe('the seal decider', () => {
  const seal = (previousPosition: string | null, coveredPosition: string, eventCount: number) =>
    ({ type: 'SealLedger', previousPosition, coveredPosition, eventCount, hash: 'cd'.repeat(32), eventDigests: '', reason: 'interval', payoutId: null, now: 1 }) as const;

  it('numbers seals, records nothing for a point already sealed, and refuses a chain started from an older seal', () => {
    const [first] = ledgerSealDecider.decide(seal(null, position(10), 10), ledgerSealDecider.initialState());
    expect(first!.data).toMatchObject({ sequence: 1, previousPosition: null, coveredPosition: position(10), encoding: 1 });
    const state = ledgerSealDecider.evolve(ledgerSealDecider.initialState(), first!);
    expect(ledgerSealDecider.decide(seal(null, position(10), 10), state)).toEqual([]);
    expect(() => ledgerSealDecider.decide(seal(null, position(20), 20), state)).toThrow(/newest seal covers/);
    expect(ledgerSealDecider.decide(seal(position(10), position(20), 20), state)[0]!.data.sequence).toBe(2);
  });
});

describe('the canonical encoding', () => {
  it('writes the same bytes whatever the key order, bigints as decimal strings, and refuses what JSON cannot hold', () => {
    expect(canonicalLedgerJson({ b: 1, a: { d: [1, 'x'], c: 10n } })).toBe('{"a":{"c":"10","d":[1,"x"]},"b":1}');
    const a = { position: position(1), stream: 's', id: 'i', type: 'T', schemaVersion: 2, data: { y: '1', x: null } };
    const b = { data: { x: null, y: '1' }, type: 'T', schemaVersion: 2, id: 'i', stream: 's', position: position(1) };
    expect(encodeLedgerRecord(a)).toBe(encodeLedgerRecord(b));
    expect(encodeLedgerRecord(a)).toBe(`{"data":{"x":null,"y":"1"},"id":"i","position":"${position(1)}","schemaVersion":2,"stream":"s","type":"T"}`);
    expect(() => canonicalLedgerJson({ a: Number.NaN })).toThrow(/not a JSON number/);
  });
});
