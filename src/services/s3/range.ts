import { s3Error } from '../../errors/s3.js';

export interface ByteRange { start: number; end: number }

/**
 * Resolves a `Range` header against an object size as S3 does: one range only; syntax it
 * cannot read is ignored (the whole object is returned); a range that starts past the end
 * is `InvalidRange` (416).
 */
export function resolveRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined;
  const [, a, b] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0) throw invalidRange(header, size);
    if (size === 0) throw invalidRange(header, size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  let end = b === '' ? size - 1 : Number(b);
  if (b !== '' && end < start) return undefined;
  if (start >= size) throw invalidRange(header, size);
  if (end >= size) end = size - 1;
  return { start, end };
}

function invalidRange(header: string, size: number) {
  return s3Error('InvalidRange', undefined, { RangeRequested: header, ActualObjectSize: size });
}
