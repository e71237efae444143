import { describeExpected, type ExpectedRevision } from './port';

/** The stream was not where the writer expected it: someone else appended first, or the ids clash. */
export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
    detail?: string,
  ) {
    super(
      `stream ${stream}: expected ${describeExpected(expected)}, found ${describeExpected(actual)}` +
        (detail ? ` (${detail})` : ''),
    );
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly stream: string) {
    super(`stream ${stream} does not exist`);
  }
}

/** An event the store cannot take as it is (bad id, data that is not JSON). Nothing was written. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}
