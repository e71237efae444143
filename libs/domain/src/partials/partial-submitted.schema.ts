import type { PartialOrigin, PartialSubmitted, PartialSubmittedV1Data } from './partial.events';

/*
 * PartialSubmitted's schema versions, apart from the event types so that the ledger's decoder (pool-event.ts) can
 * use them without an import cycle: 1 (launcher, proof, points, signage point, time, plot size), 2 (+ PartialOrigin).
 */

/** Schema 2 added PartialOrigin. */
export const PARTIAL_SUBMITTED_SCHEMA_VERSION = 2;

/**
 * Longest farmer-chosen text (a version header, the User-Agent) kept in the ledger: real ones are a few dozen
 * characters ("Chia Blockchain v.2.5.0"), so this keeps them whole while a farmer cannot bloat every event it causes.
 */
export const PARTIAL_HEADER_MAX_LENGTH = 200;

/** The PartialOrigin of an event recorded before schema 2: nothing was kept. */
export const ORIGIN_NOT_RECORDED: PartialOrigin = {
  harvesterId: null,
  plotPublicKey: null,
  plotId: null,
  endOfSubSlot: null,
  farmerVersion: null,
  harvesterVersion: null,
  userAgent: null,
};

/**
 * A PartialSubmitted's data at any recorded schema version, in the current shape: schema 1 gets every PartialOrigin
 * field null. (Fields a record does carry are kept, so a schema 2 record read without its version loses nothing.)
 */
export function upcastPartialSubmitted(data: PartialSubmittedV1Data | PartialSubmitted['data'], schemaVersion: number): PartialSubmitted['data'] {
  if (schemaVersion >= PARTIAL_SUBMITTED_SCHEMA_VERSION) return data as PartialSubmitted['data'];
  return { ...ORIGIN_NOT_RECORDED, ...data };
}

/**
 * A farmer-chosen header as the ledger keeps it: trimmed, at most PARTIAL_HEADER_MAX_LENGTH characters (whole code
 * points), null when absent or blank.
 */
export function boundedHeader(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') return null;
  const chars = [...trimmed];
  return chars.length <= PARTIAL_HEADER_MAX_LENGTH ? trimmed : chars.slice(0, PARTIAL_HEADER_MAX_LENGTH).join('');
}
