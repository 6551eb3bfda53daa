import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { rm } from 'node:fs/promises';
import pino from 'pino';
import { configFrom } from '../../src/server/config.js';
import { startServer } from '../../src/server/start.js';
import {
  AttachPolicyCommand, CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, CreatePolicyCommand,
  DeletePolicyCommand, DescribeAccountCommand, DescribeCreateAccountStatusCommand, DescribeOrganizationCommand, DescribePolicyCommand,
  DetachPolicyCommand, DisablePolicyTypeCommand, EnablePolicyTypeCommand, ListAccountsCommand, ListCreateAccountStatusCommand,
  ListOrganizationalUnitsForParentCommand, ListParentsCommand, ListPoliciesCommand, ListPoliciesForTargetCommand, ListRootsCommand,
  ListTargetsForPolicyCommand, MoveAccountCommand, OrganizationsClient, UpdatePolicyCommand, type CreateAccountStatus,
} from '@aws-sdk/client-organizations';
import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { GetRoleCommand, ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { signWithHeader } from '../../src/auth/client-signer.js';
import { sha256Hex } from '../../src/auth/sigv4.js';
import { iamClient, OTHER_ACCOUNT, OTHER_KEY, orgsClient, ROOT_KEY, s3Client, startTestServer, stsClient, type TestServer } from './harness.js';

const MGMT = '000000000000';
const execFileP = promisify(execFile);

/** The error name a call fails with, or OK. */
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    return (e as Error).name;
  }
}

async function failure(p: Promise<unknown>): Promise<Error & { Reason?: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { Reason?: string };
  }
  throw new Error('expected the call to fail');
}

