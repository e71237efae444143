import { PassThrough } from 'node:stream';
import { describeWithVectors } from '@pool/testing';
import { buildProgram } from '../program';

/** Feeds NDJSON lines to `poolctl chia <command>` and returns the parsed answer lines. */
async function run(command: string, lines: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  input.end(lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  await buildProgram(() => ({ input, output })).parseAsync(['node', 'poolctl', 'chia', command]);
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('poolctl chia: garbage lines', () => {
  it.each(['verify-proof', 'bls-verify', 'pool-puzzle-hash', 'plotnft-v2-puzzle-hash', 'iters'])('%s answers each bad line with an error and keeps going', async (command) => {
    const answers = await run(command, ['not json', '{"k":', '42', '[]', '{}', '{"launcher_id":"zz"}']);
    expect(answers).toHaveLength(6);
    for (const answer of answers) {
      expect(typeof answer.error).toBe('string');
      expect((answer.error as string).length).toBeGreaterThan(5);
    }
    expect(answers[0]!.error).toMatch(/line 1/);
  });
});

interface ProofVector {
  plot_id: string;
  k: number;
  challenge: string;
  proof: string;
}

describeWithVectors<{ vectors: (ProofVector & { quality: string })[] }>('poolctl chia verify-proof: k21 proofs', 'pos/chiapos_k21_proofs.json', (v) => {
  it('returns the exact quality for every valid proof', async () => {
    const answers = await run(
      'verify-proof',
      v.vectors.map(({ k, plot_id, challenge, proof }) => ({ k, plot_id, challenge, proof })),
    );
    expect(answers).toEqual(v.vectors.map((vector) => ({ valid: true, quality: vector.quality })));
  });
});

describeWithVectors<{ cases: (ProofVector & { expected_valid: boolean; expected_quality: string | null })[] }>(
  'poolctl chia verify-proof: negative and edge cases',
  'pos/negative_and_edge_cases.json',
  (v) => {
    it('rejects every mutation that must fail and keeps the quality of those that stay valid', async () => {
      const answers = await run(
        'verify-proof',
        v.cases.map(({ k, plot_id, challenge, proof }) => ({ k, plot_id, challenge, proof })),
      );
      answers.forEach((answer, i) => {
        const expected = v.cases[i]!;
        expect(answer.valid).toBe(expected.expected_valid);
        if (expected.expected_valid) expect(answer.quality).toBe(expected.expected_quality);
        else expect(typeof answer.reason).toBe('string');
      });
    });
  },
);

interface SignedRequests {
  signatures: Record<string, { public_keys: string[]; message_signed_hex: string; signature: string }>;
}

describeWithVectors<SignedRequests>('poolctl chia bls-verify: signed requests', 'protocol/signed_requests.json', (v) => {
  it('accepts every signature and rejects each with one message bit flipped', async () => {
    const entries = Object.values(v.signatures);
    const lines = entries.map((s) => ({ pks: s.public_keys, msgs: s.public_keys.map(() => s.message_signed_hex), sig: s.signature }));
    const flipped = lines.map((line) => ({
      ...line,
      msgs: line.msgs.map((m) => m.slice(0, -1) + (parseInt(m.slice(-1), 16) ^ 1).toString(16)),
    }));
    const answers = await run('bls-verify', [...lines, ...flipped]);
    expect(answers.slice(0, entries.length)).toEqual(entries.map(() => ({ valid: true })));
    expect(answers.slice(entries.length)).toEqual(entries.map(() => ({ valid: false })));
  });
});

describeWithVectors<{
  p2_singleton_puzzle_hash: { launcher_id: string; delay_time: number; delay_puzzle_hash: string; p2_singleton_puzzle_hash: string }[];
}>('poolctl chia pool-puzzle-hash: v1', 'protocol/puzzle_hashes_v1_pool_singleton.json', (v) => {
  it('derives every p2_singleton_or_delayed puzzle hash', async () => {
    const answers = await run(
      'pool-puzzle-hash',
      v.p2_singleton_puzzle_hash.map(({ launcher_id, delay_time, delay_puzzle_hash }) => ({ launcher_id, delay_time, delay_puzzle_hash })),
    );
    expect(answers.map((a) => a.puzzle_hash)).toEqual(v.p2_singleton_puzzle_hash.map((e) => e.p2_singleton_puzzle_hash));
  });
});

describeWithVectors<{ reward_puzzle_hash: Record<string, string>[] }>(
  'poolctl chia pool-puzzle-hash: v2',
  'protocol/puzzle_hashes_v2_reward_puzzle.json',
  (v) => {
    it('derives every v2 RewardPuzzle hash', async () => {
      const answers = await run(
        'pool-puzzle-hash',
        v.reward_puzzle_hash.map((e) => ({ launcher_id: e.launcher_id, version: 2 })),
      );
      expect(answers.map((a) => a.puzzle_hash)).toEqual(v.reward_puzzle_hash.map((e) => e['reward_puzzle_hash (v2 pool_contract_puzzle_hash)']));
    });
  },
);

interface PlotNftV2Case {
  name: string;
  inputs: { genesis_challenge: string; launcher_id: string; synthetic_public_key: string; pool_config: Record<string, string | number> };
  states: Record<string, Record<string, unknown>>;
}

describeWithVectors<{ cases: PlotNftV2Case[] }>('poolctl chia plotnft-v2-puzzle-hash', 'protocol/plotnft_v2.json', (v) => {
  // Vector keys carry a label after the name ("heightlock (relative_lock_height)"): match on the name.
  const named = <T>(record: Record<string, T>, name: string): T => Object.entries(record).find(([label]) => label.split(' ')[0] === name)![1];
  const states = ['self_pooling', 'pooling', 'exiting'] as const;

  it('derives the full and inner puzzle hash of every case in every state', async () => {
    const lines = v.cases.flatMap((c) =>
      states.map((state) => ({
        launcher_id: c.inputs.launcher_id,
        owner_public_key: c.inputs.synthetic_public_key,
        pool_claim_hash: named(c.inputs.pool_config, 'pool_puzzle_hash'),
        relative_lock_height: named(c.inputs.pool_config, 'heightlock'),
        pool_memoization: named(c.inputs.pool_config, 'pool_memoization'),
        genesis_challenge: c.inputs.genesis_challenge,
        state,
      })),
    );
    const answers = await run('plotnft-v2-puzzle-hash', lines);
    expect(answers).toEqual(
      v.cases.flatMap((c) =>
        states.map((state) => ({ puzzle_hash: named(c.states[state]!, 'full_singleton_puzzle_hash'), inner_puzzle_hash: named(c.states[state]!, 'inner_puzzle_hash') })),
      ),
    );
  });

  it('answers bad lines with an error between good ones, and keeps going', async () => {
    const c1 = v.cases[0]!;
    const good = { launcher_id: c1.inputs.launcher_id, owner_public_key: c1.inputs.synthetic_public_key, state: 'self_pooling' };
    const answers = await run('plotnft-v2-puzzle-hash', [good, { ...good, state: 'pooling' }, { ...good, owner_public_key: '00' }, '{', good]);
    const selfPooling = { puzzle_hash: named(c1.states.self_pooling!, 'full_singleton_puzzle_hash'), inner_puzzle_hash: named(c1.states.self_pooling!, 'inner_puzzle_hash') };
    expect(answers).toEqual([
      selfPooling,
      { error: expect.stringMatching(/missing "genesis_challenge"/) },
      { error: expect.stringMatching(/"owner_public_key" must be 48 bytes/) },
      { error: expect.stringMatching(/line 4/) },
      selfPooling,
    ]);
  });
});

describeWithVectors<{ required_iters: { quality_string: string; sp_hash: string; k: number; difficulty: number; required_iters: number | string }[] }>(
  'poolctl chia iters',
  'protocol/iterations_filter_token.json',
  (v) => {
    it('computes every required iterations value exactly', async () => {
      const answers = await run(
        'iters',
        v.required_iters.map((e) => ({ quality: e.quality_string, sp_hash: e.sp_hash, k: e.k, difficulty: e.difficulty })),
      );
      expect(answers).toEqual(v.required_iters.map((e) => ({ required_iters: String(e.required_iters) })));
    });

    it('keeps a difficulty past 2^53 exact', async () => {
      const [first] = v.required_iters;
      const line = `{"quality":"${first!.quality_string}","sp_hash":"${first!.sp_hash}","k":32,"difficulty":18446744073709551615}`;
      const [answer] = await run('iters', [line]);
      expect(answer).toEqual({ required_iters: expect.stringMatching(/^[0-9]+$/) });
    });
  },
);
