import {
  applyToPayoutWindow,
  createPayoutWindow,
  FIRST_WINDOW,
  newWindowFarmer,
  PAYOUT_WINDOW_EVENT_TYPES,
  type PayoutEvent,
  type PayoutStatus,
  type PayoutWindow,
  type PayoutWindowEvent,
  type PoolEvent,
  type UnpaidConfirm,
  type WindowFarmer,
} from '@pool/domain';
import type { RecordedEventOf } from '@pool/event-sourcing';
import type { ProjectionContext } from '@pool/read-models';
import { big, deleteRows, int, loadRows, selectRows, upsertRows, type Row } from '@pool/read-models';
import { ALLOCATION, BALANCE, PARTIAL, RETURN, WINDOW } from './farmer-view.tables';

/**
 * Payout windows and balances, written by the farmer_view projection: the domain's payout window fold
 * (libs/domain payouts/payout-window.fold.ts) run over the rows a batch touches, so what a farmer sees is
 * what the next PROP plan will pay. Each batch loads the rows, evolves them with the fold and writes them back.
 */


/** The fold's farmer plus the balance row it lives in (the columns the fold does not own). */
interface BalanceFarmer extends WindowFarmer {
  row: Row;
}

const newBalance = (launcherId: string): BalanceFarmer => ({
  ...newWindowFarmer(launcherId),
  row: {
    launcher_id: launcherId,
    confirmed_points: 0n,
    window_points: 0n,
    reverted_after_payout: 0n,
    last_payout_sequence: null,
    last_paid_points: 0n,
    carried_mojos: 0n,
    paid_mojos: 0n,
    payouts_planned: 0,
  },
});

const balanceOf = (row: Row): BalanceFarmer => ({
  launcherId: String(row.launcher_id),
  pointsSinceLastPayout: big(row.window_points),
  carried: big(row.carried_mojos),
  revertedAfterPayout: big(row.reverted_after_payout),
  paid: big(row.paid_mojos),
  row,
});

const unpaidOf = (row: Row): UnpaidConfirm => ({
  proofHash: String(row.proof_hash),
  launcherId: String(row.launcher_id),
  points: big(row.points),
  position: String(row.position),
  window: int(row.window_sequence),
});

const WINDOW_TYPES: ReadonlySet<string> = new Set(PAYOUT_WINDOW_EVENT_TYPES);
const isWindowEvent = <Event extends { type: string }>(event: Event): event is Extract<Event, { type: PayoutWindowEvent['type'] }> => WINDOW_TYPES.has(event.type);

/**
 * One batch of the window fold: load what the batch can touch, evolve it with the domain fold, write back.
 * Loading is exact rather than speculative: a plan needs every unpaid confirm after its position, every non-zero
 * balance and the returns since the last plan; other events only their own rows. The fold keeps no pot here
 * (payouts are loaded without their fees): the projection shows farmers' balances, not the pool's.
 */
export class WindowFold {
  private readonly window: PayoutWindow<BalanceFarmer> = createPayoutWindow(newBalance);
  private readonly cutoffBefore: string | undefined;
  private readonly loadedUnpaid = new Set<string>();
  private returnsLoaded = false;
  private readonly windows = new Map<string, Row>();
  private readonly touchedPayouts = new Set<string>();

  private constructor(
    private readonly context: ProjectionContext,
    meta: Row,
  ) {
    this.window.openWindow = meta.open_window === null ? FIRST_WINDOW : int(meta.open_window);
    this.window.propCutoff = (meta.prop_cutoff as string | null) ?? undefined;
    this.cutoffBefore = this.window.propCutoff;
  }

