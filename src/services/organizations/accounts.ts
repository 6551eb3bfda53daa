// Accounts: CreateAccount, DescribeCreateAccountStatus, ListCreateAccountStatus, ListAccounts,
// DescribeAccount, ListAccountsForParent, ListParents, MoveAccount.
import { invalidInput, organizationsError } from '../../errors/organizations.js';
import { OrgConflict, type CreateAccountRequestRecord, type CreateAccountState } from '../../store/meta/sqlite/organizations-store.js';
import { createAccountStatus } from './account-creation.js';
import { accountArn } from './arns.js';
import { optEnum, optString, page, paging, reqString, PATTERNS, type Paging, refuseTags } from './input.js';
import { DEFAULT_MEMBER_ROLE } from './member-role.js';
import { withConflicts } from './conflicts.js';
import { orgOperation } from './operation.js';
import type { OrgContext } from './service.js';

interface CreateAccountInput { email: string; accountName: string; roleName: string }

const accountResource = (ctx: OrgContext, accountId: string): string => {
  const o = ctx.orgs.orgForArns();
  return o ? accountArn(o.mgmt, o.orgId, accountId) : '*';
};

export const CreateAccount = orgOperation<CreateAccountInput>({
  name: 'CreateAccount',
  validate(raw) {
    refuseTags(raw);
    const email = reqString(raw, 'Email', { min: 6, max: 64, pattern: PATTERNS.email });
    const accountName = reqString(raw, 'AccountName', { min: 1, max: 50, pattern: PATTERNS.accountName });
    const roleName = optString(raw, 'RoleName', { max: 64, pattern: PATTERNS.roleName, patternReason: 'INVALID_ROLE_NAME' }) ?? DEFAULT_MEMBER_ROLE;
    optEnum(raw, 'IamUserAccessToBilling', ['ALLOW', 'DENY'] as const);
    return { email, accountName, roleName };
  },
  resources: () => ['*'],
  async handler(input, ctx) {
    const { orgs } = ctx;
    orgs.requireManagement(ctx.principal);
    let record: CreateAccountRequestRecord | undefined;
    for (let attempt = 0; attempt < 32 && !record; attempt++) {
      const accountId = orgs.ids.accountId();
      if (accountId === orgs.managementAccountId || orgs.store.accountIdRequested(accountId) || (await orgs.meta.getAccount(accountId))) continue;
      const r: CreateAccountRequestRecord = {
        id: orgs.ids.createAccountRequestId(), accountName: input.accountName, email: input.email, roleName: input.roleName,
        accountId, state: 'IN_PROGRESS', requestedAt: orgs.now(),
      };
      try {
        await orgs.store.insertCreateAccountRequest(r);
        record = r;
      } catch (e) {
        if (!(e instanceof OrgConflict && e.reason === 'exists')) throw e;
      }
    }
    if (!record) throw organizationsError('ServiceException');
    orgs.creation.schedule(record.id);
    return { CreateAccountStatus: createAccountStatus(record) };
  },
});

export const DescribeCreateAccountStatus = orgOperation<{ id: string }>({
  name: 'DescribeCreateAccountStatus',
  validate: (raw) => ({ id: reqString(raw, 'CreateAccountRequestId', { max: 36, pattern: PATTERNS.createAccountRequestId }) }),
  resources: () => ['*'],
  async handler(input, ctx) {
    ctx.orgs.requireManagement(ctx.principal);
    const r = ctx.orgs.store.createAccountRequest(input.id);
    if (!r) throw organizationsError('CreateAccountStatusNotFoundException');
    return { CreateAccountStatus: createAccountStatus(r) };
  },
});

const STATES = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED'] as const;

export const ListCreateAccountStatus = orgOperation<Paging & { states?: CreateAccountState[] }>({
  name: 'ListCreateAccountStatus',
  validate(raw) {
    const p: Paging & { states?: CreateAccountState[] } = paging(raw);
    const s = raw['States'];
    if (s !== undefined && s !== null) {
      if (!Array.isArray(s)) throw organizationsError('SerializationException', 'States: expected a list');
      p.states = s.map((v: unknown, i) => {
        if (typeof v !== 'string' || !(STATES as readonly string[]).includes(v)) throw invalidInput('INVALID_LIST_MEMBER', `States[${i}] is not a create-account state.`);
        return v as CreateAccountState;
      });
    }
    return p;
  },
  resources: () => ['*'],
  async handler(input, ctx) {
    ctx.orgs.requireManagement(ctx.principal);
    const all = ctx.orgs.store.createAccountRequests().filter((r) => !input.states || input.states.includes(r.state));
    return page(all.map(createAccountStatus), input, 'CreateAccountStatuses');
  },
});

