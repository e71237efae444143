import type { PartialEvent, PayoutEvent } from '@pool/domain';
import type { RecordedEvent } from '@pool/event-sourcing';
import type { ProjectionContext, TableSpec } from '@pool/read-models';
import { big, deleteRows, int, loadRows, selectRows, upsertRows, type Columns, type Row } from '@pool/read-models';

/**
 * Payout windows and balances, written by the farmer_view projection (one fold, so farmer_view.window_points
 * and farmer_balances.window_points can never disagree). The rules are the payout ledger's
 * (libs/domain payouts/payout-ledger.ts), so what a farmer sees is what the next PROP plan will pay:
 * - a confirm belongs to the open window until a PayoutPlanned whose ledgerPosition is at or after the
 *   confirm's position pays it; confirms after that position (appended while the plan was being made) move
 *   on to the next window. Window N is the one payout sequence N pays; the window before the first plan is 1.
 * - a confirmed partial reverted while unpaid leaves its window; one reverted after a plan paid it is not
 *   clawed back and is counted in reverted_after_payout.
 * - carried balances are absolute per plan; an abandoned payout (PayoutFailed, willRetry false) returns each
 *   allocation to that farmer's carried balance; a confirmed payout adds its allocations to paid_mojos (and, when
 *   it lands after being abandoned, takes the returned balance back, as the payout ledger does).
 *
 * Tables:
 *   points_window       (launcher_id, window_sequence) PK, confirmed_points, reverted_points (unpaid reverts),
 *                       net_points, partials_confirmed, partials_reverted
 *   farmer_balances     launcher_id PK, confirmed_points (net, all time), window_points (unpaid confirmed points:
 *                       the PROP basis of the next plan), reverted_after_payout, last_payout_sequence,
 *                       last_paid_points, carried_mojos, paid_mojos (confirmed payouts), payouts_planned
 *   window_partials     proof_hash PK, launcher_id, points, position, window_sequence: confirms not yet paid
 *   window_allocations  (payout_id, launcher_id) PK, sequence, amount, status ('planned' | 'sent' |
 *                       'confirmed' | 'abandoned')
 */
export const POINTS_WINDOW_TABLES: readonly TableSpec[] = [
  {
    name: 'points_window',
    columns: `launcher_id varchar(64) NOT NULL, window_sequence integer NOT NULL,
      confirmed_points bigint NOT NULL, reverted_points bigint NOT NULL, net_points bigint NOT NULL,
      partials_confirmed integer NOT NULL, partials_reverted integer NOT NULL`,
    primaryKey: ['launcher_id', 'window_sequence'],
  },
  {
    name: 'farmer_balances',
    columns: `launcher_id varchar(64) NOT NULL, confirmed_points bigint NOT NULL, window_points bigint NOT NULL,
      reverted_after_payout bigint NOT NULL, last_payout_sequence integer, last_paid_points bigint NOT NULL,
      carried_mojos bigint NOT NULL, paid_mojos bigint NOT NULL, payouts_planned integer NOT NULL`,
    primaryKey: ['launcher_id'],
  },
  {
    name: 'window_partials',
    columns: `proof_hash varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, points bigint NOT NULL,
      position varchar(64) NOT NULL, window_sequence integer NOT NULL`,
    primaryKey: ['proof_hash'],
    // Store positions are fixed-width digit strings (PostgreSQL adapter: two of them joined by ':'), so SQL
    // string order is store order under any collation that sorts digits in their natural order.
    foldIndexes: [['position']],
  },
  {
    name: 'window_allocations',
    columns: `payout_id varchar(64) NOT NULL, launcher_id varchar(64) NOT NULL, sequence integer NOT NULL,
      amount bigint NOT NULL, status varchar(10) NOT NULL`,
    primaryKey: ['payout_id', 'launcher_id'],
  },
];

/** The payout sequence that pays the points confirmed before any payout was planned. */
export const FIRST_WINDOW = 1;

/** Meta columns the window fold keeps in its projection's meta row. */
export const WINDOW_META: Columns = { open_window: 'int', prop_cutoff: 'text' };
export const WINDOW_META_COLUMNS = 'open_window integer, prop_cutoff varchar(64)';

