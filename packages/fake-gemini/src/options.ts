import {
  bool,
  integer,
  limit,
  nonNegative,
  oneOf,
  optionsResolver,
  port,
  positiveInt,
  probability,
  stringList,
  text,
} from '@pixlock/fake-http-kit';
import type { Check, ImageMediaType } from '@pixlock/fake-http-kit';
import { MODELS } from './models.js';

/** Media types the fake encodes images as (the Gemini API answers PNG or JPEG). */
export type OutputMediaType = ImageMediaType;

/**
 * Where error answers quote the caller's API key: `debug-info` as Google was seen to (a
 * `google.rpc.DebugInfo` detail "Invalid API key: <key>" on a bad key only); `raw` and
 * `url-encoded` in the message of every error; `none` never.
 */
export const ECHO_KEY_FORMS = ['none', 'debug-info', 'raw', 'url-encoded'] as const;
/** One of {@link ECHO_KEY_FORMS}. */
export type EchoKeyForm = (typeof ECHO_KEY_FORMS)[number];

/** Everything that shapes the fake's behaviour. Every field is optional in {@link startFakeGemini}. */
export interface FakeGeminiOptions {
  /** TCP port; 0 (default) picks a free one. Cannot change while running. */
  port: number;
  /** Interface to bind; default `127.0.0.1`. Cannot change while running. */
  host: string;
  /** Keys accepted in `x-goog-api-key` (or `?key=`); each is its own account. Default `['test-key']`. */
  apiKeys: string[];
  /** Valid keys whose project may not use the API: 403 PERMISSION_DENIED everywhere. */
  deniedKeys: string[];
  /** Model ids served; any other id answers 404. Default: every id in {@link MODELS}. */
  models: string[];
  /** Seed for every random decision, so runs repeat. Default 1. */
  seed: number;
  /** Milliseconds a generateContent call is processed before it answers. Default 20. */
  generateLatencyMs: number;
  /** Up to this many extra milliseconds per call or batch phase, drawn from the seeded PRNG. */
  jitterMs: number;
  /** generateContent calls in progress per key; one more answers 429. Default 10. */
  concurrencyLimit: number;
  /** Seconds a 429 asks to wait, as `google.rpc.RetryInfo`; null sends no RetryInfo (also seen). Default 1. */
  retryDelaySeconds: number | null;
  /** Probability a generateContent answers 429 before processing (nothing charged). */
  rate429: number;
  /** Probability a generateContent answers 500 INTERNAL before processing (nothing charged). */
  rate500: number;
  /** Probability a generateContent answers 503 UNAVAILABLE before processing (nothing charged). */
  rate503: number;
  /** Probability a generateContent's connection is reset before processing (nothing charged). */
  resetRate: number;
  /** Probability a generateContent is processed and charged, then its connection reset unanswered. */
  resetAfterRate: number;
  /** Probability a generateContent is processed and charged, then its answer cut mid-body. */
  truncateAfterRate: number;
  /** Probability the image part lies: not an image, a wrong mime type, or a truncated image. */
  lieRate: number;
  /** Probability the model answers STOP with a text part and no image (charged). */
  noImageRate: number;
  /** Probability the prompt is blocked: `promptFeedback.blockReason` SAFETY, no candidates. */
  promptBlockRate: number;
  /** Probability the output is withheld: `finishReason` IMAGE_SAFETY, no image part. */
  imageSafetyRate: number;
  /** A prompt containing this text is always blocked (`blockReason` SAFETY). Default `fake:block`. */
  blockTrigger: string;
  /** A prompt containing this text always ends IMAGE_SAFETY. Default `fake:unsafe`. */
  imageSafetyTrigger: string;
  /** Add a text part before the image, as models often do. Default false. */
  textPart: boolean;
  /** Put a `thought: true` interim image before the answer (Gemini 3 thinking). Default false. */
  thoughtPart: boolean;
  /** Media type images are encoded as. Default `image/png`. */
  mediaType: OutputMediaType;
  /** Send JSON answers at this many bytes/s after the headers; 0 = at once. */
  jsonTrickleBytesPerSecond: number;
  /** Send file downloads at this many bytes/s after the headers; 0 = at once. */
  downloadTrickleBytesPerSecond: number;
  /** How error answers quote the caller's key. Default `debug-info`. */
  echoKey: EchoKeyForm;
  /** Error messages carry ANSI escapes, CR/LF, BEL and a bidi override. */
  hostileText: boolean;
  /** Largest request body accepted (inline data included); beyond it 400. Default 100 MiB. */
  maxRequestBytes: number;
  /** Largest batch create request with inline requests; beyond it 400. Default 20 MiB. */
  maxBatchInlineBytes: number;
  /** Largest file the Files API accepts. Default 2 GiB. */
  maxFileBytes: number;
  /** Milliseconds a batch stays BATCH_STATE_PENDING. Default 50. */
  batchQueueMs: number;
  /** Milliseconds a batch stays BATCH_STATE_RUNNING. Default 100. */
  batchRunMs: number;
  /** Probability one request of a batch ends with an `error` instead of a response (not charged). */
  batchRequestFailRate: number;
  /** Probability a whole batch ends BATCH_STATE_FAILED (nothing charged). */
  batchFailRate: number;
  /** Probability a whole batch ends BATCH_STATE_EXPIRED (nothing charged). */
  batchExpireRate: number;
  /** Inline responses come back in a shuffled order (reported of the real API for big batches). */
  batchShuffleResponses: boolean;
  /** Inline responses echo their request's `metadata` (documented, reported missing). Default false. */
  echoInlineMetadata: boolean;
  /** Probability a batch GET fails: 500, 503, 429, a reset or an HTML page, evenly. */
  pollFaultRate: number;
  /** Probability a file download fails: 500, a reset, a truncated body or an HTML page, evenly. */
  downloadFaultRate: number;
  /** Most batches one list page holds. Default 50. */
  listPageSize: number;
}

