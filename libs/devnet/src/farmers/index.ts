export { FarmerSigner, farmerKeysFromSeed, type FarmerSecretKeys } from './farmer-signer';
export { SimulatedFarmer, type SimulatedFarmerOptions, type PoolAnswer } from './simulated-farmer';
