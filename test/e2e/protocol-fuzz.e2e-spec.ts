import { DevnetPoolHarness, expectLedgerAudits } from '../support';
import { classify, describeReport, fuzzRoute, prepareFuzzTarget, sendFuzzed, type FuzzTarget } from '../fuzz/protocol-fuzz';

/*
 * The protocol fuzzer (test/fuzz/protocol-fuzz.ts) in CI: every protocol route of a running api on the devnet gets
 * PROTOCOL_FUZZ_BODIES generated requests (malformed bodies that must be refused with 8 naming the field, well-formed
 * but wrong ones, junk, mangled query strings). Every answer must be a protocol answer (HTTP 200, a known
 * error_code and a message, or the route's own answer), and the ledger's facts must not move. The same generator
 * runs 10,000 requests per route in `npm run fuzz:protocol`; a finding prints the seed and the request.
 */

/** Requests per route here; the long run (npm run fuzz:protocol) sends 10,000. */
const BODIES = Number(process.env.PROTOCOL_FUZZ_BODIES ?? 300);
/** Fixed unless asked otherwise, so a CI failure can be replayed with the seed it prints. */
const SEED = Number(process.env.PROTOCOL_FUZZ_SEED ?? 14);

describe('pool protocol: fuzzed requests get protocol answers and write nothing', () => {
  // Rate limits off: the fuzzer tests parsing and the checks, not the limiter. 'fatal' only: some requests are
  // meant to reach the unexpected-error path, which logs at error level.
  const harness = new DevnetPoolHarness('protocol-fuzz', { logger: ['fatal'], rateLimits: { enabled: false } });
  let target: FuzzTarget;

  beforeAll(async () => {
    await harness.start();
    target = await prepareFuzzTarget(harness);
  });
  afterAll(() => harness.stop());

  const ROUTES = ['POST /partial', 'POST /v2/partial', 'POST /farmer', 'POST /v2/farmer', 'PUT /farmer', 'PUT /v2/farmer', 'GET /farmer', 'GET /login', 'GET /v2/login', 'GET /v2/farmer', 'GET /v2/auth'];

  it('fuzzes every protocol route', () => {
    expect(target.routes.map((r) => r.name).sort()).toEqual([...ROUTES].sort());
  });

  describe.each(ROUTES)('%s', (name) => {
    it('answers its unmutated request as the control says (refused with its code, or answered)', async () => {
      const route = target.routes.find((r) => r.name === name)!;
      const control = route.control();
      const verdict = classify(control, await sendFuzzed(target.poolUrl, route.method, route.path, control));
      expect(verdict).toMatchObject({ kind: route.controlAnswered ? 'answered' : 'refused' });
    });

    it(`answers ${BODIES} fuzzed requests in the protocol, as each case expects, and writes no fact`, async () => {
      const route = target.routes.find((r) => r.name === name)!;
      const report = await fuzzRoute(target, route, { count: BODIES, seed: SEED + ROUTES.indexOf(name), concurrency: 4 });
      if (report.findings.length > 0) console.log(`${describeReport(report)}\nseed ${SEED + ROUTES.indexOf(name)}; first findings:\n${report.findings.map((f) => `  #${f.index} ${f.why}: ${f.request} -> ${f.answer}`).join('\n')}`);
      expect(report.sent).toBe(BODIES);
      expect({ nonProtocol: report.nonProtocol, unexpectedRefusal: report.unexpectedRefusal, unexpectedWrites: report.unexpectedWrites, findings: report.findings }).toEqual({
        nonProtocol: 0,
        unexpectedRefusal: 0,
        unexpectedWrites: 0,
        findings: [],
      });
    });
  });

  it('leaves a ledger that still audits', () => expectLedgerAudits(harness.store));
});
