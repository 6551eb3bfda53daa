import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { FsBlobStore } from './fs-blob-store.js';

test('blobs: write, commit, ranged read, list, delete; aborted and uncommitted writes leave nothing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'coffer-blobs-'));
  try {
    const store = await FsBlobStore.open(dir);
    const w = await store.create();
    await w.write(Buffer.from('hello '));
    await w.write(Buffer.from('world'));
    await w.commit();
    assert.equal(await text(store.read(w.blobId)), 'hello world');
    assert.equal(await text(store.read(w.blobId, { start: 6, end: 10 })), 'world');
    assert.equal((await stat(store.pathOf(w.blobId))).mode & 0o777, 0o600, 'blob files are private');
    const aborted = await store.create();
    await aborted.write(Buffer.from('partial'));
    await aborted.abort();
    const abandoned = await store.create();
    await abandoned.write(Buffer.from('crash'));
    const ids: string[] = [];
    for await (const id of store.list()) ids.push(id);
    assert.deepEqual(ids, [w.blobId], 'only committed blobs are listed');
    assert.deepEqual(await readdir(join(dir, 'tmp')), [], 'listing at start clears abandoned temporaries');
    await store.delete(w.blobId);
    await store.delete(w.blobId);
    assert.throws(() => store.pathOf('../etc/passwd'), /invalid blob id/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