const WINDOW: Columns = {
  launcher_id: 'text',
  window_sequence: 'int',
  confirmed_points: 'big',
  reverted_points: 'big',
  net_points: 'big',
  partials_confirmed: 'int',
  partials_reverted: 'int',
};

export const BALANCE: Columns = {
  launcher_id: 'text',
  confirmed_points: 'big',
  window_points: 'big',
  reverted_after_payout: 'big',
  last_payout_sequence: 'int',
  last_paid_points: 'big',
  carried_mojos: 'big',
  paid_mojos: 'big',
  payouts_planned: 'int',
};

const PARTIAL: Columns = { proof_hash: 'text', launcher_id: 'text', points: 'big', position: 'text', window_sequence: 'int' };
const ALLOCATION: Columns = { payout_id: 'text', launcher_id: 'text', sequence: 'int', amount: 'big', status: 'text' };

const newBalance = (launcherId: string): Row => ({
  launcher_id: launcherId,
  confirmed_points: 0n,
  window_points: 0n,
  reverted_after_payout: 0n,
  last_payout_sequence: null,
  last_paid_points: 0n,
  carried_mojos: 0n,
  paid_mojos: 0n,
  payouts_planned: 0,
});

type WindowEvent = PartialEvent | PayoutEvent;
const WINDOW_TYPES = new Set(['PartialConfirmed', 'PartialReverted', 'PayoutPlanned', 'PayoutSent', 'PayoutConfirmed', 'PayoutFailed']);

/**
 * One batch of the window fold: load what the batch can touch, apply events in memory, write back.
 * Loading is exact rather than speculative: a plan needs every unpaid confirm and every non-zero balance,
 * other events only their own rows.
 */
export class WindowFold {
  readonly balances = new Map<string, Row>();
  private readonly partials = new Map<string, Row>();
  private readonly removedPartials = new Set<string>();
  /** Confirms first stored by this batch: paying or reverting one before the save needs no DELETE. */
  private readonly createdPartials = new Set<string>();
  private readonly windows = new Map<string, Row>();
  private readonly allocations = new Map<string, Row[]>();
  private readonly newAllocations: Row[] = [];
  private openWindow: number;
  private cutoff: string | undefined;
  /** Every unpaid confirm at or before this position was paid by a plan in this batch. */
  private paidUpTo: string | undefined;

  private constructor(
    private readonly context: ProjectionContext,
    meta: Row,
  ) {
    this.openWindow = meta.open_window === null ? FIRST_WINDOW : int(meta.open_window);
    this.cutoff = (meta.prop_cutoff as string | null) ?? undefined;
  }

  static async load(context: ProjectionContext, meta: Row, events: readonly RecordedEvent[]): Promise<WindowFold> {
    const fold = new WindowFold(context, meta);
    const { sql, table } = context;
    const relevant = events.filter((e) => WINDOW_TYPES.has(e.type)) as unknown as WindowEvent[];
    const farmers = new Set<string>();
    const reverted = new Set<string>();
    const payoutIds = new Set<string>();
    let lowestPlan: string | undefined;
    for (const event of relevant) {
      if (event.type === 'PartialConfirmed' || event.type === 'PartialReverted') {
        farmers.add(event.data.launcherId);
        if (event.type === 'PartialReverted' && event.data.wasConfirmed) reverted.add(event.data.proofHash);
      } else if (event.type === 'PayoutPlanned') {
        if (lowestPlan === undefined || event.data.ledgerPosition < lowestPlan) lowestPlan = event.data.ledgerPosition;
        for (const a of event.data.allocations) farmers.add(a.launcherId);
        for (const c of event.data.carried) farmers.add(c.launcherId);
      } else if (event.type !== 'PartialSubmitted') {
        payoutIds.add(event.data.payoutId);
      }
    }
    if (lowestPlan !== undefined) {
      // A plan pays every unpaid confirm up to its position; only the later ones (usually a handful) move on
      // to the next window and need loading. The paid ones are deleted by position when the batch is saved.
      const later = await selectRows(sql, PARTIAL, `${table('window_partials')} WHERE position > ?`, [lowestPlan]);
      for (const row of later) fold.partials.set(String(row.proof_hash), row);
      for (const row of await selectRows(sql, { launcher_id: 'text' }, `${table('farmer_balances')} WHERE carried_mojos <> 0 OR window_points <> 0`)) {
        farmers.add(String(row.launcher_id));
      }
    }
    const missing = [...reverted].filter((proof) => !fold.partials.has(proof));
    for (const [key, row] of await loadRows(sql, table('window_partials'), PARTIAL, 'proof_hash', missing)) fold.partials.set(key, row);
    for (const row of fold.partials.values()) farmers.add(String(row.launcher_id));
    for (const id of payoutIds) {
      const rows = await selectRows(sql, ALLOCATION, `${table('window_allocations')} WHERE payout_id = ?`, [id]);
      fold.allocations.set(id, rows);
      for (const row of rows) farmers.add(String(row.launcher_id));
    }
    for (const [key, row] of await loadRows(sql, table('farmer_balances'), BALANCE, 'launcher_id', farmers)) fold.balances.set(key, row);
    return fold;
  }

