import type { DataPiece, ObjectPart, ObjectVersion, MultipartUpload, UploadPart } from '../types.js';

/** Row <-> record mapping for the SQLite adapter. */

export interface ObjectRow {
  id: number;
  bucket: string;
  key: string;
  version_id: string;
  is_latest: number;
  is_delete_marker: number;
  size: number;
  etag: string;
  last_modified: number;
  owner_account_id: string;
  storage_class: string;
  headers: string;
  user_meta: string;
  tags: string;
  checksum: string | null;
  encryption: string | null;
  parts_count: number | null;
  data: string | null;
  inline_data: Buffer | null;
}

export const OBJECT_LIST_COLUMNS =
  'id, bucket, key, version_id, is_latest, is_delete_marker, size, etag, last_modified, owner_account_id, storage_class, headers, user_meta, tags, checksum, encryption, parts_count';

export function objectFromRow(r: ObjectRow, parts?: ObjectPart[]): ObjectVersion {
  const v: ObjectVersion = {
    bucket: r.bucket,
    key: r.key,
    versionId: r.version_id,
    seq: r.id,
    isLatest: r.is_latest === 1,
    isDeleteMarker: r.is_delete_marker === 1,
    size: r.size,
    etag: r.etag,
    lastModified: new Date(r.last_modified),
    ownerAccountId: r.owner_account_id,
    storageClass: r.storage_class,
    headers: JSON.parse(r.headers),
    userMetadata: JSON.parse(r.user_meta),
    tags: JSON.parse(r.tags),
  };
  if (r.checksum) v.checksum = JSON.parse(r.checksum);
  if (r.encryption) v.encryption = JSON.parse(r.encryption);
  if (r.parts_count != null) v.partsCount = r.parts_count;
  if (parts) v.data = { kind: 'parts', parts };
  else if (r.data) {
    const piece = JSON.parse(r.data) as DataPiece;
    if (r.inline_data) piece.inline = r.inline_data;
    v.data = { kind: 'single', piece };
  }
  return v;
}

/** A piece as stored in JSON: inline bytes live in their own BLOB column. */
export function pieceJson(p: DataPiece): string {
  return JSON.stringify({ size: p.size, storedSize: p.storedSize, blobId: p.blobId, seal: p.seal });
}

export interface PartRow {
  part_number: number;
  size: number;
  etag: string;
  checksum: string | null;
  piece: string;
  last_modified?: number;
}

export function partFromRow(r: PartRow): UploadPart {
  const piece = JSON.parse(r.piece) as DataPiece;
  const p: UploadPart = {
    ...piece,
    partNumber: r.part_number,
    etag: r.etag,
    lastModified: new Date(r.last_modified ?? 0),
  };
  if (r.checksum) p.checksum = JSON.parse(r.checksum);
  return p;
}

export interface UploadRow {
  upload_id: string;
  bucket: string;
  key: string;
  initiated: number;
  owner_account_id: string;
  initiator_arn: string;
  storage_class: string;
  headers: string;
  user_meta: string;
  tags: string;
  checksum_algorithm: string | null;
  checksum_type: string | null;
  encryption: string | null;
}

export function uploadFromRow(r: UploadRow): MultipartUpload {
  const u: MultipartUpload = {
    uploadId: r.upload_id,
    bucket: r.bucket,
    key: r.key,
    initiated: new Date(r.initiated),
    ownerAccountId: r.owner_account_id,
    initiatorArn: r.initiator_arn,
    storageClass: r.storage_class,
    headers: JSON.parse(r.headers),
    userMetadata: JSON.parse(r.user_meta),
    tags: JSON.parse(r.tags),
  };
  if (r.checksum_algorithm) u.checksumAlgorithm = r.checksum_algorithm as MultipartUpload['checksumAlgorithm'];
  if (r.checksum_type) u.checksumType = r.checksum_type as MultipartUpload['checksumType'];
  if (r.encryption) u.encryption = JSON.parse(r.encryption);
  return u;
}
