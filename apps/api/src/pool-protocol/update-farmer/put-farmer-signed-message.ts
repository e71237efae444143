import { PutFarmerPayloadLegacySchema, PutFarmerPayloadSchema, type PutFarmerRequestAnyEdition } from '@pool/chia';

/** What the owner key signs for PUT /farmer: the payload hash in the edition the farmer sent (5 or 6 fields). */
export function putFarmerSignedMessage(edition: PutFarmerRequestAnyEdition): Uint8Array {
  return edition.edition === 'current' ? PutFarmerPayloadSchema.hash(edition.request.payload) : PutFarmerPayloadLegacySchema.hash(edition.request.payload);
}
