import type { AccessRequest } from '../../authz/access.js';
import type { BaseServiceContext, ServiceOperation } from '../../server/service-operation.js';
import type { IamStore } from '../../store/meta/iam-types.js';
import type { MetadataStore } from '../../store/meta/types.js';

/** Unique ids and credentials, injected so tests can make them deterministic. */
export interface IamIds {
  /** AIDA (user), AGPA (group), AROA (role), ANPA (policy) followed by 17 characters. */
  uniqueId(prefix: 'AIDA' | 'AGPA' | 'AROA' | 'ANPA'): string;
  accessKeyId(): string;
  secretAccessKey(): string;
}

export interface IamContext extends BaseServiceContext {
  /** The caller's account: every IAM entity an operation touches lives there. */
  accountId: string;
  store: IamStore;
  meta: MetadataStore;
  ids: IamIds;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type IamOperation = ServiceOperation<any, any, IamContext>;

type Resources<I> = (input: I, ctx: IamContext) => string | Promise<string>;
type Conditions<I> = (input: I, ctx: IamContext) => Record<string, string | string[]> | undefined;

/** One IAM operation: its action is `iam:<name>`, on the one resource `resource` names. */
export function iamOperation<I, O>(name: string, resource: Resources<I>, handler: (input: I, ctx: IamContext) => Promise<O>, conditions?: Conditions<I>): IamOperation {
  return {
    name,
    async access(input: I, ctx: IamContext): Promise<AccessRequest[]> {
      const r: AccessRequest = { action: `iam:${name}`, resource: await resource(input, ctx) };
      const c = conditions?.(input, ctx);
      if (c && Object.keys(c).length > 0) r.conditions = c;
      return [r];
    },
    handler,
  };
}