export const ListAccounts = orgOperation<Paging>({
  name: 'ListAccounts',
  validate: paging,
  resources: () => ['*'],
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    const members = ctx.orgs.store.members();
    const p = page(members, input, 'Accounts');
    return { ...p, Accounts: await Promise.all(p.Accounts.map((m) => ctx.orgs.accountShape(org, m))) };
  },
});

export const DescribeAccount = orgOperation<{ accountId: string }>({
  name: 'DescribeAccount',
  validate: (raw) => ({ accountId: reqString(raw, 'AccountId', { max: 12, pattern: PATTERNS.accountId }) }),
  resources: (input, ctx) => [accountResource(ctx, input.accountId)],
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    const m = ctx.orgs.store.member(input.accountId);
    if (!m) throw organizationsError('AccountNotFoundException');
    return { Account: await ctx.orgs.accountShape(org, m) };
  },
});

interface ParentInput extends Paging { parentId: string }

export const ListAccountsForParent = orgOperation<ParentInput>({
  name: 'ListAccountsForParent',
  validate: (raw) => ({ ...paging(raw), parentId: reqString(raw, 'ParentId', { max: 100, pattern: PATTERNS.parentId }) }),
  resources: (input, ctx) => [ctx.orgs.targetArn(input.parentId)],
  async handler(input, ctx) {
    const org = ctx.orgs.requireManagement(ctx.principal);
    if (!ctx.orgs.parentExists(input.parentId)) throw organizationsError('ParentNotFoundException');
    const p = page(ctx.orgs.store.members(input.parentId), input, 'Accounts');
    return { ...p, Accounts: await Promise.all(p.Accounts.map((m) => ctx.orgs.accountShape(org, m))) };
  },
});

export const ListParents = orgOperation<Paging & { childId: string }>({
  name: 'ListParents',
  validate: (raw) => ({ ...paging(raw), childId: reqString(raw, 'ChildId', { max: 100, pattern: PATTERNS.childId }) }),
  resources: (input, ctx) => [ctx.orgs.targetArn(input.childId)],
  async handler(input, ctx) {
    const { orgs } = ctx;
    orgs.requireManagement(ctx.principal);
    const parentId = input.childId.startsWith('ou-') ? orgs.store.unit(input.childId)?.parentId : orgs.store.member(input.childId)?.parentId;
    if (!parentId) throw organizationsError('ChildNotFoundException');
    return page([{ Id: parentId, Type: orgs.parentType(parentId) }], input, 'Parents');
  },
});

interface MoveInput { accountId: string; source: string; destination: string }

export const MoveAccount = orgOperation<MoveInput>({
  name: 'MoveAccount',
  validate: (raw) => ({
    accountId: reqString(raw, 'AccountId', { max: 12, pattern: PATTERNS.accountId }),
    source: reqString(raw, 'SourceParentId', { max: 100, pattern: PATTERNS.parentId }),
    destination: reqString(raw, 'DestinationParentId', { max: 100, pattern: PATTERNS.parentId }),
  }),
  resources: (input, ctx) => [accountResource(ctx, input.accountId), ctx.orgs.targetArn(input.source), ctx.orgs.targetArn(input.destination)],
  async handler(input, ctx) {
    const { orgs } = ctx;
    orgs.requireManagement(ctx.principal);
    if (!orgs.parentExists(input.source)) throw organizationsError('SourceParentNotFoundException');
    if (!orgs.parentExists(input.destination)) throw organizationsError('DestinationParentNotFoundException');
    const accountNotFound = () => organizationsError('AccountNotFoundException');
    await withConflicts(orgs.store.moveAccount(input.accountId, input.source, input.destination), {
      'not-found': accountNotFound,
      'not-attached': accountNotFound,
      'same-parent': () => organizationsError('DuplicateAccountException'),
    });
    return {};
  },
});

export const ACCOUNT_OPERATIONS = [
  CreateAccount, DescribeCreateAccountStatus, ListCreateAccountStatus, ListAccounts, DescribeAccount, ListAccountsForParent, ListParents, MoveAccount,
];
