import type { IncomingHttpHeaders } from 'node:http';
import { authenticate, isAccount } from './auth.js';
import { fileResource } from './file-store.js';
import type { StoredFile } from './file-store.js';
import { defaultMessage, googleError } from './google-error.js';
import { payloadTooLarge } from './generate-route.js';
import { field, isRecord, parseJsonBody } from './proto-json.js';
import { jsonReply } from '@pixlock/fake-http-kit';
import { htmlReply } from './reply.js';
import type { Reply } from '@pixlock/fake-http-kit';
import type { ServerContext } from './server-context.js';

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * POST /upload/v1beta/files, `X-Goog-Upload-Command: start`: opens a resumable upload and
 * answers its URL in `x-goog-upload-url` (on the fake's own origin).
 */
export function startUpload(
  ctx: ServerContext,
  key: string | undefined,
  h: IncomingHttpHeaders,
  raw: Buffer | undefined,
): Reply {
  const o = ctx.options();
  const who = authenticate(key, o);
  if (!isAccount(who)) return who;
  if (
    header(h, 'x-goog-upload-protocol') !== 'resumable' ||
    header(h, 'x-goog-upload-command') !== 'start'
  ) {
    return googleError(
      400,
      'Only the resumable upload protocol is supported: start with X-Goog-Upload-Command: start.',
    );
  }
  const size = Number(header(h, 'x-goog-upload-header-content-length'));
  if (!Number.isInteger(size) || size < 0) {
    return googleError(400, 'X-Goog-Upload-Header-Content-Length is required.');
  }
  if (size > o.maxFileBytes) return payloadTooLarge(o.maxFileBytes);
  const body = parseJsonBody(raw);
  if (!body.ok) return body.reply;
  const file = isRecord(body.value) ? field(body.value, 'file') : undefined;
  const meta = isRecord(file) ? file : {};
  const mimeType =
    header(h, 'x-goog-upload-header-content-type') ?? String(field(meta, 'mimeType') ?? '');
  if (!mimeType) return googleError(400, 'The file needs a mime type.');
  const displayName = String(
    field(meta, 'displayName') ?? header(h, 'x-goog-upload-file-name') ?? '',
  );
  const session = ctx.files.startUpload(who.account, { displayName, mimeType, size });
  return {
    status: 200,
    headers: {
      'x-goog-upload-url': `${ctx.origin()}/upload/v1beta/files?upload_id=${session.id}&upload_protocol=resumable`,
      'x-goog-upload-status': 'active',
      'x-goog-upload-chunk-granularity': String(256 * 1024),
    },
  };
}

/**
 * POST to an upload URL: `upload`, `upload, finalize`, `finalize`, `query` or `cancel`. The
 * upload id is the credential, as with Google's; `X-Goog-Upload-Offset` must equal the bytes
 * received so far. A repeated finalize answers the same file again.
 */
export function uploadChunk(
  ctx: ServerContext,
  uploadId: string,
  h: IncomingHttpHeaders,
  raw: Buffer | undefined,
): Reply {
  const commands = (header(h, 'x-goog-upload-command') ?? '').split(',').map((c) => c.trim());
  const session = ctx.files.session(uploadId);
  if (!session) return googleError(404, 'Upload not found.');
  const status = (s: string, extra: Record<string, string> = {}) => ({
    'x-goog-upload-status': s,
    ...extra,
  });
  if (commands.includes('query')) {
    const state = session.file ? 'final' : session.cancelled ? 'cancelled' : 'active';
    return {
      status: 200,
      headers: status(state, { 'x-goog-upload-size-received': String(session.received) }),
    };
  }
  if (commands.includes('cancel')) {
    session.cancelled = true;
    return { status: 200, headers: status('cancelled') };
  }
  if (raw === undefined) return payloadTooLarge(ctx.options().maxFileBytes);
  const finalize = commands.includes('finalize');
  if (!finalize && !commands.includes('upload')) {
    return googleError(400, 'X-Goog-Upload-Command must be upload, finalize, query or cancel.');
  }
  const offset = Number(header(h, 'x-goog-upload-offset') ?? session.received);
  const bytes = commands.includes('upload') ? raw : Buffer.alloc(0);
  const wasFinal = session.file !== undefined;
  const outcome = ctx.files.append(uploadId, offset, bytes, finalize);
  if (!outcome.ok) return googleError(outcome.status, outcome.message);
  const { file } = outcome.session;
  if (!file) return { status: 200, headers: status('active') };
  if (!wasFinal) ctx.stats.uploads += 1;
  return jsonReply(200, { file: fileResource(file, ctx.origin()) }, status('final'));
}

/** The caller's own file, or Google's 403 (which does not tell "not yours" from "not there"). */
function ownFile(ctx: ServerContext, key: string | undefined, id: string): StoredFile | Reply {
  const who = authenticate(key, ctx.options());
  if (!isAccount(who)) return who;
  const file = ctx.files.get(`files/${id}`);
  if (!file || file.account !== who.account) {
    return googleError(
      403,
      `You do not have permission to access the File ${id} or it may not exist.`,
    );
  }
  return file;
}

const isReply = (v: StoredFile | Reply): v is Reply => 'status' in v;

/** GET /v1beta/files/{id}. */
export function getFile(ctx: ServerContext, key: string | undefined, id: string): Reply {
  const file = ownFile(ctx, key, id);
  return isReply(file) ? file : jsonReply(200, fileResource(file, ctx.origin()));
}

/** DELETE /v1beta/files/{id}. */
export function deleteFile(ctx: ServerContext, key: string | undefined, id: string): Reply {
  const file = ownFile(ctx, key, id);
  if (isReply(file)) return file;
  ctx.files.delete(file.name);
  return jsonReply(200, {});
}

/**
 * GET …/files/{id}:download?alt=media (under /v1beta or /download/v1beta). Only files the API
 * generated can be downloaded, as Google's docs say of uploads; faults apply per request.
 */
export function downloadFile(
  ctx: ServerContext,
  key: string | undefined,
  id: string,
  url: URL,
): Reply {
  const file = ownFile(ctx, key, id);
  if (isReply(file)) return file;
  if (url.searchParams.get('alt') !== 'media')
    return googleError(400, 'Downloads need ?alt=media.');
  if (file.source !== 'GENERATED')
    return googleError(400, 'Only files generated by the API can be downloaded.');
  const fault = ctx.decider.downloadFault(ctx.options());
  if (fault === '500') return { ...googleError(500, defaultMessage(500)), fault: true };
  if (fault === 'reset') return { status: 0, kind: 'drop', fault: true };
  if (fault === 'html') return htmlReply(502);
  const reply: Reply = { status: 200, bytes: file.bytes, contentType: file.mimeType };
  return fault === 'truncate' ? { ...reply, kind: 'truncate', fault: true } : reply;
}
