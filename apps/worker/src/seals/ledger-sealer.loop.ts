import { type Logger } from '@nestjs/common';
import { runEvery } from '@pool/runtime';
import { type LedgerSealer } from './ledger-sealer';

/** One round every `intervalMs`: the sealer reads what was committed since and seals where its schedule says. */
export async function runLedgerSealerLoop(sealer: LedgerSealer, intervalMs: number, logger: Pick<Logger, 'log' | 'warn'>, signal: AbortSignal): Promise<void> {
  await runEvery(
    intervalMs,
    signal,
    async () => {
      const seals = await sealer.catchUp();
      if (seals > 0) logger.log(`ledger sealed through position ${sealer.lastSealedPosition ?? '-'} (${seals} seal(s))`);
    },
    (error) => logger.warn(`ledger sealer: ${(error as Error).message}`),
  );
}
