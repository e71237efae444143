import 'reflect-metadata';
import { DevnetPoolHarness } from '../support/devnet-pool';
import { describeReport, fuzzRoute, prepareFuzzTarget, type RouteReport } from './protocol-fuzz';

/**
 * The long protocol fuzz run: `npm run fuzz:protocol [-- --bodies 10000 --seed 1 --concurrency 8 --route "POST /partial"]`.
 * Starts the api on a devnet in a temporary folder (rate limits off), sends every protocol route `--bodies` fuzzed
 * requests and prints per route how they were answered. Exit code 1 when any answer is outside the protocol, a
 * refusal is not the one its case calls for, or a fact was written.
 */
function argument(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1]! : fallback;
}

async function main(): Promise<void> {
  const bodies = Number(argument('bodies', '10000'));
  const seed = Number(argument('seed', String(Date.now() % 1_000_000)));
  const concurrency = Number(argument('concurrency', '8'));
  const only = argument('route', '');
  const harness = new DevnetPoolHarness('protocol-fuzz-run', { logger: ['fatal'], rateLimits: { enabled: false } });
  await harness.start();
  const reports: RouteReport[] = [];
  try {
    const target = await prepareFuzzTarget(harness);
    console.log(`protocol fuzz: ${bodies} requests per route, seed ${seed}, ${concurrency} in flight, api at ${target.poolUrl}`);
    for (const [i, route] of target.routes.entries()) {
      if (only !== '' && route.name !== only) continue;
      const report = await fuzzRoute(target, route, { count: bodies, seed: seed + i, concurrency, keepFindings: 10 });
      reports.push(report);
      console.log(describeReport(report));
      for (const f of report.findings) console.log(`  seed ${seed + i} #${f.index} ${f.why}: ${f.request} -> ${f.answer}`);
    }
  } finally {
    await harness.stop();
  }
  const sum = (key: 'sent' | 'nonProtocol' | 'unexpectedRefusal' | 'unexpectedWrites'): number => reports.reduce((n, r) => n + r[key], 0);
  const failed = sum('nonProtocol') + sum('unexpectedRefusal') + sum('unexpectedWrites') > 0;
  console.log(
    `protocol fuzz ${failed ? 'FAILED' : 'passed'}: ${sum('sent')} requests on ${reports.length} routes, ${sum('nonProtocol')} non-protocol answers, ` +
      `${sum('unexpectedRefusal')} unexpected refusals, ${sum('unexpectedWrites')} unexpected writes`,
  );
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
