import { booksDigest, type BooksClosed } from '@pool/domain';
import { imageTable, type SqlExecutor } from '@pool/read-models';

type Money = Record<string, string>;

/**
 * Where a closing image's money differs from the books closing it was taken at, or null when they agree: each
 * farmer's unpaid window points, reverted-after-payout points, carried and paid mojos (farmer_balances), and every
 * unpaid confirm (window_partials). The closing is sealed with the ledger and audited; the image is only a copy of
 * read-model tables, which anyone with the database can edit: a rebuild starts from an image only when its money is
 * the closing's. A farmer absent on one side stands for zeros (the fold writes a row once a farmer has points).
 */
export async function closingImageDifference(sql: SqlExecutor, image: number, closing: BooksClosed['data']): Promise<string | null> {
  if (booksDigest(closing.snapshot) !== closing.digest) return `books closing ${closing.sequence}: its snapshot is not the one its digest names`;
  const zero: Money = { window_points: '0', reverted_after_payout: '0', carried_mojos: '0', paid_mojos: '0' };
  const sealed = new Map<string, Money>();
  for (const f of closing.snapshot.farmers) {
    sealed.set(f.launcherId, { window_points: f.pointsSinceLastPayout, reverted_after_payout: f.revertedAfterPayout, carried_mojos: f.carried, paid_mojos: f.paid });
  }
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT launcher_id, window_points, reverted_after_payout, carried_mojos, paid_mojos FROM ${imageTable('farmer_balances', image)}`,
  );
  const held = new Map(rows.map((r) => [String(r.launcher_id), Object.fromEntries(Object.keys(zero).map((k) => [k, String(r[k])]))]));
  for (const launcherId of [...new Set([...sealed.keys(), ...held.keys()])].sort()) {
    const want = sealed.get(launcherId) ?? zero;
    const have = held.get(launcherId) ?? zero;
    for (const column of Object.keys(zero)) {
      if (want[column] !== have[column]) return `farmer_balances ${launcherId} ${column}: ${have[column]} in the image, ${want[column]} in books closing ${closing.sequence}`;
    }
  }
  const partials = await sql.query<Record<string, unknown>>(`SELECT proof_hash, launcher_id, points, position, window_sequence FROM ${imageTable('window_partials', image)}`);
  const unpaid = new Map(closing.snapshot.unpaid.map((c) => [c.proofHash, `${c.launcherId} ${c.points} ${c.position} ${c.window}`]));
  const kept = new Map(partials.map((p) => [String(p.proof_hash), `${String(p.launcher_id)} ${String(p.points)} ${String(p.position)} ${String(p.window_sequence)}`]));
  for (const proofHash of [...new Set([...unpaid.keys(), ...kept.keys()])].sort()) {
    const want = unpaid.get(proofHash) ?? 'nothing';
    const have = kept.get(proofHash) ?? 'nothing';
    if (want !== have) return `window_partials ${proofHash}: ${have} in the image, ${want} in books closing ${closing.sequence} (launcher, points, position, window)`;
  }
  return null;
}
