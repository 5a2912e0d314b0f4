import { PixlockError, isPixlockError } from '../../errors.js';
import type { GenerationRequest } from '../image-provider.js';
import type { BatchLookup } from './batch-lookup.js';
import { isBatchName, isFileName } from './batch-names.js';
import type { GeminiClient } from './gemini-client.js';
import { callGemini, unconfirmed } from './gemini-http.js';
import type { Member } from './gatherer.js';

/** One create waiting to join a batch job. */
export interface BatchItem {
  request: GenerationRequest;
  /** Its GenerateContentRequest, as JSON text. */
  body: string;
  /** Records the task's name in the lock before anything is sent (the engine's). */
  recordTask: (taskId: string) => Promise<void>;
}

/** The Batch guide: a batch whose inline create request stays under 20 MB may go inline. */
export const MAX_INLINE_BATCH_BYTES = 20 * 1024 * 1024 - 64 * 1024;

/** What submitting needs besides the members. */
export interface SubmitContext {
  client: GeminiClient;
  lookup: BatchLookup;
  model: string;
  displayName: string;
}

/**
 * Submits a gathered group as one batch job. Each member gets the task name
 * `<display name>#<key>` (keys 0, 1, …), recorded by the engine before anything is sent, so a
 * run killed from here on finds the job again by its display name rather than pay twice. A
 * single request goes inline (its one answer cannot be mistaken for another's); several go as
 * a JSONL file through the Files API, each line keyed, so every answer is matched to its
 * request by key, never by order (inline answers' order and `metadata` echo are reported
 * unreliable). Once created, members resolve to `batches/<id>#<key>`. A create whose answer
 * was lost is looked up by display name: found, it stands; not found, its members are
 * PROVIDER_CREATE_UNCONFIRMED and keep their recorded names for the next run to look up.
 */
export async function submitBatch(
  ctx: SubmitContext,
  members: Member<BatchItem, string>[],
): Promise<void> {
  const live = members.filter((m) => {
    if (!m.signal.aborted) return true;
    m.reject(m.signal.reason);
    return false;
  });
  const keyed = live.map((member, i) => ({ member, key: String(i) }));
  const records = await Promise.allSettled(
    keyed.map(({ member, key }) => member.item.recordTask(`${ctx.displayName}#${key}`)),
  );
  const sent = keyed.filter(({ member }, i) => {
    const r = records[i]!;
    if (r.status === 'fulfilled') return true;
    member.reject(r.reason);
    return false;
  });
  if (sent.length === 0) return;
  try {
    const name = await createBatch(ctx, sent);
    ctx.lookup.remember(ctx.displayName, name);
    for (const { member, key } of sent) member.resolve(`${name}#${key}`);
  } catch (error) {
    for (const { member } of sent) member.reject(error);
  }
}

async function createBatch(
  ctx: SubmitContext,
  sent: { member: Member<BatchItem, string>; key: string }[],
): Promise<string> {
  const { client, displayName } = ctx;
  const first = sent[0]!.member;
  const imageId = sent.length === 1 ? first.item.request.id : `${sent.length} images`;
  const name = JSON.stringify(displayName);
  let body: string;
  if (sent.length === 1 && Buffer.byteLength(first.item.body) < MAX_INLINE_BATCH_BYTES) {
    body = `{"batch":{"displayName":${name},"inputConfig":{"requests":{"requests":[{"request":${first.item.body},"metadata":{"key":"${sent[0]!.key}"}}]}}}}`;
  } else {
    const lines = sent.map(({ member, key }) => `{"key":"${key}","request":${member.item.body}}\n`);
    const file = await uploadFile(
      client,
      Buffer.from(lines.join('')),
      displayName,
      imageId,
      first.signal,
    );
    body = `{"batch":{"displayName":${name},"inputConfig":{"fileName":${JSON.stringify(file)}}}}`;
  }
  try {
    const answer = await callGemini(
      {
        imageId,
        what: 'batchGenerateContent',
        method: 'POST',
        url: client.url(`models/${ctx.model}:batchGenerateContent`),
        body,
        paid: true,
        signal: first.signal,
        maxAnswerBytes: 1024 * 1024,
        timeoutMs: client.transferTimeoutMs,
      },
      client.http,
      client.deps,
    );
    if (isBatchName(answer.body.name)) return answer.body.name;
    throw unconfirmed(imageId, 'batchGenerateContent answered no batch name');
  } catch (error) {
    if (!isPixlockError(error, 'PROVIDER_CREATE_UNCONFIRMED')) throw error;
    // Created or not? The account's list of batches says, by the name given before sending.
    const found = await ctx.lookup.find(displayName, imageId, first.signal).catch(() => undefined);
    if (found) return found;
    throw new PixlockError(
      'PROVIDER_CREATE_UNCONFIRMED',
      `${error.message}; batch job ${displayName} is not listed yet: it stays recorded, and the next run looks it up again`,
      { cause: error },
    );
  }
}

/**
 * Uploads a JSONL file through the Files API's resumable protocol (start, then the bytes in
 * one final chunk) and returns its `files/<id>`. The upload URL the server answers is used
 * on the configured root's origin only (as the SDK does), so the key goes nowhere else.
 */
async function uploadFile(
  client: GeminiClient,
  bytes: Buffer,
  displayName: string,
  imageId: string,
  signal: AbortSignal,
): Promise<string> {
  const call = {
    imageId,
    what: 'files.upload',
    method: 'POST' as const,
    paid: false,
    signal,
    maxAnswerBytes: 1024 * 1024,
    timeoutMs: client.transferTimeoutMs,
  };
  const start = await callGemini(
    {
      ...call,
      url: client.uploadUrl('files'),
      headers: {
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'x-goog-upload-header-content-length': String(bytes.length),
        'x-goog-upload-header-content-type': 'application/jsonl',
      },
      body: JSON.stringify({ file: { displayName: `${displayName}.jsonl` } }),
    },
    client.http,
    client.deps,
  );
  const given = start.headers.get('x-goog-upload-url');
  if (!given || !URL.canParse(given)) {
    throw new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `${imageId}: the Files API answered no upload URL`,
    );
  }
  const target = new URL(given);
  const root = new URL(client.config.root);
  target.protocol = root.protocol;
  target.host = root.host;
  const done = await callGemini(
    {
      ...call,
      url: target.toString(),
      headers: {
        'x-goog-upload-command': 'upload, finalize',
        'x-goog-upload-offset': '0',
        'content-type': 'application/jsonl',
      },
      body: bytes,
    },
    client.http,
    client.deps,
  );
  const file = done.body.file;
  const name =
    typeof file === 'object' && file !== null ? (file as { name?: unknown }).name : undefined;
  if (!isFileName(name)) {
    throw new PixlockError(
      'PROVIDER_UNAVAILABLE',
      `${imageId}: the Files API named no file after the upload`,
    );
  }
  return name;
}
