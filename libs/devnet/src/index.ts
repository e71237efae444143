/** A simulated Chia network behind the same ports as the real node and wallet RPC clients. */
export {};
