export { FarmerSigner, farmerKeysFromSeed, type FarmerSecretKeys } from './farmer-signer';
export { SimulatedFarmer, type SimulatedFarmerOptions, type PoolAnswer } from './simulated-farmer';
export { SimulatedFarmerV2, syntheticOffset, syntheticSecretKey, DEFAULT_HIDDEN_PUZZLE_HASH } from './simulated-farmer-v2';
export { DEVNET_FARMER_USER_AGENT, DEVNET_FARMER_VERSION, DEVNET_PARTIAL_HEADERS, PoolHttpClient, type PoolHttpResponse, type PoolRequest } from './pool-http-client';
export { MisbehavingFarmer, type Misbehaviour } from './misbehaving-farmer';
export { devnetFarmerSeed, devnetLoginKeys, loginLink, type LoginKey } from './login-link';
