import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateBucketCommand, DeleteObjectCommand, ListBucketsCommand, ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand,
  PutBucketVersioningCommand, PutObjectCommand, S3Client, paginateListObjectsV2, type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { startTestServer, s3Client, type TestServer } from './harness.js';
import { rejects } from './expect.js';


/** S3 lists in the byte order of UTF-8, which differs from JS string order past the BMP. */
const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Keys chosen to sort around the delimiter and across encodings: '-' (0x2d) < '/' (0x2f) <
 * '0' (0x30); uppercase before lowercase; U+E000 (EE 80 80) before an emoji (F0 ...) in UTF-8,
 * although UTF-16 code units put the emoji's surrogate (D83D) first.
 */
const KEYS = [
  'a', 'a-', 'a/', 'a/b', 'a/b/c', 'a/b/d', 'a/c', 'a0', 'A', 'B/x', 'B/y/z', 'Z', '0', '9/z', 'b', 'é', 'ü/x',
  '日本/語', '😀', '😀/x', 'x\u{E000}', 'x😀', 'z~', 'ｚ', 'photos/2024/01/a.jpg', 'photos/2024/02/b.jpg', 'photos/2025/c.jpg',
];
const SORTED = [...KEYS].sort(utf8Order);

type Entry = { key: string } | { prefix: string };

/** What S3 returns for a listing, computed locally: keys and rolled-up common prefixes in order. */
function expected(keys: string[], prefix = '', delimiter?: string, after?: string): Entry[] {
  const out: Entry[] = [];
  for (const k of [...keys].sort(utf8Order)) {
    if (!k.startsWith(prefix) || (after !== undefined && utf8Order(k, after) <= 0)) continue;
    const i = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    if (i >= 0) {
      const cp = k.slice(0, i + delimiter!.length);
      if (!out.some((e) => 'prefix' in e && e.prefix === cp)) out.push({ prefix: cp });
    } else out.push({ key: k });
  }
  return out;
}

/** One page's entries, merged in S3's order (keys and prefixes interleave by name). */
function entriesOf(page: { Contents?: Array<{ Key?: string }>; CommonPrefixes?: Array<{ Prefix?: string }> }): Entry[] {
  const all: Entry[] = [
    ...(page.Contents ?? []).map((c) => ({ key: c.Key! })),
    ...(page.CommonPrefixes ?? []).map((p) => ({ prefix: p.Prefix! })),
  ];
  return all.sort((a, b) => utf8Order('key' in a ? a.key : a.prefix, 'key' in b ? b.key : b.prefix));
}

/** Decodes `encoding-type=url` values: form-style, so a '+' from S3 is a space and a literal '+' arrives as %2B. */
const urlDecode = (s: string | undefined): string | undefined => (s === undefined ? undefined : decodeURIComponent(s.replace(/\+/g, ' ')));

