import { createHash } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { AwsError, isAwsError } from '../../errors/aws-error.js';
import type { KmsApi } from '../kms/index.js';

/**
 * S3's side of SSE-KMS: KMS called as the caller (so key policies, grants, kms:ViaService
 * and kms:CallerAccount decide exactly as in AWS), KMS errors turned into S3's answers, and
 * the S3 Bucket Key caches.
 */

/** KMS as the principal of one S3 request. */
export interface KmsCaller {
  principalArn: string;
  generateDataKey(keyId: string, context: Record<string, string>): Promise<{ plaintext: Buffer; blob: Buffer; keyArn: string }>;
  decrypt(blob: Buffer, context: Record<string, string>): Promise<{ plaintext: Buffer; keyArn: string }>;
  /** The ARN of the caller's account's `aws/s3` key, created on first use. */
  awsManagedKeyArn(): Promise<string>;
  /** Whether the key is Enabled: a local state read (no authorization), before using cached key material. */
  keyEnabled(keyArn: string): Promise<boolean>;
}

/** What the codec needs from the request, beyond the settings: passed in S3Context. */
export interface EncryptionServices {
  /** Absent when KMS is not wired (SSE-KMS then answers NotImplemented). */
  kms?: KmsCaller;
  secureTransport: boolean;
  allowSseCOverHttp: boolean;
  /** Data keys already unwrapped by this request, by envelope (one KMS Decrypt per object, not per part). */
  memo: Map<string, Promise<Buffer[]>>;
  bucketKeys: BucketKeyCache;
}

/**
 * S3's answer for a KMS failure: AccessDenied stays AccessDenied (KMS's message names the
 * action, e.g. kms:Decrypt); key-state and key-id errors become `KMS.<code>` as S3 returns them
 * (KMS.DisabledException, KMS.KMSInvalidStateException, KMS.NotFoundException, ...).
 */
export function s3ErrorFromKms(e: unknown): unknown {
  if (!isAwsError(e)) return e;
  if (e.code === 'AccessDenied' || e.code === 'AccessDeniedException') {
    return new AwsError({ code: 'AccessDenied', status: 403, message: e.message || 'Access Denied' });
  }
  if (e.code.startsWith('KMS.')) return e;
  return new AwsError({ code: `KMS.${e.code}`, status: e.status >= 500 ? e.status : 400, message: e.message });
}

export function kmsCaller(kms: KmsApi, principal: Principal, region: string, requestId: string): KmsCaller {
  const opts = { viaService: `s3.${region}.amazonaws.com`, requestId };
  return {
    principalArn: principal.arn,
    async generateDataKey(keyId, context) {
      try {
        const r = await kms.generateDataKeyAs(principal, keyId, context, opts);
        return { plaintext: r.plaintext, blob: r.ciphertextBlob, keyArn: r.keyArn };
      } catch (e) {
        throw s3ErrorFromKms(e);
      }
    },
    async decrypt(blob, context) {
      try {
        return await kms.decryptAs(principal, blob, context, opts);
      } catch (e) {
        throw s3ErrorFromKms(e);
      }
    },
    async awsManagedKeyArn() {
      return (await kms.getOrCreateAwsManagedKey(principal.accountId, 'aws/s3')).arn;
    },
    async keyEnabled(keyArn) {
      const k = await kms.service.loadKey(keyArn.slice(keyArn.lastIndexOf('/') + 1));
      return k?.keyState === 'Enabled';
    },
  };
}

/** How long a bucket key (and a decrypted one) is reused before KMS is asked again. */
export const BUCKET_KEY_LIFETIME_MS = 5 * 60 * 1000;
const MAX_ENTRIES = 1024;

interface Entry { plaintext: Buffer; blob: Buffer; keyArn: string; expires: number }

/**
 * S3 Bucket Keys: one KMS data key per bucket, KMS key and caller, reused for a bounded
 * time, from which each object's data key is derived, so SSE-KMS writes do not call KMS per
 * object. Reads cache the decrypted bucket key by its ciphertext, also per caller: a caller
 * is never served key material KMS did not give to that caller. Every hit first checks that
 * the KMS key is still Enabled, so disabling a key takes effect at once.
 */
export class BucketKeyCache {
  private readonly writes = new Map<string, Entry>();
  private readonly reads = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry>>();

  constructor(private readonly now: () => number = Date.now, private readonly lifetimeMs = BUCKET_KEY_LIFETIME_MS) {}

  /** The bucket key for writing `bucket`'s objects under `keyId` (as the request named it). */
  async forWrite(kms: KmsCaller, bucket: string, keyId: string): Promise<Entry> {
    const slot = `${bucket}\n${keyId}\n${kms.principalArn}`;
    return this.get(this.writes, slot, kms, async () => {
      const r = await kms.generateDataKey(keyId, bucketKeyContext(bucket));
      const e: Entry = { plaintext: r.plaintext, blob: r.blob, keyArn: r.keyArn, expires: this.now() + this.lifetimeMs };
      this.put(this.reads, readSlot(r.blob, kms.principalArn), e);
      return e;
    });
  }

  /** The plaintext of a stored bucket key, through KMS Decrypt as the caller unless cached for this caller. */
  async forRead(kms: KmsCaller, blob: Buffer, bucket: string): Promise<Entry> {
    return this.get(this.reads, readSlot(blob, kms.principalArn), kms, async () => {
      const r = await kms.decrypt(blob, bucketKeyContext(bucket));
      return { plaintext: r.plaintext, blob, keyArn: r.keyArn, expires: this.now() + this.lifetimeMs };
    });
  }

  private async get(map: Map<string, Entry>, slot: string, kms: KmsCaller, make: () => Promise<Entry>): Promise<Entry> {
    const hit = map.get(slot);
    if (hit && hit.expires > this.now() && await kms.keyEnabled(hit.keyArn)) return hit;
    if (hit) map.delete(slot);
    const running = this.inflight.get(slot);
    if (running) return running;
    const p = make().then((e) => {
      this.put(map, slot, e);
      return e;
    });
    this.inflight.set(slot, p);
    try {
      return await p;
    } finally {
      this.inflight.delete(slot);
    }
  }

  private put(map: Map<string, Entry>, slot: string, e: Entry): void {
    if (map.size >= MAX_ENTRIES) {
      const now = this.now();
      for (const [k, v] of map) if (v.expires <= now) map.delete(k);
      if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
    }
    map.set(slot, e);
  }
}

export function bucketKeyContext(bucket: string): Record<string, string> {
  return { 'aws:s3:arn': `arn:aws:s3:::${bucket}` };
}

function readSlot(blob: Buffer, principalArn: string): string {
  return `${createHash('sha256').update(blob).digest('base64')}\n${principalArn}`;
}
