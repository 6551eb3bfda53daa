// The store reports an Organizations conflict by reason; each operation names the AWS error each reason means to it.
import { OrgConflict } from '../../store/meta/sqlite/organizations-store.js';

export type ConflictErrors = Partial<Record<OrgConflict['reason'], () => Error>>;

/** Runs a store write, turning the conflicts the caller names into their AWS errors; anything else passes through. */
export async function withConflicts<T>(write: Promise<T>, errors: ConflictErrors): Promise<T> {
  try {
    return await write;
  } catch (e) {
    const toError = e instanceof OrgConflict ? errors[e.reason] : undefined;
    throw toError ? toError() : e;
  }
}
