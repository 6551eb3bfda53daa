import type Database from 'better-sqlite3';
import type {
  DataPiece, DeleteObjectResult, ListObjectsQuery, ListVersionsQuery, NewObjectVersion, ObjectPart,
  ObjectVersion, PutObjectResult, VersioningStatus, WriteCondition,
} from '../types.js';
import { StoreConflict } from '../types.js';
import { prefixSuccessor } from '../key-order.js';
import { OBJECT_LIST_COLUMNS, objectFromRow, partFromRow, pieceJson, type ObjectRow, type PartRow } from './rows.js';

/** Object-version statements. Every mutating method runs inside the caller's transaction. */
export class ObjectStatements {
  private readonly s;

  constructor(db: Database.Database, private readonly newVersionId: () => string) {
    this.s = {
      latest: db.prepare(`SELECT * FROM objects WHERE bucket = ? AND key = ? AND is_latest = 1`),
      version: db.prepare(`SELECT * FROM objects WHERE bucket = ? AND key = ? AND version_id = ?`),
      parts: db.prepare(`SELECT part_number, size, etag, checksum, piece FROM object_parts WHERE object_id = ? ORDER BY part_number`),
      clearLatest: db.prepare(`UPDATE objects SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1`),
      deleteRow: db.prepare(`DELETE FROM objects WHERE id = ?`),
      deleteParts: db.prepare(`DELETE FROM object_parts WHERE object_id = ?`),
      newest: db.prepare(`SELECT id FROM objects WHERE bucket = ? AND key = ? ORDER BY id DESC LIMIT 1`),
      setLatest: db.prepare(`UPDATE objects SET is_latest = 1 WHERE id = ?`),
      insert: db.prepare(
        `INSERT INTO objects (bucket, key, version_id, is_latest, is_delete_marker, size, etag, last_modified, owner_account_id,
           storage_class, headers, user_meta, tags, checksum, encryption, parts_count, data, inline_data)
         VALUES (@bucket, @key, @version_id, 1, @is_delete_marker, @size, @etag, @last_modified, @owner_account_id,
           @storage_class, @headers, @user_meta, @tags, @checksum, @encryption, @parts_count, @data, @inline_data)`,
      ),
      insertPart: db.prepare(
        `INSERT INTO object_parts (object_id, part_number, size, etag, checksum, piece) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      setTags: db.prepare(`UPDATE objects SET tags = ? WHERE id = ?`),
      list: listStatement(db, '>', false),
      listInclusive: listStatement(db, '>=', false),
      listBounded: listStatement(db, '>', true),
      listBoundedInclusive: listStatement(db, '>=', true),
      versions: db.prepare(
        `SELECT ${OBJECT_LIST_COLUMNS} FROM objects WHERE bucket = ? AND key >= ? AND key < ?
           AND (key > ? OR (key = ? AND id < ?)) ORDER BY key, id DESC LIMIT ?`,
      ),
      versionsUnbounded: db.prepare(
        `SELECT ${OBJECT_LIST_COLUMNS} FROM objects WHERE bucket = ? AND key >= ?
           AND (key > ? OR (key = ? AND id < ?)) ORDER BY key, id DESC LIMIT ?`,
      ),
    };
  }

  get(bucket: string, key: string, versionId?: string): ObjectVersion | undefined {
    const row = (versionId === undefined ? this.s.latest.get(bucket, key) : this.s.version.get(bucket, key, versionId)) as ObjectRow | undefined;
    if (!row) return undefined;
    return this.withData(row);
  }

  private withData(row: ObjectRow): ObjectVersion {
    if (row.parts_count != null && row.data == null && row.is_delete_marker === 0) {
      const parts = (this.s.parts.all(row.id) as PartRow[]).map(partFromRow);
      return objectFromRow(row, parts);
    }
    return objectFromRow(row);
  }

  private checkCondition(current: ObjectRow | undefined, condition?: WriteCondition): void {
    if (!condition) return;
    const live = current && current.is_delete_marker === 0 ? current : undefined;
    if (condition.kind === 'if-none-match' && live) throw new StoreConflict('precondition');
    if (condition.kind === 'if-match') {
      if (!live) throw new StoreConflict('not-found');
      if (live.etag !== condition.etag) throw new StoreConflict('precondition');
    }
  }

  /** Removes one version row with its parts, returning the pieces it held. */
  private removeRow(row: ObjectRow): DataPiece[] {
    const v = this.withData(row);
    this.s.deleteParts.run(row.id);
    this.s.deleteRow.run(row.id);
    if (!v.data) return [];
    return v.data.kind === 'single' ? [v.data.piece] : v.data.parts;
  }

  put(bucket: string, key: string, v: NewObjectVersion, versioning: VersioningStatus, condition?: WriteCondition): PutObjectResult {
    const current = this.s.latest.get(bucket, key) as ObjectRow | undefined;
    this.checkCondition(current, condition);
    const versionId = versioning === 'Enabled' ? this.newVersionId() : 'null';
    const released: DataPiece[] = [];
    if (versionId === 'null') {
      const nullRow = this.s.version.get(bucket, key, 'null') as ObjectRow | undefined;
      if (nullRow) released.push(...this.removeRow(nullRow));
    }
    this.s.clearLatest.run(bucket, key);
    const single = v.data?.kind === 'single' ? v.data.piece : undefined;
    const parts = v.data?.kind === 'parts' ? v.data.parts : undefined;
    const info = this.s.insert.run({
      bucket,
      key,
      version_id: versionId,
      is_delete_marker: v.isDeleteMarker ? 1 : 0,
      size: v.size,
      etag: v.etag,
      last_modified: v.lastModified.getTime(),
      owner_account_id: v.ownerAccountId,
      storage_class: v.storageClass,
      headers: JSON.stringify(v.headers),
      user_meta: JSON.stringify(v.userMetadata),
      tags: JSON.stringify(v.tags),
      checksum: v.checksum ? JSON.stringify(v.checksum) : null,
      encryption: v.encryption ? JSON.stringify(v.encryption) : null,
      parts_count: parts ? parts.length : (v.partsCount ?? null),
      data: single ? pieceJson(single) : null,
      inline_data: single?.inline ?? null,
    });
    const id = Number(info.lastInsertRowid);
    if (parts) for (const p of parts) this.insertPart(id, p);
    return { version: { ...v, bucket, key, versionId, seq: id, isLatest: true }, released };
  }

  private insertPart(objectId: number, p: ObjectPart): void {
    this.s.insertPart.run(objectId, p.partNumber, p.size, p.etag, p.checksum ? JSON.stringify(p.checksum) : null, pieceJson(p));
  }

  delete(bucket: string, key: string, versioning: VersioningStatus, versionId: string | undefined, now: Date, ownerAccountId: string): DeleteObjectResult {
    if (versionId !== undefined) {
      const row = this.s.version.get(bucket, key, versionId) as ObjectRow | undefined;
      if (!row) return { versionId, deleteMarker: false, released: [] };
      const released = this.removeRow(row);
      if (row.is_latest === 1) {
        const next = this.s.newest.get(bucket, key) as { id: number } | undefined;
        if (next) this.s.setLatest.run(next.id);
      }
      return { versionId, deleteMarker: row.is_delete_marker === 1, released };
    }
    if (versioning === 'Unversioned') {
      const row = this.s.version.get(bucket, key, 'null') as ObjectRow | undefined;
      return { deleteMarker: false, released: row ? this.removeRow(row) : [] };
    }
    const r = this.put(bucket, key, {
      isDeleteMarker: true, size: 0, etag: '', lastModified: now, ownerAccountId, storageClass: 'STANDARD',
      headers: {}, userMetadata: {}, tags: [],
    }, versioning);
    return { versionId: r.version.versionId, deleteMarker: true, released: r.released };
  }

  setTags(bucket: string, key: string, versionId: string | undefined, tags: Array<[string, string]>): string {
    const row = (versionId === undefined ? this.s.latest.get(bucket, key) : this.s.version.get(bucket, key, versionId)) as ObjectRow | undefined;
    if (!row || row.is_delete_marker === 1) throw new StoreConflict('not-found');
    this.s.setTags.run(JSON.stringify(tags), row.id);
    return row.version_id;
  }

  list(bucket: string, q: ListObjectsQuery): ObjectVersion[] {
    const upper = prefixSuccessor(q.prefix);
    const rows = (upper === undefined
      ? (q.inclusive ? this.s.listInclusive : this.s.list).all(bucket, q.start, q.prefix, q.limit)
      : (q.inclusive ? this.s.listBoundedInclusive : this.s.listBounded).all(bucket, q.start, q.prefix, upper, q.limit)) as ObjectRow[];
    return rows.map((r) => objectFromRow(r));
  }

  listVersions(bucket: string, q: ListVersionsQuery): ObjectVersion[] {
    let seq = -1;
    if (q.startInclusive !== undefined) {
      // key >= start is (key > start-marker) OR (key = start AND any version)
      return this.listVersionsFrom(bucket, q);
    }
    if (q.keyMarker && q.versionIdMarker) {
      const m = this.s.version.get(bucket, q.keyMarker, q.versionIdMarker) as ObjectRow | undefined;
      if (m) seq = m.id;
    }
    const upper = prefixSuccessor(q.prefix);
    const rows = (upper === undefined
      ? this.s.versionsUnbounded.all(bucket, q.prefix, q.keyMarker, q.keyMarker, seq, q.limit)
      : this.s.versions.all(bucket, q.prefix, upper, q.keyMarker, q.keyMarker, seq, q.limit)) as ObjectRow[];
    return rows.map((r) => objectFromRow(r));
  }

  private listVersionsFrom(bucket: string, q: ListVersionsQuery): ObjectVersion[] {
    const upper = prefixSuccessor(q.prefix);
    const start = q.startInclusive!;
    const rows = (upper === undefined
      ? this.s.versionsUnbounded.all(bucket, q.prefix, start, start, Number.MAX_SAFE_INTEGER, q.limit)
      : this.s.versions.all(bucket, q.prefix, upper, start, start, Number.MAX_SAFE_INTEGER, q.limit)) as ObjectRow[];
    return rows.map((r) => objectFromRow(r));
  }

  /** Used by multipart completion, inside its transaction. */
  insertVersion(bucket: string, key: string, v: NewObjectVersion, versioning: VersioningStatus, condition?: WriteCondition): PutObjectResult {
    return this.put(bucket, key, v, versioning, condition);
  }
}

function listStatement(db: Database.Database, op: '>' | '>=', bounded: boolean) {
  return db.prepare(
    `SELECT ${OBJECT_LIST_COLUMNS} FROM objects WHERE bucket = ? AND is_latest = 1 AND key ${op} ? AND key >= ?
       ${bounded ? 'AND key < ?' : ''} AND is_delete_marker = 0 ORDER BY key LIMIT ?`,
  );
}
