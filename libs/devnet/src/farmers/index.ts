export { FarmerSigner, farmerKeysFromSeed, type FarmerSecretKeys } from './farmer-signer';
