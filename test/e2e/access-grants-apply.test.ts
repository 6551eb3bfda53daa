import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ListAccessGrantsCommand, ListAccessGrantsLocationsCommand } from '@aws-sdk/client-s3-control';
import { ROOT_KEY, s3ControlClient, startTestServer, type TestServer } from './harness.js';

const A = '000000000000';
const run = promisify(execFile);
const MAIN = join(import.meta.dirname, '../../src/cli/main.js');

describe('coffer access apply', () => {
  let srv: TestServer;
  let dir: string;
  before(async () => {
    srv = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'coffer-access-'));
  });
  after(async () => srv?.stop());

  async function apply(file: string, ...flags: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, [MAIN, 'access', 'apply', file, '--endpoint', srv.endpoint, ...flags], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', AWS_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey },
    });
    return stdout;
  }

  async function grants(): Promise<string[]> {
    const r = await s3ControlClient(srv.endpoint).send(new ListAccessGrantsCommand({ AccountId: A }));
    return (r.AccessGrantsList ?? []).map((g) => `${g.Permission} ${g.GrantScope} ${g.Grantee?.GranteeIdentifier}`).sort();
  }

  test('creates the instance, locations and grants, then converges to no changes', async () => {
    const file = join(dir, 'access.yaml');
    writeFileSync(file, [
      'locations:',
      '  - scope: s3://lake/',
      `    role: arn:aws:iam::${A}:role/lake-access`,
      '  - scope: s3://lake/raw/',
      `    role: arn:aws:iam::${A}:role/raw-access`,
      'datasets:',
      '  - prefix: s3://lake/sales/*',
      `    read: [arn:aws:iam::${A}:user/alice, arn:aws:iam::${A}:role/analyst]`,
      `    readwrite: [arn:aws:iam::${A}:user/bob]`,
      '  - prefix: s3://lake/raw/events/',
      `    read: [arn:aws:iam::${A}:user/alice]`,
      '',
    ].join('\n'));
    const dry = await apply(file, '--dry-run');
    assert.match(dry, /\+ instance default/);
    assert.match(dry, /Plan: 2 location\(s\) to create, 0 to update; 4 grant\(s\) to create, 0 to replace, 0 to delete\./);
    assert.deepEqual((await s3ControlClient(srv.endpoint).send(new ListAccessGrantsCommand({ AccountId: A })).catch((e: Error) => ({ error: e.name }))), { error: 'AccessGrantsInstanceNotExistsError' });

    const first = await apply(file);
    assert.match(first, /\+ grant READWRITE s3:\/\/lake\/sales\/\* arn:aws:iam::000000000000:user\/bob/);
    assert.deepEqual(await grants(), [
      `READ s3://lake/raw/events/* arn:aws:iam::${A}:user/alice`,
      `READ s3://lake/sales/* arn:aws:iam::${A}:role/analyst`,
      `READ s3://lake/sales/* arn:aws:iam::${A}:user/alice`,
      `READWRITE s3://lake/sales/* arn:aws:iam::${A}:user/bob`,
    ]);
    // The raw/ data set sits under the more specific location.
    const locs = await s3ControlClient(srv.endpoint).send(new ListAccessGrantsLocationsCommand({ AccountId: A }));
    const raw = locs.AccessGrantsLocationsList!.find((l) => l.LocationScope === 's3://lake/raw/')!;
    const r = await s3ControlClient(srv.endpoint).send(new ListAccessGrantsCommand({ AccountId: A, GrantScope: 's3://lake/raw/' }));
    assert.equal(r.AccessGrantsList![0]!.AccessGrantsLocationId, raw.AccessGrantsLocationId);

    assert.equal(await apply(file), 'No changes.\n');
    assert.equal(await apply(file), 'No changes.\n');
  });

  test('deletes what is gone, replaces what changed, updates a location role (JSON file)', async () => {
    const file = join(dir, 'access.json');
    writeFileSync(file, JSON.stringify({
      accountId: A,
      locations: [{ scope: 's3://lake/', role: `arn:aws:iam::${A}:role/lake-access-v2` }, { scope: 's3://lake/raw/', role: `arn:aws:iam::${A}:role/raw-access` }],
      datasets: [{ prefix: 's3://lake/sales/*', read: [`arn:aws:iam::${A}:user/alice`, `arn:aws:iam::${A}:user/bob`] }],
    }));
    const out = await apply(file);
    assert.match(out, /~ location s3:\/\/lake\/ role arn:aws:iam::000000000000:role\/lake-access -> arn:aws:iam::000000000000:role\/lake-access-v2/);
    assert.match(out, /~ grant s3:\/\/lake\/sales\/\* arn:aws:iam::000000000000:user\/bob READWRITE -> READ/);
    assert.match(out, /- grant READ s3:\/\/lake\/sales\/\* arn:aws:iam::000000000000:role\/analyst/);
    assert.match(out, /- grant READ s3:\/\/lake\/raw\/events\/\* arn:aws:iam::000000000000:user\/alice/);
    assert.deepEqual(await grants(), [`READ s3://lake/sales/* arn:aws:iam::${A}:user/alice`, `READ s3://lake/sales/* arn:aws:iam::${A}:user/bob`]);
    assert.equal(await apply(file), 'No changes.\n');
  });

  test('boto3 set up as the README shows reaches S3 Control', async (t) => {
    const probe = await run('python3', ['-c', 'import boto3']).then(() => true, () => false);
    if (!probe) {
      t.skip('boto3 is not installed');
      return;
    }
    const script = [
      'import re, boto3, json',
      `s3control = boto3.client('s3control', endpoint_url='${srv.endpoint}', region_name='us-east-1',`,
      `                         aws_access_key_id='${ROOT_KEY.accessKeyId}', aws_secret_access_key='${ROOT_KEY.secretAccessKey}')`,
      'def keep_endpoint_host(request, **kwargs):  # botocore adds <account-id>. to the host: take it off',
      "    request.url = re.sub(r'^(https?://)\\d{12}\\.', r'\\1', request.url)",
      "s3control.meta.events.register('before-sign.s3-control.*', keep_endpoint_host)",
      `print(json.dumps([g['GrantScope'] for g in s3control.list_access_grants(AccountId='${A}')['AccessGrantsList']]))`,
    ].join('\n');
    const { stdout } = await run('python3', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } });
    assert.deepEqual(JSON.parse(stdout), ['s3://lake/sales/*', 's3://lake/sales/*']);
  });

  test('a file that is not valid is refused before anything changes', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'locations: []\ndatasets:\n  - prefix: s3://lake/x/*\n    read: [alice]\n');
    await assert.rejects(apply(file), /not an IAM user or role ARN/);
  });
});
