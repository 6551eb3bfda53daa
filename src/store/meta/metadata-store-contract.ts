import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreConflict, type MetadataStore, type NewObjectVersion } from './types.js';

/**
 * The behaviour every MetadataStore adapter must have (SQLite today, PostgreSQL later):
 * one suite, run against each adapter's factory.
 */
export function metadataStoreContract(name: string, open: () => Promise<MetadataStore>): void {
  const version = (etag: string, size = 1): NewObjectVersion => ({
    isDeleteMarker: false, size, etag, lastModified: new Date(1_700_000_000_000), ownerAccountId: '111111111111',
    storageClass: 'STANDARD', headers: { contentType: 'text/plain' }, userMetadata: { a: '1' }, tags: [['t', 'v']],
    data: { kind: 'single', piece: { size, storedSize: size + 16, inline: Buffer.from('x'), seal: { codec: 'test' } } },
  });
  const bucket = (n: string, owner = '111111111111') => ({ name: n, ownerAccountId: owner, region: 'us-east-1', createdAt: new Date(0), versioning: 'Unversioned' as const, config: {} });

  describe(`MetadataStore contract: ${name}`, () => {
    it('buckets: unique names across accounts, owner listing, config documents, delete only when empty', async () => {
      const s = await open();
      await s.createBucket(bucket('b1'));
      await assert.rejects(s.createBucket(bucket('b1', '222222222222')), (e) => e instanceof StoreConflict && e.reason === 'exists');
      await s.createBucket(bucket('b0'));
      await s.createBucket(bucket('other', '222222222222'));
      assert.deepEqual((await s.listBuckets('111111111111')).map((b) => b.name), ['b0', 'b1']);
      await s.setBucketConfig('b1', 'policy', '{"x":1}');
      assert.equal((await s.getBucket('b1'))!.config.policy, '{"x":1}');
      await s.setBucketConfig('b1', 'policy', undefined);
      assert.equal((await s.getBucket('b1'))!.config.policy, undefined);
      await s.putObject('b1', 'k', version('e1'), 'Unversioned');
      await assert.rejects(s.deleteBucket('b1'), (e) => e instanceof StoreConflict && e.reason === 'not-empty');
      await s.deleteObject('b1', 'k', 'Unversioned');
      await s.deleteBucket('b1');
      assert.equal(await s.getBucket('b1'), undefined);
      await s.close();
    });

    it('objects: unversioned overwrite releases the old piece; conditional writes', async () => {
      const s = await open();
      await s.createBucket(bucket('o'));
      const first = await s.putObject('o', 'k', version('e1'), 'Unversioned');
      assert.equal(first.version.versionId, 'null');
      assert.equal(first.released.length, 0);
      const second = await s.putObject('o', 'k', version('e2'), 'Unversioned');
      assert.equal(second.released.length, 1);
      assert.equal((await s.getObject('o', 'k'))!.etag, 'e2');
      await assert.rejects(s.putObject('o', 'k', version('e3'), 'Unversioned', { kind: 'if-none-match' }), (e) => e instanceof StoreConflict && e.reason === 'precondition');
      await assert.rejects(s.putObject('o', 'k', version('e3'), 'Unversioned', { kind: 'if-match', etag: 'nope' }), (e) => e instanceof StoreConflict && e.reason === 'precondition');
      await assert.rejects(s.putObject('o', 'absent', version('e3'), 'Unversioned', { kind: 'if-match', etag: 'e1' }), (e) => e instanceof StoreConflict && e.reason === 'not-found');
      await s.putObject('o', 'k', version('e3'), 'Unversioned', { kind: 'if-match', etag: 'e2' });
      const got = (await s.getObject('o', 'k'))!;
      assert.deepEqual([got.etag, got.headers.contentType, got.userMetadata.a, got.tags], ['e3', 'text/plain', '1', [['t', 'v']]]);
      assert.equal(got.data?.kind, 'single');
      await s.close();
    });

    it('versioning: versions, delete markers, promotion of the next latest, null versions under Suspended', async () => {
      const s = await open();
      await s.createBucket(bucket('v'));
      const v1 = (await s.putObject('v', 'k', version('e1'), 'Enabled')).version;
      const v2 = (await s.putObject('v', 'k', version('e2'), 'Enabled')).version;
      assert.notEqual(v1.versionId, v2.versionId);
      assert.equal((await s.getObject('v', 'k'))!.versionId, v2.versionId);
      const dm = await s.deleteObject('v', 'k', 'Enabled');
      assert.equal(dm.deleteMarker, true);
      assert.equal((await s.getObject('v', 'k'))!.isDeleteMarker, true);
      await s.deleteObject('v', 'k', 'Enabled', dm.versionId);
      assert.equal((await s.getObject('v', 'k'))!.versionId, v2.versionId, 'removing the marker restores the previous version');
      await s.putObject('v', 'k', version('n1'), 'Suspended');
      const n2 = await s.putObject('v', 'k', version('n2'), 'Suspended');
      assert.equal(n2.version.versionId, 'null');
      assert.equal(n2.released.length, 1, 'a suspended put replaces the null version');
      const all = await s.listObjectVersions('v', { prefix: '', keyMarker: '', limit: 100 });
      assert.deepEqual(all.map((x) => x.etag), ['n2', 'e2', 'e1'], 'newest first');
      assert.deepEqual(all.map((x) => x.isLatest), [true, false, false]);
      await s.close();
    });

    it('listing: UTF-8 byte order, prefix bounds, exclusive and inclusive starts, delete markers hidden', async () => {
      const s = await open();
      await s.createBucket(bucket('l'));
      const keys = ['a', 'a/b', 'a0', 'b', 'é', '😀', 'z', 'ｚ'];
      for (const k of keys) await s.putObject('l', k, version(k), 'Enabled');
      await s.deleteObject('l', 'z', 'Enabled');
      const names = async (q: { prefix?: string; start?: string; inclusive?: boolean; limit?: number }) =>
        (await s.listObjects('l', { prefix: q.prefix ?? '', start: q.start ?? '', inclusive: q.inclusive ?? false, limit: q.limit ?? 100 })).map((o) => o.key);
      const byBytes = [...keys].filter((k) => k !== 'z').sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.deepEqual(await names({}), byBytes);
      assert.deepEqual(await names({ prefix: 'a' }), ['a', 'a/b', 'a0']);
      assert.deepEqual(await names({ start: 'a/b' }), ['a0', 'b', 'é', 'ｚ', '😀']);
      assert.deepEqual(await names({ start: 'a/b', inclusive: true, limit: 2 }), ['a/b', 'a0']);
      await s.close();
    });

    it('multipart: parts replace, list in order, complete into one version, abort releases parts', async () => {
      const s = await open();
      await s.createBucket(bucket('m'));
      const base = { bucket: 'm', key: 'big', initiated: new Date(0), ownerAccountId: '111111111111', initiatorArn: 'arn', storageClass: 'STANDARD', headers: {}, userMetadata: {}, tags: [] as Array<[string, string]> };
      await s.createUpload({ ...base, uploadId: 'u1' });
      const part = (n: number, etag: string) => ({ partNumber: n, etag, size: 5, storedSize: 21, blobId: `${etag}`.padEnd(32, '0'), seal: {}, lastModified: new Date(0) });
      assert.equal(await s.putPart('u1', part(2, 'b')), undefined);
      await s.putPart('u1', part(1, 'a'));
      const replaced = await s.putPart('u1', part(2, 'c'));
      assert.equal(replaced?.blobId, 'b'.padEnd(32, '0'));
      assert.deepEqual((await s.listParts('u1', 0, 10)).map((p) => [p.partNumber, p.etag]), [[1, 'a'], [2, 'c']]);
      const { lastModified: _a, ...p1 } = part(1, 'a');
      const done = await s.completeUpload('u1', { ...version('x-1'), data: undefined }, [p1], 'Unversioned');
      assert.equal(done.released.length, 1, 'the unused part is released');
      assert.equal(await s.getUpload('u1'), undefined);
      const obj = (await s.getObject('m', 'big'))!;
      assert.equal(obj.data?.kind, 'parts');
      await s.createUpload({ ...base, uploadId: 'u2' });
      await s.putPart('u2', part(1, 'd'));
      assert.equal((await s.abortUpload('u2')).length, 1);
      await assert.rejects(s.abortUpload('u2'), (e) => e instanceof StoreConflict);
      await s.close();
    });

    it('access keys and sessions: upsert, expiry sweep', async () => {
      const s = await open();
      await s.putAccessKey({ accessKeyId: 'AKIA1', secretAccessKey: 's', accountId: '111111111111', principalKind: 'Root', principalName: '', status: 'Active', createdAt: new Date(0) });
      await s.putAccessKey({
        accessKeyId: 'ASIA1', secretAccessKey: 's', accountId: '111111111111', principalKind: 'AssumedRole', principalName: 'sess', status: 'Active',
        createdAt: new Date(0), sessionToken: 'tok', expiresAt: new Date(1000), session: { kind: 'AssumedRole', arn: 'arn', userId: 'AROA:sess', issuedAt: new Date(0).toISOString() },
      });
      assert.equal((await s.getAccessKey('ASIA1'))!.session?.userId, 'AROA:sess');
      await s.recordAccessKeyUse([{ accessKeyId: 'AKIA1', at: new Date(5000), service: 's3', region: 'us-east-1' }]);
      await s.recordAccessKeyUse([{ accessKeyId: 'AKIA1', at: new Date(4000), service: 'iam', region: 'us-east-1' }]);
      assert.deepEqual((await s.getAccessKey('AKIA1'))!.lastUsed, { at: new Date(5000), service: 's3', region: 'us-east-1' }, 'an older use never overwrites a newer one');
      assert.equal(await s.deleteExpiredSessions(new Date(2000)), 1);
      assert.equal(await s.getAccessKey('ASIA1'), undefined);
      assert.ok(await s.getAccessKey('AKIA1'));
      await s.close();
    });
  });
}
