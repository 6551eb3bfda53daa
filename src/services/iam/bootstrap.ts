import { isAwsError } from '../../errors/aws-error.js';
import type { IamStore, ManagedPolicy, OidcProvider } from '../../store/meta/iam-types.js';
import type { MetadataStore } from '../../store/meta/types.js';
import { MAX_ACCESS_KEYS } from './access-keys.js';
import { groupArn, oidcProviderArn, oidcProviderId, policyArn, roleArn, userArn } from './arns.js';
import type { IamIds } from './context.js';
import { parseJwks } from './oidc.js';
import { checkInlinePolicies, checkManagedPolicy, checkTrustPolicy } from './policy-documents.js';

/**
 * The IAM part of the bootstrap file (DESIGN §5), applied idempotently at every start:
 * customer-managed policies, groups, users (with access keys the file chooses), roles and
 * OpenID Connect providers. What the file names is created or brought up to date; what it
 * no longer names is left alone (the file adds, it never deletes).
 */
type Document = string | Record<string, unknown>;
interface Key { accessKeyId: string; secretAccessKey: string }
interface PolicySpec { name: string; path?: string; description?: string; document: Document }
interface Attachable { managedPolicies?: string[]; inlinePolicies?: Record<string, Document> }
interface GroupSpec extends Attachable { name: string; path?: string; members?: string[] }
interface UserSpec extends Attachable { name: string; path?: string; accessKeys?: Key[]; groups?: string[]; permissionsBoundary?: string; tags?: Record<string, string> }
interface RoleSpec extends Attachable {
  name: string; path?: string; trustPolicy: Document; description?: string; maxSessionDuration?: number; permissionsBoundary?: string; tags?: Record<string, string>;
}
interface OidcSpec { url: string; clientIds?: string[]; thumbprints?: string[]; jwks?: Document }

export interface IamBootstrap {
  policies?: PolicySpec[];
  groups?: GroupSpec[];
  users?: UserSpec[];
  roles?: RoleSpec[];
  oidcProviders?: OidcSpec[];
}

export class IamBootstrapError extends Error {}

const NAME = /^[\w+=,.@-]{1,64}$/;
const PATH = /^(\/|\/[\u0021-\u007e]+\/)$/;
const KEY_ID = /^[A-Z0-9]{16,128}$/;

const text = (d: Document): string => (typeof d === 'string' ? d : JSON.stringify(d));

function same(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return a === b;
  }
}

