/** The pool's wallet on the devnet, behind the same WalletRpc port as the real wallet RPC client. */
export { type DevnetWalletOptions, DevnetWallet, type WalletBehaviour } from './devnet-wallet';
