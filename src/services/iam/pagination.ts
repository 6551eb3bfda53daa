import { iamError } from './errors.js';

export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}

export interface Paged<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/**
 * IAM's Marker/MaxItems/IsTruncated over a list in a stable order: the marker is the opaque
 * sort key of the last item returned, so a page stays right when items come and go.
 */
export function paginate<T>(all: readonly T[], keyOf: (t: T) => string, input: PageInput): Paged<T> {
  const max = input.MaxItems ?? 100;
  let start = 0;
  if (input.Marker !== undefined) {
    let after: string;
    try {
      after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    } catch {
      throw iamError('ValidationError', 'Invalid Marker.');
    }
    const at = all.findIndex((t) => keyOf(t) === after);
    start = at >= 0 ? at + 1 : all.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = all.length;
  }
  const items = all.slice(start, start + max);
  const truncated = start + max < all.length;
  const out: Paged<T> = { items, IsTruncated: truncated };
  if (truncated) out.Marker = Buffer.from(keyOf(items[items.length - 1]!), 'utf8').toString('base64url');
  return out;
}
