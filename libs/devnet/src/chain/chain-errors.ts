/**
 * A request the simulated node or wallet refuses. `code` follows Chia's error names (chia/util/errors.py `Err`)
 * where one exists, so the HTTPS layer can pass it on as the node would.
 */
export class DevnetChainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'DevnetChainError';
  }
}
