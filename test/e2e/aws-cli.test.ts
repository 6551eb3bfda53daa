import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsCli, startTestServer, s3Client, type TestServer } from './harness.js';

const MiB = 1024 * 1024;
const md5hex = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

/** Runs the CLI and returns its JSON output (s3api commands print JSON by default). */
async function cliJson<T = Record<string, unknown>>(endpoint: string, args: string[]): Promise<T> {
  const { stdout } = await awsCli(endpoint, args);
  return (stdout.trim() === '' ? {} : JSON.parse(stdout)) as T;
}

/** Whether `<bucket>.localhost` resolves through the system resolver (the CLI has no custom lookup). */
async function localhostSubdomainsResolve(): Promise<boolean> {
  try {
    await promisify(execFile)('getent', ['hosts', 'coffer-probe.localhost']);
    return true;
  } catch {
    return false;
  }
}

describe('the AWS CLI v2 against Coffer', () => {
  let srv: TestServer;
  let s3: S3Client;
  let work: string;
  const B = 'cli-bucket';
  const url = (key = ''): string => `s3://${B}/${key}`;

  before(async () => {
    srv = await startTestServer();
    s3 = s3Client(srv.endpoint);
    work = await mkdtemp(join(tmpdir(), 'coffer-cli-'));
    // Path-style addressing: the CLI's default for an IP-address endpoint.
    const { stdout } = await awsCli(srv.endpoint, ['s3', 'mb', url()]);
    assert.match(stdout, /make_bucket: cli-bucket/);
  });
  after(async () => {
    s3.destroy();
    await srv.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('s3 cp: small and 20 MiB files, up and down', async () => {
    const small = join(work, 'small.txt');
    await writeFile(small, 'hello from the cli\n');
    await awsCli(srv.endpoint, ['s3', 'cp', small, url('cp/small.txt')]);
    const got = await s3.send(new GetObjectCommand({ Bucket: B, Key: 'cp/small.txt' }));
    assert.equal(await got.Body!.transformToString(), 'hello from the cli\n');
    assert.equal(got.ContentType, 'text/plain', 'the CLI guesses the content type from the extension');

    // Above 8 MiB the CLI uploads in 8 MiB parts: 20 MiB is three parts.
    const bigData = randomBytes(20 * MiB);
    const big = join(work, 'big.bin');
    await writeFile(big, bigData);
    await awsCli(srv.endpoint, ['s3', 'cp', big, url('cp/big.bin')]);
    const head = await cliJson<{ ETag: string; ContentLength: number }>(srv.endpoint, ['s3api', 'head-object', '--bucket', B, '--key', 'cp/big.bin']);
    assert.equal(head.ContentLength, bigData.length);
    const parts = [0, 8, 16].map((o) => bigData.subarray(o * MiB, Math.min((o + 8) * MiB, bigData.length)));
    const etag = createHash('md5').update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()))).digest('hex');
    assert.equal(head.ETag, `"${etag}-3"`);

    // Downloads: the big one is fetched in ranged parts by the CLI.
    const down = join(work, 'down');
    await mkdir(down);
    await awsCli(srv.endpoint, ['s3', 'cp', url('cp/big.bin'), join(down, 'big.bin')]);
    await awsCli(srv.endpoint, ['s3', 'cp', url('cp/small.txt'), join(down, 'small.txt')]);
    assert.ok((await readFile(join(down, 'big.bin'))).equals(bigData), '20 MiB download is byte-identical');
    assert.equal(await readFile(join(down, 'small.txt'), 'utf8'), 'hello from the cli\n');
    // Copy within S3.
    await awsCli(srv.endpoint, ['s3', 'cp', url('cp/small.txt'), url('cp/copied.txt')]);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'cp/copied.txt' }))).Body!.transformToString(), 'hello from the cli\n');
  });

  test('s3 sync of a tree, again (no transfers), then --delete; s3 ls', async () => {
    const tree = join(work, 'tree');
    const files: Record<string, Buffer> = {
      'a.txt': Buffer.from('a'),
      'with space.txt': Buffer.from('spaced'),
      'sub/b.txt': Buffer.from('bb'),
      'sub/deep/c.bin': randomBytes(70_000),
      'sub/ünï/d.txt': Buffer.from('unicode path'),
    };
    for (const [rel, data] of Object.entries(files)) {
      await mkdir(join(tree, rel, '..'), { recursive: true });
      await writeFile(join(tree, rel), data);
    }
    const first = await awsCli(srv.endpoint, ['s3', 'sync', tree, url('tree/')]);
    assert.equal((first.stdout.match(/^upload: /gm) ?? []).length, 5, first.stdout);

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'tree/' }));
    assert.deepEqual(listed.Contents?.map((c) => c.Key).sort(), Object.keys(files).map((f) => `tree/${f}`).sort());
    for (const c of listed.Contents!) assert.equal(c.ETag, `"${md5hex(files[c.Key!.slice(5)]!)}"`);

    const again = await awsCli(srv.endpoint, ['s3', 'sync', tree, url('tree/')]);
    assert.equal(again.stdout.trim(), '', 'a second sync transfers nothing');

    await unlink(join(tree, 'a.txt'));
    const del = await awsCli(srv.endpoint, ['s3', 'sync', '--delete', tree, url('tree/')]);
    assert.match(del.stdout, /delete: s3:\/\/cli-bucket\/tree\/a\.txt/);
    assert.doesNotMatch(del.stdout, /upload: /);

    // Sync back down into an empty directory: the same tree.
    const back = join(work, 'tree-back');
    await awsCli(srv.endpoint, ['s3', 'sync', url('tree/'), back]);
    for (const [rel, data] of Object.entries(files)) {
      if (rel === 'a.txt') continue;
      assert.ok((await readFile(join(back, rel))).equals(data), rel);
    }

    const flat = await awsCli(srv.endpoint, ['s3', 'ls', url('tree/')]);
    assert.match(flat.stdout, /^\s+PRE sub\/$/m);
    assert.match(flat.stdout, / 6 with space\.txt$/m);
    assert.doesNotMatch(flat.stdout, /b\.txt/);
    const recursive = await awsCli(srv.endpoint, ['s3', 'ls', '--recursive', url('tree/')]);
    const keys = recursive.stdout.trim().split('\n').map((l) => l.replace(/^\S+ \S+\s+\d+ /, ''));
    assert.deepEqual(keys.sort(), Object.keys(files).filter((f) => f !== 'a.txt').map((f) => `tree/${f}`).sort());
    const buckets = await awsCli(srv.endpoint, ['s3', 'ls']);
    assert.match(buckets.stdout, / cli-bucket$/m);
  });

  test('s3 rm --recursive and s3 rb', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'cli-doomed' }));
    for (const k of ['x/1', 'x/2', 'x/y/3', 'keep']) await s3.send(new PutObjectCommand({ Bucket: 'cli-doomed', Key: k, Body: k }));
    const rmOut = await awsCli(srv.endpoint, ['s3', 'rm', '--recursive', 's3://cli-doomed/x/']);
    assert.equal((rmOut.stdout.match(/^delete: /gm) ?? []).length, 3);
    const left = await s3.send(new ListObjectsV2Command({ Bucket: 'cli-doomed' }));
    assert.deepEqual(left.Contents?.map((c) => c.Key), ['keep']);
    // rb refuses a non-empty bucket; --force empties it first.
    await assert.rejects(awsCli(srv.endpoint, ['s3', 'rb', 's3://cli-doomed']), (e: { stderr?: string }) => /BucketNotEmpty/.test(e.stderr ?? ''));
    const rb = await awsCli(srv.endpoint, ['s3', 'rb', '--force', 's3://cli-doomed']);
    assert.match(rb.stdout, /remove_bucket: cli-doomed/);
    const buckets = await awsCli(srv.endpoint, ['s3', 'ls']);
    assert.doesNotMatch(buckets.stdout, /cli-doomed/);
  });

  test('s3api: put/get/head-object, list-objects-v2', async () => {
    const body = join(work, 'api-body.json');
    await writeFile(body, '{"k":1}');
    const put = await cliJson<{ ETag: string }>(srv.endpoint, [
      's3api', 'put-object', '--bucket', B, '--key', 'api/doc.json', '--body', body, '--content-type', 'application/json', '--metadata', 'owner=cli',
    ]);
    assert.equal(put.ETag, `"${md5hex(Buffer.from('{"k":1}'))}"`);
    const head = await cliJson<{ ContentType: string; ContentLength: number; Metadata: Record<string, string>; ETag: string }>(srv.endpoint, ['s3api', 'head-object', '--bucket', B, '--key', 'api/doc.json']);
    assert.equal(head.ContentType, 'application/json');
    assert.equal(head.ContentLength, 7);
    assert.deepEqual(head.Metadata, { owner: 'cli' });
    const outFile = join(work, 'api-out.json');
    const get = await cliJson<{ ETag: string; ContentLength: number }>(srv.endpoint, ['s3api', 'get-object', '--bucket', B, '--key', 'api/doc.json', '--range', 'bytes=1-3', outFile]);
    assert.equal(get.ContentLength, 3);
    assert.equal(await readFile(outFile, 'utf8'), '"k"');

    for (const k of ['api/l/1', 'api/l/2', 'api/l/3']) await s3.send(new PutObjectCommand({ Bucket: B, Key: k, Body: k }));
    // --max-items pages through continuation tokens inside the CLI.
    const list = await cliJson<{ Contents: Array<{ Key: string }>; NextToken?: string }>(srv.endpoint, ['s3api', 'list-objects-v2', '--bucket', B, '--prefix', 'api/l/', '--max-items', '2']);
    assert.deepEqual(list.Contents.map((c) => c.Key), ['api/l/1', 'api/l/2']);
    assert.ok(list.NextToken);
    const rest = await cliJson<{ Contents: Array<{ Key: string }> }>(srv.endpoint, ['s3api', 'list-objects-v2', '--bucket', B, '--prefix', 'api/l/', '--starting-token', list.NextToken!]);
    assert.deepEqual(rest.Contents.map((c) => c.Key), ['api/l/3']);
    const delim = await cliJson<{ CommonPrefixes: Array<{ Prefix: string }>; KeyCount: number }>(srv.endpoint, ['s3api', 'list-objects-v2', '--bucket', B, '--prefix', 'api/', '--delimiter', '/']);
    assert.deepEqual(delim.CommonPrefixes.map((p) => p.Prefix), ['api/l/']);
  });

  test('s3api: versioning, list-object-versions, delete-objects', async () => {
    await awsCli(srv.endpoint, ['s3api', 'create-bucket', '--bucket', 'cli-versions']);
    await awsCli(srv.endpoint, ['s3api', 'put-bucket-versioning', '--bucket', 'cli-versions', '--versioning-configuration', 'Status=Enabled']);
    const status = await cliJson<{ Status: string }>(srv.endpoint, ['s3api', 'get-bucket-versioning', '--bucket', 'cli-versions']);
    assert.equal(status.Status, 'Enabled');
    const f = join(work, 'v.txt');
    const ids: string[] = [];
    for (const content of ['one', 'two']) {
      await writeFile(f, content);
      ids.push((await cliJson<{ VersionId: string }>(srv.endpoint, ['s3api', 'put-object', '--bucket', 'cli-versions', '--key', 'k', '--body', f])).VersionId);
    }
    assert.equal(new Set(ids).size, 2);
    const versions = await cliJson<{ Versions: Array<{ VersionId: string; IsLatest: boolean }> }>(srv.endpoint, ['s3api', 'list-object-versions', '--bucket', 'cli-versions']);
    assert.deepEqual(versions.Versions.map((v) => [v.VersionId, v.IsLatest]), [[ids[1], true], [ids[0], false]]);

    const del = await cliJson<{ Deleted: Array<{ Key: string; VersionId?: string; DeleteMarker?: boolean }> }>(srv.endpoint, [
      's3api', 'delete-objects', '--bucket', 'cli-versions', '--delete', JSON.stringify({ Objects: [{ Key: 'k', VersionId: ids[1] }, { Key: 'other' }] }),
    ]);
    assert.equal(del.Deleted.length, 2);
    assert.ok(del.Deleted.some((d) => d.Key === 'k' && d.VersionId === ids[1]));
    assert.ok(del.Deleted.some((d) => d.Key === 'other' && d.DeleteMarker === true));
    const outFile = join(work, 'v-out.txt');
    const got = await cliJson<{ VersionId: string }>(srv.endpoint, ['s3api', 'get-object', '--bucket', 'cli-versions', '--key', 'k', outFile]);
    assert.equal(got.VersionId, ids[0]);
    assert.equal(await readFile(outFile, 'utf8'), 'one');
  });

  test('an error: get-object on a missing key exits non-zero with NoSuchKey', async () => {
    await assert.rejects(
      awsCli(srv.endpoint, ['s3api', 'get-object', '--bucket', B, '--key', 'no/such/key', join(work, 'never')]),
      (e: { code?: number; stderr?: string }) => {
        assert.notEqual(e.code, 0);
        assert.match(e.stderr ?? '', /NoSuchKey/);
        return true;
      },
    );
    await assert.rejects(awsCli(srv.endpoint, ['s3', 'ls', 's3://no-such-bucket-cli/']), (e: { stderr?: string }) => /NoSuchBucket/.test(e.stderr ?? ''));
  });

  test('virtual-hosted addressing', async (t) => {
    // The SDK, with a lookup that sends *.localhost to the loopback (see harness).
    const vs3 = s3Client(`http://localhost:${srv.port}`, undefined, { forcePathStyle: false });
    try {
      await vs3.send(new PutObjectCommand({ Bucket: B, Key: 'vhost/sdk.txt', Body: 'virtual' }));
      const got = await vs3.send(new GetObjectCommand({ Bucket: B, Key: 'vhost/sdk.txt' }));
      assert.equal(await got.Body!.transformToString(), 'virtual');
      const listed = await vs3.send(new ListObjectsV2Command({ Bucket: B, Prefix: 'vhost/' }));
      assert.deepEqual(listed.Contents?.map((c) => c.Key), ['vhost/sdk.txt']);
    } finally {
      vs3.destroy();
    }

    // The CLI resolves names through the system: `cli-bucket.localhost` must resolve for it.
    // Many resolvers (glibc without nss-myhostname, as on this machine at the time of
    // writing) do not map *.localhost, so this half runs only where they do.
    if (!(await localhostSubdomainsResolve())) {
      t.skip('*.localhost does not resolve here (getent hosts); virtual-hosted CLI addressing not exercised');
      return;
    }
    const config = join(work, 'virtual.config');
    await writeFile(config, '[default]\ns3 =\n    addressing_style = virtual\n');
    const env = { AWS_CONFIG_FILE: config };
    const f = join(work, 'vhost.txt');
    await writeFile(f, 'via cli');
    await awsCli(`http://localhost:${srv.port}`, ['s3', 'cp', f, url('vhost/cli.txt')], undefined, env);
    const { stdout } = await awsCli(`http://localhost:${srv.port}`, ['s3', 'ls', url('vhost/')], undefined, env);
    assert.match(stdout, /cli\.txt/);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: B, Key: 'vhost/cli.txt' }))).Body!.transformToString(), 'via cli');
  });
});
