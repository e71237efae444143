import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { PoolErrorCode } from '@pool/chia';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { PoolProtocolError } from './pool-protocol.error';

const HEX = /^(0x|0X)?([0-9a-fA-F]{2})*$/;

/** The check behind @IsHexBytes, shared with the hand-written fast paths so both judge alike. */
export function isHexBytes(value: unknown, bytes: number | undefined, options: { nullable?: boolean; maxBytes?: number } = {}): boolean {
  if (value === null) return options.nullable === true;
  if (typeof value !== 'string' || !HEX.test(value)) return false;
  const length = (value.length - (value.startsWith('0x') || value.startsWith('0X') ? 2 : 0)) / 2;
  return bytes === undefined ? length <= (options.maxBytes ?? 65_536) : length === bytes;
}

/** The check behind @IsUint: `max` is 2^bits - 1. */
export function isUint(value: unknown, max: bigint, options: { nullable?: boolean } = {}): boolean {
  if (value === null) return options.nullable === true;
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^[0-9]{1,20}$/.test(value)) n = BigInt(value);
  else return false;
  return n >= 0n && n <= max;
}

/** Hex with or without 0x; `bytes` fixes the decoded length. `nullable` also accepts null. */
export function IsHexBytes(bytes?: number, options: ValidationOptions & { nullable?: boolean; maxBytes?: number } = {}): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isHexBytes',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isHexBytes(value, bytes, options),
        defaultMessage: () =>
          `$property must be ${bytes === undefined ? 'hex' : `${bytes} bytes of hex`} (0x optional)${options.nullable ? ' or null' : ''}`,
      },
    });
}

/** An unsigned integer of `bits` bits, as a JSON number, an exact big integer, or a decimal string (query params). */
export function IsUint(bits: 8 | 16 | 32 | 64, options: ValidationOptions & { nullable?: boolean } = {}): PropertyDecorator {
  const max = (1n << BigInt(bits)) - 1n;
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUint',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isUint(value, max, options),
        defaultMessage: () => `$property must be an unsigned ${bits}-bit integer${options.nullable ? ' or null' : ''}`,
      },
    });
}

type FastPath = (value: object) => boolean;
const FAST_PATHS = new Map<unknown, FastPath>();

/**
 * A hand-written check for a DTO on a hot route (POST /partial), in front of class-validator, whose
 * plainToInstance and metadata walk cost more than the rest of the request's validation. It may only answer
 * true for a value class-validator passes (protocol-validators.spec.ts compares the two on fuzzed bodies);
 * when it answers false, class-validator runs and words the error.
 */
export function registerFastPath(dto: abstract new () => object, check: FastPath): void {
  FAST_PATHS.set(dto, check);
}

/**
 * A plain JSON object: own properties and nothing inherited beyond Object.prototype, so reading a field
 * sees exactly what class-transformer copies.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function describe(errors: readonly ValidationError[], path = ''): string[] {
  return errors.flatMap((error) => {
    const here = path ? `${path}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => message.replace(error.property, here));
    return [...own, ...describe(error.children ?? [], here)];
  });
}

/**
 * class-validator on every protocol body and query, then the request as the farmer sent it: Nest's own
 * ValidationPipe hands back a re-serialized copy (undefined keys added, values converted), which would
 * change what the signature covers.
 */
@Injectable()
export class ProtocolValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const dto = metadata.metatype;
    if (!dto || dto === Object || metadata.type === 'custom') return value;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, `invalid request: the ${metadata.type} must be a JSON object`);
    }
    // A body the fast path vouches for is one class-validator would pass; anything else, class-validator judges.
    if (FAST_PATHS.get(dto)?.(value) === true) return value;
    const errors = await validate(plainToInstance(dto, value) as object, {
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    });
    if (errors.length > 0) throw new PoolProtocolError(PoolErrorCode.SERVER_EXCEPTION, `invalid request: ${describe(errors).join('; ')}`);
    return value;
  }
}

export const protocolValidationPipe = new ProtocolValidationPipe();