  /** A stored confirm leaves window_partials: deleted on save unless this batch created it (never written). */
  private forget(proofHash: string): void {
    if (!this.createdPartials.delete(proofHash)) this.removedPartials.add(proofHash);
  }

  private balance(id: string): Row {
    let b = this.balances.get(id);
    if (!b) this.balances.set(id, (b = newBalance(id)));
    return b;
  }

  private window(id: string, sequence: number): Row {
    const key = `${id}|${sequence}`;
    let w = this.windows.get(key);
    if (!w) {
      w = { launcher_id: id, window_sequence: sequence, confirmed_points: 0n, reverted_points: 0n, net_points: 0n, partials_confirmed: 0, partials_reverted: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  apply(recorded: RecordedEvent): void {
    if (!WINDOW_TYPES.has(recorded.type)) return;
    const event = recorded as unknown as WindowEvent;
    switch (event.type) {
      case 'PartialConfirmed': {
        const { proofHash, launcherId } = event.data;
        if (this.partials.has(proofHash)) break; // the partial decider forbids a second confirm; never count one twice
        const points = BigInt(event.data.points);
        this.partials.set(proofHash, { proof_hash: proofHash, launcher_id: launcherId, points, position: recorded.position, window_sequence: this.openWindow });
        if (!this.removedPartials.delete(proofHash)) this.createdPartials.add(proofHash);
        const w = this.window(launcherId, this.openWindow);
        w.confirmed_points = big(w.confirmed_points) + points;
        w.net_points = big(w.net_points) + points;
        w.partials_confirmed = int(w.partials_confirmed) + 1;
        const b = this.balance(launcherId);
        b.confirmed_points = big(b.confirmed_points) + points;
        b.window_points = big(b.window_points) + points;
        break;
      }
      case 'PartialReverted': {
        if (!event.data.wasConfirmed) break;
        const points = BigInt(event.data.points);
        const b = this.balance(event.data.launcherId);
        b.confirmed_points = big(b.confirmed_points) - points;
        const unpaid = this.partials.get(event.data.proofHash);
        if (unpaid) {
          this.partials.delete(event.data.proofHash);
          this.forget(event.data.proofHash);
          const w = this.window(String(unpaid.launcher_id), int(unpaid.window_sequence));
          w.reverted_points = big(w.reverted_points) + big(unpaid.points);
          w.net_points = big(w.net_points) - big(unpaid.points);
          w.partials_reverted = int(w.partials_reverted) + 1;
          const owner = this.balance(String(unpaid.launcher_id));
          owner.window_points = big(owner.window_points) - big(unpaid.points);
        } else {
          b.reverted_after_payout = big(b.reverted_after_payout) + points;
        }
        break;
      }
      case 'PayoutPlanned':
        this.plan(event.data);
        break;
      case 'PayoutSent':
      case 'PayoutConfirmed':
      case 'PayoutFailed':
        this.settle(event);
        break;
    }
  }

  private plan(data: Extract<PayoutEvent, { type: 'PayoutPlanned' }>['data']): void {
    for (const b of this.balances.values()) b.carried_mojos = 0n;
    for (const c of data.carried) this.balance(c.launcherId).carried_mojos = BigInt(c.amount);
    const lines: Row[] = [];
    for (const a of data.allocations) {
      const b = this.balance(a.launcherId);
      b.last_payout_sequence = data.sequence;
      b.last_paid_points = BigInt(a.points);
      b.payouts_planned = int(b.payouts_planned) + 1;
      lines.push({ payout_id: data.payoutId, launcher_id: a.launcherId, sequence: data.sequence, amount: BigInt(a.amount), status: 'planned' });
    }
    this.allocations.set(data.payoutId, lines);
    this.newAllocations.push(...lines);

    if (this.cutoff === undefined || data.ledgerPosition > this.cutoff) {
      const next = data.sequence + 1;
      for (const b of this.balances.values()) b.window_points = 0n;
      this.paidUpTo = data.ledgerPosition;
      for (const [proofHash, partial] of [...this.partials]) {
        if (String(partial.position) <= data.ledgerPosition) {
          this.partials.delete(proofHash);
          this.forget(proofHash);
          continue;
        }
        // Confirmed after the plan's position: not paid by it, so it moves on to the window after it.
        const points = big(partial.points);
        const from = this.window(String(partial.launcher_id), int(partial.window_sequence));
        from.confirmed_points = big(from.confirmed_points) - points;
        from.net_points = big(from.net_points) - points;
        from.partials_confirmed = int(from.partials_confirmed) - 1;
        const to = this.window(String(partial.launcher_id), next);
        to.confirmed_points = big(to.confirmed_points) + points;
        to.net_points = big(to.net_points) + points;
        to.partials_confirmed = int(to.partials_confirmed) + 1;
        partial.window_sequence = next;
        const b = this.balance(String(partial.launcher_id));
        b.window_points = big(b.window_points) + points;
      }
      this.cutoff = data.ledgerPosition;
    }
    this.openWindow = Math.max(this.openWindow, data.sequence + 1);
  }

  private settle(event: Extract<PayoutEvent, { type: 'PayoutSent' | 'PayoutConfirmed' | 'PayoutFailed' }>): void {
    const lines = this.allocations.get(event.data.payoutId);
    if (!lines) return;
    const status = String(lines[0]?.status ?? 'planned');
    let next = status;
    if (event.type === 'PayoutSent' && status !== 'abandoned') next = 'sent';
    if (event.type === 'PayoutConfirmed' && status !== 'confirmed') {
      next = 'confirmed';
      for (const line of lines) {
        const b = this.balance(String(line.launcher_id));
        b.paid_mojos = big(b.paid_mojos) + big(line.amount);
        // Landed after it was abandoned: the balance the abandonment returned was paid by this payout after all
        // (the payout ledger's rule; a negative carry nets against the farmer's next shares).
        if (status === 'abandoned') b.carried_mojos = big(b.carried_mojos) - big(line.amount);
      }
    }
    if (event.type === 'PayoutFailed') {
      if (event.data.willRetry) {
        if (status === 'sent') next = 'planned';
      } else if (status !== 'abandoned' && status !== 'confirmed') {
        next = 'abandoned';
        for (const line of lines) {
          const b = this.balance(String(line.launcher_id));
          b.carried_mojos = big(b.carried_mojos) + big(line.amount);
        }
      }
    }
    if (next !== status) {
      for (const line of lines) line.status = next;
      if (!this.newAllocations.includes(lines[0]!)) this.newAllocations.push(...lines);
    }
  }

  /** The position/cutoff state to keep in the meta row. */
  meta(): Row {
    return { open_window: this.openWindow, prop_cutoff: this.cutoff ?? null };
  }

  async save(): Promise<void> {
    const { sql, table } = this.context;
    if (this.paidUpTo !== undefined) {
      await sql.query(`DELETE FROM ${table('window_partials')} WHERE position <= ?`, [this.paidUpTo]);
    }
    await deleteRows(sql, table('window_partials'), 'proof_hash', [...this.removedPartials]);
    await upsertRows(sql, table('window_partials'), PARTIAL, ['proof_hash'], [...this.partials.values()], { kind: 'replace' });
    await upsertRows(sql, table('points_window'), WINDOW, ['launcher_id', 'window_sequence'], [...this.windows.values()], {
      kind: 'add',
      columns: ['confirmed_points', 'reverted_points', 'net_points', 'partials_confirmed', 'partials_reverted'],
    });
    await upsertRows(sql, table('farmer_balances'), BALANCE, ['launcher_id'], [...this.balances.values()], { kind: 'replace' });
    await upsertRows(sql, table('window_allocations'), ALLOCATION, ['payout_id', 'launcher_id'], this.newAllocations, { kind: 'replace' });
  }
}

