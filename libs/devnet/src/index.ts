/** A simulated Chia network behind the same ports as the real node and wallet RPC clients. */
export * from './network';
export * from './chain';
export * from './wallet';
export * from './plots';
export * from './farmers';
export * from './tls';
export * from './rpc-server';