async function untilDone(orgs: OrganizationsClient, status: CreateAccountStatus): Promise<CreateAccountStatus> {
  let s = status;
  for (let i = 0; s.State === 'IN_PROGRESS' && i < 200; i++) {
    await new Promise((r) => setTimeout(r, 20));
    s = (await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: s.Id! }))).CreateAccountStatus!;
  }
  return s;
}

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('Organizations: the organization, accounts, and the role in each member account', () => {
  let srv: TestServer;
  let orgs: OrganizationsClient;
  before(async () => {
    srv = await startTestServer();
    orgs = orgsClient(srv.endpoint);
  });
  after(async () => {
    orgs.destroy();
    await srv.stop();
  });

  let rootId = '';
  let memberId = '';

  test('before CreateOrganization the account is in no organization; CreateOrganization once, then AlreadyInOrganizationException', async () => {
    assert.equal(await code(orgs.send(new DescribeOrganizationCommand({}))), 'AWSOrganizationsNotInUseException');
    assert.equal(await code(orgs.send(new CreateAccountCommand({ AccountName: 'x', Email: 'x@example.test' }))), 'AWSOrganizationsNotInUseException');
    const created = (await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization!;
    assert.match(created.Id!, /^o-[a-z0-9]{10}$/);
    assert.equal(created.FeatureSet, 'ALL');
    assert.equal(created.MasterAccountId, MGMT);
    assert.equal(created.MasterAccountArn, `arn:aws:organizations::${MGMT}:account/${created.Id}/${MGMT}`);
    assert.equal(created.Arn, `arn:aws:organizations::${MGMT}:organization/${created.Id}`);
    assert.deepEqual(created.AvailablePolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    const again = await failure(orgs.send(new CreateOrganizationCommand({})));
    assert.equal(again.name, 'AlreadyInOrganizationException');
    const described = (await orgs.send(new DescribeOrganizationCommand({}))).Organization!;
    assert.equal(described.Id, created.Id);
    const roots = (await orgs.send(new ListRootsCommand({}))).Roots!;
    assert.equal(roots.length, 1);
    assert.match(roots[0]!.Id!, /^r-[a-z0-9]{4}$/);
    assert.deepEqual(roots[0]!.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    rootId = roots[0]!.Id!;
  });

  test('CreateAccount is IN_PROGRESS, then SUCCEEDED with a new 12-digit account that ListAccounts and DescribeAccount show', async () => {
    const first = (await orgs.send(new CreateAccountCommand({ AccountName: 'analytics', Email: 'analytics@example.test' }))).CreateAccountStatus!;
    assert.equal(first.State, 'IN_PROGRESS');
    assert.match(first.Id!, /^car-[a-z0-9]{8,32}$/);
    assert.equal(first.AccountId, undefined);
    assert.ok(first.RequestedTimestamp instanceof Date);
    const done = await untilDone(orgs, first);
    assert.equal(done.State, 'SUCCEEDED');
    assert.match(done.AccountId!, /^\d{12}$/);
    assert.ok(done.CompletedTimestamp instanceof Date);
    memberId = done.AccountId!;

    const listed = (await orgs.send(new ListAccountsCommand({}))).Accounts!;
    assert.deepEqual(listed.map((a) => a.Id).sort(), [MGMT, memberId].sort());
    const account = (await orgs.send(new DescribeAccountCommand({ AccountId: memberId }))).Account!;
    assert.equal(account.Name, 'analytics');
    assert.equal(account.Email, 'analytics@example.test');
    assert.equal(account.Status, 'ACTIVE');
    assert.equal(account.JoinedMethod, 'CREATED');
    assert.match(account.Arn!, new RegExp(`^arn:aws:organizations::${MGMT}:account/o-[a-z0-9]{10}/${memberId}$`));
    assert.equal(await code(orgs.send(new DescribeAccountCommand({ AccountId: '999999999999' }))), 'AccountNotFoundException');

    // The same email again: the request fails asynchronously, as AWS reports it.
    const dup = await untilDone(orgs, (await orgs.send(new CreateAccountCommand({ AccountName: 'again', Email: 'ANALYTICS@example.test' }))).CreateAccountStatus!);
    assert.equal(dup.State, 'FAILED');
    assert.equal(dup.FailureReason, 'EMAIL_ALREADY_EXISTS');
    const statuses = (await orgs.send(new ListCreateAccountStatusCommand({ States: ['SUCCEEDED'] }))).CreateAccountStatuses!;
    assert.deepEqual(statuses.map((s) => s.AccountId), [memberId]);
    assert.equal(await code(orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: 'car-0000000000' }))), 'CreateAccountStatusNotFoundException');
  });

  test('ListAccounts pages with MaxResults and NextToken', async () => {
    for (const n of ['p1', 'p2']) {
      await untilDone(orgs, (await orgs.send(new CreateAccountCommand({ AccountName: n, Email: `${n}@example.test` }))).CreateAccountStatus!);
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await orgs.send(new ListAccountsCommand({ MaxResults: 1, ...(token ? { NextToken: token } : {}) }));
      seen.push(...r.Accounts!.map((a) => a.Id!));
      token = r.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 4);
    assert.equal(new Set(seen).size, 4);
    assert.equal((await failure(orgs.send(new ListAccountsCommand({ NextToken: 'bogus' })))).name, 'InvalidInputException');
  });

  test("the new account has OrganizationAccountAccessRole trusting the management account, with AdministratorAccess", async () => {
    const sts = stsClient(srv.endpoint);
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${memberId}:role/OrganizationAccountAccessRole`, RoleSessionName: 'ops' }));
    sts.destroy();
    const c = assumed.Credentials!;
    const iam = iamClient(srv.endpoint, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    try {
      const role = (await iam.send(new GetRoleCommand({ RoleName: 'OrganizationAccountAccessRole' }))).Role!;
      assert.equal(role.Arn, `arn:aws:iam::${memberId}:role/OrganizationAccountAccessRole`);
      const trust = JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!)) as { Statement: Array<{ Principal: { AWS: string }; Action: string }> };
      assert.equal(trust.Statement[0]!.Principal.AWS, `arn:aws:iam::${MGMT}:root`);
      assert.equal(trust.Statement[0]!.Action, 'sts:AssumeRole');
      const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'OrganizationAccountAccessRole' }))).AttachedPolicies!;
      assert.deepEqual(attached.map((p) => p.PolicyArn), ['arn:aws:iam::aws:policy/AdministratorAccess']);
    } finally {
      iam.destroy();
    }
  });

  test('OUs: create under the root, move an account into it, ListParents follows; FullAWSAccess is attached to each new OU and account', async () => {
    const ou = (await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'prod' }))).OrganizationalUnit!;
    assert.match(ou.Id!, new RegExp(`^ou-${rootId.slice(2)}-[a-z0-9]{8}$`));
    assert.equal(await code(orgs.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'prod' }))), 'DuplicateOrganizationalUnitException');
    const units = (await orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: rootId }))).OrganizationalUnits!;
    assert.deepEqual(units.map((u) => u.Name), ['prod']);
    await orgs.send(new MoveAccountCommand({ AccountId: memberId, SourceParentId: rootId, DestinationParentId: ou.Id! }));
    assert.deepEqual((await orgs.send(new ListParentsCommand({ ChildId: memberId }))).Parents, [{ Id: ou.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
    assert.equal(await code(orgs.send(new MoveAccountCommand({ AccountId: memberId, SourceParentId: ou.Id!, DestinationParentId: ou.Id! }))), 'DuplicateAccountException');
    for (const target of [rootId, ou.Id!, memberId, MGMT]) {
      const ps = (await orgs.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!;
      assert.deepEqual(ps.map((p) => p.Id), ['p-FullAWSAccess'], target);
    }
    const full = (await orgs.send(new DescribePolicyCommand({ PolicyId: 'p-FullAWSAccess' }))).Policy!;
    assert.equal(full.PolicySummary!.Name, 'FullAWSAccess');
    assert.equal(full.PolicySummary!.AwsManaged, true);
    assert.equal(full.PolicySummary!.Arn, 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess');
  });

  test('SCP lifecycle: malformed and oversized content refused; create, update, attach, in use, detach, delete', async () => {
    const bad = await failure(orgs.send(new CreatePolicyCommand({ Name: 'bad', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}' })));
    assert.equal(bad.name, 'MalformedPolicyDocumentException');
    const notJson = await failure(orgs.send(new CreatePolicyCommand({ Name: 'bad', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: 'not json' })));
    assert.equal(notJson.name, 'MalformedPolicyDocumentException');
    const withPrincipal = await failure(orgs.send(new CreatePolicyCommand({
      Name: 'bad', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: doc([{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }]),
    })));
    assert.equal(withPrincipal.name, 'MalformedPolicyDocumentException');
    const huge = doc([{ Effect: 'Deny', Action: Array.from({ length: 400 }, (_, i) => `s3:Action${i}`), Resource: '*' }]);
    const big = await failure(orgs.send(new CreatePolicyCommand({ Name: 'big', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: huge })));
    assert.equal(big.name, 'ConstraintViolationException');
    assert.equal(big.Reason, 'POLICY_CONTENT_LIMIT_EXCEEDED');

    const created = (await orgs.send(new CreatePolicyCommand({
      Name: 'no-iam-users', Description: 'deny iam:CreateUser', Type: 'SERVICE_CONTROL_POLICY', Content: doc([{ Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }]),
    }))).Policy!;
    const id = created.PolicySummary!.Id!;
    assert.match(id, /^p-[a-z0-9]{8}$/);
    assert.match(created.PolicySummary!.Arn!, new RegExp(`^arn:aws:organizations::${MGMT}:policy/o-[a-z0-9]{10}/service_control_policy/${id}$`));
    assert.equal(created.PolicySummary!.AwsManaged, false);
    assert.equal(await code(orgs.send(new CreatePolicyCommand({ Name: 'no-iam-users', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: doc([{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }]) }))), 'DuplicatePolicyException');
    const listed = (await orgs.send(new ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!;
    assert.deepEqual(listed.map((p) => p.Id), ['p-FullAWSAccess', id]);

    const updated = (await orgs.send(new UpdatePolicyCommand({ PolicyId: id, Description: 'deny user creation' }))).Policy!;
    assert.equal(updated.PolicySummary!.Description, 'deny user creation');
    assert.equal(await code(orgs.send(new UpdatePolicyCommand({ PolicyId: id, Content: '{}' }))), 'MalformedPolicyDocumentException');
    assert.equal(await code(orgs.send(new UpdatePolicyCommand({ PolicyId: 'p-FullAWSAccess', Description: 'x' }))), 'InvalidInputException');

    await orgs.send(new AttachPolicyCommand({ PolicyId: id, TargetId: memberId }));
    assert.equal(await code(orgs.send(new AttachPolicyCommand({ PolicyId: id, TargetId: memberId }))), 'DuplicatePolicyAttachmentException');
    assert.equal(await code(orgs.send(new AttachPolicyCommand({ PolicyId: id, TargetId: '123456789012' }))), 'TargetNotFoundException');
    assert.equal(await code(orgs.send(new AttachPolicyCommand({ PolicyId: 'p-12345678', TargetId: memberId }))), 'PolicyNotFoundException');
    const targets = (await orgs.send(new ListTargetsForPolicyCommand({ PolicyId: id }))).Targets!;
    assert.deepEqual(targets.map((t) => [t.TargetId, t.Type, t.Name]), [[memberId, 'ACCOUNT', 'analytics']]);
    assert.equal(await code(orgs.send(new DeletePolicyCommand({ PolicyId: id }))), 'PolicyInUseException');

    await orgs.send(new DetachPolicyCommand({ PolicyId: id, TargetId: memberId }));
    assert.equal(await code(orgs.send(new DetachPolicyCommand({ PolicyId: id, TargetId: memberId }))), 'PolicyNotAttachedException');
    const last = await failure(orgs.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: memberId })));
    assert.equal(last.name, 'ConstraintViolationException');
    assert.equal(last.Reason, 'MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED');
    await orgs.send(new DeletePolicyCommand({ PolicyId: id }));
    assert.equal(await code(orgs.send(new DescribePolicyCommand({ PolicyId: id }))), 'PolicyNotFoundException');
    assert.equal(await code(orgs.send(new DeletePolicyCommand({ PolicyId: 'p-FullAWSAccess' }))), 'InvalidInputException');
  });

  test('EnablePolicyType/DisablePolicyType: disabling removes every SCP, enabling attaches FullAWSAccess again', async () => {
    assert.equal(await code(orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }))), 'PolicyTypeAlreadyEnabledException');
    const off = (await orgs.send(new DisablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }))).Root!;
    assert.deepEqual(off.PolicyTypes, []);
    assert.deepEqual((await orgs.send(new ListPoliciesForTargetCommand({ TargetId: memberId, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies, []);
    const on = (await orgs.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }))).Root!;
    assert.deepEqual(on.PolicyTypes, [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    const ps = (await orgs.send(new ListPoliciesForTargetCommand({ TargetId: memberId, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!;
    assert.deepEqual(ps.map((p) => p.Id), ['p-FullAWSAccess']);
  });

  test('unknown operations are UnknownOperationException; known unimplemented ones NotImplemented; bad ids InvalidInputException', async () => {
    const call = async (operation: string): Promise<{ status: number; type: string }> => {
      const url = new URL(srv.endpoint);
      const { headers } = signWithHeader({
        method: 'POST', rawPath: '/', headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSOrganizationsV20161128.${operation}` },
      }, ROOT_KEY, 'us-east-1', 'organizations', new Date(), sha256Hex('{}'));
      const { host: _host, ...rest } = headers;
      const r = await fetch(url, { method: 'POST', headers: rest, body: '{}' });
      return { status: r.status, type: ((await r.json()) as { __type: string }).__type };
    };
    assert.deepEqual(await call('Nope'), { status: 400, type: 'UnknownOperationException' });
    assert.deepEqual(await call('InviteAccountToOrganization'), { status: 501, type: 'NotImplemented' });
    assert.equal(await code(orgs.send(new DescribePolicyCommand({ PolicyId: 'nope' }))), 'InvalidInputException');
  });

  test('coffer accounts create prints JSON with the new account id and working admin access keys', async () => {
    const main = join(import.meta.dirname, '../../src/cli/main.js');
    const { stdout } = await execFileP(process.execPath, [main, 'accounts', 'create', '--endpoint', srv.endpoint, '--name', 'from-cli', '--email', 'cli@example.test'], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', COFFER_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, COFFER_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey },
    });
    const out = JSON.parse(stdout) as { accountId: string; roleArn: string; adminUser: { userName: string; arn: string; accessKeyId: string; secretAccessKey: string } };
    assert.match(out.accountId, /^\d{12}$/);
    assert.equal(out.roleArn, `arn:aws:iam::${out.accountId}:role/OrganizationAccountAccessRole`);
    assert.equal(out.adminUser.arn, `arn:aws:iam::${out.accountId}:user/admin`);
    const account = (await orgs.send(new DescribeAccountCommand({ AccountId: out.accountId }))).Account!;
    assert.equal(account.Name, 'from-cli');
    // The admin keys work in the new account, with AdministratorAccess.
    const iam = iamClient(srv.endpoint, out.adminUser);
    const s3 = s3Client(srv.endpoint, out.adminUser);
    try {
      const attached = (await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'admin' }))).AttachedPolicies!;
      assert.deepEqual(attached.map((p) => p.PolicyArn), ['arn:aws:iam::aws:policy/AdministratorAccess']);
      await s3.send(new CreateBucketCommand({ Bucket: 'made-by-cli-admin' }));
      await s3.send(new HeadBucketCommand({ Bucket: 'made-by-cli-admin' }));
    } finally {
      iam.destroy();
      s3.destroy();
    }
  });
});

