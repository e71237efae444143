export {
  AddressError,
  MAINNET_ADDRESS_PREFIX,
  TESTNET_ADDRESS_PREFIX,
  addressToPuzzleHash,
  decodeAddress,
  puzzleHashToAddress,
} from './bech32m-address';
export type { DecodedAddress } from './bech32m-address';
export { payoutInstructionsToPuzzleHash } from './payout-instructions';
export type { PayoutInstructionsOptions } from './payout-instructions';
