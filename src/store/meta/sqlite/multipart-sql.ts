import type Database from 'better-sqlite3';
import type {
  DataPiece, ListUploadsQuery, MultipartUpload, NewObjectVersion, ObjectPart, PutObjectResult, UploadPart,
  VersioningStatus, WriteCondition,
} from '../types.js';
import { StoreConflict } from '../types.js';
import { prefixSuccessor } from '../key-order.js';
import type { ObjectStatements } from './objects-sql.js';
import { partFromRow, pieceJson, uploadFromRow, type PartRow, type UploadRow } from './rows.js';

/** Multipart-upload statements; mutating methods run inside the caller's transaction. */
export class MultipartStatements {
  private readonly s;

  constructor(db: Database.Database, private readonly objects: ObjectStatements) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO uploads (upload_id, bucket, key, initiated, owner_account_id, initiator_arn, storage_class, headers,
           user_meta, tags, checksum_algorithm, checksum_type, encryption)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare(`SELECT * FROM uploads WHERE upload_id = ?`),
      part: db.prepare(`SELECT * FROM upload_parts WHERE upload_id = ? AND part_number = ?`),
      upsertPart: db.prepare(
        `INSERT INTO upload_parts (upload_id, part_number, size, etag, checksum, piece, last_modified) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag,
           checksum = excluded.checksum, piece = excluded.piece, last_modified = excluded.last_modified`,
      ),
      parts: db.prepare(`SELECT * FROM upload_parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?`),
      allParts: db.prepare(`SELECT * FROM upload_parts WHERE upload_id = ?`),
      deleteUpload: db.prepare(`DELETE FROM uploads WHERE upload_id = ?`),
      deleteParts: db.prepare(`DELETE FROM upload_parts WHERE upload_id = ?`),
      // Uploads of one key list in initiation order, so resuming compares (initiated, upload_id).
      list: db.prepare(
        `SELECT * FROM uploads WHERE bucket = ? AND key >= ?
           AND (key > ? OR (key = ? AND (initiated > ? OR (initiated = ? AND upload_id > ?))))
         ORDER BY key, initiated, upload_id LIMIT ?`,
      ),
      listBounded: db.prepare(
        `SELECT * FROM uploads WHERE bucket = ? AND key >= ? AND key < ?
           AND (key > ? OR (key = ? AND (initiated > ? OR (initiated = ? AND upload_id > ?))))
         ORDER BY key, initiated, upload_id LIMIT ?`,
      ),
    };
  }

  create(u: MultipartUpload): void {
    this.s.insert.run(u.uploadId, u.bucket, u.key, u.initiated.getTime(), u.ownerAccountId, u.initiatorArn, u.storageClass,
      JSON.stringify(u.headers), JSON.stringify(u.userMetadata), JSON.stringify(u.tags), u.checksumAlgorithm ?? null,
      u.checksumType ?? null, u.encryption ? JSON.stringify(u.encryption) : null);
  }

  get(uploadId: string): MultipartUpload | undefined {
    const r = this.s.get.get(uploadId) as UploadRow | undefined;
    return r && uploadFromRow(r);
  }

  putPart(uploadId: string, p: UploadPart): DataPiece | undefined {
    if (!this.s.get.get(uploadId)) throw new StoreConflict('no-such-upload');
    const old = this.s.part.get(uploadId, p.partNumber) as PartRow | undefined;
    this.s.upsertPart.run(uploadId, p.partNumber, p.size, p.etag, p.checksum ? JSON.stringify(p.checksum) : null, pieceJson(p),
      p.lastModified.getTime());
    return old ? partFromRow(old) : undefined;
  }

  listParts(uploadId: string, after: number, limit: number): UploadPart[] {
    return (this.s.parts.all(uploadId, after, limit) as PartRow[]).map(partFromRow);
  }

  list(bucket: string, q: ListUploadsQuery): MultipartUpload[] {
    const upper = prefixSuccessor(q.prefix);
    // (key, initiated, upload id) to resume after. Without an upload-id marker S3 resumes
    // after every upload of the key marker; a marker upload that is gone does the same.
    let key = q.keyMarker;
    let initiated = q.keyMarker ? Number.MAX_SAFE_INTEGER : -1;
    let uploadId = '';
    if (q.startInclusive !== undefined) {
      key = q.startInclusive;
      initiated = -1;
    } else if (q.keyMarker && q.uploadIdMarker) {
      const m = this.s.get.get(q.uploadIdMarker) as UploadRow | undefined;
      if (m && m.bucket === bucket && m.key === q.keyMarker) {
        initiated = m.initiated;
        uploadId = m.upload_id;
      }
    }
    const after = [key, key, initiated, initiated, uploadId];
    const rows = (upper === undefined
      ? this.s.list.all(bucket, q.prefix, ...after, q.limit)
      : this.s.listBounded.all(bucket, q.prefix, upper, ...after, q.limit)) as UploadRow[];
    return rows.map(uploadFromRow);
  }

  complete(uploadId: string, v: NewObjectVersion, parts: ObjectPart[], versioning: VersioningStatus, condition?: WriteCondition): PutObjectResult {
    const u = this.get(uploadId);
    if (!u) throw new StoreConflict('no-such-upload');
    const chosen = new Set(parts.map((p) => p.partNumber));
    const unused = (this.s.allParts.all(uploadId) as PartRow[]).map(partFromRow).filter((p) => !chosen.has(p.partNumber));
    const result = this.objects.insertVersion(u.bucket, u.key, { ...v, data: { kind: 'parts', parts } }, versioning, condition);
    this.s.deleteParts.run(uploadId);
    this.s.deleteUpload.run(uploadId);
    return { version: result.version, released: [...result.released, ...unused] };
  }

  abort(uploadId: string): DataPiece[] {
    if (!this.s.get.get(uploadId)) throw new StoreConflict('no-such-upload');
    const parts = (this.s.allParts.all(uploadId) as PartRow[]).map(partFromRow);
    this.s.deleteParts.run(uploadId);
    this.s.deleteUpload.run(uploadId);
    return parts;
  }
}
