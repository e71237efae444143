import { ChiaRpcError, type FullNodeRpc, type WalletRpc } from '@pool/chia';
import { addressNetworkProblems, ConfigError, type PoolConfig } from '@pool/config';

/**
 * The configuration is wrong for this node or wallet: the configured key is not in the wallet's keychain, or an
 * address is of another network. Nothing is paid while it holds, and a worker starting with it stops.
 */
export class PayoutWalletRefused extends ConfigError {}

export interface PayoutWalletGuardDeps {
  chain: Pick<FullNodeRpc, 'getNetworkInfo'>;
  wallet: Pick<WalletRpc, 'logIn' | 'getLoggedInFingerprint'>;
  config: Pick<PoolConfig, 'chia' | 'addresses' | 'source'>;
}

/**
 * What the worker makes sure of before the wallet signs a payout: the configured addresses are of the node's
 * network (asked once: a node does not change networks), and the wallet works with the configured key. Chia's
 * wallet serves one key at a time out of its keychain and anyone with its RPC certificate may switch it, so the key
 * is looked at before every signing: on another key the wallet is logged in to ours (`log_in`, as pool-reference
 * does at start-up), and unless it then reports ours, nothing is signed.
 */
export class PayoutWalletGuard {
  private networkChecked = false;

  constructor(private readonly deps: PayoutWalletGuardDeps) {}

  /** Throws PayoutWalletRefused when the wallet must not pay; transport errors pass through as they are. */
  async check(): Promise<void> {
    await this.checkNetwork();
    await this.checkKey();
  }

  private async checkNetwork(): Promise<void> {
    const addresses = this.deps.config.addresses ?? [];
    if (this.networkChecked || addresses.length === 0) return;
    const network = await this.deps.chain.getNetworkInfo();
    const problems = addressNetworkProblems(addresses, network.networkPrefix, network.networkName);
    if (problems.length > 0) throw new PayoutWalletRefused(problems, this.deps.config.source);
    this.networkChecked = true;
  }

  private async checkKey(): Promise<void> {
    const wanted = this.deps.config.chia.walletFingerprint;
    if (wanted === undefined) return;
    const { wallet } = this.deps;
    if ((await wallet.getLoggedInFingerprint()) === wanted) return;
    try {
      await wallet.logIn(wanted);
    } catch (error) {
      if (error instanceof ChiaRpcError && error.kind !== 'rpc') throw error;
      // The wallet's own words ("fingerprint N not found in keychain or keychain is empty").
      const said = error instanceof ChiaRpcError ? (error.nodeError ?? error.message) : (error as Error).message;
      throw this.refused(`the wallet cannot log in to key ${wanted}: ${said}`);
    }
    // Read back rather than trusting log_in's answer: only the key the wallet reports now signs the next bundle.
    const now = await wallet.getLoggedInFingerprint();
    if (now !== wanted) throw this.refused(`the wallet is logged in to ${now === null ? 'no key' : `key ${now}`}, not ${wanted}: no payout is paid from another key`);
  }

  private refused(problem: string): PayoutWalletRefused {
    return new PayoutWalletRefused([`chia.wallet.fingerprint: ${problem}`], this.deps.config.source);
  }
}
