import type { Bucket } from '../store/meta/types.js';

/** Block Public Access settings of a bucket (S3 User Guide, "Blocking public access"). */
export interface PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export const PAB_FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

/** Absent settings mean none are on. */
export function publicAccessBlockOf(b: Bucket): PublicAccessBlock {
  const c = (b.config.publicAccessBlock ?? {}) as Partial<PublicAccessBlock>;
  return {
    BlockPublicAcls: c.BlockPublicAcls === true,
    IgnorePublicAcls: c.IgnorePublicAcls === true,
    BlockPublicPolicy: c.BlockPublicPolicy === true,
    RestrictPublicBuckets: c.RestrictPublicBuckets === true,
  };
}
