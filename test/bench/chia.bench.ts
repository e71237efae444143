import { benchBls } from './chia-bls.bench';
import { benchPos } from './chia-pos.bench';

/** `npm run bench:chia`: the cryptography one pool partial costs. */
async function main(): Promise<void> {
  console.log('== BLS: aggregateVerify of 2 pairs (one partial) ==');
  await benchBls();
  console.log('\n== Proof of space: v1 proof verification ==');
  await benchPos();
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
