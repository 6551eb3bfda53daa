// The KMS operation table: routing, authorization (each operation's AccessRequests) and
// NotImplemented all derive from it. Operations of the model that are absent here answer
// NotImplemented (asymmetric and HMAC keys, imported material, custom key stores, multi-Region).
import { CreateAlias, DeleteAlias, ListAliases, UpdateAlias } from './aliases.js';
import { Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom, ReEncrypt } from './crypto-ops.js';
import { CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant } from './grants.js';
import {
  CancelKeyDeletion, CreateKey, DescribeKey, DisableKey, EnableKey, ListKeys, ListResourceTags, ScheduleKeyDeletion, TagResource,
  UntagResource, UpdateKeyDescription,
} from './keys.js';
import type { KmsOperation } from './operation.js';
import type { KmsOperationName } from './operation-names.js';
import { GetKeyPolicy, ListKeyPolicies, PutKeyPolicy } from './policies.js';
import { DisableKeyRotation, EnableKeyRotation, GetKeyRotationStatus, ListKeyRotations, RotateKeyOnDemand } from './rotation.js';

const TABLE: Partial<Record<KmsOperationName, KmsOperation>> = {
  CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion,
  TagResource, UntagResource, ListResourceTags,
  CreateAlias, UpdateAlias, DeleteAlias, ListAliases,
  Encrypt, Decrypt, ReEncrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateRandom,
  PutKeyPolicy, GetKeyPolicy, ListKeyPolicies,
  CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant,
  EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations,
};

export const KMS_OPERATIONS: ReadonlyMap<string, KmsOperation> = new Map(Object.entries(TABLE) as Array<[string, KmsOperation]>);
