import type { BatchOutcome, BatchRecord } from './batch-store.js';
import { buildAnswer } from './generate-answer.js';
import { parseGenerateRequest } from './generate-request.js';
import { processRequest } from './generate-route.js';
import type { ServerContext } from './server-context.js';

/** google.rpc.Code numbers by HTTP status: a request's `error` is a google.rpc.Status. */
const RPC_CODES: Record<number, number> = { 400: 3, 403: 7, 404: 5, 429: 8, 500: 13, 503: 14 };

type Result = { response: Record<string, unknown> } | { error: Record<string, unknown> };

async function runOne(ctx: ServerContext, record: BatchRecord, index: number): Promise<Result> {
  const entry = record.input.entries[index];
  const parsed = parseGenerateRequest(entry?.request, record.model);
  if (!parsed.ok) {
    const error = (parsed.reply.json as { error: { message: string } }).error;
    return { error: { code: RPC_CODES[parsed.reply.status] ?? 2, message: error.message } };
  }
  const fails =
    record.fate.failRequests?.includes(index) || ctx.decider.batchRequestFails(ctx.options());
  if (fails) return { error: { code: 13, message: 'Internal error encountered.' } };
  const plan = processRequest(ctx, parsed.input, record.model, record.account, undefined, {
    name: record.name,
    index,
    key: entry?.key,
    metadata: entry?.metadata,
  });
  const built = await buildAnswer(parsed.input, record.model, plan, ctx.options());
  return { response: built.response };
}

/**
 * Runs every request of a batch that is leaving RUNNING: each is charged as it is processed
 * (a failed one is not), then its answer is made. Inline input answers inline responses
 * (shuffled when asked, `metadata` echoed when asked); file input answers a generated JSONL
 * file of `{key, response}` / `{key, error}` lines in request order.
 */
export async function runBatch(ctx: ServerContext, record: BatchRecord): Promise<BatchOutcome> {
  const o = ctx.options();
  const { entries } = record.input;
  // Charged in request order before any image is made, so stats are exact once RUNNING ends.
  const pending = entries.map((_, i) => runOne(ctx, record, i));
  const results = await Promise.all(pending);
  const failed = results.filter((r) => 'error' in r).length;
  const charged = ctx.generations.filter((g) => g.batch === record.name && g.billed).length;
  ctx.stats.batchRequestsCharged += charged;
  ctx.stats.chargedByBatch[record.name] = charged;
  if (record.input.source === 'file') {
    const lines = results.map((r, i) => JSON.stringify({ key: entries[i]?.key, ...r }));
    const file = ctx.files.store(record.account, {
      displayName: `${record.name}-responses`,
      mimeType: 'application/jsonl',
      bytes: Buffer.from(lines.join('\n') + '\n'),
      source: 'GENERATED',
    });
    return { output: { responsesFile: file.name }, succeeded: entries.length - failed, failed };
  }
  const order =
    record.fate.shuffle || o.batchShuffleResponses
      ? ctx.decider.permutation(entries.length)
      : entries.map((_, i) => i);
  const inlined = order.map((i) => {
    const metadata = entries[i]?.metadata;
    return o.echoInlineMetadata && metadata ? { ...results[i], metadata } : results[i];
  });
  return {
    output: { inlinedResponses: { inlinedResponses: inlined } },
    succeeded: entries.length - failed,
    failed,
  };
}
