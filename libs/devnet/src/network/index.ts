/** Consensus constants of the simulated network (mainnet values and the small-plot devnet tuning). */
export {
  type NetworkConstants,
  DEVNET_NETWORK,
  MAINNET_NETWORK,
  poolPartialItersLimit,
  posConstantsFor,
  signagePointIntervalIters,
  signagePointIntervalMs,
} from './network-constants';
