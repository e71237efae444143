import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorsDir } from './vectors-dir';

export { vectorsDir };

/** Parsed JSON of one vector file, or undefined (with the reason printed once) when it is absent. */
export function loadVectors<T = unknown>(relativePath: string): T | undefined {
  const file = join(vectorsDir(), relativePath);
  if (!existsSync(file)) {
    console.warn(`[vectors] skipped: ${file} not found (set POOL_VECTORS_DIR to the shared vectors folder)`);
    return undefined;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** `describe` when the vector file is present, `describe.skip` with a printed reason otherwise. */
export function describeWithVectors<T>(
  name: string,
  relativePath: string,
  body: (vectors: T) => void,
): void {
  const vectors = loadVectors<T>(relativePath);
  if (vectors === undefined) {
    describe.skip(`${name} (vectors absent: ${relativePath})`, () => {
      it('needs the shared vectors', () => undefined);
    });
    return;
  }
  describe(name, () => body(vectors));
}
