/**
 * S3 lists keys in the byte order of their UTF-8 encoding, which is code point order.
 * Returns the smallest string greater than every string that starts with `prefix`, or
 * undefined when no such bound exists (empty prefix, or only U+10FFFF characters).
 */
export function prefixSuccessor(prefix: string): string | undefined {
  const cps = Array.from(prefix);
  while (cps.length > 0) {
    const last = cps.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      let next = last + 1;
      if (next >= 0xd800 && next <= 0xdfff) next = 0xe000;
      return cps.join('') + String.fromCodePoint(next);
    }
  }
  return undefined;
}
