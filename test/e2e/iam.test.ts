import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as I from '@aws-sdk/client-iam';
import { IAMServiceException } from '@aws-sdk/client-iam';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { iamClient, s3Client, startTestServer, type TestServer } from './harness.js';

async function rejects(p: Promise<unknown>, code: string, status?: number, message?: string | RegExp): Promise<IAMServiceException> {
  try {
    await p;
  } catch (e) {
    const err = e as IAMServiceException;
    const name = (err as { Code?: string }).Code ?? err.name;
    assert.ok(name === code || err.name === code || err.name === `${code}Exception`, `expected ${code}, got ${err.name}: ${err.message}`);
    if (status !== undefined) assert.equal(err.$metadata.httpStatusCode, status);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${code}`);
}

const doc = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const S3_READ = doc([{ Effect: 'Allow', Action: ['s3:ListAllMyBuckets', 's3:Get*'], Resource: '*' }]);
const TRUST = doc([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }]);

describe('IAM over the Query protocol', () => {
  let server: TestServer;
  let iam: I.IAMClient;

  before(async () => {
    server = await startTestServer();
    iam = iamClient(server.endpoint);
  });
  after(async () => server.stop());

  test('user lifecycle: create, get (any case), update, tags, boundary, delete', async () => {
    const created = await iam.send(new I.CreateUserCommand({ UserName: 'Alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'blue' }] }));
    assert.equal(created.User!.Arn, 'arn:aws:iam::000000000000:user/eng/Alice');
    assert.match(created.User!.UserId!, /^AIDA[A-Z2-7]{17}$/);
    assert.deepEqual(created.User!.Tags, [{ Key: 'team', Value: 'blue' }]);

    // Names are unique regardless of case and keep the case they were created with.
    const got = await iam.send(new I.GetUserCommand({ UserName: 'alice' }));
    assert.equal(got.User!.UserName, 'Alice');
    assert.ok(got.User!.CreateDate instanceof Date);
    await rejects(iam.send(new I.CreateUserCommand({ UserName: 'ALICE' })), 'EntityAlreadyExists', 409, 'User with name ALICE already exists.');
    await rejects(iam.send(new I.GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
    await rejects(iam.send(new I.CreateUserCommand({ UserName: 'bad name' })), 'ValidationError', 400,
      'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-');
    await rejects(iam.send(new I.CreateUserCommand({ UserName: 'x', Path: 'nope' })), 'ValidationError', 400, /path is invalid/);

    await iam.send(new I.TagUserCommand({ UserName: 'Alice', Tags: [{ Key: 'TEAM', Value: 'red' }, { Key: 'cost', Value: '1' }] }));
    assert.deepEqual((await iam.send(new I.ListUserTagsCommand({ UserName: 'Alice' }))).Tags, [{ Key: 'TEAM', Value: 'red' }, { Key: 'cost', Value: '1' }]);
    await iam.send(new I.UntagUserCommand({ UserName: 'Alice', TagKeys: ['team'] }));
    assert.deepEqual((await iam.send(new I.ListUserTagsCommand({ UserName: 'Alice' }))).Tags, [{ Key: 'cost', Value: '1' }]);
    await rejects(iam.send(new I.TagUserCommand({ UserName: 'Alice', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })), 'InvalidInput', 400, /Duplicate tag keys/);

    const boundary = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';
    await iam.send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'Alice', PermissionsBoundary: boundary }));
    assert.deepEqual((await iam.send(new I.GetUserCommand({ UserName: 'Alice' }))).User!.PermissionsBoundary,
      { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary });
    assert.equal((await iam.send(new I.GetPolicyCommand({ PolicyArn: boundary }))).Policy!.PermissionsBoundaryUsageCount, 1);
    await rejects(iam.send(new I.PutUserPermissionsBoundaryCommand({ UserName: 'Alice', PermissionsBoundary: 'arn:aws:iam::000000000000:policy/none' })), 'NoSuchEntity', 404);
    await iam.send(new I.DeleteUserPermissionsBoundaryCommand({ UserName: 'Alice' }));
    assert.equal((await iam.send(new I.GetUserCommand({ UserName: 'Alice' }))).User!.PermissionsBoundary, undefined);

    await iam.send(new I.UpdateUserCommand({ UserName: 'alice', NewUserName: 'Alicia', NewPath: '/ops/' }));
    const renamed = await iam.send(new I.GetUserCommand({ UserName: 'ALICIA' }));
    assert.equal(renamed.User!.Arn, 'arn:aws:iam::000000000000:user/ops/Alicia');
    assert.deepEqual(renamed.User!.Tags, [{ Key: 'cost', Value: '1' }]);
    await rejects(iam.send(new I.GetUserCommand({ UserName: 'Alice' })), 'NoSuchEntity');

    await iam.send(new I.DeleteUserCommand({ UserName: 'Alicia' }));
    await rejects(iam.send(new I.DeleteUserCommand({ UserName: 'Alicia' })), 'NoSuchEntity', 404);
  });

  test('GetUser without a name answers for the caller: root gets its own identity', async () => {
    const me = await iam.send(new I.GetUserCommand({}));
    assert.equal(me.User!.Arn, 'arn:aws:iam::000000000000:root');
    assert.equal(me.User!.UserId, '000000000000');
  });

  test('access keys: create, authenticate with S3, deactivate, at most two, delete', async () => {
    await iam.send(new I.CreateUserCommand({ UserName: 'keyed' }));
    const k1 = (await iam.send(new I.CreateAccessKeyCommand({ UserName: 'keyed' }))).AccessKey!;
    assert.match(k1.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(k1.SecretAccessKey!.length, 40);
    assert.equal(k1.Status, 'Active');
    const asUser = { accessKeyId: k1.AccessKeyId!, secretAccessKey: k1.SecretAccessKey! };

    // The key authenticates; what the user may do comes from its policies (none yet).
    const s3 = s3Client(server.endpoint, asUser);
    await assert.rejects(s3.send(new ListBucketsCommand({})), (e: Error) => e.name === 'AccessDenied');
    await iam.send(new I.PutUserPolicyCommand({ UserName: 'keyed', PolicyName: 'list', PolicyDocument: S3_READ }));
    const buckets = await s3.send(new ListBucketsCommand({}));
    assert.ok(Array.isArray(buckets.Buckets ?? []));

    // The user's own key calls IAM as that user: GetUser without a name is the user.
    await iam.send(new I.AttachUserPolicyCommand({ UserName: 'keyed', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    const self = await iamClient(server.endpoint, asUser).send(new I.GetUserCommand({}));
    assert.equal(self.User!.UserName, 'keyed');
    await rejects(iamClient(server.endpoint, asUser).send(new I.CreateUserCommand({ UserName: 'nope' })), 'AccessDenied', 403);

    const k2 = (await iam.send(new I.CreateAccessKeyCommand({ UserName: 'keyed' }))).AccessKey!;
    await rejects(iam.send(new I.CreateAccessKeyCommand({ UserName: 'keyed' })), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
    const listed = await iam.send(new I.ListAccessKeysCommand({ UserName: 'keyed' }));
    assert.deepEqual(listed.AccessKeyMetadata!.map((k) => k.AccessKeyId).sort(), [k1.AccessKeyId, k2.AccessKeyId].sort());
    assert.ok(listed.AccessKeyMetadata!.every((k) => k.UserName === 'keyed' && k.Status === 'Active'));

    await iam.send(new I.UpdateAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k1.AccessKeyId!, Status: 'Inactive' }));
    await assert.rejects(s3.send(new ListBucketsCommand({})), (e: Error) => e.name === 'InvalidAccessKeyId');
    const unused = await iam.send(new I.GetAccessKeyLastUsedCommand({ AccessKeyId: k2.AccessKeyId! }));
    assert.equal(unused.UserName, 'keyed');
    assert.deepEqual([unused.AccessKeyLastUsed?.ServiceName, unused.AccessKeyLastUsed?.Region, unused.AccessKeyLastUsed?.LastUsedDate], ['N/A', 'N/A', undefined]);
    // Uses are written in batches; make this one visible now.
    await server.running.app.keyUsage.flush();
    const used = (await iam.send(new I.GetAccessKeyLastUsedCommand({ AccessKeyId: k1.AccessKeyId! }))).AccessKeyLastUsed!;
    assert.equal(used.ServiceName, 'iam', 'its last use was the GetUser call');
    assert.equal(used.Region, 'us-east-1');
    assert.ok(used.LastUsedDate && Date.now() - used.LastUsedDate.getTime() < 60_000);

    await rejects(iam.send(new I.DeleteUserCommand({ UserName: 'keyed' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete access keys first.');
    await iam.send(new I.DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k1.AccessKeyId! }));
    await iam.send(new I.DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k2.AccessKeyId! }));
    await rejects(iam.send(new I.DeleteAccessKeyCommand({ UserName: 'keyed', AccessKeyId: k2.AccessKeyId! })), 'NoSuchEntity', 404, `The Access Key with id ${k2.AccessKeyId} cannot be found.`);
    await rejects(iam.send(new I.DeleteUserCommand({ UserName: 'keyed' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    await iam.send(new I.DeleteUserPolicyCommand({ UserName: 'keyed', PolicyName: 'list' }));
    await rejects(iam.send(new I.DeleteUserCommand({ UserName: 'keyed' })), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    await iam.send(new I.DetachUserPolicyCommand({ UserName: 'keyed', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
    await iam.send(new I.DeleteUserCommand({ UserName: 'keyed' }));
  });

  test('groups: members, policies, DeleteConflict', async () => {
    await iam.send(new I.CreateUserCommand({ UserName: 'gina' }));
    const g = await iam.send(new I.CreateGroupCommand({ GroupName: 'Admins', Path: '/staff/' }));
    assert.equal(g.Group!.Arn, 'arn:aws:iam::000000000000:group/staff/Admins');
    assert.match(g.Group!.GroupId!, /^AGPA/);
    await rejects(iam.send(new I.CreateGroupCommand({ GroupName: 'admins' })), 'EntityAlreadyExists', 409, 'Group with name admins already exists.');
    await iam.send(new I.AddUserToGroupCommand({ GroupName: 'admins', UserName: 'GINA' }));
    const got = await iam.send(new I.GetGroupCommand({ GroupName: 'Admins' }));
    assert.deepEqual(got.Users!.map((u) => u.UserName), ['gina']);
    assert.deepEqual((await iam.send(new I.ListGroupsForUserCommand({ UserName: 'gina' }))).Groups!.map((x) => x.GroupName), ['Admins']);
    await iam.send(new I.AttachGroupPolicyCommand({ GroupName: 'Admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new I.PutGroupPolicyCommand({ GroupName: 'Admins', PolicyName: 'extra', PolicyDocument: S3_READ }));
    assert.deepEqual((await iam.send(new I.ListGroupPoliciesCommand({ GroupName: 'Admins' }))).PolicyNames, ['extra']);
    assert.deepEqual((await iam.send(new I.ListAttachedGroupPoliciesCommand({ GroupName: 'Admins' }))).AttachedPolicies,
      [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);

    // The user's policies gather its groups' (IdentityReader, as authorization reads them).
    const policies = await server.running.app.iam!.userPolicies('000000000000', 'gina');
    assert.deepEqual(policies!.identity.map((p) => p.label), ['group/Admins/extra', 'arn:aws:iam::aws:policy/AdministratorAccess']);

    await rejects(iam.send(new I.DeleteUserCommand({ UserName: 'gina' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove user from all groups first.');
    await rejects(iam.send(new I.DeleteGroupCommand({ GroupName: 'Admins' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
    await iam.send(new I.RemoveUserFromGroupCommand({ GroupName: 'Admins', UserName: 'gina' }));
    await rejects(iam.send(new I.DeleteGroupCommand({ GroupName: 'Admins' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    await iam.send(new I.DeleteGroupPolicyCommand({ GroupName: 'Admins', PolicyName: 'extra' }));
    await rejects(iam.send(new I.DeleteGroupCommand({ GroupName: 'Admins' })), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    await iam.send(new I.DetachGroupPolicyCommand({ GroupName: 'Admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new I.DeleteGroupCommand({ GroupName: 'Admins' }));
    await iam.send(new I.DeleteUserCommand({ UserName: 'gina' }));
  });

  test('roles: trust policy, update, tags, inline and attached policies, boundary', async () => {
    const created = await iam.send(new I.CreateRoleCommand({ RoleName: 'Deployer', AssumeRolePolicyDocument: TRUST, Description: 'ci', Tags: [{ Key: 'env', Value: 'prod' }] }));
    assert.equal(created.Role!.Arn, 'arn:aws:iam::000000000000:role/Deployer');
    assert.match(created.Role!.RoleId!, /^AROA/);
    // IAM returns policy documents URL-encoded.
    assert.equal(decodeURIComponent(created.Role!.AssumeRolePolicyDocument!), TRUST);
    await rejects(iam.send(new I.CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: TRUST })), 'EntityAlreadyExists', 409, 'Role with name deployer already exists.');
    await rejects(iam.send(new I.CreateRoleCommand({ RoleName: 'NoPrincipal', AssumeRolePolicyDocument: doc([{ Effect: 'Allow', Action: 'sts:AssumeRole' }]) })),
      'MalformedPolicyDocument', 400, /^Missing required field Principal/);

    await iam.send(new I.UpdateRoleCommand({ RoleName: 'deployer', MaxSessionDuration: 7200, Description: 'deploys' }));
    const newTrust = doc([{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    await iam.send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'Deployer', PolicyDocument: newTrust }));
    const role = (await iam.send(new I.GetRoleCommand({ RoleName: 'DEPLOYER' }))).Role!;
    assert.equal(role.MaxSessionDuration, 7200);
    assert.equal(role.Description, 'deploys');
    assert.equal(decodeURIComponent(role.AssumeRolePolicyDocument!), newTrust);
    assert.deepEqual(role.Tags, [{ Key: 'env', Value: 'prod' }]);

    await iam.send(new I.TagRoleCommand({ RoleName: 'Deployer', Tags: [{ Key: 'owner', Value: 'me' }] }));
    await iam.send(new I.UntagRoleCommand({ RoleName: 'Deployer', TagKeys: ['env'] }));
    assert.deepEqual((await iam.send(new I.ListRoleTagsCommand({ RoleName: 'Deployer' }))).Tags, [{ Key: 'owner', Value: 'me' }]);

    await iam.send(new I.PutRolePolicyCommand({ RoleName: 'Deployer', PolicyName: 'inline', PolicyDocument: S3_READ }));
    const inline = await iam.send(new I.GetRolePolicyCommand({ RoleName: 'Deployer', PolicyName: 'INLINE' }));
    assert.equal(inline.PolicyName, 'inline');
    assert.equal(decodeURIComponent(inline.PolicyDocument!), S3_READ);
    await rejects(iam.send(new I.GetRolePolicyCommand({ RoleName: 'Deployer', PolicyName: 'none' })), 'NoSuchEntity', 404, 'The role policy with name none cannot be found.');
    await iam.send(new I.AttachRolePolicyCommand({ RoleName: 'Deployer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
    await rejects(iam.send(new I.AttachRolePolicyCommand({ RoleName: 'Deployer', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })), 'NoSuchEntity', 404,
      'Policy arn:aws:iam::aws:policy/NoSuchPolicy does not exist or is not attachable.');
    await iam.send(new I.PutRolePermissionsBoundaryCommand({ RoleName: 'Deployer', PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    const rp = await server.running.app.iam!.rolePolicies('000000000000', 'deployer');
    assert.deepEqual(rp!.identity.map((p) => p.label), ['role/Deployer/inline', 'arn:aws:iam::aws:policy/AmazonS3FullAccess']);
    assert.equal(rp!.boundary!.label, 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    assert.deepEqual(rp!.tags, { owner: 'me' });

    await rejects(iam.send(new I.DeleteRoleCommand({ RoleName: 'Deployer' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    await iam.send(new I.DeleteRolePolicyCommand({ RoleName: 'Deployer', PolicyName: 'inline' }));
    await iam.send(new I.DetachRolePolicyCommand({ RoleName: 'Deployer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
    await iam.send(new I.DeleteRolePermissionsBoundaryCommand({ RoleName: 'Deployer' }));
    await iam.send(new I.DeleteRoleCommand({ RoleName: 'Deployer' }));
    assert.equal(await server.running.app.iam!.getRole('000000000000', 'Deployer'), undefined);
  });

  test('managed policies: versions (at most five), default version, attachments, delete rules', async () => {
    const v1 = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }]);
    const created = (await iam.send(new I.CreatePolicyCommand({ PolicyName: 'Readers', Path: '/team/', PolicyDocument: v1, Description: 'read b' }))).Policy!;
    assert.equal(created.Arn, 'arn:aws:iam::000000000000:policy/team/Readers');
    assert.equal(created.DefaultVersionId, 'v1');
    assert.match(created.PolicyId!, /^ANPA/);
    await rejects(iam.send(new I.CreatePolicyCommand({ PolicyName: 'readers', PolicyDocument: v1 })), 'EntityAlreadyExists', 409,
      'A policy called readers already exists. Duplicate names are not allowed.');
    const arn = created.Arn!;

    for (let n = 2; n <= 5; n++) {
      const v = await iam.send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: doc([{ Effect: 'Allow', Action: `s3:Get${n}*`, Resource: '*' }]), SetAsDefault: n === 3 }));
      assert.equal(v.PolicyVersion!.VersionId, `v${n}`);
      assert.equal(v.PolicyVersion!.IsDefaultVersion, n === 3);
    }
    await rejects(iam.send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: v1 })), 'LimitExceeded', 409,
      'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
    const versions = await iam.send(new I.ListPolicyVersionsCommand({ PolicyArn: arn }));
    assert.deepEqual(versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', true], ['v2', false], ['v1', false]]);
    assert.equal((await iam.send(new I.GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v3');
    const got = await iam.send(new I.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    assert.equal(decodeURIComponent(got.PolicyVersion!.Document!), v1);
    await rejects(iam.send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })), 'DeleteConflict', 409, 'Cannot delete the default version of a policy.');
    await iam.send(new I.SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    await iam.send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await rejects(iam.send(new I.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })), 'NoSuchEntity', 404);
    assert.match(await server.running.app.iam!.managedPolicyDocument(arn) ?? '', /s3:Get5\*/);

    await iam.send(new I.CreateUserCommand({ UserName: 'pat' }));
    await iam.send(new I.AttachUserPolicyCommand({ UserName: 'pat', PolicyArn: arn }));
    await iam.send(new I.AttachUserPolicyCommand({ UserName: 'pat', PolicyArn: arn }));
    assert.equal((await iam.send(new I.GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount, 1);
    assert.deepEqual((await iam.send(new I.ListAttachedUserPoliciesCommand({ UserName: 'pat' }))).AttachedPolicies, [{ PolicyName: 'Readers', PolicyArn: arn }]);
    const entities = await iam.send(new I.ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['pat']);
    const attachedOnly = await iam.send(new I.ListPoliciesCommand({ OnlyAttached: true, Scope: 'Local' }));
    assert.deepEqual(attachedOnly.Policies!.map((p) => p.PolicyName), ['Readers']);
    const awsScope = await iam.send(new I.ListPoliciesCommand({ Scope: 'AWS' }));
    assert.ok(awsScope.Policies!.some((p) => p.Arn === 'arn:aws:iam::aws:policy/AdministratorAccess'));
    assert.ok(awsScope.Policies!.every((p) => p.Arn!.startsWith('arn:aws:iam::aws:policy/')));
    assert.deepEqual((await iam.send(new I.ListPoliciesCommand({ PathPrefix: '/team/' }))).Policies!.map((p) => p.PolicyName), ['Readers']);

    await rejects(iam.send(new I.DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
    await iam.send(new I.DetachUserPolicyCommand({ UserName: 'pat', PolicyArn: arn }));
    await rejects(iam.send(new I.DetachUserPolicyCommand({ UserName: 'pat', PolicyArn: arn })), 'NoSuchEntity', 404, `Policy ${arn} was not found.`);
    await rejects(iam.send(new I.DeletePolicyCommand({ PolicyArn: arn })), 'DeleteConflict', 409, /more than one version/);
    for (const v of ['v2', 'v3', 'v4']) await iam.send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    await iam.send(new I.DeletePolicyCommand({ PolicyArn: arn }));
    await rejects(iam.send(new I.GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntity', 404, `Policy ${arn} was not found.`);
    await rejects(iam.send(new I.DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })), 'AccessDenied', 403);
    await iam.send(new I.DeleteUserCommand({ UserName: 'pat' }));
  });

  test('every written policy is validated: MalformedPolicyDocument with the path, size quotas as LimitExceeded', async () => {
    await iam.send(new I.CreateUserCommand({ UserName: 'val' }));
    await rejects(iam.send(new I.CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }]) })),
      'MalformedPolicyDocument', 400, 'Policy document should not specify a principal. (Statement[0].Principal)');
    await rejects(iam.send(new I.PutUserPolicyCommand({ UserName: 'val', PolicyName: 'p', PolicyDocument: '{not json' })), 'MalformedPolicyDocument', 400, /^Syntax errors in policy\./);
    await rejects(iam.send(new I.PutUserPolicyCommand({ UserName: 'val', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) })),
      'MalformedPolicyDocument', 400, /^Policy document must be version 2012-10-17 or greater\./);
    await rejects(iam.send(new I.PutUserPolicyCommand({ UserName: 'val', PolicyName: 'p', PolicyDocument: doc([{ Effect: 'Allow', Action: 's3:*' }]) })),
      'MalformedPolicyDocument', 400, /^Policy statement must contain resources\./);

    const big = (n: number) => doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(4, '0')}/*`) }]);
    await rejects(iam.send(new I.CreatePolicyCommand({ PolicyName: 'huge', PolicyDocument: big(250) })), 'LimitExceeded', 409, 'Cannot exceed quota for PolicySize: 6144');
    await iam.send(new I.PutUserPolicyCommand({ UserName: 'val', PolicyName: 'one', PolicyDocument: big(38) }));
    // User inline policies count together against 2,048 characters.
    await rejects(iam.send(new I.PutUserPolicyCommand({ UserName: 'val', PolicyName: 'two', PolicyDocument: big(38) })), 'LimitExceeded', 409, 'Maximum policy size of 2048 bytes exceeded for user val');
    // Replacing the same policy does not count it twice.
    await iam.send(new I.PutUserPolicyCommand({ UserName: 'val', PolicyName: 'ONE', PolicyDocument: big(39) }));
    await rejects(iam.send(new I.CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: doc(Array.from({ length: 30 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${String(i).padStart(12, '1')}:root` }, Action: 'sts:AssumeRole' }))) })),
      'LimitExceeded', 409, 'Cannot exceed quota for ACLSizePerRole: 2048');
    await iam.send(new I.DeleteUserPolicyCommand({ UserName: 'val', PolicyName: 'one' }));
    await iam.send(new I.DeleteUserCommand({ UserName: 'val' }));
  });

  test('pagination with MaxItems and Marker', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `page-${i}`);
    for (const n of names) await iam.send(new I.CreateUserCommand({ UserName: n, Path: '/paged/' }));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const r: I.ListUsersCommandOutput = await iam.send(new I.ListUsersCommand({ PathPrefix: '/paged/', MaxItems: 3, ...(marker ? { Marker: marker } : {}) }));
      pages++;
      seen.push(...r.Users!.map((u) => u.UserName!));
      assert.equal(r.IsTruncated, r.Marker !== undefined);
      marker = r.Marker;
    } while (marker);
    assert.equal(pages, 3);
    assert.deepEqual(seen, names);
    const viaPaginator: string[] = [];
    for await (const page of I.paginateListUsers({ client: iam, pageSize: 2 }, { PathPrefix: '/paged/' })) viaPaginator.push(...page.Users!.map((u) => u.UserName!));
    assert.deepEqual(viaPaginator, names);
    await rejects(iam.send(new I.ListUsersCommand({ MaxItems: 1001 })), 'ValidationError', 400, /Member must have value less than or equal to 1000/);
    for (const n of names) await iam.send(new I.DeleteUserCommand({ UserName: n }));
  });

  test('OIDC providers: create, get, list, JWKS from coffer:jwks tags, delete', async () => {
    const jwks = { keys: [{ kty: 'EC', crv: 'P-256', kid: 'k1', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }] };
    const b64 = Buffer.from(JSON.stringify(jwks)).toString('base64url');
    const tags = [{ Key: 'coffer:jwks', Value: b64.slice(0, 200) }, { Key: 'coffer:jwks/2', Value: b64.slice(200) }];
    const created = await iam.send(new I.CreateOpenIDConnectProviderCommand({ Url: 'https://token.example.test/realm', ClientIDList: ['sts.amazonaws.com'], Tags: tags }));
    const arn = created.OpenIDConnectProviderArn!;
    assert.equal(arn, 'arn:aws:iam::000000000000:oidc-provider/token.example.test/realm');
    await rejects(iam.send(new I.CreateOpenIDConnectProviderCommand({ Url: 'https://token.example.test/realm' })), 'EntityAlreadyExists', 409);
    const got = await iam.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    assert.equal(got.Url, 'token.example.test/realm');
    assert.deepEqual(got.ClientIDList, ['sts.amazonaws.com']);
    assert.deepEqual(JSON.parse((await server.running.app.iam!.getOidcProvider(arn))!.jwks!), jwks);
    await rejects(iam.send(new I.TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'coffer:jwks', Value: 'bm90LWpzb24' }] })), 'InvalidInput', 400);
    await iam.send(new I.AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'app' }));
    assert.deepEqual((await iam.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))).ClientIDList, ['sts.amazonaws.com', 'app']);
    assert.deepEqual((await iam.send(new I.ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, [{ Arn: arn }]);
    await iam.send(new I.DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await rejects(iam.send(new I.GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), 'NoSuchEntity', 404);
  });

  test('GetAccountAuthorizationDetails lists users, groups, roles and policies in use', async () => {
    await iam.send(new I.CreateUserCommand({ UserName: 'dora' }));
    await iam.send(new I.CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new I.AddUserToGroupCommand({ GroupName: 'devs', UserName: 'dora' }));
    await iam.send(new I.PutUserPolicyCommand({ UserName: 'dora', PolicyName: 'mine', PolicyDocument: S3_READ }));
    await iam.send(new I.AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new I.CreateRoleCommand({ RoleName: 'runner', AssumeRolePolicyDocument: TRUST }));
    const local = (await iam.send(new I.CreatePolicyCommand({ PolicyName: 'local', PolicyDocument: S3_READ }))).Policy!.Arn!;

    const all = await iam.send(new I.GetAccountAuthorizationDetailsCommand({}));
    const dora = all.UserDetailList!.find((u) => u.UserName === 'dora')!;
    assert.deepEqual(dora.GroupList, ['devs']);
    assert.equal(dora.UserPolicyList![0]!.PolicyName, 'mine');
    assert.equal(decodeURIComponent(dora.UserPolicyList![0]!.PolicyDocument!), S3_READ);
    assert.deepEqual(all.GroupDetailList!.find((g) => g.GroupName === 'devs')!.AttachedManagedPolicies, [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
    assert.equal(decodeURIComponent(all.RoleDetailList!.find((r) => r.RoleName === 'runner')!.AssumeRolePolicyDocument!), TRUST);
    const policyArns = all.Policies!.map((p) => p.Arn);
    assert.ok(policyArns.includes(local));
    assert.ok(policyArns.includes('arn:aws:iam::aws:policy/ReadOnlyAccess'));
    assert.ok(!policyArns.includes('arn:aws:iam::aws:policy/IAMFullAccess'), 'unused AWS-managed policies are left out');
    assert.equal(all.Policies!.find((p) => p.Arn === local)!.PolicyVersionList![0]!.IsDefaultVersion, true);

    const users = await iam.send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['User'] }));
    assert.equal(users.GroupDetailList!.length + users.RoleDetailList!.length + users.Policies!.length, 0);
    const paged: string[] = [];
    let marker: string | undefined;
    do {
      const r: I.GetAccountAuthorizationDetailsCommandOutput = await iam.send(new I.GetAccountAuthorizationDetailsCommand({ MaxItems: 1, ...(marker ? { Marker: marker } : {}) }));
      paged.push(...[...r.UserDetailList!, ...r.GroupDetailList!, ...r.RoleDetailList!, ...r.Policies!].map((x) => JSON.stringify(x)));
      marker = r.Marker;
    } while (marker);
    assert.equal(paged.length, all.UserDetailList!.length + all.GroupDetailList!.length + all.RoleDetailList!.length + all.Policies!.length);
  });

  test('protocol faults: unknown and unimplemented actions, anonymous callers', async () => {
    const res = await fetch(`${server.endpoint}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' });
    // An unsigned form post is IAM's (no credential scope names another service).
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>MissingAuthenticationToken<\/Code>/);
    await rejects(iam.send(new I.GetAccountSummaryCommand({})), 'NotImplemented', 501);
  });
});
