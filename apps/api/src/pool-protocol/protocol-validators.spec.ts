import 'reflect-metadata';
import { type ArgumentMetadata } from '@nestjs/common';
import fc from 'fast-check';
import { PostPartialRequestDto } from './protocol.dto';
import { PoolProtocolError } from './pool-protocol.error';
import { ProtocolValidationPipe } from './protocol-validators';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

const hex = (bytes: number, fill = 'ab'): string => fill.repeat(bytes);

function validBody(): Record<string, unknown> {
  return {
    payload: {
      launcher_id: `0x${hex(32)}`,
      authentication_token: 29_000_000,
      proof_of_space: {
        challenge: hex(32, 'cd'),
        pool_public_key: null,
        pool_contract_puzzle_hash: hex(32, 'ef'),
        plot_public_key: hex(48, '0a'),
        size: 32,
        proof: hex(256, '11'),
      },
      sp_hash: hex(32, '22'),
      end_of_sub_slot: false,
      harvester_id: hex(32, '33'),
    },
    aggregate_signature: hex(96, '44'),
  };
}

/** class-validator's own verdict, as the pipe computed it before the fast path existed. */
async function classValidatorPasses(value: object): Promise<boolean> {
  const errors = await validate(plainToInstance(PostPartialRequestDto, value) as object, {
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
  });
  return errors.length === 0;
}

const metadata: ArgumentMetadata = { type: 'body', metatype: PostPartialRequestDto };

/** Values a farmer (or an attacker) might put in any field. */
const junk = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, true, false, 0, -1, 1.5, 255, 256, 65_535, 65_536, Number.MAX_SAFE_INTEGER, 2 ** 64, NaN, '', '0x', 'zz', '0X' + hex(32)),
  fc.constantFrom<unknown>(2n ** 64n - 1n, 2n ** 64n, -1n, '18446744073709551615', '18446744073709551616', '007', ' 1', [], {}, [hex(32)], { a: 1 }),
  fc.integer({ min: 0, max: 120 }).map((n) => hex(n)),
  fc.integer({ min: 0, max: 120 }).map((n) => `0x${hex(n, 'F0')}`),
  fc.string({ maxLength: 80 }),
  fc.string({ minLength: 4090, maxLength: 4100 }),
  fc.bigInt(),
  fc.integer(),
);

const paths = [
  ['aggregate_signature'],
  ['authentication_token_v2'],
  ['payload'],
  ['payload', 'launcher_id'],
  ['payload', 'authentication_token'],
  ['payload', 'proof_of_space'],
  ['payload', 'sp_hash'],
  ['payload', 'end_of_sub_slot'],
  ['payload', 'harvester_id'],
  ['payload', 'proof_of_space', 'challenge'],
  ['payload', 'proof_of_space', 'pool_public_key'],
  ['payload', 'proof_of_space', 'pool_contract_puzzle_hash'],
  ['payload', 'proof_of_space', 'plot_public_key'],
  ['payload', 'proof_of_space', 'size'],
  ['payload', 'proof_of_space', 'proof'],
  ['payload', 'proof_of_space', 'version'],
  ['payload', 'proof_of_space', 'plot_index'],
  ['payload', 'proof_of_space', 'meta_group'],
  ['payload', 'proof_of_space', 'strength'],
  ['payload', 'proof_of_space', 'extra_field'],
];

function withValue(body: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  let node = body;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) return body;
    node = next as Record<string, unknown>;
  }
  if (value === undefined) delete node[path[path.length - 1]!];
  else node[path[path.length - 1]!] = value;
  return body;
}

describe('ProtocolValidationPipe fast path for POST /partial', () => {
  const pipe = new ProtocolValidationPipe();

  it('passes a valid body through unchanged, as class-validator does', async () => {
    const body = validBody();
    expect(await classValidatorPasses(body)).toBe(true);
    await expect(pipe.transform(body, metadata)).resolves.toBe(body);
  });

  it('agrees with class-validator on bodies with up to three fields replaced by junk', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...paths), junk), { minLength: 1, maxLength: 3 }), async (changes) => {
        // A copy of each value: the junk's objects are shared constants, and a body nests them into each other (one run
        // left `{}` holding itself, and the next overflowed class-transformer's stack on the cycle).
        const body = changes.reduce((b, [path, value]) => withValue(b, path, structuredClone(value)), validBody());
        const expected = await classValidatorPasses(body);
        const answer = await pipe.transform(body, metadata).then(
          () => true,
          (error: unknown) => {
            expect(error).toBeInstanceOf(PoolProtocolError);
            return false;
          },
        );
        expect(answer).toBe(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('leaves objects with an unusual prototype to class-validator', async () => {
    const body = validBody();
    const inherited = Object.create({ aggregate_signature: hex(96) }) as Record<string, unknown>;
    Object.assign(inherited, body);
    delete inherited.aggregate_signature;
    expect(await classValidatorPasses(inherited)).toBe(false);
    await expect(pipe.transform(inherited, metadata)).rejects.toBeInstanceOf(PoolProtocolError);
  });
});
