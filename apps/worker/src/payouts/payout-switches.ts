import { type CommandBus } from '@nestjs/cqrs';
import { PausePayoutsCommand, ResumePayoutsCommand } from '@pool/commands';
import { type PoolSettings } from '@pool/config';
import { type PauseSource, type PayoutsControlState } from '@pool/domain';

/**
 * Config and pause file are switches too: the saga records when it sees one flip, so the ledger says why nothing
 * was paid. Only a flip is dispatched (the decider would record nothing for the rest anyway).
 */
export async function recordPauseSwitches(
  commands: CommandBus,
  control: PayoutsControlState,
  settings: Pick<PoolSettings['payouts'], 'paused' | 'pauseFile'>,
  fileExists: (path: string) => boolean,
  now: number,
): Promise<void> {
  const flip = async (by: PauseSource, on: boolean, reason: string): Promise<void> => {
    if ((control.pausedBy[by] !== undefined) === on) return;
    await commands.execute(on ? new PausePayoutsCommand(reason, by, now) : new ResumePayoutsCommand(reason, by, now));
  };
  const byConfig = settings.paused;
  await flip('config', byConfig, byConfig ? 'payouts.paused is set in the configuration' : 'payouts.paused is no longer set');
  const file = settings.pauseFile;
  const byFile = file !== null && fileExists(file);
  await flip('pause_file', byFile, byFile ? `pause file ${file} exists` : file === null ? 'no pause file is configured' : `pause file ${file} was removed`);
}
