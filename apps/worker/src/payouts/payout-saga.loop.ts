import { type Logger } from '@nestjs/common';
import { abortableSleep } from '@pool/runtime';
import { type PayoutSaga } from './payout-saga';

/**
 * Runs the saga every `intervalSeconds`. A failing run (node or wallet unreachable, coins short) is logged and
 * retried next time: every step is recorded before the next, so a run cut short loses nothing.
 */
export async function runPayoutSagaLoop(saga: PayoutSaga, intervalSeconds: number, logger: Pick<Logger, 'log' | 'warn'>, signal: AbortSignal): Promise<void> {
  let lastPause = '';
  let lastNotPlanned = '';
  while (!signal.aborted) {
    try {
      const report = await saga.runOnce();
      const pause = report.paused ? report.pauseReasons.join('; ') : '';
      if (pause !== lastPause) logger.log(pause === '' ? 'payouts resumed' : `payouts paused (${pause})`);
      lastPause = pause;
      if ((report.notPlanned ?? '') !== lastNotPlanned && report.notPlanned !== undefined) logger.warn(`payout not planned: ${report.notPlanned}`);
      lastNotPlanned = report.notPlanned ?? '';
      if (report.skipped !== undefined) logger.warn(`payout saga skipped a run: ${report.skipped}`);
      for (const [step, ids] of [['planned', report.planned], ['sent', report.sent], ['confirmed', report.confirmed], ['failed', report.failed]] as const) {
        if (ids.length > 0) logger.log(`payouts ${step}: ${ids.join(', ')}`);
      }
    } catch (error) {
      logger.warn(`payout saga: ${(error as Error).message}`);
    }
    await abortableSleep(intervalSeconds * 1000, signal);
  }
}
