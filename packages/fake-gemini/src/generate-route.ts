import { authenticate, isAccount } from './auth.js';
import { buildAnswer } from './generate-answer.js';
import type { AnswerPlan } from './generate-answer.js';
import { parseGenerateRequest } from './generate-request.js';
import type { GenerateInput } from './generate-request.js';
import { defaultMessage, googleError, rateLimited } from './google-error.js';
import type { LieKind } from './fault-decider.js';
import { findModel, imagePrice } from './models.js';
import type { ModelSpec } from './models.js';
import { parseJsonBody } from './proto-json.js';
import { jsonReply } from '@pixlock/fake-http-kit';
import type { Reply } from '@pixlock/fake-http-kit';
import type { ServerContext } from './server-context.js';
import { charge } from './stats.js';

/** What the server hands a generateContent handler. */
export interface GenerateCall {
  key: string | undefined;
  modelId: string;
  /** The body; undefined when it was over `maxRequestBytes`. */
  raw: Buffer | undefined;
  /** A scripted lie for this call's image part. */
  lie?: LieKind;
}

/** 404 in Google's words for a model that is not served. */
export function modelNotFound(id: string, method: string): Reply {
  return googleError(
    404,
    `models/${id} is not found for API version v1beta, or is not supported for ${method}. ` +
      'Call ListModels to see the list of available models and their supported methods.',
  );
}

/** 400 in Google's words for a body over the limit. */
export function payloadTooLarge(limit: number): Reply {
  return googleError(400, `Request payload size exceeds the limit: ${limit} bytes.`);
}

/**
 * POST models/{model}:generateContent. Answers without charging on auth, model, body and
 * pre-processing faults (reset, 500, 503, 429, the concurrency limit); otherwise the request
 * is processed and charged at once, then answered after the latency, or lost to an answer fault.
 */
export async function generateContent(ctx: ServerContext, call: GenerateCall): Promise<Reply> {
  const o = ctx.options();
  const who = authenticate(call.key, o);
  if (!isAccount(who)) return who;
  const model = findModel(call.modelId, o.models);
  if (!model) return modelNotFound(call.modelId, 'generateContent');
  if (call.raw === undefined) return payloadTooLarge(o.maxRequestBytes);
  const body = parseJsonBody(call.raw);
  if (!body.ok) return body.reply;
  const fault = ctx.decider.generateFault(o);
  if (fault === 'reset') return { status: 0, kind: 'drop', fault: true };
  if (fault === '500' || fault === '503') {
    return { ...googleError(Number(fault), defaultMessage(Number(fault))), fault: true };
  }
  const parsed = parseGenerateRequest(body.value, model);
  if (!parsed.ok) return parsed.reply;
  const busy = ctx.inFlight.get(who.account) ?? 0;
  if (fault === '429' || busy >= o.concurrencyLimit) {
    return { ...rateLimited(defaultMessage(429), o.retryDelaySeconds), fault: fault === '429' };
  }
  const answerFault = ctx.decider.answerFault(o);
  ctx.inFlight.set(who.account, busy + 1);
  ctx.stats.inFlight += 1;
  ctx.stats.maxInFlight = Math.max(ctx.stats.maxInFlight, ctx.stats.inFlight);
  try {
    const plan = processRequest(ctx, parsed.input, model, who.account, call.lie);
    await ctx.sleep(o.generateLatencyMs + ctx.decider.jitter(o));
    const built = await buildAnswer(parsed.input, model, plan, o);
    if (answerFault === 'reset-after') return { status: 0, kind: 'drop', fault: true };
    const reply = jsonReply(200, built.response);
    return answerFault === 'truncate-after' ? { ...reply, kind: 'truncate', fault: true } : reply;
  } finally {
    ctx.inFlight.set(who.account, (ctx.inFlight.get(who.account) ?? 1) - 1);
    ctx.stats.inFlight -= 1;
  }
}

/**
 * Decides what the model does with one request and charges it when an image will be sent:
 * shared by generateContent and the requests of a batch.
 */
export function processRequest(
  ctx: ServerContext,
  input: GenerateInput,
  model: ModelSpec,
  account: number,
  lie?: LieKind,
  batch?: { name: string; index: number; key?: string; metadata?: Record<string, unknown> },
): AnswerPlan {
  const o = ctx.options();
  const decided = ctx.decider.fate(o, input.prompt);
  const fate = lie ? 'lie' : decided.fate;
  const billed = input.wantsImage && (fate === 'image' || fate === 'lie');
  const mode = batch ? 'batch' : 'interactive';
  const usd = billed ? imagePrice(model, input.imageSize, mode) : 0;
  const call = ctx.nextCall();
  if (!batch) ctx.stats.generatesProcessed += 1;
  if (billed) charge(ctx.stats, input.prompt, account, usd);
  else ctx.stats.safetyBlocks += 1;
  if (billed && fate === 'lie') ctx.stats.lies += 1;
  const where = batch
    ? { batch: batch.name, index: batch.index, key: batch.key, metadata: batch.metadata }
    : {};
  ctx.generations.push({ ...structuredClone(input), mode, ...where, account, fate, billed, usd });
  const variant = input.seed !== undefined ? `seed:${input.seed}` : `call:${call}`;
  return { fate, lie: lie ?? decided.lie, variant: `${input.model}|${variant}` };
}
