import type { BaseServiceContext } from '../../server/service-operation.js';
import type { IdentityReader } from '../../store/meta/iam-types.js';
import type { MetadataStore } from '../../store/meta/types.js';

export interface StsIds {
  /** ASIA… */
  accessKeyId(): string;
  secretAccessKey(): string;
  sessionToken(): string;
}

export interface StsContext extends BaseServiceContext {
  iam: IdentityReader;
  meta: MetadataStore;
  ids: StsIds;
}
