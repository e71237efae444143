import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  bytesToHex,
  getCurrentAuthenticationToken,
  hexToBytes,
  parseChiaJson,
  PoolErrorCode,
  PostFarmerRequestSchema,
  PostPartialRequestLegacySchema,
  PutFarmerPayloadSchema,
  PutFarmerRequestSchema,
  stringifyChiaJson,
} from '@pool/chia';
import { FarmerSigner, farmerKeysFromSeed, PlotNftSimulator, type FarmerSecretKeys } from '@pool/devnet';
import type { GlobalPosition } from '@pool/event-sourcing';
import { type DevnetPoolHarness } from '../support/devnet-pool';
import { factCount, factsHead } from '../support/ledger-facts';
import {
  fieldName,
  junkBody,
  malformation,
  mangledQuery,
  PARTIAL_FIELDS,
  PARTIAL_V2_FIELDS,
  POST_FARMER_FIELDS,
  PUT_FARMER_FIELDS,
  setAt,
  toJsonText,
  wellFormedChanges,
  type FieldSpec,
  type Json,
} from './protocol-bodies';

/*
 * The protocol fuzzer: every protocol route of a running api gets fuzzed bodies (or query strings), and every
 * answer must be in the protocol (HTTP 200 with a known numeric error_code and an error_message, or the route's
 * own answer), never a 4xx, a 500 or an unexpected exception; and the ledger's facts must not move (the refused
 * partials log, PartialRefused in refusals-*, is the one thing a refusal may write). The CI spec runs a short
 * sample of each route, `npm run fuzz:protocol` the long run.
 */

const PROTOCOL_CODES = new Set<number>(Object.values(PoolErrorCode).filter((v): v is number => typeof v === 'number'));

/** One fuzzed request, and what its answer must be beyond "a protocol answer". */
export interface FuzzCase {
  /** Query string (GET) or body text (POST, PUT). */
  query?: string;
  body?: string;
  /** The error code the request must get, when known (a malformed body: 8). */
  code?: PoolErrorCode;
  /** A field the refusal must name (a malformed body names the field it refuses). */
  field?: string;
}

export interface FuzzRoute {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  cases: fc.Arbitrary<FuzzCase>;
  /** The route's unmutated request (the control), refused (with its `code` when set) or answered as `controlAnswered` says. */
  control: () => FuzzCase;
  controlAnswered: boolean;
}

export interface FuzzAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A request the fuzzer found outside the protocol, or answered with a code it did not expect. */
export interface FuzzFinding {
  index: number;
  request: string;
  answer: string;
  why: string;
}

export interface RouteReport {
  route: string;
  sent: number;
  /** Refused with a protocol error. */
  refused: number;
  /** Answered with the route's own answer (no error_code). */
  answered: number;
  /** Not a protocol answer: a status other than 200, not JSON, an unknown code, an unexpected exception. */
  nonProtocol: number;
  /** A protocol refusal, but not the one the case called for (wrong code, field not named). */
  unexpectedRefusal: number;
  byCode: Record<string, number>;
  /** Facts appended while the route was fuzzed (must be 0). */
  unexpectedWrites: number;
  findings: FuzzFinding[];
  seconds: number;
}

/** The pool under fuzzing: where it listens, its ledger, and one registered farmer whose keys the fuzzer holds. */
export interface FuzzTarget {
  poolUrl: string;
  routes: FuzzRoute[];
  factsHead(): Promise<GlobalPosition | undefined>;
  factCount(): Promise<number>;
}

/**
 * Registers one farmer on the harness's devnet (so well-formed requests get past "unknown farmer" to the deeper
 * checks) and builds every protocol route's fuzzer around it. The harness must be started, with rate limits off
 * (the fuzzer tests parsing, not the limiter).
 */