/** The values used for every option not given. */
export const DEFAULT_OPTIONS: Readonly<FakeGeminiOptions> = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  apiKeys: ['test-key'],
  deniedKeys: [],
  models: MODELS.map((m) => m.id),
  seed: 1,
  generateLatencyMs: 20,
  jitterMs: 0,
  concurrencyLimit: 10,
  retryDelaySeconds: 1,
  rate429: 0,
  rate500: 0,
  rate503: 0,
  resetRate: 0,
  resetAfterRate: 0,
  truncateAfterRate: 0,
  lieRate: 0,
  noImageRate: 0,
  promptBlockRate: 0,
  imageSafetyRate: 0,
  blockTrigger: 'fake:block',
  imageSafetyTrigger: 'fake:unsafe',
  textPart: false,
  thoughtPart: false,
  mediaType: 'image/png',
  jsonTrickleBytesPerSecond: 0,
  downloadTrickleBytesPerSecond: 0,
  echoKey: 'debug-info',
  hostileText: false,
  maxRequestBytes: 100 * 1024 * 1024,
  maxBatchInlineBytes: 20 * 1024 * 1024,
  maxFileBytes: 2 * 1024 * 1024 * 1024,
  batchQueueMs: 50,
  batchRunMs: 100,
  batchRequestFailRate: 0,
  batchFailRate: 0,
  batchExpireRate: 0,
  batchShuffleResponses: false,
  echoInlineMetadata: false,
  pollFaultRate: 0,
  downloadFaultRate: 0,
  listPageSize: 50,
});

const CHECKS: Record<keyof FakeGeminiOptions, Check> = {
  port,
  host: text,
  apiKeys: stringList,
  deniedKeys: stringList,
  models: stringList,
  seed: integer,
  generateLatencyMs: nonNegative,
  jitterMs: nonNegative,
  concurrencyLimit: limit,
  retryDelaySeconds: (v) => (v === null ? undefined : nonNegative(v)),
  rate429: probability,
  rate500: probability,
  rate503: probability,
  resetRate: probability,
  resetAfterRate: probability,
  truncateAfterRate: probability,
  lieRate: probability,
  noImageRate: probability,
  promptBlockRate: probability,
  imageSafetyRate: probability,
  blockTrigger: text,
  imageSafetyTrigger: text,
  textPart: bool,
  thoughtPart: bool,
  mediaType: oneOf('image/png', 'image/jpeg'),
  jsonTrickleBytesPerSecond: nonNegative,
  downloadTrickleBytesPerSecond: nonNegative,
  echoKey: oneOf(...ECHO_KEY_FORMS),
  hostileText: bool,
  maxRequestBytes: positiveInt,
  maxBatchInlineBytes: positiveInt,
  maxFileBytes: positiveInt,
  batchQueueMs: nonNegative,
  batchRunMs: nonNegative,
  batchRequestFailRate: probability,
  batchFailRate: probability,
  batchExpireRate: probability,
  batchShuffleResponses: bool,
  echoInlineMetadata: bool,
  pollFaultRate: probability,
  downloadFaultRate: probability,
  listPageSize: positiveInt,
};

// Checked against CHECKS, errors named after this fake; configure goes through changeOptions.
export const { resolveOptions, changeOptions } = optionsResolver<FakeGeminiOptions>({
  name: 'fake-gemini',
  defaults: DEFAULT_OPTIONS,
  checks: CHECKS,
});
