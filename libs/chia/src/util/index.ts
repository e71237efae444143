export { HexFormatError, bytesEqual, bytesToHex, concatBytes, hexToBytes } from './hex';
export type { BytesToHexOptions, HexToBytesOptions } from './hex';
export { JsonParseError, parseChiaJson, stringifyChiaJson, type JsonObject, type JsonValue, type ParseOptions } from './json-bigint';
export { sha256 } from './hash';