export async function applyIamBootstrap(store: IamStore, meta: MetadataStore, accountId: string, spec: IamBootstrap, now: Date, ids: IamIds): Promise<void> {
  const where = (what: string) => `bootstrap: account ${accountId}: ${what}`;
  const check = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (isAwsError(e)) throw new IamBootstrapError(`${where(what)}: ${e.code}: ${e.message}`);
      throw e;
    }
  };
  const named = (kind: string, s: { name?: unknown; path?: unknown }): string => {
    if (typeof s.name !== 'string' || !NAME.test(s.name)) throw new IamBootstrapError(where(`${kind} name ${JSON.stringify(s.name)} must be 1-64 letters, digits or +=,.@_-`));
    if (s.path !== undefined && (typeof s.path !== 'string' || !PATH.test(s.path))) throw new IamBootstrapError(where(`${kind} ${s.name}: path must begin and end with /`));
    return s.name;
  };
  const policyFor = async (ref: string): Promise<string> => {
    const arn = ref.startsWith('arn:') ? ref : (await store.listPolicies(accountId)).find((p) => p.accountId === accountId && p.policyName.toLowerCase() === ref.toLowerCase())?.arn;
    const p = arn ? await store.getPolicy(arn, accountId) : undefined;
    if (!p || (p.accountId !== accountId && p.accountId !== 'aws')) throw new IamBootstrapError(where(`policy ${ref} does not exist`));
    return p.arn;
  };
  const attach = async (kind: 'user' | 'group' | 'role', name: string, s: Attachable): Promise<void> => {
    for (const ref of s.managedPolicies ?? []) await store.attachPolicy(kind, accountId, name, await policyFor(ref));
    const inline = Object.entries(s.inlinePolicies ?? {}).map(([policyName, d]) => ({ policyName, document: text(d) }));
    const existing = (await store.inlinePolicies(kind, accountId, name)).filter((p) => !inline.some((q) => q.policyName.toLowerCase() === p.policyName.toLowerCase()));
    const others = existing.map((p) => p.document);
    for (const p of inline) {
      check(`${kind} ${name} inline policy ${p.policyName}`, () => checkInlinePolicies(kind, name, p.document, others));
      others.push(p.document);
      await store.putInlinePolicy(kind, accountId, name, p);
    }
  };

  for (const p of spec.policies ?? []) {
    const name = named('policy', p);
    const document = text(p.document);
    check(`policy ${name}`, () => checkManagedPolicy(document));
    const path = p.path ?? '/';
    const arn = policyArn(accountId, path, name);
    const current = await store.getPolicy(arn, accountId);
    if (!current) {
      const mp: ManagedPolicy = {
        accountId, policyName: name, policyId: ids.uniqueId('ANPA'), path, arn, defaultVersionId: 'v1', attachmentCount: 0,
        permissionsBoundaryUsageCount: 0, isAttachable: true, createDate: now, updateDate: now, tags: [],
      };
      if (p.description !== undefined) mp.description = p.description;
      await store.createPolicy(mp, document);
    } else if (!same((await store.managedPolicyDocument(current.arn)) ?? '', document)) {
      const versions = await store.listPolicyVersions(current.arn);
      if (versions.length >= 5) await store.deletePolicyVersion(current.arn, versions.filter((v) => !v.isDefaultVersion).pop()!.versionId);
      await store.createPolicyVersion(current.arn, document, true, now);
    }
  }

  for (const g of spec.groups ?? []) {
    const name = named('group', g);
    const path = g.path ?? '/';
    if (!(await store.getGroup(accountId, name))) {
      await store.createGroup({ accountId, groupName: name, groupId: ids.uniqueId('AGPA'), path, arn: groupArn(accountId, path, name), createDate: now });
    }
    await attach('group', name, g);
  }

  for (const u of spec.users ?? []) {
    const name = named('user', u);
    const path = u.path ?? '/';
    const current = await store.getUser(accountId, name);
    const tags = Object.entries(u.tags ?? {});
    if (!current) {
      await store.createUser({ accountId, userName: name, userId: ids.uniqueId('AIDA'), path, arn: userArn(accountId, path, name), createDate: now, tags });
    } else {
      if (current.path !== path) await store.updateUser(accountId, current.userName, { newPath: path });
      if (tags.length > 0) await store.tag({ kind: 'user', accountId, name }, tags);
    }
    if (u.permissionsBoundary !== undefined) await store.setPermissionsBoundary('user', accountId, name, await policyFor(u.permissionsBoundary));
    for (const k of u.accessKeys ?? []) {
      if (!KEY_ID.test(k.accessKeyId ?? '') || typeof k.secretAccessKey !== 'string' || k.secretAccessKey.length < 16) {
        throw new IamBootstrapError(where(`user ${name}: access keys need an id of 16+ upper-case letters or digits and a secret of 16+ characters`));
      }
      const existing = await meta.getAccessKey(k.accessKeyId);
      if (existing && (existing.accountId !== accountId || existing.principalKind !== 'User' || existing.principalName.toLowerCase() !== name.toLowerCase())) {
        throw new IamBootstrapError(where(`access key ${k.accessKeyId} already belongs to another principal`));
      }
      if (existing) {
        if (existing.secretAccessKey !== k.secretAccessKey || existing.status !== 'Active') await meta.putAccessKey({ ...existing, secretAccessKey: k.secretAccessKey, status: 'Active' });
        continue;
      }
      try {
        await store.createAccessKey(accountId, name, { ...k, createDate: now }, MAX_ACCESS_KEYS);
      } catch {
        throw new IamBootstrapError(where(`user ${name} may have at most ${MAX_ACCESS_KEYS} access keys`));
      }
    }
    await attach('user', name, u);
    for (const group of u.groups ?? []) {
      if (!(await store.getGroup(accountId, group))) throw new IamBootstrapError(where(`user ${name}: group ${group} does not exist`));
      await store.addUserToGroup(accountId, group, name);
    }
  }
  for (const g of spec.groups ?? []) {
    for (const member of g.members ?? []) {
      if (!(await store.getUser(accountId, member))) throw new IamBootstrapError(where(`group ${g.name}: user ${member} does not exist`));
      await store.addUserToGroup(accountId, g.name, member);
    }
  }

  for (const r of spec.roles ?? []) {
    const name = named('role', r);
    if (r.trustPolicy === undefined) throw new IamBootstrapError(where(`role ${name} needs a trustPolicy`));
    const trust = text(r.trustPolicy);
    check(`role ${name} trust policy`, () => checkTrustPolicy(trust));
    const path = r.path ?? '/';
    const current = await store.getRole(accountId, name);
    const tags = Object.entries(r.tags ?? {});
    if (!current) {
      const role = {
        accountId, roleName: name, roleId: ids.uniqueId('AROA'), path, arn: roleArn(accountId, path, name), createDate: now,
        assumeRolePolicyDocument: trust, maxSessionDuration: r.maxSessionDuration ?? 3600, tags,
        ...(r.description !== undefined ? { description: r.description } : {}),
      };
      await store.createRole(role);
    } else {
      await store.updateRole(accountId, name, {
        assumeRolePolicyDocument: trust,
        ...(r.description !== undefined ? { description: r.description } : {}),
        ...(r.maxSessionDuration !== undefined ? { maxSessionDuration: r.maxSessionDuration } : {}),
      });
      if (tags.length > 0) await store.tag({ kind: 'role', accountId, name }, tags);
    }
    if (r.permissionsBoundary !== undefined) await store.setPermissionsBoundary('role', accountId, name, await policyFor(r.permissionsBoundary));
    await attach('role', name, r);
  }

  for (const o of spec.oidcProviders ?? []) {
    if (typeof o.url !== 'string' || !/^https:\/\/[^\s?#]+$/i.test(o.url)) throw new IamBootstrapError(where(`OIDC provider url ${JSON.stringify(o.url)} must begin with https://`));
    const arn = oidcProviderArn(accountId, o.url);
    let jwks: string | undefined;
    if (o.jwks !== undefined) check(`OIDC provider ${o.url} jwks`, () => { jwks = parseJwks(text(o.jwks!)); });
    const current = await store.getOidcProvider(arn);
    if (!current) {
      const p: OidcProvider = {
        accountId, arn, url: oidcProviderId(o.url), clientIds: o.clientIds ?? [], thumbprints: (o.thumbprints ?? []).map((t) => t.toLowerCase()), createDate: now, tags: [],
      };
      if (jwks) p.jwks = jwks;
      await store.createOidcProvider(p);
    } else {
      await store.updateOidcProvider(arn, {
        ...(o.clientIds ? { clientIds: o.clientIds } : {}),
        ...(o.thumbprints ? { thumbprints: o.thumbprints.map((t) => t.toLowerCase()) } : {}),
        ...(jwks ? { jwks } : {}),
      });
    }
  }
}
