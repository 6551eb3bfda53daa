// Loads or creates the root key file `<data dir>/master.key` (32 raw bytes, mode 0600),
// used when COFFER_MASTER_KEY is unset. The only module of this library that touches the
// file system; the composition root may move it. Everything else here stays pure.
//
// A file whose mode grants anything beyond 0600 is refused, not fixed: if the key was
// readable by group or others it may already have been copied, and quietly chmod-ing it
// would hide that. The operator tightens it (chmod 600) and decides whether to rotate.
import { constants } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { RootKeyError } from './errors.js';
import { generateKey, systemRandom, type RandomSource } from './random.js';
import { ROOT_KEY_LENGTH } from './root-key.js';

export const ROOT_KEY_FILE_NAME = 'master.key';
export const ROOT_KEY_FILE_MODE = 0o600;

export interface RootKeyFile {
  key: Buffer;
  path: string;
  /** true when this call generated the key (first start) */
  created: boolean;
}

// POSIX permission bits are not meaningful on Windows; there the ACL of the data dir rules.
const checksModes = process.platform !== 'win32';

async function readRootKeyFile(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY);
  try {
    // fstat the handle we read from, so the checks and the read concern the same file.
    const st = await fh.stat();
    if (!st.isFile()) throw new RootKeyError('NotARegularFile', `${path} is not a regular file`);
    if (checksModes && (st.mode & 0o777 & ~ROOT_KEY_FILE_MODE) !== 0) {
      throw new RootKeyError(
        'FileModeTooOpen',
        `${path} has mode 0${(st.mode & 0o777).toString(8)}; it must not be accessible beyond its owner (0600). ` +
          'Run chmod 600 on it, and consider the key exposed if others could read it.',
      );
    }
    if (st.size !== ROOT_KEY_LENGTH) {
      throw new RootKeyError(
        'FileWrongSize',
        `${path} is ${st.size} bytes, expected ${ROOT_KEY_LENGTH} raw bytes` +
          (st.size === 0 ? ' (an interrupted first start? delete it only if nothing was ever encrypted with it)' : ''),
      );
    }
    const key = Buffer.alloc(ROOT_KEY_LENGTH);
    const { bytesRead } = await fh.read(key, 0, ROOT_KEY_LENGTH, 0);
    if (bytesRead !== ROOT_KEY_LENGTH) throw new RootKeyError('FileWrongSize', `${path}: short read`);
    return key;
  } finally {
    await fh.close();
  }
}

async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const dh = await open(dir, constants.O_RDONLY);
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

async function createRootKeyFile(path: string, key: Buffer): Promise<boolean> {
  let fh: FileHandle;
  try {
    // 'wx' = O_CREAT|O_EXCL: never overwrite a key another process created meanwhile.
    fh = await open(path, 'wx', ROOT_KEY_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.chmod(ROOT_KEY_FILE_MODE); // the umask may only narrow it; make it exact
    await fh.writeFile(key);
    await fh.sync(); // the key must be durable before anything is encrypted under it
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(path).catch(() => {}); // a half-written key file would block every later start
    throw err;
  }
  await fh.close();
  return true;
}

// Another process created the file between our ENOENT and our 'wx' open: it writes its 32
// bytes right after creating the file, so give it a moment instead of failing on a file
// that is still empty. A file that stays short (a crash during first start) still fails.
async function readWinnersKey(path: string): Promise<Buffer> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await readRootKeyFile(path);
    } catch (err) {
      if (!(err instanceof RootKeyError && err.reason === 'FileWrongSize') || attempt >= 20) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Returns the key in `<dir>/master.key`, generating the file on first use. `dir` must exist. */
export async function loadOrCreateRootKeyFile(
  dir: string,
  options: { random?: RandomSource } = {},
): Promise<RootKeyFile> {
  const path = join(dir, ROOT_KEY_FILE_NAME);
  try {
    return { key: await readRootKeyFile(path), path, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = generateKey(options.random ?? systemRandom);
  if (!(await createRootKeyFile(path, key))) {
    key.fill(0);
    return { key: await readWinnersKey(path), path, created: false };
  }
  await syncDirectory(dir); // make the new directory entry itself durable
  return { key, path, created: true };
}
