/**
 * The chain objects shared by every folder (coins, coin records, spends, bundles, block records, signage
 * points): camelCase, bigint amounts, hex without `0x`. Their JSON wire form is read and written in rpc/.
 */
export {
  type BlockRecord,
  type Coin,
  type CoinRecord,
  type CoinSpend,
  type Hex,
  type SignagePoint,
  type SpendBundle,
  type SubEpochSummary,
  G2_INFINITY_HEX,
} from './chain-types';
export { spendBundleName } from './spend-bundle-name';
