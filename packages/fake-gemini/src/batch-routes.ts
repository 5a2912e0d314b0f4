import { authenticate, isAccount } from './auth.js';
import { parseBatchCreate } from './batch-input.js';
import { isTerminal } from './batch-store.js';
import type { BatchFate, BatchRecord } from './batch-store.js';
import { defaultMessage, googleError, rateLimited } from './google-error.js';
import { modelNotFound, payloadTooLarge } from './generate-route.js';
import { findModel } from './models.js';
import { parseJsonBody } from './proto-json.js';
import { jsonReply } from '@pixlock/fake-http-kit';
import { htmlReply } from './reply.js';
import type { Reply } from '@pixlock/fake-http-kit';
import type { ServerContext } from './server-context.js';

const TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1main';

/** The long-running operation that stands for a batch, as create, get and list answer it. */
export function operationJson(record: BatchRecord): Record<string, unknown> {
  const count = record.input.entries.length;
  const done = isTerminal(record.state);
  const stats: Record<string, string> = { requestCount: String(count) };
  if (record.outcome) {
    stats.successfulRequestCount = String(record.outcome.succeeded);
    stats.failedRequestCount = String(record.outcome.failed);
  } else if (!done) {
    stats.pendingRequestCount = String(count);
  }
  const metadata: Record<string, unknown> = {
    '@type': `${TYPE}.GenerateContentBatch`,
    model: `models/${record.model.id}`,
    displayName: record.input.displayName,
    ...(record.input.inputFile ? { inputConfig: { fileName: record.input.inputFile } } : {}),
    ...(record.outcome ? { output: record.outcome.output } : {}),
    createTime: record.createTime,
    updateTime: record.updateTime,
    ...(record.endTime ? { endTime: record.endTime } : {}),
    batchStats: stats,
    state: record.state,
    name: record.name,
  };
  const op: Record<string, unknown> = { name: record.name, metadata };
  if (!done) return op;
  op.done = true;
  if (record.outcome) {
    op.response = { '@type': `${TYPE}.GenerateContentBatchOutput`, ...record.outcome.output };
  } else if (record.state === 'BATCH_STATE_FAILED') {
    op.error = {
      code: 13,
      message: 'Batch failed: an internal error occurred while processing it.',
    };
  }
  return op;
}

/** POST models/{model}:batchGenerateContent: validates, creates, answers the operation. */
export function createBatch(
  ctx: ServerContext,
  key: string | undefined,
  modelId: string,
  raw: Buffer | undefined,
  fate: BatchFate,
): Reply {
  const o = ctx.options();
  const who = authenticate(key, o);
  if (!isAccount(who)) return who;
  const model = findModel(modelId, o.models);
  if (!model) return modelNotFound(modelId, 'batchGenerateContent');
  if (raw === undefined) return payloadTooLarge(o.maxRequestBytes);
  const body = parseJsonBody(raw);
  if (!body.ok) return body.reply;
  const parsed = parseBatchCreate(body.value, ctx.files, who.account);
  if (!parsed.ok) return parsed.reply;
  if (parsed.input.source === 'inline' && raw.length > o.maxBatchInlineBytes) {
    return payloadTooLarge(o.maxBatchInlineBytes);
  }
  const end = fate.end ?? ctx.decider.batchEnd(o);
  const record = ctx.batches.create(who.account, model, parsed.input, fate, end, {
    queueMs: (fate.queueMs ?? o.batchQueueMs) + ctx.decider.jitter(o),
    runMs: (fate.runMs ?? o.batchRunMs) + ctx.decider.jitter(o),
  });
  ctx.stats.batchesCreated += 1;
  return jsonReply(200, operationJson(record));
}

/** The caller's own batch, or Google's 404/403 answer. */
function ownBatch(ctx: ServerContext, key: string | undefined, id: string): BatchRecord | Reply {
  const who = authenticate(key, ctx.options());
  if (!isAccount(who)) return who;
  const record = ctx.batches.get(`batches/${id}`);
  if (!record) return googleError(404, `Batch batches/${id} not found.`);
  if (record.account !== who.account) {
    return googleError(403, `You do not have permission to access batches/${id}.`);
  }
  return record;
}

const isReply = (v: BatchRecord | Reply): v is Reply => 'status' in v;

/** GET batches/{id}, with the poll faults of the options. */
export function getBatch(ctx: ServerContext, key: string | undefined, id: string): Reply {
  const record = ownBatch(ctx, key, id);
  if (isReply(record)) return record;
  const o = ctx.options();
  const fault = ctx.decider.pollFault(o);
  if (fault === 'reset') return { status: 0, kind: 'drop', fault: true };
  if (fault === 'html') return htmlReply(502);
  if (fault === '429')
    return { ...rateLimited(defaultMessage(429), o.retryDelaySeconds), fault: true };
  if (fault === '500' || fault === '503') {
    return { ...googleError(Number(fault), defaultMessage(Number(fault))), fault: true };
  }
  return jsonReply(200, operationJson(record));
}

/** GET batches?pageSize=&pageToken=: the caller's batches as operations, oldest first. */
export function listBatches(ctx: ServerContext, key: string | undefined, url: URL): Reply {
  const o = ctx.options();
  const who = authenticate(key, o);
  if (!isAccount(who)) return who;
  const asked = Number(url.searchParams.get('pageSize') ?? o.listPageSize);
  const size =
    Number.isInteger(asked) && asked > 0 ? Math.min(asked, o.listPageSize) : o.listPageSize;
  const token = url.searchParams.get('pageToken');
  const start = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) return googleError(400, 'Invalid page token.');
  const all = ctx.batches.list(who.account);
  const page = all.slice(start, start + size);
  const next =
    start + size < all.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return jsonReply(200, {
    operations: page.map(operationJson),
    ...(next ? { nextPageToken: next } : {}),
  });
}

/** POST batches/{id}:cancel: a pending or running batch ends CANCELLED; answers `{}`. */
export function cancelBatch(ctx: ServerContext, key: string | undefined, id: string): Reply {
  const record = ownBatch(ctx, key, id);
  if (isReply(record)) return record;
  if (ctx.batches.cancel(record)) ctx.stats.batchesCancelled += 1;
  return jsonReply(200, {});
}

/** DELETE batches/{id}: stops it and forgets it; answers `{}`. */
export function deleteBatch(ctx: ServerContext, key: string | undefined, id: string): Reply {
  const record = ownBatch(ctx, key, id);
  if (isReply(record)) return record;
  ctx.batches.delete(record);
  return jsonReply(200, {});
}
