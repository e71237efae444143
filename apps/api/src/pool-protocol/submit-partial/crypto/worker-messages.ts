import { type PartialCryptoJob, type PartialCryptoResult } from './partial-crypto';

/** Main thread to worker: jobs to verify together (packed, see packJobs), tagged so the answer finds its callers. */
export interface WorkerRequest {
  batch: number;
  jobs: Uint8Array;
}

/** Worker to main thread. */
export type WorkerReply =
  | { type: 'ready'; backend: string }
  | { type: 'log'; message: string }
  | { type: 'results'; batch: number; results: Uint8Array; signatureMs: number; proofMs: number }
  | { type: 'failed'; batch: number; message: string }
  | { type: 'fatal'; message: string };

/*
 * Batches travel as one buffer each way, transferred rather than copied. A structured clone walks every
 * job's eight small objects and copies each Uint8Array's whole backing store (a Buffer slice drags its 8 KB
 * pool along); under load that cost the event loop more than the packing does.
 */

const NULL_BYTES = 0xffff_ffff;

class Writer {
  private buffer = new Uint8Array(1024);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(value: number): void {
    this.reserve(1);
    this.view.setUint8(this.length, value);
    this.length += 1;
  }

  f64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value);
    this.length += 8;
  }

  bytes(value: Uint8Array | null): void {
    this.reserve(4 + (value?.length ?? 0));
    this.view.setUint32(this.length, value === null ? NULL_BYTES : value.length);
    this.length += 4;
    if (value !== null) {
      this.buffer.set(value, this.length);
      this.length += value.length;
    }
  }

  /** Exactly the bytes written, in a buffer of their own (so transferring it moves nothing else). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

class Reader {
  private offset = 0;
  private readonly view: DataView;

  constructor(private readonly buffer: Uint8Array) {
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  u8(): number {
    return this.view.getUint8(this.offset++);
  }

  f64(): number {
    const value = this.view.getFloat64(this.offset);
    this.offset += 8;
    return value;
  }

  bytes(): Uint8Array | null {
    const length = this.view.getUint32(this.offset);
    this.offset += 4;
    if (length === NULL_BYTES) return null;
    const value = this.buffer.slice(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

const required = (value: Uint8Array | null): Uint8Array => {
  if (value === null) throw new Error('corrupt crypto batch: a required field is null');
  return value;
};

export function packJobs(jobs: readonly PartialCryptoJob[]): Uint8Array {
  const w = new Writer();
  for (const job of jobs) {
    w.u8(job.pks.length);
    for (const pk of job.pks) w.bytes(pk);
    w.bytes(job.message);
    w.bytes(job.signature);
    w.f64(job.k);
    w.bytes(job.plotId);
    w.bytes(job.challenge);
    w.bytes(job.proof);
  }
  return w.finish();
}

export function unpackJobs(packed: Uint8Array): PartialCryptoJob[] {
  const r = new Reader(packed);
  const jobs: PartialCryptoJob[] = [];
  while (!r.done) {
    const pks = Array.from({ length: r.u8() }, () => required(r.bytes()));
    jobs.push({
      kind: 'partial',
      pks,
      message: required(r.bytes()),
      signature: required(r.bytes()),
      k: r.f64(),
      plotId: r.bytes(),
      challenge: required(r.bytes()),
      proof: required(r.bytes()),
    });
  }
  return jobs;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function packResults(results: readonly PartialCryptoResult[]): Uint8Array {
  const w = new Writer();
  for (const result of results) {
    w.u8(result.signatureValid ? 1 : 0);
    w.u8(result.proof.valid ? 1 : 0);
    w.bytes(result.proof.valid ? result.proof.quality : encoder.encode(result.proof.reason));
  }
  return w.finish();
}

export function unpackResults(packed: Uint8Array): PartialCryptoResult[] {
  const r = new Reader(packed);
  const results: PartialCryptoResult[] = [];
  while (!r.done) {
    const signatureValid = r.u8() === 1;
    const valid = r.u8() === 1;
    const bytes = required(r.bytes());
    results.push({ signatureValid, proof: valid ? { valid, quality: bytes } : { valid, reason: decoder.decode(bytes) } });
  }
  return results;
}
