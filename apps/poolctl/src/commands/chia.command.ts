import type { Command } from 'commander';
import type { Readable, Writable } from 'node:stream';
import {
  handleBlsVerifyLine,
  handleItersLine,
  handlePlotNftV2PuzzleHashLine,
  handlePoolPuzzleHashLine,
  handleVerifyProofLine,
  loadBls,
  parseChiaJson,
} from '@pool/chia';
import { answerEachLine } from './ndjson';

export interface LineIo {
  input: Readable;
  output: Writable;
}

/**
 * `poolctl chia …`: the libs/chia checks an operator needs when debugging a farmer, each reading NDJSON
 * on stdin and writing one JSON line per input line. Integers are parsed exactly (uint64 stays uint64).
 */
export function registerChiaCommands(program: Command, io: () => LineIo = () => ({ input: process.stdin, output: process.stdout })): void {
  const chia = program.command('chia').description('check Chia primitives line by line (NDJSON in, NDJSON out)');
  const each = (handle: (input: unknown) => unknown) => () => {
    const { input, output } = io();
    return answerEachLine(handle, parseChiaJson, input, output);
  };

  chia
    .command('verify-proof')
    .description('{"k":32,"plot_id":hex,"challenge":hex,"proof":hex} -> {"valid":true,"quality":hex} | {"valid":false,"reason":…}')
    .action(each(handleVerifyProofLine));

  chia
    .command('bls-verify')
    .description('{"pks":[hex…],"msgs":[hex…],"sig":hex} -> {"valid":bool} (one pk: verify; several: aggregate verify)')
    .action(async () => {
      const bls = await loadBls(undefined, { log: (message: string) => console.error(message) });
      await each((input) => handleBlsVerifyLine(input, bls))();
    });

  chia
    .command('pool-puzzle-hash')
    .description('{"launcher_id","delay_time","delay_puzzle_hash"} (v1) or {"launcher_id","version":2} -> {"puzzle_hash":hex}')
    .action(each(handlePoolPuzzleHashLine));

  chia
    .command('plotnft-v2-puzzle-hash')
    .description(
      '{"launcher_id","owner_public_key","state":"self_pooling"|"pooling"|"exiting","pool_claim_hash","relative_lock_height",' +
        '"pool_memoization"(default "80"),"genesis_challenge"} -> {"puzzle_hash","inner_puzzle_hash"} (pool fields unused when self_pooling)',
    )
    .action(each(handlePlotNftV2PuzzleHashLine));

  chia
    .command('iters')
    .description('{"quality":hex,"sp_hash":hex,"k":n,"difficulty":n} -> {"required_iters":"decimal"}')
    .action(each(handleItersLine));
}
