export { FarmerSigner, farmerKeysFromSeed, type FarmerSecretKeys } from './farmer-signer';
export { SimulatedFarmer, type SimulatedFarmerOptions, type PoolAnswer } from './simulated-farmer';
export { SimulatedFarmerV2, syntheticOffset, syntheticSecretKey, DEFAULT_HIDDEN_PUZZLE_HASH } from './simulated-farmer-v2';
export { MisbehavingFarmer, type Misbehaviour } from './misbehaving-farmer';