export async function prepareFuzzTarget(harness: DevnetPoolHarness): Promise<FuzzTarget> {
  const { bls, chain, config, poolTarget, poolUrl, store } = harness;
  const token = (): bigint => getCurrentAuthenticationToken(config.settings.authenticationTokenTimeout, Math.floor(harness.now()));
  const keys: FarmerSecretKeys = farmerKeysFromSeed(bls, createHash('sha256').update('protocol-fuzz: farmer').digest());
  const signer = new FarmerSigner(bls, keys);
  const nft = new PlotNftSimulator(chain).launchPlotNft({
    ownerPk: bytesToHex(signer.ownerPk),
    poolUrl,
    targetPuzzleHash: poolTarget,
    relativeLockHeight: config.settings.relativeLockHeight,
    delayTime: 604_800,
    delayPuzzleHash: bytesToHex(signer.ownerPk).slice(0, 64),
    state: 'FARMING_TO_POOL',
  });
  chain.farmBlocks(6);
  const launcherId = nft.launcherId;
  const registration = signer.postFarmer({
    launcherId: hexToBytes(launcherId, 32),
    authenticationToken: token(),
    authenticationPublicKey: signer.authPk,
    payoutInstructions: 'cd'.repeat(32),
    suggestedDifficulty: null,
  });
  const welcome = await sendFuzzed(poolUrl, 'POST', '/farmer', { body: stringifyChiaJson(PostFarmerRequestSchema.toJson(registration)) });
  if (welcome.status !== 200 || typeof welcome.body.welcome_message !== 'string') throw new Error(`the fuzzer's farmer was not registered: ${JSON.stringify(welcome)}`);

  // A correctly signed partial for an unknown signage point (so it can never be recorded), a registration of a
  // launcher that is no plot NFT, and an update signed with the wrong key.
  const partialBody = (): Json =>
    PostPartialRequestLegacySchema.toJson(
      signer.partial({
        launcherId: hexToBytes(launcherId, 32),
        authenticationToken: token(),
        proofOfSpace: {
          challenge: randomBytes(32),
          poolPublicKey: null,
          poolContractPuzzleHash: hexToBytes(nft.p2SingletonPuzzleHash, 32),
          plotPublicKey: signer.plotPk,
          version: 0,
          plotIndex: 0,
          metaGroup: 0,
          strength: 0,
          size: 18,
          proof: randomBytes(144),
        },
        spHash: randomBytes(32),
        endOfSubSlot: false,
        harvesterId: randomBytes(32),
      }),
    );
  // v2: the same partial with a JWT the pool never issued.
  const partialV2Body = (): Json => ({ ...(partialBody() as Record<string, Json>), authentication_token_v2: 'eyJhbGciOiJIUzI1NiJ9.e30.not-a-signature' });
  const postFarmerBody = (): Json =>
    PostFarmerRequestSchema.toJson(
      signer.postFarmer({ launcherId: randomBytes(32), authenticationToken: token(), authenticationPublicKey: signer.authPk, payoutInstructions: 'cd'.repeat(32), suggestedDifficulty: null }),
    );
  const putFarmerBody = (): Json => {
    const payload = { launcherId: hexToBytes(launcherId, 32), authenticationToken: token(), authenticationPublicKey: null, payoutInstructions: null, suggestedDifficulty: 5n, authenticationTokenV2: '' };
    return PutFarmerRequestSchema.toJson({ payload, signature: bls.sign(keys.authSk, PutFarmerPayloadSchema.hash(payload)) });
  };

  // Signing is the slow part of making a request: a few signed bases per route, which the cases then mutate.
  const BASES = 8;
  const bodyRoute = (method: 'POST' | 'PUT', path: string, fields: FieldSpec[], makeBase: () => Json, code?: PoolErrorCode): FuzzRoute => {
    const base = fc.constantFrom(...Array.from({ length: BASES }, makeBase));
    return {
      name: `${method} ${path}`,
      method,
      path,
      control: () => ({ body: toJsonText(makeBase()), ...(code === undefined ? {} : { code }) }),
      controlAnswered: false,
      cases: fc.oneof(
        { weight: 2, arbitrary: fc.tuple(base, malformation(fields)).map(([b, { path: at, value }]) => ({ body: toJsonText(setAt(b, at, value)), code: PoolErrorCode.SERVER_EXCEPTION, field: fieldName(at) })) },
        { weight: 2, arbitrary: fc.tuple(base, wellFormedChanges(fields)).map(([b, changes]) => ({ body: toJsonText(changes.reduce((body, change) => setAt(body, change.path, change.value), b)) })) },
        { weight: 1, arbitrary: junkBody().map((text) => ({ body: text, code: PoolErrorCode.SERVER_EXCEPTION })) },
      ),
    };
  };

  const signedQuery = (method: 'get_farmer' | 'get_login') => (): Record<string, string> => ({
    launcher_id: launcherId,
    authentication_token: String(token()),
    signature: bytesToHex(signer.authentication(method, hexToBytes(launcherId, 32), hexToBytes(poolTarget, 32), token())),
  });
  const queryRoute = (path: string, valid: () => Record<string, string>, answered: boolean): FuzzRoute => {
    const signed = valid();
    const names = Object.keys(signed);
    return {
      name: `GET ${path}`,
      method: 'GET',
      path,
      control: () => ({ query: new URLSearchParams(valid()).toString() }),
      // The signed v1 queries are answered; the v2 ones carry a JWT or signature the pool never issued.
      controlAnswered: answered,
      cases: mangledQuery(names, () => signed).map((query) => ({ query })),
    };
  };

  const routes: FuzzRoute[] = [
    bodyRoute('POST', '/partial', PARTIAL_FIELDS, partialBody, PoolErrorCode.NOT_FOUND),
    bodyRoute('POST', '/v2/partial', PARTIAL_V2_FIELDS, partialV2Body),
    bodyRoute('POST', '/farmer', POST_FARMER_FIELDS, postFarmerBody, PoolErrorCode.INVALID_SINGLETON),
    bodyRoute('POST', '/v2/farmer', POST_FARMER_FIELDS, postFarmerBody),
    bodyRoute('PUT', '/farmer', PUT_FARMER_FIELDS, putFarmerBody, PoolErrorCode.INVALID_SIGNATURE),
    bodyRoute('PUT', '/v2/farmer', PUT_FARMER_FIELDS, putFarmerBody),
    queryRoute('/farmer', signedQuery('get_farmer'), true),
    queryRoute('/login', signedQuery('get_login'), true),
    queryRoute('/v2/login', signedQuery('get_login'), false),
    queryRoute('/v2/farmer', () => ({ launcher_id: launcherId, authentication_token_v2: 'eyJhbGciOiJIUzI1NiJ9.e30.not-a-signature' }), false),
    queryRoute('/v2/auth', () => ({ launcher_id: launcherId, timestamp: String(Math.floor(harness.now())), signature: bytesToHex(randomBytes(96)) }), false),
  ];
  return { poolUrl, routes, factsHead: () => factsHead(store), factCount: () => factCount(store) };
}

