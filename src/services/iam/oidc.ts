import { IamConflict, type OidcProvider } from '../../store/meta/iam-types.js';
import { oidcProviderArn, oidcProviderId } from './arns.js';
import { iamOperation, type IamContext } from './context.js';
import { iamError } from './errors.js';
import { paginate, type PageInput } from './pagination.js';
import { checkTagCount, requestTagConditions, tagPairs, type TagInput } from './tags.js';
import { tagsWire } from './wire.js';

/**
 * IAM fetches an OpenID provider's signing keys from its discovery document; Coffer does no
 * network I/O, so the keys come with the provider: the JWKS JSON, base64url-encoded, in the
 * tag `coffer:jwks` (continued in `coffer:jwks/2`, `coffer:jwks/3`, … because a tag value
 * holds 256 characters and no braces or quotes), or from the bootstrap file.
 */
export const JWKS_TAG = 'coffer:jwks';

/** The JWKS the tags carry (JSON text), null when they carry none; InvalidInput when malformed. */
export function jwksFromTags(tags: Array<[string, string]>): string | null {
  const parts = new Map<number, string>();
  for (const [k, v] of tags) {
    const key = k.toLowerCase();
    if (key === JWKS_TAG) parts.set(1, v);
    else {
      const m = /^coffer:jwks\/([1-9][0-9]*)$/.exec(key);
      if (m) parts.set(Number(m[1]), v);
    }
  }
  if (parts.size === 0) return null;
  const text = [...parts.keys()].sort((a, b) => a - b).map((n) => parts.get(n)!).join('');
  return parseJwks(Buffer.from(text, 'base64url').toString('utf8'));
}

/** Checks a JWKS document: an object with a `keys` list of objects. */
export function parseJwks(json: string): string {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw iamError('InvalidInput', `The ${JWKS_TAG} tags must hold a base64url-encoded JWKS (JSON with a "keys" list).`);
  }
  const keys = (v as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== 'object' || k === null)) {
    throw iamError('InvalidInput', `The ${JWKS_TAG} tags must hold a base64url-encoded JWKS (JSON with a "keys" list).`);
  }
  return JSON.stringify(v);
}