describe('service control policies decide for member accounts, never for the management account', () => {
  let srv: TestServer;
  let orgs: OrganizationsClient;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coffer-orgs-'));
    const bootstrap = join(dir, 'bootstrap.json');
    writeFileSync(bootstrap, JSON.stringify({ accounts: [{ id: OTHER_ACCOUNT, name: 'member', email: 'member@example.test', rootAccessKeys: [OTHER_KEY] }] }));
    srv = await startTestServer({ COFFER_BOOTSTRAP: bootstrap });
    orgs = orgsClient(srv.endpoint);
  });
  after(async () => {
    orgs.destroy();
    await srv.stop();
  });

  test('bootstrap-file accounts join the management account\'s organization', async () => {
    assert.equal(await code(orgs.send(new CreateOrganizationCommand({}))), 'AlreadyInOrganizationException');
    const accounts = (await orgs.send(new ListAccountsCommand({}))).Accounts!;
    assert.deepEqual(accounts.map((a) => a.Id).sort(), [MGMT, OTHER_ACCOUNT].sort());
    const member = accounts.find((a) => a.Id === OTHER_ACCOUNT)!;
    assert.equal(member.Name, 'member');
    assert.equal(member.JoinedMethod, 'INVITED');
    // A member account sees its organization but may not manage it.
    const asMember = orgsClient(srv.endpoint, OTHER_KEY);
    try {
      const org = (await asMember.send(new DescribeOrganizationCommand({}))).Organization!;
      assert.equal(org.MasterAccountId, MGMT);
      assert.equal(await code(asMember.send(new ListAccountsCommand({}))), 'AccessDeniedException');
      assert.equal(await code(asMember.send(new CreateOrganizationCommand({}))), 'AlreadyInOrganizationException');
    } finally {
      asMember.destroy();
    }
  });

  test('a Deny SCP on the member account stops its root user; detached, the call is allowed; the management account is never affected', async () => {
    const member = s3Client(srv.endpoint, OTHER_KEY);
    const mgmt = s3Client(srv.endpoint);
    try {
      const deny = (await orgs.send(new CreatePolicyCommand({
        Name: 'no-new-buckets', Description: 'deny s3:CreateBucket', Type: 'SERVICE_CONTROL_POLICY',
        Content: doc([{ Effect: 'Deny', Action: 's3:CreateBucket', Resource: '*' }]),
      }))).Policy!.PolicySummary!.Id!;
      await orgs.send(new AttachPolicyCommand({ PolicyId: deny, TargetId: OTHER_ACCOUNT }));
      const denied = await failure(member.send(new CreateBucketCommand({ Bucket: 'member-bucket' })));
      assert.equal(denied.name, 'AccessDenied');
      assert.match(denied.message, /explicit deny in a service control policy/);
      // Attached to the management account (and the root), SCPs change nothing for it.
      await orgs.send(new AttachPolicyCommand({ PolicyId: deny, TargetId: MGMT }));
      const root = (await orgs.send(new ListRootsCommand({}))).Roots![0]!.Id!;
      await orgs.send(new AttachPolicyCommand({ PolicyId: deny, TargetId: root }));
      await mgmt.send(new CreateBucketCommand({ Bucket: 'management-bucket' }));
      await orgs.send(new DetachPolicyCommand({ PolicyId: deny, TargetId: root }));
      await orgs.send(new DetachPolicyCommand({ PolicyId: deny, TargetId: OTHER_ACCOUNT }));
      await member.send(new CreateBucketCommand({ Bucket: 'member-bucket' }));
    } finally {
      member.destroy();
      mgmt.destroy();
    }
  });

  test('every level of the path must allow: an OU whose only SCP allows nothing but S3 reads denies the rest', async () => {
    const member = s3Client(srv.endpoint, OTHER_KEY);
    try {
      const root = (await orgs.send(new ListRootsCommand({}))).Roots![0]!.Id!;
      const ou = (await orgs.send(new CreateOrganizationalUnitCommand({ ParentId: root, Name: 'restricted' }))).OrganizationalUnit!.Id!;
      const readOnly = (await orgs.send(new CreatePolicyCommand({
        Name: 's3-read-only', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: doc([{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }]),
      }))).Policy!.PolicySummary!.Id!;
      await orgs.send(new AttachPolicyCommand({ PolicyId: readOnly, TargetId: ou }));
      await orgs.send(new DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: ou }));
      await orgs.send(new MoveAccountCommand({ AccountId: OTHER_ACCOUNT, SourceParentId: root, DestinationParentId: ou }));
      const denied = await failure(member.send(new CreateBucketCommand({ Bucket: 'member-bucket-2' })));
      assert.equal(denied.name, 'AccessDenied');
      assert.match(denied.message, /no service control policy allows/);
      await member.send(new HeadBucketCommand({ Bucket: 'member-bucket' }));
      await orgs.send(new MoveAccountCommand({ AccountId: OTHER_ACCOUNT, SourceParentId: ou, DestinationParentId: root }));
      await member.send(new CreateBucketCommand({ Bucket: 'member-bucket-2' }));
    } finally {
      member.destroy();
    }
  });
});

