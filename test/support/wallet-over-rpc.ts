import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalletRpcClient } from '@pool/chia';
import { ensureDevnetChiaRoot, startWalletRpcServer, type DevnetWallet } from '@pool/devnet';

export interface WalletOverRpc {
  client: WalletRpcClient;
  close(): Promise<void>;
}

/** A devnet wallet behind its own mutual-TLS RPC server (certificates in a CHIA_ROOT of its own), as the worker reaches a real one. */
export async function walletOverRpc(wallet: DevnetWallet, label: string): Promise<WalletOverRpc> {
  const chiaRoot = mkdtempSync(join(tmpdir(), `${label}-wallet-`));
  ensureDevnetChiaRoot(chiaRoot);
  const server = await startWalletRpcServer(wallet, { chiaRoot });
  const client = WalletRpcClient.fromChiaRoot({ host: '127.0.0.1', port: server.port, tls: { chiaRoot } });
  return {
    client,
    close: async () => {
      client.close();
      await server.close();
      rmSync(chiaRoot, { recursive: true, force: true });
    },
  };
}
