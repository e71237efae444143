/**
 * Any failure to encode or decode a Streamable value (bytes or JSON). `path` names the field, in Chia's JSON
 * key spelling, e.g. `PostPartialRequest.payload.proof_of_space.challenge`, so an operator reading a rejected
 * request in the logs sees which part was wrong.
 */
export class StreamableError extends Error {
  override readonly name = 'StreamableError';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}

export function joinPath(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}