describe('S3 listing with the AWS SDK v3', () => {
  let srv: TestServer;
  let s3: S3Client;
  before(async () => {
    srv = await startTestServer();
    s3 = s3Client(srv.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    await Promise.all(KEYS.map((Key) => s3.send(new PutObjectCommand({ Bucket: 'listing', Key, Body: Key }))));
  });
  after(async () => {
    s3.destroy();
    await srv.stop();
  });

  test('ListObjectsV2 returns every key once, in UTF-8 byte order, with sizes and KeyCount', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: 'listing' }));
    assert.deepEqual(out.Contents?.map((c) => c.Key), SORTED);
    assert.equal(out.KeyCount, KEYS.length);
    assert.equal(out.IsTruncated, false);
    assert.equal(out.NextContinuationToken, undefined);
    assert.equal(out.MaxKeys, 1000);
    assert.equal(out.Name, 'listing');
    for (const c of out.Contents!) {
      assert.equal(c.Size, Buffer.byteLength(c.Key!));
      assert.match(c.ETag!, /^"[0-9a-f]{32}"$/);
      assert.equal(c.StorageClass, 'STANDARD');
      assert.equal(c.Owner, undefined, 'ListObjectsV2 returns no owner unless FetchOwner is set');
    }
    // UTF-16 order would put the emoji before U+E000; S3's byte order does not.
    assert.ok(SORTED.indexOf('x\u{E000}') < SORTED.indexOf('x😀'));
    assert.deepEqual(SORTED.slice(0, 3), ['0', '9/z', 'A']);
  });

  test('prefix and delimiter: common prefixes at the top level and nested', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/' }));
    assert.deepEqual(entriesOf(top), expected(KEYS, '', '/'));
    assert.deepEqual(top.CommonPrefixes?.map((p) => p.Prefix), ['9/', 'B/', 'a/', 'photos/', 'ü/', '日本/', '😀/']);
    assert.ok(top.Contents?.some((c) => c.Key === 'a-') && top.Contents.some((c) => c.Key === 'a0'));
    assert.equal(top.KeyCount, (top.Contents?.length ?? 0) + (top.CommonPrefixes?.length ?? 0));
    assert.equal(top.Delimiter, '/');

    const a = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a/', Delimiter: '/' }));
    assert.deepEqual(a.Contents?.map((c) => c.Key), ['a/', 'a/b', 'a/c']);
    assert.deepEqual(a.CommonPrefixes?.map((p) => p.Prefix), ['a/b/']);
    assert.equal(a.Prefix, 'a/');
    assert.equal(a.KeyCount, 4);

    const photos = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'photos/2024/', Delimiter: '/' }));
    assert.equal(photos.Contents, undefined);
    assert.deepEqual(photos.CommonPrefixes?.map((p) => p.Prefix), ['photos/2024/01/', 'photos/2024/02/']);

    const bare = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a' }));
    assert.deepEqual(bare.Contents?.map((c) => c.Key), ['a', 'a-', 'a/', 'a/b', 'a/b/c', 'a/b/d', 'a/c', 'a0']);

    // A delimiter other than '/' and a prefix that matches nothing.
    const dash = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'a', Delimiter: '-' }));
    assert.deepEqual(entriesOf(dash), expected(KEYS, 'a', '-'));
    const none = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', Prefix: 'nothing/' }));
    assert.equal(none.KeyCount, 0);
    assert.equal(none.Contents, undefined);
  });

  test('continuation tokens page through keys and prefixes exactly once', async () => {
    for (const [delimiter, prefix] of [[undefined, undefined], ['/', undefined], ['/', 'a/'], ['/', 'photos/']] as const) {
      for (const maxKeys of [1, 2, 3, 7]) {
        const seen: Entry[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const out: ListObjectsV2CommandOutput = await s3.send(new ListObjectsV2Command({
            Bucket: 'listing', MaxKeys: maxKeys, ContinuationToken: token, Delimiter: delimiter, Prefix: prefix,
          }));
          const got = entriesOf(out);
          assert.ok(got.length <= maxKeys, 'a page never holds more than max-keys');
          assert.equal(out.KeyCount, got.length);
          assert.equal(out.MaxKeys, maxKeys);
          assert.equal(out.ContinuationToken, token);
          if (out.IsTruncated) assert.ok(out.NextContinuationToken, 'a truncated page carries a token');
          else assert.equal(out.NextContinuationToken, undefined);
          seen.push(...got);
          token = out.NextContinuationToken;
          assert.ok(++pages < 100);
        } while (token);
        assert.deepEqual(seen, expected(KEYS, prefix ?? '', delimiter), `delimiter=${delimiter} prefix=${prefix} max-keys=${maxKeys}`);
      }
    }
  });

  test('paginateListObjectsV2 runs until exhausted', async () => {
    const keys: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 4 }, { Bucket: 'listing' })) {
      pages++;
      keys.push(...(page.Contents ?? []).map((c) => c.Key!));
    }
    assert.deepEqual(keys, SORTED);
    assert.equal(pages, Math.ceil(KEYS.length / 4));
    assert.equal(new Set(keys).size, KEYS.length);

    const withPrefixes: Entry[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: 'listing', Delimiter: '/' })) withPrefixes.push(...entriesOf(page));
    assert.deepEqual(withPrefixes, expected(KEYS, '', '/'));
  });

  test('start-after', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'a/' }));
    assert.deepEqual(out.Contents?.map((c) => c.Key), SORTED.filter((k) => utf8Order(k, 'a/') > 0));
    assert.equal(out.StartAfter, 'a/');
    // A start-after that is not a key, between keys.
    const mid = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'a/bb', MaxKeys: 2 }));
    assert.deepEqual(mid.Contents?.map((c) => c.Key), ['a/c', 'a0']);
    // With a delimiter: the keys after 'a-' begin with the 'a/' prefix.
    const d = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: 'a-', Delimiter: '/', MaxKeys: 3 }));
    assert.deepEqual(entriesOf(d), expected(KEYS, '', '/', 'a-').slice(0, 3));
    // A continuation token wins over start-after.
    const first = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 2 }));
    const next = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 2, StartAfter: 'z', ContinuationToken: first.NextContinuationToken }));
    assert.deepEqual(next.Contents?.map((c) => c.Key), SORTED.slice(2, 4));
    const past = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', StartAfter: '\u{10FFFF}' }));
    assert.equal(past.KeyCount, 0);
  });

  test('max-keys=0 returns nothing and is not truncated', async () => {
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', MaxKeys: 0 }));
    assert.equal(v2.KeyCount, 0);
    assert.equal(v2.Contents, undefined);
    assert.equal(v2.IsTruncated, false);
    assert.equal(v2.MaxKeys, 0);
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'listing', MaxKeys: 0 }));
    assert.equal(v1.Contents, undefined);
    assert.equal(v1.IsTruncated, false);
  });

  test('FetchOwner', async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', FetchOwner: true, MaxKeys: 3 }));
    assert.equal(out.Contents?.length, 3);
    for (const c of out.Contents!) assert.match(c.Owner?.ID ?? '', /^[0-9a-f]{64}$/);
    const buckets = await s3.send(new ListBucketsCommand({}));
    assert.equal(out.Contents![0]!.Owner!.ID, buckets.Owner?.ID);
  });

  test('EncodingType url: keys, prefixes and markers round-trip', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing-enc' }));
    // Keys XML 1.0 cannot carry (a control character) are why encoding-type exists.
    const keys = ['enc/a b', 'enc/c+d', 'enc/e%f', 'enc/ü &?=#', 'enc/q"<>\'', 'enc/x\u0001y', 'enc/dir one/f', 'enc/~!*()'];
    await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket: 'listing-enc', Key, Body: 'x' }))));
    // The SDK v3 leaves url-encoded values as they arrive, so they are decoded here.
    const out = await s3.send(new ListObjectsV2Command({ Bucket: 'listing-enc', EncodingType: 'url', Prefix: 'enc/', StartAfter: 'enc/a b' }));
    assert.equal(out.EncodingType, 'url');
    const raw = out.Contents!.map((c) => c.Key!);
    assert.ok(raw.every((k) => !/[ \u0001"<>&]/.test(k)), `keys arrive encoded: ${raw.join(' | ')}`);
    assert.deepEqual(raw.map(urlDecode), [...keys].sort(utf8Order).filter((k) => utf8Order(k, 'enc/a b') > 0));
    assert.equal(urlDecode(out.StartAfter), 'enc/a b');
    assert.equal(out.Prefix, 'enc/');

    const delim = await s3.send(new ListObjectsV2Command({ Bucket: 'listing-enc', EncodingType: 'url', Prefix: 'enc/', Delimiter: ' ' }));
    assert.deepEqual(delim.CommonPrefixes?.map((p) => urlDecode(p.Prefix)), ['enc/a ', 'enc/dir ', 'enc/ü ']);
    assert.equal(urlDecode(delim.Delimiter), ' ');

    // v1 and versions listings encode too; an encoded NextMarker decodes to a usable marker.
    const v1 = await s3.send(new ListObjectsCommand({ Bucket: 'listing-enc', EncodingType: 'url', Delimiter: '/', Prefix: 'enc/', MaxKeys: 2 }));
    assert.deepEqual(entriesOf(v1).map((e) => ('key' in e ? { key: urlDecode(e.key)! } : { prefix: urlDecode(e.prefix)! })), expected(keys, 'enc/', '/').slice(0, 2));
    assert.ok(v1.IsTruncated);
    const v1next = await s3.send(new ListObjectsCommand({ Bucket: 'listing-enc', Delimiter: '/', Prefix: 'enc/', Marker: urlDecode(v1.NextMarker) }));
    assert.deepEqual(entriesOf(v1next), expected(keys, 'enc/', '/', urlDecode(v1.NextMarker)));
    const vers = await s3.send(new ListObjectVersionsCommand({ Bucket: 'listing-enc', EncodingType: 'url', Prefix: 'enc/x' }));
    assert.deepEqual(vers.Versions?.map((v) => urlDecode(v.Key)), ['enc/x\u0001y']);

    await rejects(s3.send(new ListObjectsV2Command({ Bucket: 'listing-enc', EncodingType: 'base64' as 'url' })), 'InvalidArgument', 400);
  });

  test('ListObjects v1: Marker and NextMarker with a delimiter, owners, truncation', async () => {
    for (const maxKeys of [1, 2, 5]) {
      const seen: Entry[] = [];
      let marker: string | undefined;
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 100);
        const out = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', MaxKeys: maxKeys, Marker: marker }));
        assert.equal(out.Marker ?? '', marker ?? '');
        const got = entriesOf(out);
        assert.ok(got.length <= maxKeys);
        seen.push(...got);
        if (!out.IsTruncated) {
          assert.equal(out.NextMarker, undefined);
          break;
        }
        // With a delimiter NextMarker is the last key or common prefix of the page.
        const last = got[got.length - 1]!;
        assert.equal(out.NextMarker, 'key' in last ? last.key : last.prefix);
        marker = out.NextMarker;
      }
      assert.deepEqual(seen, expected(KEYS, '', '/'), `max-keys=${maxKeys}`);
    }
    // Without a delimiter there is no NextMarker: the client resumes after the last key.
    const keys: string[] = [];
    let marker: string | undefined;
    for (;;) {
      const out = await s3.send(new ListObjectsCommand({ Bucket: 'listing', MaxKeys: 5, Marker: marker }));
      assert.equal(out.NextMarker, undefined);
      for (const c of out.Contents ?? []) assert.match(c.Owner?.ID ?? '', /^[0-9a-f]{64}$/, 'v1 always lists owners');
      keys.push(...(out.Contents ?? []).map((c) => c.Key!));
      if (!out.IsTruncated) break;
      marker = keys[keys.length - 1];
    }
    assert.deepEqual(keys, SORTED);
    // A marker that is a common prefix resumes past everything under it.
    const past = await s3.send(new ListObjectsCommand({ Bucket: 'listing', Delimiter: '/', Marker: 'a/' }));
    assert.deepEqual(entriesOf(past), expected(KEYS, '', '/').filter((e) => utf8Order('key' in e ? e.key : e.prefix, 'a/') > 0));
  });

  test('ListObjectVersions pagination with key-marker and version-id-marker', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing-versions' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'listing-versions', VersioningConfiguration: { Status: 'Enabled' } }));
    const vkeys = ['k1', 'k2', 'k2/sub', 'k3', 'k/a', 'k/b'];
    for (const Key of vkeys) {
      for (let i = 0; i < 3; i++) await s3.send(new PutObjectCommand({ Bucket: 'listing-versions', Key, Body: `${Key}#${i}` }));
    }
    await s3.send(new DeleteObjectCommand({ Bucket: 'listing-versions', Key: 'k2' }));
    const full = await s3.send(new ListObjectVersionsCommand({ Bucket: 'listing-versions' }));
    const all = [
      ...(full.Versions ?? []).map((v) => ({ key: v.Key!, id: v.VersionId!, latest: v.IsLatest!, marker: false, at: v.LastModified })),
      ...(full.DeleteMarkers ?? []).map((v) => ({ key: v.Key!, id: v.VersionId!, latest: v.IsLatest!, marker: true, at: v.LastModified })),
    ];
    assert.equal(full.Versions?.length, 18);
    assert.equal(full.DeleteMarkers?.length, 1);
    assert.equal(full.IsTruncated, false);
    assert.equal(new Set(all.map((e) => e.id)).size, 19);
    // One latest per key: the delete marker is latest for k2.
    for (const k of vkeys) assert.equal(all.filter((e) => e.key === k && e.latest).length, 1, k);
    assert.ok(all.find((e) => e.key === 'k2' && e.latest)!.marker);

    const order = [...new Set(all.map((e) => e.key))];
    assert.deepEqual(order, [...vkeys].sort(utf8Order));

    for (const maxKeys of [1, 2, 4]) {
      const seen: string[] = [];
      let keyMarker: string | undefined;
      let versionIdMarker: string | undefined;
      for (let pages = 0; ; pages++) {
        assert.ok(pages < 100);
        const out = await s3.send(new ListObjectVersionsCommand({ Bucket: 'listing-versions', MaxKeys: maxKeys, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
        const ids = [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => v.VersionId!);
        assert.ok(ids.length <= maxKeys);
        seen.push(...ids);
        if (!out.IsTruncated) break;
        assert.ok(out.NextKeyMarker && out.NextVersionIdMarker, 'a truncated page names the next key and version');
        keyMarker = out.NextKeyMarker;
        versionIdMarker = out.NextVersionIdMarker;
      }
      assert.equal(seen.length, 19, `max-keys=${maxKeys}`);
      assert.equal(new Set(seen).size, 19, `each version once at max-keys=${maxKeys}`);
    }
    // Newest first within a key.
    const k1 = await s3.send(new ListObjectVersionsCommand({ Bucket: 'listing-versions', Prefix: 'k1' }));
    const times = k1.Versions!.map((v) => v.LastModified!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
    assert.equal(k1.Versions![0]!.IsLatest, true);

    // A key-marker alone resumes after every version of that key.
    const afterK1 = await s3.send(new ListObjectVersionsCommand({ Bucket: 'listing-versions', KeyMarker: 'k1' }));
    assert.ok(![...(afterK1.Versions ?? [])].some((v) => v.Key === 'k1'));
    assert.equal(afterK1.KeyMarker, 'k1');

    // With a delimiter, common prefixes page too.
    const seenKeys: string[] = [];
    const prefixes: string[] = [];
    let km: string | undefined;
    let vm: string | undefined;
    for (let pages = 0; ; pages++) {
      assert.ok(pages < 100);
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket: 'listing-versions', Delimiter: '/', MaxKeys: 2, KeyMarker: km, VersionIdMarker: vm }));
      seenKeys.push(...[...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])].map((v) => v.Key!));
      prefixes.push(...(out.CommonPrefixes ?? []).map((p) => p.Prefix!));
      if (!out.IsTruncated) break;
      km = out.NextKeyMarker;
      vm = out.NextVersionIdMarker;
    }
    assert.deepEqual(prefixes, ['k/', 'k2/']);
    assert.equal(seenKeys.length, 10);
    assert.deepEqual([...new Set(seenKeys)], ['k1', 'k2', 'k3']);

    await rejects(s3.send(new ListObjectVersionsCommand({ Bucket: 'listing-versions', VersionIdMarker: all[0]!.id })), 'InvalidArgument', 400);
  });

  test('ListBuckets: sorted, with prefix and pagination', async () => {
    for (const b of ['lb-c', 'lb-a', 'lb-b']) await s3.send(new CreateBucketCommand({ Bucket: b }));
    const out = await s3.send(new ListBucketsCommand({}));
    const names = out.Buckets!.map((b) => b.Name!);
    assert.deepEqual(names, [...names].sort());
    for (const b of ['lb-a', 'lb-b', 'lb-c', 'listing']) assert.ok(names.includes(b), b);
    for (const b of out.Buckets!) assert.ok(b.CreationDate instanceof Date);
    const pref = await s3.send(new ListBucketsCommand({ Prefix: 'lb-' }));
    assert.deepEqual(pref.Buckets?.map((b) => b.Name), ['lb-a', 'lb-b', 'lb-c']);
    assert.equal(pref.Prefix, 'lb-');
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new ListBucketsCommand({ Prefix: 'lb-', MaxBuckets: 2, ContinuationToken: token }));
      paged.push(...page.Buckets!.map((b) => b.Name!));
      token = page.ContinuationToken;
    } while (token);
    assert.deepEqual(paged, ['lb-a', 'lb-b', 'lb-c']);
  });
});