  static async load(context: ProjectionContext, meta: Row, events: readonly RecordedEventOf<PoolEvent>[]): Promise<WindowFold> {
    const fold = new WindowFold(context, meta);
    const { sql, table } = context;
    const farmers = new Set<string>();
    const reverted = new Set<string>();
    const payoutIds = new Set<string>();
    const unpaid: Row[] = [];
    let lowestPlan: string | undefined;
    for (const event of events) {
      if (!isWindowEvent(event)) continue;
      if (event.type === 'PartialConfirmed' || event.type === 'PartialReverted') {
        farmers.add(event.data.launcherId);
        if (event.type === 'PartialReverted' && event.data.wasConfirmed) reverted.add(event.data.proofHash);
      } else if (event.type === 'PayoutPlanned') {
        if (lowestPlan === undefined || event.data.ledgerPosition < lowestPlan) lowestPlan = event.data.ledgerPosition;
        for (const a of event.data.allocations) farmers.add(a.launcherId);
        for (const c of event.data.carried) farmers.add(c.launcherId);
      } else {
        payoutIds.add(event.data.payoutId);
      }
    }
    if (lowestPlan !== undefined) {
      // A plan pays every unpaid confirm up to its position; only the later ones (usually a handful) move on
      // to the next window and need loading. The paid ones are deleted by position when the batch is saved.
      unpaid.push(...(await selectRows(sql, PARTIAL, `${table('window_partials')} WHERE position > ?`, [lowestPlan])));
      for (const row of await selectRows(sql, { launcher_id: 'text' }, `${table('farmer_balances')} WHERE carried_mojos <> 0 OR window_points <> 0`)) {
        farmers.add(String(row.launcher_id));
      }
      const returns = await selectRows(sql, RETURN, table('window_returns'));
      fold.window.returns = returns.map((r) => ({ position: String(r.position), launcherId: String(r.launcher_id), amount: big(r.amount) }));
      for (const r of fold.window.returns) farmers.add(r.launcherId);
      fold.returnsLoaded = true;
    }
    const loaded = new Set(unpaid.map((row) => String(row.proof_hash)));
    const missing = [...reverted].filter((proof) => !loaded.has(proof));
    for (const row of (await loadRows(sql, table('window_partials'), PARTIAL, 'proof_hash', missing)).values()) unpaid.push(row);
    // The fold's unpaid confirms are in position order.
    for (const row of unpaid.sort((a, b) => (String(a.position) < String(b.position) ? -1 : 1))) {
      const confirm = unpaidOf(row);
      fold.window.unpaid.set(confirm.proofHash, confirm);
      fold.loadedUnpaid.add(confirm.proofHash);
      farmers.add(confirm.launcherId);
    }
    for (const id of payoutIds) {
      const rows = await selectRows(sql, ALLOCATION, `${table('window_allocations')} WHERE payout_id = ?`, [id]);
      if (rows.length === 0) continue;
      fold.window.payouts.set(id, {
        payoutId: id,
        sequence: int(rows[0]!.sequence),
        allocations: rows.map((row) => ({ launcherId: String(row.launcher_id), amount: big(row.amount) })),
        poolFee: 0n,
        blockchainFee: 0n,
        status: String(rows[0]!.status) as PayoutStatus,
      });
      for (const row of rows) farmers.add(String(row.launcher_id));
    }
    for (const [key, row] of await loadRows(sql, table('farmer_balances'), BALANCE, 'launcher_id', farmers)) fold.window.farmers.set(key, balanceOf(row));
    return fold;
  }

  private balance(id: string): Row {
    let farmer = this.window.farmers.get(id);
    if (!farmer) this.window.farmers.set(id, (farmer = newBalance(id)));
    return farmer.row;
  }

