import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RootKeyError } from './errors.js';
import { loadOrCreateRootKeyFile, ROOT_KEY_FILE_NAME } from './root-key-file.js';

const posix = process.platform !== 'win32';
let base: string;
let n = 0;
const freshDir = async (): Promise<string> => {
  const dir = join(base, `d${n++}`);
  await mkdir(dir);
  return dir;
};
const rejectsWith = (p: Promise<unknown>, reason: string) =>
  assert.rejects(p, (err: unknown) => err instanceof RootKeyError && err.reason === reason);

describe('root key file', () => {
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'coffer-root-key-'));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('creates a 32-byte key with mode 0600 on first use, then loads the same key', async () => {
    const dir = await freshDir();
    const first = await loadOrCreateRootKeyFile(dir, { random: () => Buffer.alloc(32, 0xab) });
    assert.equal(first.created, true);
    assert.equal(first.path, join(dir, ROOT_KEY_FILE_NAME));
    assert.deepEqual(first.key, Buffer.alloc(32, 0xab));
    const st = await stat(first.path);
    if (posix) assert.equal(st.mode & 0o777, 0o600);
    assert.equal(st.size, 32);
    assert.deepEqual(await readFile(first.path), first.key);

    const again = await loadOrCreateRootKeyFile(dir);
    assert.equal(again.created, false);
    assert.deepEqual(again.key, first.key);
  });

  it('generates a random key when none is injected', async () => {
    const a = await loadOrCreateRootKeyFile(await freshDir());
    const b = await loadOrCreateRootKeyFile(await freshDir());
    assert.notDeepEqual(a.key, b.key);
  });

  it('gives concurrent first starts the same key', async () => {
    const dir = await freshDir();
    const results = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateRootKeyFile(dir)));
    assert.equal(results.filter((r) => r.created).length, 1);
    for (const r of results) assert.deepEqual(r.key, results[0]!.key);
  });

  it('refuses a key file readable beyond its owner, and accepts a narrower one', { skip: !posix }, async () => {
    const dir = await freshDir();
    const { path } = await loadOrCreateRootKeyFile(dir);
    for (const mode of [0o644, 0o640, 0o604, 0o660, 0o700]) {
      await chmod(path, mode);
      await rejectsWith(loadOrCreateRootKeyFile(dir), 'FileModeTooOpen');
      assert.equal((await stat(path)).mode & 0o777, mode); // not silently "fixed"
    }
    await chmod(path, 0o400);
    assert.equal((await loadOrCreateRootKeyFile(dir)).created, false);
  });

  it('refuses a file of the wrong size and a directory in its place', async () => {
    const dir = await freshDir();
    const path = join(dir, ROOT_KEY_FILE_NAME);
    await writeFile(path, Buffer.alloc(31), { mode: 0o600 });
    await rejectsWith(loadOrCreateRootKeyFile(dir), 'FileWrongSize');
    await writeFile(path, Buffer.alloc(0), { mode: 0o600 });
    await rejectsWith(loadOrCreateRootKeyFile(dir), 'FileWrongSize');
    await rm(path);
    await mkdir(path);
    await rejectsWith(loadOrCreateRootKeyFile(dir), 'NotARegularFile');
  });

  it('fails when the data directory does not exist', async () => {
    await assert.rejects(loadOrCreateRootKeyFile(join(base, 'missing')), { code: 'ENOENT' });
  });
});
