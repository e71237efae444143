import { PassThrough } from 'node:stream';
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { AllStreamResolvedEvent, EventData } from '@eventstore/db-client';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { convertGrpcEvent } from '@eventstore/db-client/dist/utils/convertGrpcEvent';
import { Subscription } from '@eventstore/db-client/dist/streams/utils/Subscription';

/**
 * For unit specs only: builds the gRPC messages an EventStoreDB server sends, so the specs run them
 * through the client's own decoding (convertGrpcEvent) and its own subscription stream instead of
 * hand-written look-alikes. No server is involved.
 */

export interface StoredOnServer {
  stream: string;
  revision: bigint;
  commit: bigint;
  prepare: bigint;
  created: Date;
  /** What the adapter handed to appendToStream; stored the way the client sends it (JSON text). */
  event: EventData;
}

const TICKS_PER_MS = 10_000n;

export function readEventMessage(stored: StoredOnServer): ReadResp.ReadEvent {
  const record = new ReadResp.ReadEvent.RecordedEvent();
  record.setId(new UUID().setString(stored.event.id));
  record.setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(stored.stream, 'utf8')));
  record.setStreamRevision(stored.revision.toString());
  record.setCommitPosition(stored.commit.toString());
  record.setPreparePosition(stored.prepare.toString());
  record
    .getMetadataMap()
    .set('type', stored.event.type)
    .set('content-type', stored.event.contentType)
    .set('created', (BigInt(stored.created.getTime()) * TICKS_PER_MS).toString());
  record.setData(Buffer.from(JSON.stringify(stored.event.data), 'utf8'));
  if (stored.event.metadata !== undefined) record.setCustomMetadata(Buffer.from(JSON.stringify(stored.event.metadata), 'utf8'));
  const message = new ReadResp.ReadEvent();
  message.setEvent(record);
  message.setCommitPosition(stored.commit.toString());
  return message;
}

/** The resolved event exactly as the client hands it to callers of readAll / subscribeToAll. */
export function decodedByClient(stored: StoredOnServer): AllStreamResolvedEvent {
  return convertGrpcEvent(readEventMessage(stored)) as AllStreamResolvedEvent;
}

export function eventResponse(stored: StoredOnServer): ReadResp {
  return new ReadResp().setEvent(readEventMessage(stored));
}

export function caughtUpResponse(): ReadResp {
  return new ReadResp().setCaughtUp(new ReadResp.CaughtUp());
}

/** The client's real subscription stream, fed by a fake gRPC call that the test writes server responses into. */
export function clientSubscription(highWaterMark: number): {
  subscription: Subscription<AllStreamResolvedEvent>;
  server: { send(response: ReadResp): void; end(): void; readonly cancelled: boolean };
} {
  const call = new PassThrough({ objectMode: true });
  let cancelled = false;
  const fakeCall = Object.assign(call, {
    cancel: () => {
      cancelled = true;
      call.end();
    },
  });
  const subscription = new Subscription<AllStreamResolvedEvent>(
    async () => fakeCall as unknown as ClientReadableStream<ReadResp>,
    (message: ReadResp.ReadEvent) => convertGrpcEvent(message) as AllStreamResolvedEvent,
    { highWaterMark },
  );
  return {
    subscription,
    server: {
      send: (response) => void call.write(response),
      end: () => call.end(),
      get cancelled() {
        return cancelled;
      },
    },
  };
}
