import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * Reads NDJSON, answers one JSON line per input line, and keeps going after bad lines: a line that is
 * not JSON, or that the handler refuses, gets an `{"error": …}` line of its own.
 */
export async function answerEachLine(
  handle: (input: unknown) => unknown,
  parse: (text: string) => unknown,
  input: Readable = process.stdin,
  output: Writable = process.stdout,
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    let answer: unknown;
    try {
      answer = handle(parse(line));
    } catch (error) {
      answer = { error: `line ${n}: ${(error as Error).message}` };
    }
    output.write(`${JSON.stringify(answer, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`);
  }
}