function checkUrl(url: string): void {
  if (!/^https:\/\/[^\s/?#]+[^\s?#]*$/i.test(url)) throw iamError('InvalidInput', 'Invalid OpenID Connect provider URL: it must begin with https:// and have no query or fragment.');
}

function checkThumbprints(list: readonly string[]): void {
  if (list.length > 5) throw iamError('LimitExceeded', 'Cannot exceed quota for ThumbprintsPerOpenIdConnectProvider: 5');
  for (const t of list) if (!/^[0-9a-fA-F]{40}$/.test(t)) throw iamError('InvalidInput', `Thumbprint ${t} is not a hexadecimal SHA-1 fingerprint of 40 characters.`);
}

async function mustProvider(ctx: IamContext, arn: string): Promise<OidcProvider> {
  const p = await ctx.store.getOidcProvider(arn);
  if (!p || p.accountId !== ctx.accountId) throw iamError('NoSuchEntity', `OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

export const createOpenIDConnectProvider = iamOperation<{ Url: string; ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: TagInput[] }, unknown>(
  'CreateOpenIDConnectProvider',
  (i, ctx) => oidcProviderArn(ctx.accountId, i.Url),
  async (i, ctx) => {
    checkUrl(i.Url);
    checkThumbprints(i.ThumbprintList ?? []);
    const tags = tagPairs(i.Tags);
    checkTagCount([], tags);
    const arn = oidcProviderArn(ctx.accountId, i.Url);
    const exists = () => iamError('EntityAlreadyExists', `Provider with url ${i.Url} already exists.`);
    if (await ctx.store.getOidcProvider(arn)) throw exists();
    const p: OidcProvider = {
      accountId: ctx.accountId, arn, url: oidcProviderId(i.Url), clientIds: [...new Set(i.ClientIDList ?? [])],
      thumbprints: (i.ThumbprintList ?? []).map((t) => t.toLowerCase()), createDate: ctx.now(), tags,
    };
    const jwks = jwksFromTags(tags);
    if (jwks) p.jwks = jwks;
    try {
      await ctx.store.createOidcProvider(p);
    } catch (e) {
      if (e instanceof IamConflict && e.reason === 'exists') throw exists();
      throw e;
    }
    return { OpenIDConnectProviderArn: arn, Tags: tags.length > 0 ? tagsWire(tags) : undefined };
  },
  (i) => requestTagConditions(i.Tags),
);

export const getOpenIDConnectProvider = iamOperation<{ OpenIDConnectProviderArn: string }, unknown>(
  'GetOpenIDConnectProvider',
  (i) => i.OpenIDConnectProviderArn,
  async (i, ctx) => {
    const p = await mustProvider(ctx, i.OpenIDConnectProviderArn);
    return { Url: p.url, ClientIDList: p.clientIds, ThumbprintList: p.thumbprints, CreateDate: p.createDate, Tags: p.tags.length > 0 ? tagsWire(p.tags) : undefined };
  },
);

export const listOpenIDConnectProviders = iamOperation<Record<string, never>, unknown>(
  'ListOpenIDConnectProviders',
  () => '*',
  async (_i, ctx) => ({ OpenIDConnectProviderList: (await ctx.store.listOidcProviders(ctx.accountId)).map((p) => ({ Arn: p.arn })) }),
);

export const deleteOpenIDConnectProvider = iamOperation<{ OpenIDConnectProviderArn: string }, unknown>(
  'DeleteOpenIDConnectProvider',
  (i) => i.OpenIDConnectProviderArn,
  async (i, ctx) => {
    const p = await mustProvider(ctx, i.OpenIDConnectProviderArn);
    await ctx.store.deleteOidcProvider(p.arn);
    return {};
  },
);

export const addClientIDToOpenIDConnectProvider = iamOperation<{ OpenIDConnectProviderArn: string; ClientID: string }, unknown>(
  'AddClientIDToOpenIDConnectProvider',
  (i) => i.OpenIDConnectProviderArn,
  async (i, ctx) => {
    const p = await mustProvider(ctx, i.OpenIDConnectProviderArn);
    if (!p.clientIds.includes(i.ClientID)) await ctx.store.updateOidcProvider(p.arn, { clientIds: [...p.clientIds, i.ClientID] });
    return {};
  },
);

export const removeClientIDFromOpenIDConnectProvider = iamOperation<{ OpenIDConnectProviderArn: string; ClientID: string }, unknown>(
  'RemoveClientIDFromOpenIDConnectProvider',
  (i) => i.OpenIDConnectProviderArn,
  async (i, ctx) => {
    const p = await mustProvider(ctx, i.OpenIDConnectProviderArn);
    await ctx.store.updateOidcProvider(p.arn, { clientIds: p.clientIds.filter((c) => c !== i.ClientID) });
    return {};
  },
);

export const updateOpenIDConnectProviderThumbprint = iamOperation<{ OpenIDConnectProviderArn: string; ThumbprintList: string[] }, unknown>(
  'UpdateOpenIDConnectProviderThumbprint',
  (i) => i.OpenIDConnectProviderArn,
  async (i, ctx) => {
    const p = await mustProvider(ctx, i.OpenIDConnectProviderArn);
    checkThumbprints(i.ThumbprintList);
    await ctx.store.updateOidcProvider(p.arn, { thumbprints: i.ThumbprintList.map((t) => t.toLowerCase()) });
    return {};
  },
);

/** Tagging re-derives the JWKS, so rotating keys is TagOpenIDConnectProvider with new `coffer:jwks` tags. */
async function retag(ctx: IamContext, p: OidcProvider, set: Array<[string, string]>, remove: string[]): Promise<void> {
  const drop = new Set(remove.map((k) => k.toLowerCase()));
  const next = new Map(p.tags.filter(([k]) => !drop.has(k.toLowerCase())).map(([k, v]) => [k.toLowerCase(), [k, v] as [string, string]]));
  for (const [k, v] of set) next.set(k.toLowerCase(), [k, v]);
  const jwks = jwksFromTags([...next.values()]);
  await ctx.store.tag({ kind: 'oidc', arn: p.arn }, set, remove);
  await ctx.store.updateOidcProvider(p.arn, { jwks });
}

export const tagOpenIDConnectProvider = iamOperation<{ OpenIDConnectProviderArn: string; Tags: TagInput[] }, unknown>(
  'TagOpenIDConnectProvider',
  (i) => i.OpenIDConnectProviderArn,
  async (i, ctx) => {
    const p = await mustProvider(ctx, i.OpenIDConnectProviderArn);
    const tags = tagPairs(i.Tags);
    checkTagCount(p.tags, tags);
    await retag(ctx, p, tags, []);
    return {};
  },
  (i) => requestTagConditions(i.Tags),
);

export const untagOpenIDConnectProvider = iamOperation<{ OpenIDConnectProviderArn: string; TagKeys: string[] }, unknown>(
  'UntagOpenIDConnectProvider',
  (i) => i.OpenIDConnectProviderArn,
  async (i, ctx) => {
    const p = await mustProvider(ctx, i.OpenIDConnectProviderArn);
    await retag(ctx, p, [], i.TagKeys);
    return {};
  },
  (i) => ({ 'aws:TagKeys': i.TagKeys }),
);

export const listOpenIDConnectProviderTags = iamOperation<{ OpenIDConnectProviderArn: string } & PageInput, unknown>(
  'ListOpenIDConnectProviderTags',
  (i) => i.OpenIDConnectProviderArn,
  async (i, ctx) => {
    const p = await mustProvider(ctx, i.OpenIDConnectProviderArn);
    const page = paginate(p.tags, ([k]) => k.toLowerCase(), i);
    return { Tags: tagsWire(page.items), IsTruncated: page.IsTruncated, Marker: page.Marker };
  },
);

export const OIDC_OPERATIONS = [
  createOpenIDConnectProvider, getOpenIDConnectProvider, listOpenIDConnectProviders, deleteOpenIDConnectProvider,
  addClientIDToOpenIDConnectProvider, removeClientIDFromOpenIDConnectProvider, updateOpenIDConnectProviderThumbprint,
  tagOpenIDConnectProvider, untagOpenIDConnectProvider, listOpenIDConnectProviderTags,
];