/** Sends one fuzzed request as a farmer's client would (JSON, no browser Accept, redirects not followed). */
export async function sendFuzzed(poolUrl: string, method: 'GET' | 'POST' | 'PUT', path: string, fuzzCase: FuzzCase): Promise<FuzzAnswer> {
  const url = `${poolUrl}${path}${fuzzCase.query === undefined ? '' : `?${fuzzCase.query}`}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (fuzzCase.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, redirect: 'manual', ...(fuzzCase.body === undefined ? {} : { body: fuzzCase.body }) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = parseChiaJson(text);
  } catch {
    parsed = undefined;
  }
  const body = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { unparsable: text.slice(0, 300) };
  return { status: response.status, body };
}

/** What kind of answer this is for this case; `why` says what is wrong when it is not a protocol answer. */
export function classify(fuzzCase: FuzzCase, answer: FuzzAnswer): { kind: 'refused' | 'answered' | 'nonProtocol' | 'unexpectedRefusal'; code?: number; why?: string } {
  if (answer.status !== 200) return { kind: 'nonProtocol', why: `HTTP ${answer.status}` };
  if ('unparsable' in answer.body) return { kind: 'nonProtocol', why: 'not a JSON object' };
  const { error_code: code, error_message: message } = answer.body;
  if (code === undefined) return { kind: 'answered' };
  if (typeof code !== 'number' || !PROTOCOL_CODES.has(code)) return { kind: 'nonProtocol', why: `error_code ${JSON.stringify(code)} is not a protocol code` };
  if (typeof message !== 'string' || message === '') return { kind: 'nonProtocol', code, why: 'no error_message' };
  // An exception the pool did not expect answers 8 with this message (and is logged): a crash in protocol clothes.
  if (/could not process the request/.test(message)) return { kind: 'nonProtocol', code, why: 'unexpected exception' };
  if (fuzzCase.code !== undefined && code !== fuzzCase.code) return { kind: 'unexpectedRefusal', code, why: `code ${code}, expected ${fuzzCase.code}` };
  if (fuzzCase.field !== undefined && !(message.startsWith('invalid request: ') && message.includes(fuzzCase.field))) return { kind: 'unexpectedRefusal', code, why: `message does not name ${fuzzCase.field}` };
  return { kind: 'refused', code };
}

export interface FuzzOptions {
  /** Requests per route. */
  count: number;
  /** fast-check seed: the same seed generates the same requests (apart from the fresh signatures inside them). */
  seed: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Findings kept per route (all are counted). */
  keepFindings?: number;
}

/** Fuzzes one route: `count` generated requests, `concurrency` at a time; facts counted before and after. */
export async function fuzzRoute(target: FuzzTarget, route: FuzzRoute, options: FuzzOptions): Promise<RouteReport> {
  const started = process.hrtime.bigint();
  const cases = fc.sample(route.cases, { numRuns: options.count, seed: options.seed });
  const report: RouteReport = { route: route.name, sent: 0, refused: 0, answered: 0, nonProtocol: 0, unexpectedRefusal: 0, byCode: {}, unexpectedWrites: 0, findings: [], seconds: 0 };
  const headBefore = await target.factsHead();
  const countBefore = await target.factCount();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < cases.length; index = next++) {
      const fuzzCase = cases[index]!;
      let answer: FuzzAnswer;
      try {
        answer = await sendFuzzed(target.poolUrl, route.method, route.path, fuzzCase);
      } catch (error) {
        answer = { status: 0, body: { unparsable: `request failed: ${(error as Error).message}` } };
      }
      report.sent++;
      const verdict = classify(fuzzCase, answer);
      report[verdict.kind]++;
      const key = verdict.code === undefined ? (verdict.kind === 'answered' ? 'answer' : 'none') : String(verdict.code);
      report.byCode[key] = (report.byCode[key] ?? 0) + 1;
      if ((verdict.kind === 'nonProtocol' || verdict.kind === 'unexpectedRefusal') && report.findings.length < (options.keepFindings ?? 5)) {
        const request = (fuzzCase.query ?? fuzzCase.body ?? '').slice(0, 400);
        report.findings.push({ index, request, answer: JSON.stringify(answer).slice(0, 400), why: verdict.why ?? verdict.kind });
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, () => worker()));
  const headAfter = await target.factsHead();
  // A fact appended and none removed moves both; either moving is a write the fuzzed requests must not cause.
  report.unexpectedWrites = Math.max((await target.factCount()) - countBefore, String(headAfter) === String(headBefore) ? 0 : 1);
  report.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return report;
}

/** One line per route: what the long run prints and the spec logs. */
export function describeReport(r: RouteReport): string {
  const codes = Object.entries(r.byCode)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, n]) => `${code}:${n}`)
    .join(' ');
  return (
    `${r.route.padEnd(16)} sent ${r.sent}, refused ${r.refused}, answered ${r.answered}, non-protocol ${r.nonProtocol}, ` +
    `unexpected refusals ${r.unexpectedRefusal}, unexpected writes ${r.unexpectedWrites} (${r.seconds.toFixed(1)} s; codes ${codes})`
  );
}
