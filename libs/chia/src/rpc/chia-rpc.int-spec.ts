import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer } from 'node:net';
import { request as httpsRequest, createServer, type Server } from 'node:https';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChiaRpcError } from './chia-rpc-error';
import { chiaRootTlsPaths, type ChiaTlsMaterial, loadTlsMaterial } from './chia-tls';
import { FullNodeRpcClient } from './full-node-rpc';
import { type JsonObject, parseChiaJson, stringifyChiaJson } from '../util/json-bigint';
import { ChiaRpcConnection, type ChiaRpcConnectionOptions, type RpcRetryEvent } from './rpc-connection';
import { WalletRpcClient } from './wallet-rpc';

/**
 * A real HTTPS server on 127.0.0.1 with mutual TLS, using certificates made with the openssl CLI at test time
 * in a temporary CHIA_ROOT laid out like Chia's (`config/ssl/ca`, `full_node`, `wallet`, `daemon`). Like the
 * ones `chia init` makes, the service certificates are issued for the name "Chia" with no subjectAltName.
 */

const HASH_A = '0x' + 'aa'.repeat(32);
const HASH_B = '0x' + 'bb'.repeat(32);
const SIGNATURE = '0x' + 'c0' + '00'.repeat(95);

// ---------- certificates ----------

const OPENSSL_CONFIG = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
`;

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

function makeCa(dir: string, name: string, config: string): { crt: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const crt = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  openssl(dir, 'req', '-x509', '-config', config, '-extensions', 'ca', '-newkey', 'ec', '-pkeyopt',
    'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', crt, '-days', '2', '-subj', '/O=Chia/CN=Chia CA');
  return { crt, key };
}

let serial = 1;
function makeLeaf(dir: string, name: string, ca: { crt: string; key: string }, config: string): void {
  mkdirSync(dir, { recursive: true });
  const csr = join(dir, `${name}.csr`);
  openssl(dir, 'req', '-new', '-config', config, '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, `${name}.key`), '-out', csr, '-subj', '/O=Chia/OU=Organic Farming Division/CN=Chia');
  openssl(dir, 'x509', '-req', '-in', csr, '-CA', ca.crt, '-CAkey', ca.key, '-set_serial', String(serial++), '-days',
    '2', '-extfile', config, '-extensions', 'leaf', '-out', join(dir, `${name}.crt`));
}

interface Fixture {
  root: string;
  /** Certificates of another CA, which the service must not accept and the client must not trust. */
  foreign: { ca: string; cert: string; key: string };
}

function makeChiaRoot(): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'chia-root-'));
  const config = join(root, 'openssl.cnf');
  writeFileSync(config, OPENSSL_CONFIG);
  const ssl = join(root, 'config', 'ssl');
  const ca = makeCa(join(ssl, 'ca'), 'private_ca', config);
  for (const owner of ['full_node', 'wallet', 'daemon']) makeLeaf(join(ssl, owner), `private_${owner}`, ca, config);
  const foreignDir = join(root, 'foreign');
  const foreignCa = makeCa(foreignDir, 'other_ca', config);
  makeLeaf(foreignDir, 'other', foreignCa, config);
  return {
    root,
    foreign: { ca: foreignCa.crt, cert: join(foreignDir, 'other.crt'), key: join(foreignDir, 'other.key') },
  };
}

// ---------- a scripted Chia service ----------

interface Received {
  endpoint: string;
  rawBody: string;
  body: JsonObject;
}
type Reply = { status?: number; text: string } | 'hang' | 'reset';
type Script = (endpoint: string, body: JsonObject, attempt: number) => Reply;

class FakeChiaService {
  readonly received: Received[] = [];
  script: Script = () => ({ text: '{"success": true}' });
  private server!: Server;

  async start(tls: { key: Buffer; cert: Buffer; ca: Buffer }): Promise<number> {
    this.server = createServer({ ...tls, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const endpoint = (req.url ?? '/').slice(1);
        const rawBody = Buffer.concat(chunks).toString('utf8');
        const body = parseChiaJson(rawBody) as JsonObject;
        this.received.push({ endpoint, rawBody, body });
        const attempt = this.received.filter((r) => r.endpoint === endpoint).length;
        const reply = this.script(endpoint, body, attempt);
        if (reply === 'hang') return;
        if (reply === 'reset') {
          req.socket.destroy();
          return;
        }
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        res.end(reply.text);
      });
    });
    this.server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  reset(script: Script): void {
    this.received.length = 0;
    this.script = script;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const ok = (result: object): Reply => ({ text: stringifyChiaJson({ ...result, success: true }) });
const failure = (error: string, code?: string): Reply => ({
  text: stringifyChiaJson({
    success: false,
    error,
    traceback: 'Traceback (most recent call last): ...',
    ...(code === undefined ? {} : { structuredError: { code, message: error, data: {} } }),
  }),
});

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<ChiaRpcError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ChiaRpcError);
    return error as ChiaRpcError;
  }
  throw new Error('expected the call to fail');
}

// ---------- JSON bodies shaped like Chia's ----------

function blockRecordJson(height: number): object {
  return {
    header_hash: HASH_A,
    prev_hash: HASH_B,
    height,
    weight: 2n ** 70n + 5n,
    total_iters: 2n ** 66n + 3n,
    signage_point_index: 12,
    challenge_vdf_output: { data: '0x0200' + '00'.repeat(98) },
    infused_challenge_vdf_output: null,
    reward_infusion_new_challenge: HASH_B,
    challenge_block_info_hash: HASH_A,
    sub_slot_iters: 147849216,
    pool_puzzle_hash: HASH_A,
    farmer_puzzle_hash: HASH_B,
    required_iters: 1234567,
    deficit: 16,
    overflow: false,
    prev_transaction_block_height: height - 1,
    timestamp: 1700000000,
    prev_transaction_block_hash: HASH_A,
    fees: 0,
    reward_claims_incorporated: [{ parent_coin_info: HASH_A, puzzle_hash: HASH_B, amount: 1750000000000 }],
    finished_challenge_slot_hashes: null,
    finished_infused_challenge_slot_hashes: null,
    finished_reward_slot_hashes: null,
    sub_epoch_summary_included: null,
  };
}

function transactionJson(amount: bigint): object {
  return {
    name: HASH_A,
    confirmed: false,
    confirmed_at_height: 0,
    created_at_time: 1700000123,
    to_puzzle_hash: HASH_B,
    to_address: 'xch1...',
    amount,
    fee_amount: 0,
    sent: 0,
    spend_bundle: null,
    additions: [{ parent_coin_info: HASH_A, puzzle_hash: HASH_B, amount }],
    removals: [],
    wallet_id: 1,
    sent_to: [],
    trade_id: null,
    type: 1,
    memos: {},
    valid_times: { min_time: null, max_time: null },
  };
}

// ---------- tests ----------

const opensslAvailable = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
if (!opensslAvailable) console.warn('[chia-rpc] skipped: the openssl CLI, which makes the test certificates, is not on PATH');
const describeWithOpenssl = opensslAvailable ? describe : describe.skip;

describeWithOpenssl('Chia RPC over mutual TLS (real HTTPS server on 127.0.0.1)', () => {
  let fixture: Fixture;
  let tls: ChiaTlsMaterial;
  const node = new FakeChiaService();
  let port: number;
  const connections: ChiaRpcConnection[] = [];

  function connect(options: Partial<ChiaRpcConnectionOptions> = {}): ChiaRpcConnection {
    const connection = new ChiaRpcConnection({ host: '127.0.0.1', port, tls, retryDelayMs: 1, ...options });
    connections.push(connection);
    return connection;
  }

  beforeAll(async () => {
    fixture = makeChiaRoot();
    tls = loadTlsMaterial(chiaRootTlsPaths({ chiaRoot: fixture.root, service: 'full_node' }));
    const ssl = join(fixture.root, 'config', 'ssl');
    port = await node.start({
      key: readFileSync(join(ssl, 'full_node', 'private_full_node.key')),
      cert: readFileSync(join(ssl, 'full_node', 'private_full_node.crt')),
      ca: readFileSync(join(ssl, 'ca', 'private_ca.crt')),
    });
  });

  afterAll(async () => {
    for (const connection of connections) connection.close();
    await node.stop();
    rmSync(fixture.root, { recursive: true, force: true });
  });

  describe('the test CA fixture', () => {
    it('issues certificates whose name does not match 127.0.0.1, as Chia does', async () => {
      const error = await new Promise<NodeJS.ErrnoException>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port, method: 'POST', path: '/get_blockchain_state', ca: tls.ca, cert: tls.cert, key: tls.key },
          () => reject(new Error('hostname check unexpectedly passed')),
        );
        req.on('error', resolve);
        req.end('{}');
      });
      expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    });
  });

  describe('successful calls', () => {
    it('reads the blockchain state with integers above 2^53 exact, despite the hostname mismatch', async () => {
      node.reset((endpoint) =>
        endpoint === 'get_blockchain_state'
          ? {
              // Hand-written like Chia's json.dumps, so the big integers are bare literals in the text.
              text: `{"blockchain_state": {"peak": ${stringifyChiaJson(blockRecordJson(3330000))},
                "genesis_challenge_initialized": true,
                "sync": {"sync_mode": false, "synced": true, "sync_tip_height": 0, "sync_progress_height": 0},
                "difficulty": 11520, "sub_slot_iters": 147849216, "space": 25193321725003644928,
                "average_block_time": 18, "mempool_size": 3, "mempool_cost": 18446744073709551615,
                "mempool_fees": 9007199254740993, "mempool_min_fees": {"cost_5000000": 0},
                "mempool_max_total_cost": 110000000000, "block_max_cost": 11000000000,
                "node_id": "${'ab'.repeat(32)}"}, "success": true}`,
            }
          : failure('unexpected'),
      );
      const client = new FullNodeRpcClient(connect());
      const state = await client.getBlockchainState();
      expect(state.space).toBe(25193321725003644928n);
      expect(state.mempoolCost).toBe(18446744073709551615n);
      expect(state.mempoolFees).toBe(9007199254740993n);
      expect(state.sync.synced).toBe(true);
      expect(state.peak?.height).toBe(3330000);
      expect(state.peak?.weight).toBe(2n ** 70n + 5n);
      expect(state.peak?.rewardClaimsIncorporated?.[0]?.amount).toBe(1750000000000n);
      expect(state.nodeId).toBe('ab'.repeat(32));
      expect(node.received.map((r) => r.endpoint)).toEqual(['get_blockchain_state']);
    });

    it('sends mojo amounts above 2^53 as exact bare JSON numbers and reads them back exactly', async () => {
      const amount = 2n ** 60n + 1n; // 1 152 921 504 606 846 977 mojos
      node.reset((endpoint, body) => {
        const additions = body.additions as JsonObject[];
        return endpoint === 'send_transaction_multi'
          ? ok({ transaction: transactionJson(additions[0]!.amount as bigint), transaction_id: HASH_A })
          : failure('unexpected');
      });
      const wallet = new WalletRpcClient(connect());
      const result = await wallet.sendTransactionMulti({
        walletId: 1,
        additions: [{ puzzleHash: HASH_B.slice(2).toUpperCase(), amount, memos: ['payout 1'] }],
        fee: 2n ** 63n,
        txConfig: { maxCoinAmount: 2n ** 64n - 1n, excludedCoinAmounts: [0n], reusePuzhash: false },
      });
      const sent = node.received[0]!;
      expect(sent.rawBody).toContain('"amount":1152921504606846977');
      expect(sent.rawBody).toContain('"fee":9223372036854775808');
      expect(sent.rawBody).toContain('"max_coin_amount":18446744073709551615');
      expect(sent.body).toMatchObject({ wallet_id: 1, push: true, reuse_puzhash: false, excluded_coin_amounts: [0] });
      expect((sent.body.additions as JsonObject[])[0]).toEqual({ puzzle_hash: HASH_B, amount, memos: ['payout 1'] });
      expect(result.transaction.amount).toBe(amount);
      expect(result.transaction.additions[0]!.amount).toBe(amount);
      expect(result.transactionId).toBe(HASH_A.slice(2));
    });

    it('pushes a spend bundle with exact amounts and returns the status', async () => {
      node.reset(() => ok({ status: 'SUCCESS' }));
      const maxCoin = { parentCoinInfo: HASH_A.slice(2), puzzleHash: HASH_B.slice(2), amount: 2n ** 64n - 1n };
      const maxCoinJson = { parent_coin_info: HASH_A, puzzle_hash: HASH_B, amount: 2n ** 64n - 1n };
      const client = new FullNodeRpcClient(connect());
      const status = await client.pushTx({
        coinSpends: [{ coin: maxCoin, puzzleReveal: 'ff01', solution: '80' }],
        aggregatedSignature: SIGNATURE.slice(2),
      });
      expect(status).toEqual({ status: 'SUCCESS' });
      expect(node.received[0]!.rawBody).toContain('"amount":18446744073709551615');
      expect(node.received[0]!.body).toEqual({
        spend_bundle: {
          coin_spends: [{ coin: maxCoinJson, puzzle_reveal: '0xff01', solution: '0x80' }],
          aggregated_signature: SIGNATURE,
        },
      });
    });

    it('queries coin records with the optional filters only when given', async () => {
      node.reset(() =>
        ok({
          coin_records: [
            {
              coin: { parent_coin_info: HASH_A, puzzle_hash: HASH_B, amount: 2n ** 53n + 1n },
              confirmed_block_index: 100,
              spent_block_index: 0,
              coinbase: true,
              timestamp: 1700000000,
            },
          ],
        }),
      );
      const client = new FullNodeRpcClient(connect());
      const records = await client.getCoinRecordsByPuzzleHashes([HASH_B], { includeSpentCoins: false, startHeight: 8455205 });
      await client.getCoinRecordsByPuzzleHash(HASH_B);
      expect(records).toEqual([
        {
          coin: { parentCoinInfo: HASH_A.slice(2), puzzleHash: HASH_B.slice(2), amount: 2n ** 53n + 1n },
          confirmedBlockIndex: 100,
          spentBlockIndex: 0,
          coinbase: true,
          timestamp: 1700000000,
          spent: false,
        },
      ]);
      expect(node.received[0]!.body).toEqual({ puzzle_hashes: [HASH_B], include_spent_coins: false, start_height: 8455205 });
      expect(node.received[1]!.body).toEqual({ puzzle_hash: HASH_B });
    });

    it('reads an EOS answer with its reverted flag', async () => {
      const vdf = { challenge: HASH_A, number_of_iterations: 146800640, output: { data: '0x02' + '00'.repeat(99) } };
      const proof = { witness_type: 0, witness: '0x0100', normalized_to_identity: false };
      node.reset(() =>
        ok({
          eos: {
            challenge_chain: {
              challenge_chain_end_of_slot_vdf: vdf,
              infused_challenge_chain_sub_slot_hash: HASH_B,
              subepoch_summary_hash: null,
              new_sub_slot_iters: null,
              new_difficulty: null,
            },
            infused_challenge_chain: { infused_challenge_chain_end_of_slot_vdf: vdf },
            reward_chain: {
              end_of_slot_vdf: vdf,
              challenge_chain_sub_slot_hash: HASH_A,
              infused_challenge_chain_sub_slot_hash: HASH_B,
              deficit: 16,
            },
            proofs: {
              challenge_chain_slot_proof: proof,
              infused_challenge_chain_slot_proof: null,
              reward_chain_slot_proof: proof,
            },
          },
          time_received: 1700000000.123,
          reverted: true,
        }),
      );
      const client = new FullNodeRpcClient(connect());
      const found = await client.getRecentSignagePointOrEos({ challengeHash: HASH_A });
      expect(node.received[0]!.body).toEqual({ challenge_hash: HASH_A });
      expect(found?.kind).toBe('eos');
      expect(found?.reverted).toBe(true);
      expect(found?.timeReceived).toBe(1700000000.123);
      if (found?.kind !== 'eos') throw new Error('expected an EOS');
      expect(found.eos.challengeChain.challengeChainEndOfSlotVdf.numberOfIterations).toBe(146800640n);
      expect(found.eos.proofs.infusedChallengeChainSlotProof).toBeNull();
    });

    it('builds a client from a CHIA_ROOT with the daemon or the service certificate', async () => {
      node.reset(() => ok({ network_name: 'mainnet', network_prefix: 'xch' }));
      for (const clientIdentity of ['daemon', 'service'] as const) {
        const tlsOptions = { chiaRoot: fixture.root, clientIdentity };
        const client = FullNodeRpcClient.fromChiaRoot({ host: '127.0.0.1', port, tls: tlsOptions });
        try {
          await expect(client.getNetworkInfo()).resolves.toEqual({
            networkName: 'mainnet',
            networkPrefix: 'xch',
            genesisChallenge: null,
          });
        } finally {
          client.close();
        }
      }
      expect(node.received).toHaveLength(2);
    });
  });

  describe('wallet calls', () => {
    it('logs in, reads sync status, height and balance', async () => {
      node.reset((endpoint, body) => {
        switch (endpoint) {
          case 'log_in':
            return ok({ fingerprint: body.fingerprint as number });
          case 'get_sync_status':
            return ok({ synced: true, syncing: false, genesis_initialized: true });
          case 'get_height_info':
            return ok({ height: 4100000 });
          case 'get_wallet_balance':
            return {
              text: `{"wallet_balance": {"wallet_id": ${String(body.wallet_id)}, "wallet_type": 0,
                "confirmed_wallet_balance": 123456789012345678901, "unconfirmed_wallet_balance": 123456789012345678901,
                "spendable_balance": 9007199254740993, "pending_change": 0, "max_send_amount": 9007199254740993,
                "unspent_coin_count": 40, "pending_coin_removal_count": 0, "fingerprint": 3967641394,
                "asset_id": null, "pending_approval_balance": null}, "success": true}`,
            };
          default:
            return failure('unexpected');
        }
      });
      const wallet = new WalletRpcClient(connect());
      await expect(wallet.logIn(3967641394)).resolves.toBe(3967641394);
      await expect(wallet.getSyncStatus()).resolves.toEqual({ synced: true, syncing: false, genesisInitialized: true });
      await expect(wallet.getHeightInfo()).resolves.toBe(4100000);
      const balance = await wallet.getWalletBalance(1);
      expect(balance.confirmedWalletBalance).toBe(123456789012345678901n);
      expect(balance.spendableBalance).toBe(9007199254740993n);
      expect(node.received.map((r) => r.body)).toEqual([{ fingerprint: 3967641394 }, {}, {}, { wallet_id: 1 }]);
    });

    it('retries create_signed_transaction only when it does not push', async () => {
      node.reset((_endpoint, _body, attempt) =>
        attempt === 1 ? 'reset' : ok({ signed_txs: [transactionJson(7n)], signed_tx: transactionJson(7n) }),
      );
      const wallet = new WalletRpcClient(connect({ maxAttempts: 3 }));
      const request = { additions: [{ puzzleHash: HASH_A, amount: 1n }], fee: 5n };
      const result = await wallet.createSignedTransaction(request);
      expect(result.signedTxs.map((tx) => tx.amount)).toEqual([7n]);
      expect(node.received.map((r) => r.body.push)).toEqual([false, false]);

      node.reset(() => 'reset');
      const error = await rejection(wallet.createSignedTransaction({ ...request, push: true }));
      expect(error.attempts).toBe(1);
      expect(node.received).toHaveLength(1);
    });

    it('refuses an answer larger than the limit', async () => {
      node.reset(() => ok({ height: 1, padding: 'x'.repeat(100_000) }));
      const error = await rejection(new WalletRpcClient(connect({ maxResponseBytes: 10_000 })).getHeightInfo());
      expect(error.kind).toBe('invalid-response');
      expect(error.message).toContain('larger than 10000 bytes');
    });
  });

  describe('refused TLS', () => {
    it('refuses a client whose certificate is not signed by the private CA, without crashing', async () => {
      node.reset(() => ok({}));
      const impostor = connect({
        tls: { ca: tls.ca, cert: readFileSync(fixture.foreign.cert), key: readFileSync(fixture.foreign.key) },
        maxAttempts: 1,
      });
      const error = await rejection(new FullNodeRpcClient(impostor).getBlockchainState());
      // A Node server checks the client certificate after the TLS 1.3 handshake and just closes the socket
      // (the client sees ECONNRESET); an OpenSSL server such as Chia's sends an alert (the client sees ERR_SSL_*).
      expect(['tls', 'connection']).toContain(error.kind);
      expect(error.isTransportFailure).toBe(true);
      expect(error.endpoint).toBe('get_blockchain_state');
      expect(error.message).toContain(`get_blockchain_state on 127.0.0.1:${port}`);
      expect(node.received).toHaveLength(0);
    });

    it('refuses a client that presents no certificate at all', async () => {
      node.reset(() => ok({}));
      const error = await new Promise<Error>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/get_blockchain_state',
            ca: tls.ca,
            checkServerIdentity: () => undefined,
          },
          (res) => {
            res.resume();
            res.on('end', () => reject(new Error(`answered with HTTP ${res.statusCode}`)));
            res.on('error', resolve);
          },
        );
        req.on('error', resolve);
        req.end('{}');
      });
      // Node's own errors come from another realm under jest, so check the shape, not the class.
      expect(typeof error.message).toBe('string');
      expect((error as NodeJS.ErrnoException).code).toMatch(/^ERR_SSL_|^ECONNRESET$/);
      expect(node.received).toHaveLength(0);
    });

    it('does not trust a service whose certificate comes from another CA', async () => {
      const otherNode = new FakeChiaService();
      const otherPort = await otherNode.start({
        key: readFileSync(fixture.foreign.key),
        cert: readFileSync(fixture.foreign.cert),
        ca: Buffer.concat([readFileSync(fixture.foreign.ca), tls.ca as Buffer]),
      });
      try {
        const error = await rejection(new FullNodeRpcClient(connect({ port: otherPort })).getBlockchainState());
        expect(error.kind).toBe('tls');
        expect(error.attempts).toBe(1); // TLS failures are not retried
        expect(error.target).toBe(`127.0.0.1:${otherPort}`);
        expect(otherNode.received).toHaveLength(0);
      } finally {
        await otherNode.stop();
      }
    });
  });

  describe('failures the service reports', () => {
    it('turns success:false into a ChiaRpcError naming the endpoint, with the node error text, not retried', async () => {
      node.reset(() => failure('Invalid height 5. coin record ...', 'INVALID_HEIGHT_FOR_COIN'));
      const client = new FullNodeRpcClient(connect());
      const error = await rejection(client.getPuzzleAndSolution(HASH_A, 5));
      expect(error.kind).toBe('rpc');
      expect(error.endpoint).toBe('get_puzzle_and_solution');
      expect(error.nodeError).toBe('Invalid height 5. coin record ...');
      expect(error.structuredCode).toBe('INVALID_HEIGHT_FOR_COIN');
      expect(error.message).toContain('get_puzzle_and_solution');
      expect(error.message).toContain('Invalid height 5');
      expect(error.isTransportFailure).toBe(false);
      expect(node.received).toHaveLength(1);
    });

    it('answers null for records the node does not have, by structured code or by error text', async () => {
      node.reset((endpoint) =>
        endpoint === 'get_coin_record_by_name'
          ? failure(`Coin record 0x${'aa'.repeat(32)} not found`, 'COIN_RECORD_NOT_FOUND')
          : endpoint === 'get_recent_signage_point_or_eos'
            ? failure(`Did not find sp ${'aa'.repeat(32)} in cache`)
            : endpoint === 'get_transaction'
              ? failure(`Transaction 0x${'aa'.repeat(32)} not found`)
              : failure('Block height 9999999 not found in chain'),
      );
      const client = new FullNodeRpcClient(connect());
      await expect(client.getCoinRecordByName(HASH_A)).resolves.toBeNull();
      await expect(client.getRecentSignagePointOrEos({ spHash: HASH_A })).resolves.toBeNull();
      await expect(client.getBlockRecordByHeight(9999999)).resolves.toBeNull();
      await expect(new WalletRpcClient(connect()).getTransaction(HASH_A)).resolves.toBeNull();
    });

    it('still throws other errors of lookups that can answer null', async () => {
      node.reset(() => failure('Wallet needs to be fully synced'));
      const error = await rejection(new FullNodeRpcClient(connect()).getCoinRecordByName(HASH_A));
      expect(error.nodeError).toBe('Wallet needs to be fully synced');
    });

    it('reports an HTTP status other than 200', async () => {
      node.reset(() => ({ status: 500, text: '500 Internal Server Error' }));
      const error = await rejection(new FullNodeRpcClient(connect()).getBlockchainState());
      expect(error.kind).toBe('http');
      expect(error.httpStatus).toBe(500);
      expect(node.received).toHaveLength(1);
    });

    it('reports an answer that lacks a field, naming the field', async () => {
      node.reset(() =>
        ok({
          coin_record: {
            coin: { parent_coin_info: HASH_A, puzzle_hash: HASH_B },
            confirmed_block_index: 1,
            spent_block_index: 0,
            coinbase: false,
            timestamp: 1700000000,
          },
        }),
      );
      const error = await rejection(new FullNodeRpcClient(connect()).getCoinRecordByName(HASH_A));
      expect(error.kind).toBe('invalid-response');
      expect(error.message).toContain('$.coin_record.coin.amount');
    });

    it('reports an answer that is not JSON', async () => {
      node.reset(() => ({ text: '<html>proxy error</html>' }));
      const error = await rejection(new WalletRpcClient(connect()).getHeightInfo());
      expect(error.kind).toBe('invalid-response');
      expect(error.endpoint).toBe('get_height_info');
    });
  });

  describe('time limits and retries', () => {
    it('gives up on a silent service after the time limit, retrying an idempotent call', async () => {
      node.reset(() => 'hang');
      const retries: RpcRetryEvent[] = [];
      const client = new FullNodeRpcClient(connect({ timeoutMs: 300, maxAttempts: 2, onRetry: (event) => retries.push(event) }));
      const error = await rejection(client.getBlockchainState());
      expect(error.kind).toBe('timeout');
      expect(error.attempts).toBe(2);
      expect(error.message).toContain('300 ms');
      expect(node.received).toHaveLength(2);
      expect(retries.map((r) => r.attempt)).toEqual([1]);
    });

    it('applies a per-endpoint time limit', async () => {
      node.reset((endpoint) => (endpoint === 'get_coin_records_by_names' ? 'hang' : ok({ height: 7 })));
      const connection = connect({ timeoutMs: 60_000, endpointTimeoutsMs: { get_coin_records_by_names: 200 }, maxAttempts: 1 });
      const error = await rejection(new FullNodeRpcClient(connection).getCoinRecordsByNames([HASH_A]));
      expect(error.kind).toBe('timeout');
      expect(error.message).toContain('200 ms');
    });

    it('retries a refused connection a bounded number of times', async () => {
      const closedPort = await freePort();
      const retries: RpcRetryEvent[] = [];
      const onRetry = (event: RpcRetryEvent) => retries.push(event);
      const client = new FullNodeRpcClient(connect({ port: closedPort, maxAttempts: 4, onRetry }));
      const error = await rejection(client.getBlockchainState());
      expect(error.kind).toBe('connection');
      expect(error.transportCode).toBe('ECONNREFUSED');
      expect(error.attempts).toBe(4);
      expect(retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
      expect(retries.every((r) => r.endpoint === 'get_blockchain_state' && r.error.kind === 'connection')).toBe(true);
    });

    it('recovers when a retry succeeds after a reset connection', async () => {
      node.reset((_endpoint, _body, attempt) => (attempt === 1 ? 'reset' : ok({ height: 42 })));
      await expect(new WalletRpcClient(connect()).getHeightInfo()).resolves.toBe(42);
      expect(node.received).toHaveLength(2);
    });

    it('never retries push_tx: refused connection', async () => {
      const closedPort = await freePort();
      const retries: RpcRetryEvent[] = [];
      const onRetry = (event: RpcRetryEvent) => retries.push(event);
      const client = new FullNodeRpcClient(connect({ port: closedPort, maxAttempts: 4, onRetry }));
      const error = await rejection(client.pushTx({ coinSpends: [], aggregatedSignature: SIGNATURE }));
      expect(error.kind).toBe('connection');
      expect(error.attempts).toBe(1);
      expect(retries).toHaveLength(0);
    });

    it('never retries push_tx or send_transaction_multi when the answer is lost', async () => {
      node.reset((endpoint) => (endpoint === 'push_tx' ? 'reset' : 'hang'));
      const client = new FullNodeRpcClient(connect({ maxAttempts: 4, timeoutMs: 300 }));
      const pushError = await rejection(client.pushTx({ coinSpends: [], aggregatedSignature: SIGNATURE }));
      expect(pushError.kind).toBe('connection');
      const wallet = new WalletRpcClient(connect({ maxAttempts: 4, timeoutMs: 300 }));
      const sendError = await rejection(
        wallet.sendTransactionMulti({ walletId: 1, additions: [{ puzzleHash: HASH_A, amount: 1n }], fee: 0n }),
      );
      expect(sendError.kind).toBe('timeout');
      expect(node.received.map((r) => r.endpoint)).toEqual(['push_tx', 'send_transaction_multi']);
    });
  });
});
