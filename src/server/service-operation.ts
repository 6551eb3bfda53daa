import type { Principal } from '../auth/principal.js';
import type { AccessRequest } from '../authz/access.js';

/**
 * An operation of a JSON or Query service, as data: what it needs permission for and the
 * handler. Each service exports a table of these (its `operations.ts`).
 */
export interface ServiceOperation<I, O, C> {
  name: string;
  /** Checks and normalises the decoded input (ValidationException and the like). */
  validate?(raw: Record<string, unknown>): I;
  access(input: I, ctx: C): AccessRequest[] | Promise<AccessRequest[]>;
  /**
   * Who authorization evaluates, when not the caller that signed the request: the identity
   * provider of AssumeRoleWithWebIdentity, whose request is unsigned.
   */
  authorizeAs?(input: I, ctx: C): Promise<Principal>;
  handler(input: I, ctx: C): Promise<O>;
}

/** What every service context carries; services extend it with their stores and clients. */
export interface BaseServiceContext {
  principal: Principal;
  requestId: string;
  now: () => Date;
  region: string;
}