  private windowRow(launcherId: string, sequence: number): Row {
    const key = `${launcherId}|${sequence}`;
    let w = this.windows.get(key);
    if (!w) {
      w = { launcher_id: launcherId, window_sequence: sequence, confirmed_points: 0n, reverted_points: 0n, net_points: 0n, partials_confirmed: 0, partials_reverted: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  /** Adds a confirm to a window's figures (`sign` -1 takes it out again, when it moves on). */
  private countConfirm(confirm: UnpaidConfirm, sequence: number, sign: 1n | -1n): void {
    const w = this.windowRow(confirm.launcherId, sequence);
    w.confirmed_points = big(w.confirmed_points) + sign * confirm.points;
    w.net_points = big(w.net_points) + sign * confirm.points;
    w.partials_confirmed = int(w.partials_confirmed) + Number(sign);
  }

  apply(event: RecordedEventOf<PoolEvent>): void {
    if (!isWindowEvent(event)) return;
    const change = applyToPayoutWindow(this.window, event, event.position);
    switch (change?.type) {
      case 'confirmed': {
        const { confirm } = change;
        this.countConfirm(confirm, confirm.window, 1n);
        const b = this.balance(confirm.launcherId);
        b.confirmed_points = big(b.confirmed_points) + confirm.points;
        break;
      }
      case 'reverted':
      case 'revertedAfterPayout': {
        const data = (event as Extract<PayoutWindowEvent, { type: 'PartialReverted' }>).data;
        const b = this.balance(data.launcherId);
        b.confirmed_points = big(b.confirmed_points) - BigInt(data.points);
        if (change.type === 'revertedAfterPayout') break;
        const { confirm } = change;
        const w = this.windowRow(confirm.launcherId, confirm.window);
        w.reverted_points = big(w.reverted_points) + confirm.points;
        w.net_points = big(w.net_points) - confirm.points;
        w.partials_reverted = int(w.partials_reverted) + 1;
        break;
      }
      case 'planned': {
        const data = (event as Extract<PayoutEvent, { type: 'PayoutPlanned' }>).data;
        for (const a of data.allocations) {
          const b = this.balance(a.launcherId);
          b.last_payout_sequence = data.sequence;
          b.last_paid_points = BigInt(a.points);
          b.payouts_planned = int(b.payouts_planned) + 1;
        }
        // Confirmed after the plan's position: not paid by it, so they move on to the window after it.
        for (const { confirm, from } of change.movedOn) {
          this.countConfirm(confirm, from, -1n);
          this.countConfirm(confirm, confirm.window, 1n);
        }
        this.touchedPayouts.add(data.payoutId);
        break;
      }
      case 'payoutStatus':
        this.touchedPayouts.add(change.payout.payoutId);
        break;
    }
  }

  /** The farmer_balances rows this batch loaded or created, with the fold's figures. */
  balances(): Map<string, Row> {
    const rows = new Map<string, Row>();
    for (const [id, farmer] of this.window.farmers) {
      Object.assign(farmer.row, {
        window_points: farmer.pointsSinceLastPayout,
        carried_mojos: farmer.carried,
        reverted_after_payout: farmer.revertedAfterPayout,
        paid_mojos: farmer.paid,
      });
      rows.set(id, farmer.row);
    }
    return rows;
  }

  /** The position/cutoff state to keep in the meta row. */
  meta(): Row {
    return { open_window: this.window.openWindow, prop_cutoff: this.window.propCutoff ?? null };
  }

  async save(): Promise<void> {
    const { sql, table } = this.context;
    const { window } = this;
    if (window.propCutoff !== undefined && window.propCutoff !== this.cutoffBefore) {
      await sql.query(`DELETE FROM ${table('window_partials')} WHERE position <= ?`, [window.propCutoff]);
    }
    await deleteRows(sql, table('window_partials'), 'proof_hash', [...this.loadedUnpaid].filter((proof) => !window.unpaid.has(proof)));
    const partials = [...window.unpaid.values()].map((c) => ({ proof_hash: c.proofHash, launcher_id: c.launcherId, points: c.points, position: c.position, window_sequence: c.window }));
    await upsertRows(sql, table('window_partials'), PARTIAL, ['proof_hash'], partials, { kind: 'replace' });
    await upsertRows(sql, table('points_window'), WINDOW, ['launcher_id', 'window_sequence'], [...this.windows.values()], {
      kind: 'add',
      columns: ['confirmed_points', 'reverted_points', 'net_points', 'partials_confirmed', 'partials_reverted'],
    });
    await upsertRows(sql, table('farmer_balances'), BALANCE, ['launcher_id'], [...this.balances().values()], { kind: 'replace' });
    const allocations: Row[] = [];
    for (const id of this.touchedPayouts) {
      const payout = window.payouts.get(id)!;
      for (const a of payout.allocations) allocations.push({ payout_id: id, launcher_id: a.launcherId, sequence: payout.sequence, amount: a.amount, status: payout.status });
    }
    await upsertRows(sql, table('window_allocations'), ALLOCATION, ['payout_id', 'launcher_id'], allocations, { kind: 'replace' });
    await this.saveReturns();
  }

  /** Returns are read back only by plans: a batch without one appends its new returns, one with a plan rewrites them. */
  private async saveReturns(): Promise<void> {
    const { sql, table } = this.context;
    if (this.returnsLoaded) await sql.query(`DELETE FROM ${table('window_returns')}`, []);
    const rows = new Map<string, Row>();
    for (const r of this.window.returns) {
      const key = `${r.position}|${r.launcherId}`;
      const row = rows.get(key);
      if (row) row.amount = big(row.amount) + r.amount;
      else rows.set(key, { position: r.position, launcher_id: r.launcherId, amount: r.amount });
    }
    await upsertRows(sql, table('window_returns'), RETURN, ['position', 'launcher_id'], [...rows.values()], { kind: 'replace' });
  }
}
