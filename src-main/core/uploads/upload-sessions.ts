import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GraftError } from '../../api/errors';
import type { UploadFileResult, UploadFinished, UploadPlan, UploadStartParams, UploadStored } from '../../api/types/photo-upload';
import { removeStored, storePhoto, type StoredPhoto } from './photo-store';
import { decodeUpload, byteSize } from './upload-bytes';
import { checkUploadFiles, DEFAULT_UPLOAD_LIMITS, type UploadLimits } from './upload-paths';

/** An upload nobody sent to for this long is forgotten (its files stay, as after a closed page). */
const IDLE_MS = 30 * 60 * 1000;
/** Uploads open at once (one per open page is the normal case). */
const MAX_OPEN = 8;
/** Room kept free on the disk beyond the upload itself. */
const FREE_MARGIN_BYTES = 256 * 1024 * 1024;

interface PendingFile {
  parts: string[];
  size: number;
  stored: StoredPhoto | null;
}

interface Session {
  /** The photos folder this upload writes to; a later project switch does not redirect it. */
  folder: string;
  files: Map<number, PendingFile>;
  lastUsed: number;
}

/** What an upload registry needs from its host; tests shrink the limits and inject free space and time. */
export interface UploadSessionOptions {
  limits?: UploadLimits;
  /** Free bytes on the disk holding `dir`, null when unknown. */
  freeBytes?: (dir: string) => Promise<number | null>;
  now?: () => number;
}

async function statfsFree(dir: string): Promise<number | null> {
  try {
    const info = await fs.promises.statfs(dir);
    return info.bavail * info.bsize;
  } catch {
    return null;
  }
}

/** The nearest folder of `dir` that exists (the photos folder is made on the first write). */
function existingAncestor(dir: string): string {
  let current = dir;
  for (;;) {
    if (fs.existsSync(current)) return current;
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

/**
 * Photos sent from a browser page into a project's photos folder, in three steps: a plan
 * (which files the server takes, checked against the limits and the free disk space), each
 * file's bytes, then finish (the folder to import) or cancel (what this upload wrote is
 * removed again). Plain data in and out; every failure is a GraftError the page can show.
 */
export class UploadSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly limits: UploadLimits;
  private readonly freeBytes: (dir: string) => Promise<number | null>;
  private readonly now: () => number;

  constructor(options: UploadSessionOptions = {}) {
    this.limits = options.limits ?? DEFAULT_UPLOAD_LIMITS;
    this.freeBytes = options.freeBytes ?? statfsFree;
    this.now = options.now ?? Date.now;
  }

  /** Checks an upload's files and opens it, or refuses it whole when it is over the limits or the disk is too full. */
  async start(folder: string, params: UploadStartParams): Promise<UploadPlan> {
    this.forgetIdle();
    if (this.sessions.size >= MAX_OPEN) throw new GraftError('bad-request', 'Too many uploads are open at once; finish or cancel one first.');
    const { limits } = this;
    if (params.files.length > limits.files) {
      throw new GraftError('bad-request', `That is ${params.files.length} files; one upload takes at most ${limits.files}. Send fewer folders at a time, or copy them to the server and import the folder by path.`);
    }
    const checked = checkUploadFiles(params.files, params.allowSvg === true, limits);
    if (checked.bytes > limits.totalBytes) {
      throw new GraftError('bad-request', `These photos hold ${byteSize(checked.bytes)}, over the ${byteSize(limits.totalBytes)} one upload may hold. Send fewer folders at a time, or copy them to the server and import the folder by path.`);
    }
    const free = await this.freeBytes(existingAncestor(folder));
    if (free !== null && checked.bytes + FREE_MARGIN_BYTES > free) {
      throw new GraftError('io', `The server's disk has ${byteSize(free)} free; these photos need ${byteSize(checked.bytes)} and some room to spare.`);
    }
    const uploadId = randomUUID();
    const files = new Map(checked.accepted.map((file) => [file.index, { parts: file.parts, size: file.size, stored: null } as PendingFile]));
    this.sessions.set(uploadId, { folder, files, lastUsed: this.now() });
    return { uploadId, accepted: checked.accepted.map((file) => file.index), refused: checked.refused, bytes: checked.bytes, folder, limits: { ...limits } };
  }

  /** Writes one accepted file's bytes into the photos folder (never over another file). */
  async file(uploadId: string, index: number, base64: string): Promise<UploadFileResult> {
    const session = this.session(uploadId);
    const file = session.files.get(index);
    if (!file) throw new GraftError('bad-request', `File ${index} is not one this upload accepted.`);
    const name = file.parts.join('/');
    if (file.stored) return { path: file.stored.path, stored: file.stored.stored };
    const bytes = decodeUpload(name, base64, this.limits.fileBytes);
    if (bytes.length !== file.size) {
      throw new GraftError('bad-request', `${name} changed while it was being sent (${file.size} bytes announced, ${bytes.length} received); send it again.`);
    }
    file.stored = await storePhoto(session.folder, file.parts, bytes);
    session.lastUsed = this.now();
    return { path: file.stored.path, stored: file.stored.stored };
  }

  /** Closes an upload and says which folder to import and how its files were kept. */
  finish(uploadId: string): UploadFinished {
    const session = this.session(uploadId);
    this.sessions.delete(uploadId);
    const stored: Record<UploadStored, number> = { new: 0, renamed: 0, identical: 0 };
    for (const file of session.files.values()) if (file.stored) stored[file.stored.stored]++;
    return { folder: session.folder, stored };
  }

  /** Closes an upload and removes what it wrote (files that were already there stay). */
  async cancel(uploadId: string): Promise<{ removed: number }> {
    const session = this.session(uploadId);
    this.sessions.delete(uploadId);
    const written = [...session.files.values()].flatMap((file) => (file.stored ? [file.stored] : []));
    return { removed: await removeStored(written) };
  }

  private session(uploadId: string): Session {
    this.forgetIdle();
    const session = this.sessions.get(uploadId);
    if (!session) throw new GraftError('not-found', 'This upload is over (finished, cancelled, or idle for 30 minutes); drop the photos again.');
    return session;
  }

  private forgetIdle(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (now - session.lastUsed > IDLE_MS) this.sessions.delete(id);
  }
}
