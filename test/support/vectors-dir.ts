import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** The project root: the nearest folder above this file with a package.json (works from source and from dist/). */
function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(resolve(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Test vectors live in the shared folder beside the project and are read in place, never copied.
 * POOL_VECTORS_DIR points elsewhere (relative paths are taken from the project root).
 */
export function vectorsDir(): string {
  const configured = process.env.POOL_VECTORS_DIR ?? '../shared/vectors';
  return isAbsolute(configured) ? configured : resolve(projectRoot(), configured);
}
