import { createHash, randomBytes } from 'node:crypto';

/** Files are kept 48 hours, as Google's Files API keeps them. */
const RETENTION_MS = 48 * 60 * 60 * 1000;

/** A file held by the fake Files API. */
export interface StoredFile {
  /** `files/<id>`. */
  name: string;
  account: number;
  displayName: string;
  mimeType: string;
  bytes: Buffer;
  /** `UPLOADED` by a client, or `GENERATED` by the API (a batch's responses). */
  source: 'UPLOADED' | 'GENERATED';
  createTime: string;
  expirationTime: string;
}

/** An upload in progress (the resumable protocol's session). */
export interface UploadSession {
  id: string;
  account: number;
  displayName: string;
  mimeType: string;
  declaredSize: number;
  chunks: Buffer[];
  received: number;
  /** Set once finalized; a repeated finalize answers it again. */
  file?: StoredFile;
  cancelled: boolean;
}

/** What appending a chunk came to. */
export type ChunkOutcome =
  { ok: true; session: UploadSession } | { ok: false; status: 400 | 404; message: string };

/** Holds uploads in progress and stored files; knows nothing of HTTP. */
export class FileStore {
  private readonly sessions = new Map<string, UploadSession>();
  private readonly stored = new Map<string, StoredFile>();

  /** Opens an upload session; the bytes come in chunks at its upload URL. */
  startUpload(
    account: number,
    meta: { displayName: string; mimeType: string; size: number },
  ): UploadSession {
    const session: UploadSession = {
      id: randomBytes(12).toString('base64url'),
      account,
      displayName: meta.displayName,
      mimeType: meta.mimeType,
      declaredSize: meta.size,
      chunks: [],
      received: 0,
      cancelled: false,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session of an upload id, if any. */
  session(id: string): UploadSession | undefined {
    return this.sessions.get(id);
  }

  /** Appends `bytes` at `offset`; with `finalize`, checks the size and stores the file. */
  append(id: string, offset: number, bytes: Buffer, finalize: boolean): ChunkOutcome {
    const session = this.sessions.get(id);
    if (!session || session.cancelled)
      return { ok: false, status: 404, message: 'Upload not found.' };
    if (session.file) return { ok: true, session };
    if (offset !== session.received) {
      return {
        ok: false,
        status: 400,
        message: `Upload offset ${offset} does not match the ${session.received} bytes received.`,
      };
    }
    session.chunks.push(bytes);
    session.received += bytes.length;
    if (!finalize) return { ok: true, session };
    if (session.received !== session.declaredSize) {
      return {
        ok: false,
        status: 400,
        message: `Upload has ${session.received} bytes, ${session.declaredSize} were declared.`,
      };
    }
    session.file = this.store(session.account, {
      displayName: session.displayName,
      mimeType: session.mimeType,
      bytes: Buffer.concat(session.chunks),
      source: 'UPLOADED',
    });
    session.chunks = [];
    return { ok: true, session };
  }

  /** Stores bytes as a new file and returns it. */
  store(
    account: number,
    f: { displayName: string; mimeType: string; bytes: Buffer; source: StoredFile['source'] },
  ): StoredFile {
    const now = Date.now();
    const file: StoredFile = {
      ...f,
      name: `files/${randomBytes(8).toString('hex')}`,
      account,
      createTime: new Date(now).toISOString(),
      expirationTime: new Date(now + RETENTION_MS).toISOString(),
    };
    this.stored.set(file.name, file);
    return file;
  }

  /** The file named `files/<id>`, if it exists. */
  get(name: string): StoredFile | undefined {
    return this.stored.get(name);
  }

  /** Removes a file; false when there was none. */
  delete(name: string): boolean {
    return this.stored.delete(name);
  }

  /** Every stored file, in creation order. */
  list(): StoredFile[] {
    return [...this.stored.values()];
  }
}

/** The File resource as the API describes it. */
export function fileResource(file: StoredFile, origin: string): Record<string, unknown> {
  const id = file.name.slice('files/'.length);
  const resource: Record<string, unknown> = {
    name: file.name,
    displayName: file.displayName,
    mimeType: file.mimeType,
    sizeBytes: String(file.bytes.length),
    createTime: file.createTime,
    updateTime: file.createTime,
    expirationTime: file.expirationTime,
    sha256Hash: createHash('sha256').update(file.bytes).digest('base64'),
    uri: `${origin}/v1beta/${file.name}`,
    state: 'ACTIVE',
    source: file.source,
  };
  if (file.source === 'GENERATED') {
    resource.downloadUri = `${origin}/download/v1beta/files/${id}:download?alt=media`;
  }
  return resource;
}
