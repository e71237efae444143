import type { SegmentReport } from '@pool/domain';

/** What an audit thread starts with. */
export interface SegmentWorkerData {
  /** The event store, opened read-only by each thread. */
  url: string;
  pageSize: number;
}

/** An audit thread's messages to the main thread. */
export type SegmentReply =
  | { type: 'ready' }
  | { type: 'report'; report: SegmentReport }
  | { type: 'failed'; index: number; message: string }
  | { type: 'fatal'; message: string };
