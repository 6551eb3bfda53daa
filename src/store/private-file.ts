import { closeSync, constants as fsc, openSync } from 'node:fs';

/**
 * Creates a file readable by its owner only (0600) if it does not exist yet. SQLite then
 * gives its -wal and -shm companions the same mode, so databases holding credentials are
 * never world-readable.
 */
export function ensurePrivateFile(path: string): void {
  if (path === ':memory:' || path === '') return;
  try {
    closeSync(openSync(path, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}
