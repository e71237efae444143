import type { SealCheck } from '@pool/domain';

/** What the seals' thread starts with. */
export interface SealCheckWorkerData {
  /** The event store, opened read-only by the thread. */
  url: string;
  pageSize: number;
}

/** The seals' thread's messages: a page read (how many events, the last one's position), then its check. */
export type SealCheckReply =
  | { type: 'page'; read: number; position: string }
  | { type: 'done'; check: SealCheck }
  | { type: 'failed'; message: string };
