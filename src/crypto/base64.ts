// Buffer.from(text, 'base64') skips characters outside the alphabet instead of failing,
// which would let "key!!" pass as a shorter key. Secrets and digests are decoded here.

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Decodes standard or URL-safe base64 (padding optional); null when it is not base64. */
export function decodeBase64Strict(text: string): Buffer | null {
  if (typeof text !== 'string') return null;
  const t = text.trim();
  if (t.length === 0 || !BASE64.test(t) || t.length % 4 === 1) return null;
  const padding = t.length - t.replace(/=+$/, '').length;
  if (padding > 0 && t.length % 4 !== 0) return null;
  return Buffer.from(t, 'base64');
}
