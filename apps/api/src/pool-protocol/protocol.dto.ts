import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsHexBytes, isHexBytes, isPlainObject, IsUint, isUint, registerFastPath } from './protocol-validators';

/*
 * The shapes farmers send, checked before any work is done. Field names are Chia's (snake_case JSON);
 * both editions are accepted (chia 2.4.4 and chia-main add optional fields). Decoding into typed objects
 * follows with libs/chia's streamable schemas.
 */

export class ProofOfSpaceDto {
  @IsHexBytes(32) challenge!: string;
  @IsHexBytes(48, { nullable: true }) pool_public_key!: string | null;
  @IsHexBytes(32, { nullable: true }) pool_contract_puzzle_hash!: string | null;
  @IsHexBytes(48) plot_public_key!: string;
  @IsUint(8) size!: number;
  @IsHexBytes(undefined, { maxBytes: 4096 }) proof!: string;
  @IsOptional() @IsUint(8) version?: number;
  @IsOptional() @IsUint(16) plot_index?: number;
  @IsOptional() @IsUint(8) meta_group?: number;
  @IsOptional() @IsUint(8) strength?: number;
}

export class PostPartialPayloadDto {
  @IsHexBytes(32) launcher_id!: string;
  @IsUint(64) authentication_token!: number | bigint;
  @IsDefined() @IsObject() @ValidateNested() @Type(() => ProofOfSpaceDto) proof_of_space!: ProofOfSpaceDto;
  @IsHexBytes(32) sp_hash!: string;
  @IsBoolean() end_of_sub_slot!: boolean;
  @IsHexBytes(32) harvester_id!: string;
}

export class PostPartialRequestDto {
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PostPartialPayloadDto) payload!: PostPartialPayloadDto;
  @IsHexBytes(96) aggregate_signature!: string;
  @IsOptional() @IsString() @MaxLength(4096) authentication_token_v2?: string;
}

const U8 = 0xffn;
const U16 = 0xffffn;
const U64 = 0xffff_ffff_ffff_ffffn;
/** @IsOptional() skips null and undefined. */
const absent = (value: unknown): boolean => value === null || value === undefined;
/** @IsOptional() @IsString() @MaxLength(n): a string of at most n UTF-16 units is within n characters. */
const optionalShortString = (value: unknown, max: number): boolean => absent(value) || (typeof value === 'string' && value.length <= max);

// The decorators above, by hand, for POST /partial and /v2/partial (see registerFastPath).
registerFastPath(PostPartialRequestDto, (body) => {
  if (!isPlainObject(body)) return false;
  const payload = body.payload;
  if (!isPlainObject(payload)) return false;
  const pos = payload.proof_of_space;
  if (!isPlainObject(pos)) return false;
  return (
    isHexBytes(body.aggregate_signature, 96) &&
    optionalShortString(body.authentication_token_v2, 4096) &&
    isHexBytes(payload.launcher_id, 32) &&
    isUint(payload.authentication_token, U64) &&
    isHexBytes(payload.sp_hash, 32) &&
    typeof payload.end_of_sub_slot === 'boolean' &&
    isHexBytes(payload.harvester_id, 32) &&
    isHexBytes(pos.challenge, 32) &&
    isHexBytes(pos.pool_public_key, 48, { nullable: true }) &&
    isHexBytes(pos.pool_contract_puzzle_hash, 32, { nullable: true }) &&
    isHexBytes(pos.plot_public_key, 48) &&
    isUint(pos.size, U8) &&
    isHexBytes(pos.proof, undefined, { maxBytes: 4096 }) &&
    (absent(pos.version) || isUint(pos.version, U8)) &&
    (absent(pos.plot_index) || isUint(pos.plot_index, U16)) &&
    (absent(pos.meta_group) || isUint(pos.meta_group, U8)) &&
    (absent(pos.strength) || isUint(pos.strength, U8))
  );
});

export class PostFarmerPayloadDto {
  @IsHexBytes(32) launcher_id!: string;
  @IsUint(64) authentication_token!: number | bigint;
  @IsHexBytes(48) authentication_public_key!: string;
  @IsString() @MaxLength(1024) payout_instructions!: string;
  @IsUint(64, { nullable: true }) suggested_difficulty!: number | bigint | null;
}

export class PostFarmerRequestDto {
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PostFarmerPayloadDto) payload!: PostFarmerPayloadDto;
  @IsHexBytes(96) signature!: string;
}

export class PutFarmerPayloadDto {
  @IsHexBytes(32) launcher_id!: string;
  @IsUint(64) authentication_token!: number | bigint;
  @IsHexBytes(48, { nullable: true }) authentication_public_key!: string | null;
  @IsOptional() @IsString() @MaxLength(1024) payout_instructions!: string | null;
  @IsUint(64, { nullable: true }) suggested_difficulty!: number | bigint | null;
  @IsOptional() @IsString() @MaxLength(4096) authentication_token_v2?: string;
}

export class PutFarmerRequestDto {
  @IsDefined() @IsObject() @ValidateNested() @Type(() => PutFarmerPayloadDto) payload!: PutFarmerPayloadDto;
  @IsHexBytes(96, { nullable: true }) signature!: string | null;
}

/** GET /farmer and GET /login query. */
export class AuthenticatedQueryDto {
  @IsHexBytes(32) launcher_id!: string;
  @IsUint(64) authentication_token!: string;
  @IsHexBytes(96) signature!: string;
}

/** GET /v2/auth query. */
export class V2AuthQueryDto {
  @IsHexBytes(32) launcher_id!: string;
  @IsUint(64) timestamp!: string;
  @IsHexBytes(96) signature!: string;
}

/** GET /v2/farmer query. */
export class V2FarmerQueryDto {
  @IsHexBytes(32) launcher_id!: string;
  @IsString() @MaxLength(4096) authentication_token_v2!: string;
  @IsOptional() @IsUint(64) authentication_token?: string;
}
