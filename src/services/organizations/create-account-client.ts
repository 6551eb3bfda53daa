// The client side of `coffer accounts create`: drives a running Coffer as any AWS tool
// would, with the management account's root keys. Organizations CreateAccount (after
// CreateOrganization when there is none yet), DescribeCreateAccountStatus until SUCCEEDED,
// STS AssumeRole into the new account's OrganizationAccountAccessRole, then IAM as that
// role: user `admin` with AdministratorAccess and an access key. Signed with Coffer's own
// SigV4 client signer, so the command needs no AWS SDK at run time.
import { XMLParser } from 'fast-xml-parser';
import { signWithHeader, type ClientCredentials } from '../../auth/client-signer.js';
import { sha256Hex } from '../../auth/sigv4.js';
import { ADMINISTRATOR_ACCESS, DEFAULT_MEMBER_ROLE } from './member-role.js';

export interface CreateAccountOptions {
  endpoint: string;
  credentials: ClientCredentials;
  name: string;
  email: string;
  roleName?: string;
  /** IAM user to create in the new account; empty to skip and print the role session instead. */
  adminUserName?: string;
  region?: string;
  timeoutMs?: number;
  pollMs?: number;
}

export interface CreatedAccount {
  accountId: string;
  accountName: string;
  email: string;
  createAccountRequestId: string;
  roleArn: string;
  /** Long-term keys of the admin IAM user (AdministratorAccess). */
  adminUser?: { userName: string; arn: string; accessKeyId: string; secretAccessKey: string };
  /** Without an admin user: the role session's temporary credentials. */
  roleSession?: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string };
}

export class ApiError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(`${code}: ${message}`);
  }
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

async function send(endpoint: string, creds: ClientCredentials, region: string, service: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  const url = new URL(endpoint);
  const signed = signWithHeader({ method: 'POST', rawPath: url.pathname === '' ? '/' : url.pathname, headers: { host: url.host, ...headers } }, creds, region, service, new Date(), sha256Hex(body));
  const { host: _host, ...sendHeaders } = signed.headers;
  const res = await fetch(url, { method: 'POST', headers: sendHeaders, body });
  return { status: res.status, text: await res.text() };
}

async function organizations(o: CreateAccountOptions, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const r = await send(o.endpoint, o.credentials, o.region ?? 'us-east-1', 'organizations', {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AWSOrganizationsV20161128.${operation}`,
  }, JSON.stringify(input));
  const out = (r.text ? JSON.parse(r.text) : {}) as Record<string, unknown>;
  if (r.status !== 200) {
    const type = String(out['__type'] ?? 'UnknownError');
    throw new ApiError(type.slice(type.lastIndexOf('#') + 1), String(out['message'] ?? out['Message'] ?? ''), r.status);
  }
  return out;
}

type Xml = Record<string, unknown>;

async function query(o: CreateAccountOptions, service: 'iam' | 'sts', creds: ClientCredentials, params: Record<string, string>): Promise<Xml> {
  const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
  const body = new URLSearchParams({ ...params, Version: version }).toString();
  const r = await send(o.endpoint, creds, o.region ?? 'us-east-1', service, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body);
  const doc = xml.parse(r.text) as Xml;
  if (r.status !== 200) {
    const err = ((doc['ErrorResponse'] as Xml | undefined)?.['Error'] ?? {}) as Xml;
    throw new ApiError(String(err['Code'] ?? 'UnknownError'), String(err['Message'] ?? r.text), r.status);
  }
  const response = doc[`${params['Action']}Response`] as Xml | undefined;
  return ((response?.[`${params['Action']}Result`] ?? {}) as Xml);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function createAccount(o: CreateAccountOptions): Promise<CreatedAccount> {
  try {
    await organizations(o, 'DescribeOrganization', {});
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'AWSOrganizationsNotInUseException')) throw e;
    try {
      await organizations(o, 'CreateOrganization', { FeatureSet: 'ALL' });
    } catch (e2) {
      if (!(e2 instanceof ApiError && e2.code === 'AlreadyInOrganizationException')) throw e2;
    }
  }
  const roleName = o.roleName ?? DEFAULT_MEMBER_ROLE;
  const created = await organizations(o, 'CreateAccount', { AccountName: o.name, Email: o.email, RoleName: roleName });
  let status = created['CreateAccountStatus'] as Record<string, unknown>;
  const requestId = String(status['Id']);
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  while (status['State'] === 'IN_PROGRESS') {
    if (Date.now() > deadline) throw new Error(`CreateAccount ${requestId} is still IN_PROGRESS`);
    await sleep(o.pollMs ?? 100);
    status = (await organizations(o, 'DescribeCreateAccountStatus', { CreateAccountRequestId: requestId }))['CreateAccountStatus'] as Record<string, unknown>;
  }
  if (status['State'] !== 'SUCCEEDED') throw new Error(`CreateAccount ${requestId} ${String(status['State'])}: ${String(status['FailureReason'] ?? 'no reason given')}`);
  const accountId = String(status['AccountId']);
  const roleArn = `arn:aws:iam::${accountId}:role/${roleName}`;
  const assumed = await query(o, 'sts', o.credentials, { Action: 'AssumeRole', RoleArn: roleArn, RoleSessionName: 'coffer-accounts-create' });
  const c = assumed['Credentials'] as Xml;
  const session = {
    accessKeyId: String(c['AccessKeyId']), secretAccessKey: String(c['SecretAccessKey']), sessionToken: String(c['SessionToken']), expiration: String(c['Expiration']),
  };
  const out: CreatedAccount = { accountId, accountName: o.name, email: o.email, createAccountRequestId: requestId, roleArn };
  const userName = o.adminUserName ?? 'admin';
  if (userName === '') {
    out.roleSession = session;
    return out;
  }
  const asRole: ClientCredentials = { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
  const user = (await query(o, 'iam', asRole, { Action: 'CreateUser', UserName: userName }))['User'] as Xml;
  await query(o, 'iam', asRole, { Action: 'AttachUserPolicy', UserName: userName, PolicyArn: ADMINISTRATOR_ACCESS });
  const key = (await query(o, 'iam', asRole, { Action: 'CreateAccessKey', UserName: userName }))['AccessKey'] as Xml;
  out.adminUser = { userName, arn: String(user['Arn']), accessKeyId: String(key['AccessKeyId']), secretAccessKey: String(key['SecretAccessKey']) };
  return out;
}
