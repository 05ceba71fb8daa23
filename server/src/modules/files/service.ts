// Uploads: size-limited, typed by content, stored behind the FileStore, fetched by signed links
// that expire, so a link pasted into a chat cannot be used forever.
import { createHash, createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FileInfo } from '@frontline/protocol';
import { AppError } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import { safeEqual } from '../auth/secrets.js';
import type { Principal } from '../auth/principal.js';
import { detectContentType } from './content-type.js';
import type { FileRepo, FileRow } from './repo.js';
import type { FileStore } from './store.js';

const LINK_LIFETIME_MS = 3600_000;

export interface Upload {
  bytes: Buffer;
  filename: string;
  declaredMime: string;
}

/** What a message keeps about each attached file. */
export interface StoredAttachment {
  fileId: string;
  name: string;
  mime: string;
  size: number;
}

export class FileService {
  constructor(
    private readonly repo: FileRepo,
    private readonly store: FileStore,
    private readonly signingKey: string,
  ) {}

  async upload(principal: Principal, upload: Upload): Promise<FileInfo> {
    const [stored] = await this.uploadAll(principal, [upload]);
    return stored as FileInfo;
  }

  /** Several files at once: every one is checked (empty, type against content) before any is stored. */
  async uploadAll(principal: Principal, uploads: Upload[]): Promise<FileInfo[]> {
    const typed = await this.checkAll(uploads);
    const stored = [];
    for (const upload of typed) stored.push(await this.storeChecked(principal, upload));
    return stored;
  }

  /** The checks of an upload without storing it (the bot simulator shows what would be sent). */
  async checkAll(uploads: Upload[]): Promise<(Upload & { mime: string })[]> {
    const typed = [];
    for (const upload of uploads) {
      if (upload.bytes.length === 0)
        throw new AppError('validation_failed', `The file ${upload.filename} is empty`, 'file');
      typed.push({ ...upload, mime: await detectContentType(upload.bytes, upload.declaredMime) });
    }
    return typed;
  }

  private async storeChecked(principal: Principal, upload: Upload & { mime: string }): Promise<FileInfo> {
    const mime = upload.mime;
    const id = newId();
    const row: FileRow = {
      id,
      workspace_id: principal.workspaceId,
      storage_key: `${principal.workspaceId}/${id}`,
      name: cleanFileName(upload.filename),
      mime,
      size: upload.bytes.length,
      sha256: createHash('sha256').update(upload.bytes).digest('hex'),
      uploader_type: principal.kind,
      uploader_id: uploaderId(principal),
      created_at: Date.now(),
    };
    // Bytes first: a record never points at missing bytes; orphaned bytes are harmless.
    await this.store.put(row.storage_key, upload.bytes);
    await this.repo.insert(row);
    return this.toFileInfo(row);
  }

  /** Which of these ids are files of the workspace (a bot flow checks the files it sends). */
  async existing(workspaceId: string, fileIds: readonly string[]): Promise<string[]> {
    if (fileIds.length === 0) return [];
    return (await this.repo.findByIds(workspaceId, [...new Set(fileIds)])).map((row) => row.id);
  }

  /**
   * The files a sender attaches to a message: they must exist in the sender's workspace, and a
   * visitor may attach only what they uploaded themselves.
   */
  async attachmentsFor(principal: Principal, fileIds: string[]): Promise<StoredAttachment[]> {
    const unique = [...new Set(fileIds)];
    const rows = await this.repo.findByIds(principal.workspaceId, unique);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return unique.map((id) => {
      const row = byId.get(id);
      const ownedByVisitor =
        principal.kind !== 'visitor' ||
        (row?.uploader_type === 'visitor' && row.uploader_id === principal.contactId);
      if (!row || !ownedByVisitor)
        throw new AppError('validation_failed', `File ${id} does not exist; upload it first`, 'fileIds');
      return { fileId: row.id, name: row.name, mime: row.mime, size: row.size };
    });
  }

  signedUrl(fileId: string, name: string, now = Date.now()): string {
    // Round the expiry up to the hour so the same file has the same URL for a while (browser cache).
    const expires = Math.ceil((now + LINK_LIFETIME_MS) / LINK_LIFETIME_MS) * LINK_LIFETIME_MS;
    return `/files/${fileId}/${encodeURIComponent(name)}?exp=${expires}&sig=${this.sign(fileId, expires)}`;
  }

  async openSigned(
    fileId: string,
    expires: number,
    signature: string,
  ): Promise<{ row: FileRow; body: Readable }> {
    if (!safeEqual(signature, this.sign(fileId, expires)))
      throw new AppError('forbidden', 'This file link is not valid');
    if (expires < Date.now())
      throw new AppError('forbidden', 'This file link has expired; reload the conversation for a fresh one');
    const row = await this.repo.findByIdAnyWorkspace(fileId);
    if (!row) throw new AppError('not_found', 'File not found');
    return { row, body: this.store.read(row.storage_key) };
  }

  /** Erasure and retention: the records go first, then the bytes (a leftover byte file is harmless). */
  async deleteFiles(workspaceId: string, ids: string[]): Promise<number> {
    const rows = await this.repo.findByIds(workspaceId, [...new Set(ids)]);
    await this.repo.deleteByIds(
      workspaceId,
      rows.map((r) => r.id),
    );
    for (const row of rows) await this.store.remove(row.storage_key);
    return rows.length;
  }

  toFileInfo(row: FileRow): FileInfo {
    return {
      id: row.id,
      name: row.name,
      mime: row.mime,
      size: row.size,
      url: this.signedUrl(row.id, row.name),
      createdAt: row.created_at,
    };
  }

  private sign(fileId: string, expires: number): string {
    return createHmac('sha256', this.signingKey).update(`file:${fileId}:${expires}`).digest('base64url');
  }
}

function uploaderId(principal: Principal): string {
  switch (principal.kind) {
    case 'operator':
      return principal.userId;
    case 'api':
      return principal.tokenId;
    case 'visitor':
      return principal.contactId;
  }
}

/** Keeps a readable name but drops paths and control characters a browser or OS could trip on. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"]/g, '')
    .trim()
    .slice(0, 200);
  return cleaned || 'file';
}
