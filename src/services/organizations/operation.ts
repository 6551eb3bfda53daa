import type { AccessRequest } from '../../authz/access.js';
import type { ServiceOperation } from '../../server/service-operation.js';
import type { OrgContext } from './service.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OrgOperation = ServiceOperation<any, any, OrgContext>;

export interface OrgOperationSpec<I> {
  name: string;
  validate(raw: Record<string, unknown>): I;
  /** The resource ARNs `organizations:<name>` is asked for (`*` where the action has no resource type). */
  resources(input: I, ctx: OrgContext): string[];
  conditions?(input: I, ctx: OrgContext): Record<string, string | string[]> | undefined;
  handler(input: I, ctx: OrgContext): Promise<unknown>;
}

/** One Organizations operation: its action is `organizations:<Name>`, once per resource. */
export function orgOperation<I>(spec: OrgOperationSpec<I>): OrgOperation {
  return {
    name: spec.name,
    validate: spec.validate,
    access(input: I, ctx: OrgContext): AccessRequest[] {
      const conditions = spec.conditions?.(input, ctx);
      return spec.resources(input, ctx).map((resource) => {
        const r: AccessRequest = { action: `organizations:${spec.name}`, resource };
        if (conditions && Object.keys(conditions).length > 0) r.conditions = conditions;
        return r;
      });
    },
    handler: spec.handler,
  };
}

export const noInput = (): Record<string, never> => ({});
