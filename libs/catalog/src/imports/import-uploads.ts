import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, In, LessThan } from 'typeorm';
import { AuthUser } from '@stackgate/platform';
import { CatalogError, CatalogErrorCode } from '../catalog.errors';
import { ImportUpload } from './import-upload.entity';
import type { UploadedSheet } from './imports.service';

/** How long a checked file is kept for its commit or its error rows. */
export const KEPT_UPLOAD_MINUTES = 30;
/** Checked files kept per user: checking a fourth drops the oldest. */
export const KEPT_UPLOADS_PER_USER = 3;
/** Checked files kept in all, and their bytes together: the oldest go first. */
export const KEPT_UPLOADS_TOTAL = 100;
export const KEPT_UPLOADS_TOTAL_BYTES = 500 * 1024 * 1024;

/** 32 random bytes, base64url: what the page carries instead of the file. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export const UPLOAD_GONE_MESSAGE =
  `The checked file is no longer kept (files are kept ${KEPT_UPLOAD_MINUTES} minutes, ` +
  'for the user who checked them and for what they were checked as): choose the file and check it again.';

/** A kept file and the column layout (preset) it was checked with. */
export interface KeptUpload {
  file: UploadedSheet;
  preset?: string;
}

/**
 * Files the web import page checked, kept server-side for a short while under a random token bound
 * to the user who checked them and to the kind they were checked as, so that committing them or
 * downloading their error rows does not need the file again. The preset the check read the file with
 * is kept with it (not carried by the page), so the commit imports the file as the check showed it. Bounded in time (expired ones are
 * purged whenever a file is kept), per user and in all (count and bytes; the oldest go first).
 * Only the token's SHA-256 is stored; a token that is unknown, expired, another user's, tampered
 * with or used for another kind gets the same answer (404 IMPORT_UPLOAD_GONE).
 */
@Injectable()
export class ImportUploads {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async keep(actor: AuthUser, kind: string, file: UploadedSheet, preset?: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const repo = this.dataSource.getRepository(ImportUpload);
    await repo.delete({ expiresAt: LessThan(now) });
    await repo.insert({
      tokenHash: hashOf(token),
      userId: actor.id,
      kind,
      preset: preset ?? null,
      fileName: (file.originalname ?? 'upload').slice(0, 255),
      mimeType: (file.mimetype ?? '').slice(0, 100),
      sizeBytes: file.buffer.length,
      content: file.buffer,
      createdAt: now,
      expiresAt: new Date(now.getTime() + KEPT_UPLOAD_MINUTES * 60_000),
    });
    await this.trim(actor.id);
    return token;
  }

  /** The file behind `token` and the preset it was checked with, if `actor` checked it as `kind` and it has not expired. */
  async file(actor: AuthUser, kind: string, token: unknown): Promise<KeptUpload> {
    const kept = typeof token === 'string' && TOKEN.test(token) ? await this.find(actor, kind, token) : null;
    if (!kept) throw new CatalogError(CatalogErrorCode.IMPORT_UPLOAD_GONE, UPLOAD_GONE_MESSAGE);
    const file = { buffer: Buffer.from(kept.content), originalname: kept.fileName, mimetype: kept.mimeType, size: kept.sizeBytes };
    return kept.preset === null ? { file } : { file, preset: kept.preset };
  }

  /** Forgets a file once it is imported. */
  async drop(token: string): Promise<void> {
    if (TOKEN.test(token)) await this.dataSource.getRepository(ImportUpload).delete({ tokenHash: hashOf(token) });
  }

  private async find(actor: AuthUser, kind: string, token: string): Promise<ImportUpload | null> {
    const kept = await this.dataSource.getRepository(ImportUpload).findOneBy({ tokenHash: hashOf(token) });
    if (!kept || kept.userId !== actor.id || kept.kind !== kind || kept.expiresAt.getTime() <= Date.now()) return null;
    return kept;
  }

  /** Drops the user's oldest files beyond KEPT_UPLOADS_PER_USER, then everyone's oldest beyond the totals. */
  private async trim(userId: string): Promise<void> {
    const repo = this.dataSource.getRepository(ImportUpload);
    const select = { tokenHash: true, sizeBytes: true, userId: true } as const;
    const all = await repo.find({ select, order: { createdAt: 'DESC', tokenHash: 'ASC' } });
    const dropped: string[] = [];
    let ofUser = 0;
    let count = 0;
    let bytes = 0;
    for (const kept of all) {
      if (kept.userId === userId && ++ofUser > KEPT_UPLOADS_PER_USER) {
        dropped.push(kept.tokenHash);
        continue;
      }
      count++;
      bytes += kept.sizeBytes;
      if (count > KEPT_UPLOADS_TOTAL || bytes > KEPT_UPLOADS_TOTAL_BYTES) dropped.push(kept.tokenHash);
    }
    if (dropped.length) await repo.delete({ tokenHash: In(dropped) });
  }
}
