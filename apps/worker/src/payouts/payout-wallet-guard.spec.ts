import { ChiaRpcError, type NetworkInfo, type WalletRpc } from '@pool/chia';
import { DevnetChain, DevnetWallet } from '@pool/devnet';
import { PayoutWalletGuard, PayoutWalletRefused } from './payout-wallet-guard';

const network = (networkPrefix: string, networkName: string) => ({ getNetworkInfo: async (): Promise<NetworkInfo> => ({ networkName, networkPrefix, genesisChallenge: '00'.repeat(32) }) });

/** Chia's wallet as the guard sees it: a keychain of some keys, one logged in; anyone may switch it. */
class KeychainWallet implements Pick<WalletRpc, 'logIn' | 'getLoggedInFingerprint'> {
  logIns: number[] = [];
  constructor(
    private readonly keychain: number[],
    public loggedIn: number | null,
    /** What a second process does right after our log_in (switches to another key). */
    private readonly switchAfterLogIn?: number,
  ) {}
  async logIn(fingerprint: number): Promise<number> {
    this.logIns.push(fingerprint);
    if (!this.keychain.includes(fingerprint)) throw new Error(`fingerprint ${fingerprint} not found in keychain or keychain is empty`);
    this.loggedIn = this.switchAfterLogIn ?? fingerprint;
    return fingerprint;
  }
  async getLoggedInFingerprint(): Promise<number | null> {
    return this.loggedIn;
  }
}

async function refusal(guard: PayoutWalletGuard): Promise<PayoutWalletRefused> {
  const error = await guard.check().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PayoutWalletRefused);
  return error as PayoutWalletRefused;
}

describe('PayoutWalletGuard', () => {
  it('logs the wallet in to the configured key when it is on another, and only then lets it sign', async () => {
    const wallet = new KeychainWallet([11, 22], 22);
    const guard = new PayoutWalletGuard({ chain: network('xch', 'mainnet'), wallet, config: { chia: { walletFingerprint: 11 } } });
    await guard.check();
    expect(wallet.logIns).toEqual([11]);
    expect(wallet.loggedIn).toBe(11);
    await guard.check();
    expect(wallet.logIns).toEqual([11]); // already on it: no second log_in
  });

  it('refuses, naming chia.wallet.fingerprint, a key the keychain does not hold (the devnet wallet answers as Chia does)', async () => {
    const wallet = new DevnetWallet(new DevnetChain({ seed: 'wallet-guard-spec', networkBlockEverySignagePoints: 0 }), { fingerprint: 5 });
    const guard = new PayoutWalletGuard({ chain: network('txch', 'devnet'), wallet, config: { chia: { walletFingerprint: 6 }, source: 'pool.yaml' } });
    const error = await refusal(guard);
    expect(error.problems).toEqual(['chia.wallet.fingerprint: the wallet cannot log in to key 6: fingerprint 6 not found in keychain or keychain is empty']);
    expect(error.message).toContain('pool.yaml');
    await new PayoutWalletGuard({ chain: network('txch', 'devnet'), wallet, config: { chia: { walletFingerprint: 5 } } }).check();
    expect(await wallet.getLoggedInFingerprint()).toBe(5);
  });

  it('refuses to pay when the wallet reports another key after logging in (someone switched it)', async () => {
    const wallet = new KeychainWallet([11, 22], 22, 22);
    const error = await refusal(new PayoutWalletGuard({ chain: network('xch', 'mainnet'), wallet, config: { chia: { walletFingerprint: 11 } } }));
    expect(error.problems[0]).toBe('chia.wallet.fingerprint: the wallet is logged in to key 22, not 11: no payout is paid from another key');
  });

  it('refuses an address of another network than the node\'s, naming the key; the same address on its own network passes', async () => {
    const wallet = new KeychainWallet([11], 11);
    const addresses = [{ key: 'pool.target_puzzle_hash', prefix: 'txch' }];
    const error = await refusal(new PayoutWalletGuard({ chain: network('xch', 'mainnet'), wallet, config: { chia: { walletFingerprint: 11 }, addresses } }));
    expect(error.problems).toEqual(['pool.target_puzzle_hash: a "txch" address, but the full node is on mainnet, whose addresses start with "xch1"']);
    await new PayoutWalletGuard({ chain: network('txch', 'testnet11'), wallet, config: { chia: { walletFingerprint: 11 }, addresses } }).check();
  });

  it('a wallet it cannot reach is no refusal: the error passes as it is, and the next check tries again', async () => {
    const unreachable = new ChiaRpcError({ kind: 'connection', endpoint: 'log_in', target: 'wallet:9256', attempts: 1, detail: 'ECONNREFUSED' });
    const wallet: Pick<WalletRpc, 'logIn' | 'getLoggedInFingerprint'> = { getLoggedInFingerprint: async () => 22, logIn: async () => Promise.reject(unreachable) };
    const error = await new PayoutWalletGuard({ chain: network('xch', 'mainnet'), wallet, config: { chia: { walletFingerprint: 11 } } }).check().catch((e: unknown) => e);
    expect(error).toBe(unreachable);
  });

  it('without a configured key (the devnet default) it leaves the wallet as it is', async () => {
    const wallet = new KeychainWallet([11, 22], 22);
    await new PayoutWalletGuard({ chain: network('xch', 'mainnet'), wallet, config: { chia: {} } }).check();
    expect(wallet.logIns).toEqual([]);
  });
});
