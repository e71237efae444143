import type { Command } from 'commander';
import { projectionStatus, Projector } from '@pool/read-models';
import { allProjections, rebuildFromLatestClosing } from '@pool/projections';
import { rebuildInThreads } from '@pool/projector';
import { configFrom, projectionsFor, threadsOption, withConnections } from './connections';
import { Progress } from '../progress/progress';

export function registerProjectionCommands(program: Command): void {
  const projections = program.command('projections').description('read models built from the ledger');

  projections
    .command('status')
    .description("each projection's generation, checkpoint and lag behind the event store")
    .action(async (_options: unknown, command: Command) => {
      const config = configFrom(command);
      await withConnections(
        config,
        async (store, readModels) => {
          // Names and versions only: the same for every network's constants.
          const rows = await projectionStatus(store, readModels, allProjections);
          console.log(['projection', 'version', 'generation', 'position', 'lag (events)'].join('\t'));
          for (const row of rows) {
            const version = row.activeVersion === row.version ? `${row.version}` : `${row.activeVersion ?? '-'} (code: ${row.version})`;
            console.log([row.name, version, row.generation ?? '-', row.position ?? '(none)', `${row.lag}${row.lagCapped ? '+' : ''}`].join('\t'));
          }
        },
        { readModelsMustExist: true },
      );
    });

  projections
    .command('rebuild [name]')
    .description('rebuild one projection (or all) from zero into fresh tables; switches over when caught up')
    .option('--from-closing', "start from the tables imaged at the latest books closing (checked against its sealed books), replay only the events after it")
    .option('--no-progress', 'no progress on standard error (events, rate, time left)')
    .option('--threads <n>', 'threads that build groups of projections at once (default: the cores this process may use; 1: none)', threadsOption(1, 'no threads'))
    .action(async (name: string | undefined, options: { fromClosing?: boolean; progress: boolean; threads?: number }, command: Command) => {
      const config = configFrom(command);
      const names = allProjections.map((p) => p.name);
      if (name !== undefined && !names.includes(name)) throw new Error(`no projection named ${name}; known: ${names.join(', ')}`);
      await withConnections(config, async (store, readModels) => {
        // With the constants the live projector used for this ledger's network, so the rebuild equals live.
        const { projections, network, options: projectionOptions } = await projectionsFor(store);
        const selected = name === undefined ? projections : projections.filter((p) => p.name === name);
        const started = process.hrtime.bigint();
        // Redrawn on standard error while the events are applied; standard output keeps the result line alone.
        const progress = options.progress ? new Progress({ label: 'rebuild', head: await store.headPosition() }) : undefined;
        const prefill = rebuildInThreads({ eventStoreUrl: config.eventStoreUrl, readModelsUrl: config.readModelsUrl, projectionOptions, threads: options.threads });
        const projector = new Projector(store, readModels, projections, { onRebuildBatch: (read, position) => progress?.advance(read, position), prefill });
        const elapsed = (): string => (Number(process.hrtime.bigint() - started) / 1e9).toFixed(2);
        const constants = `space estimated with ${network.network} constants: ${network.reason}`;
        // Finished (the terminal's line cleared) before the result or an error is printed.
        const finished = <T>(work: Promise<T>): Promise<T> => work.finally(() => progress?.finish());
        if (options.fromClosing === true) {
          const { closing, image, count } = await finished(rebuildFromLatestClosing(store, readModels, projector, selected));
          console.log(
            `rebuilt ${selected.map((p) => p.name).join(', ')} from books closing ${closing.sequence} (image ${image.image}, position ${image.position}, ` +
              `money checked against the closing): replayed ${count.read} events after it (${count.applied} applied) in ${elapsed()} s; ` +
              `the ledger's head is at position ${(await store.headPosition()) ?? '-'} (${constants})`,
          );
          return;
        }
        const applied = await finished(projector.rebuild(selected));
        console.log(`rebuilt ${selected.map((p) => p.name).join(', ')}: ${applied} events applied in ${elapsed()} s (${constants})`);
      });
    });
}
