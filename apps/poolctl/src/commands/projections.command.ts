import type { Command } from 'commander';
import { projectionStatus, Projector } from '@pool/read-models';
import { allProjections } from '@pool/projections';
import { configFrom, projectionsFor, withConnections } from './connections';

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
    .action(async (name: string | undefined, _options: unknown, command: Command) => {
      const config = configFrom(command);
      const names = allProjections.map((p) => p.name);
      if (name !== undefined && !names.includes(name)) throw new Error(`no projection named ${name}; known: ${names.join(', ')}`);
      await withConnections(config, async (store, readModels) => {
        // With the constants the live projector used for this ledger's network, so the rebuild equals live.
        const { projections, network } = await projectionsFor(store);
        const selected = name === undefined ? projections : projections.filter((p) => p.name === name);
        const started = process.hrtime.bigint();
        const applied = await new Projector(store, readModels, projections).rebuild(selected);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        console.log(
          `rebuilt ${selected.map((p) => p.name).join(', ')}: ${applied} events applied in ${seconds.toFixed(2)} s ` +
            `(space estimated with ${network.network} constants: ${network.reason})`,
        );
      });
    });
}