describe('the organization survives a restart', () => {
  test('same organization, root, accounts and SCP attachments after the server restarts on its data directory', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'coffer-orgs-restart-'));
    const env = {
      COFFER_PORT: '0', COFFER_DATA_DIR: dataDir, COFFER_ROOT_ACCESS_KEY_ID: ROOT_KEY.accessKeyId, COFFER_ROOT_SECRET_ACCESS_KEY: ROOT_KEY.secretAccessKey,
    };
    const boot = async () => startServer(configFrom(env), { logger: pino({ level: 'silent' }) });
    let running = await boot();
    let orgs = orgsClient(`http://127.0.0.1:${running.listening.port}`);
    const org = (await orgs.send(new CreateOrganizationCommand({}))).Organization!;
    const done = await untilDone(orgs, (await orgs.send(new CreateAccountCommand({ AccountName: 'kept', Email: 'kept@example.test' }))).CreateAccountStatus!);
    const policy = (await orgs.send(new CreatePolicyCommand({
      Name: 'kept', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: doc([{ Effect: 'Deny', Action: 'kms:*', Resource: '*' }]),
    }))).Policy!.PolicySummary!.Id!;
    await orgs.send(new AttachPolicyCommand({ PolicyId: policy, TargetId: done.AccountId! }));
    orgs.destroy();
    await running.stop();

    running = await boot();
    orgs = orgsClient(`http://127.0.0.1:${running.listening.port}`);
    try {
      assert.equal((await orgs.send(new DescribeOrganizationCommand({}))).Organization!.Id, org.Id);
      assert.equal((await orgs.send(new DescribeAccountCommand({ AccountId: done.AccountId! }))).Account!.Name, 'kept');
      const ps = (await orgs.send(new ListPoliciesForTargetCommand({ TargetId: done.AccountId!, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!;
      assert.deepEqual(ps.map((p) => p.Id), ['p-FullAWSAccess', policy]);
      assert.equal((await orgs.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: done.Id! }))).CreateAccountStatus!.State, 'SUCCEEDED');
    } finally {
      orgs.destroy();
      await running.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
