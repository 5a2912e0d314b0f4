import {
  bool,
  integer,
  limit,
  nonNegative,
  oneOf,
  optionsResolver,
  port,
  probability,
  stringList,
  text,
} from '@pixlock/fake-http-kit';
import type { Check, ImageMediaType } from '@pixlock/fake-http-kit';

/** Aspect ratios the seed page lists for NanoBanana 2. */
export const ASPECT_RATIOS = ['1:1', '3:4', '4:3', '16:9', '9:16'] as const;
/** One of {@link ASPECT_RATIOS}. */
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** Resolutions the seed page lists (the provider's newer examples only list 2k and 4k). */
export const RESOLUTIONS = ['1k', '2k', '4k'] as const;
/** One of {@link RESOLUTIONS}. */
export type Resolution = (typeof RESOLUTIONS)[number];

// The server's own list, not core's assets/media-types.ts: fake-kinovi stands for the remote
// server, so it never imports pixlock's core.
/** Media types the fake can encode outputs as. */
export type OutputMediaType = ImageMediaType;

/** How error answers echo the caller's API key (the attack the client must redact). */
export const ECHO_KEY_FORMS = [
  'none',
  'raw',
  'json-escaped',
  'url-encoded',
  'partial',
  'base64',
] as const;
/** One of {@link ECHO_KEY_FORMS}. */
export type EchoKeyForm = (typeof ECHO_KEY_FORMS)[number];

/** Everything that shapes the fake's behaviour. Every field is optional in {@link startFakeKinovi}. */
export interface FakeKinoviOptions {
  /** TCP port; 0 (default) picks a free one. Cannot be changed by `configure`. */
  port: number;
  /** Interface to bind; default `127.0.0.1`. Cannot be changed by `configure`. */
  host: string;
  /** Keys accepted as `Authorization: Bearer <key>`; each key is its own account. Default `['test-key']`. */
  apiKeys: string[];
  /** Keys answered with 401 "API Key is inactive". */
  inactiveKeys: string[];
  /** Keys answered with 401 "API Key has expired". */
  expiredKeys: string[];
  /** When false every API route answers 403 "API access not enabled" (downloads stay public). Default true. */
  accessEnabled: boolean;
  /** Milliseconds a task stays `waiting`. Default 20. */
  queueMs: number;
  /** Milliseconds a task stays `generating`. Default 50. */
  latencyMs: number;
  /** Up to this many extra milliseconds, drawn per phase from the seeded PRNG. Default 0. */
  jitterMs: number;
  /** Tasks in waiting|generating allowed per account (API key); a create over it gets 429. Default 5. */
  concurrencyLimit: number;
  /** When set, 429 answers carry `Retry-After: <seconds>`. Default undefined (no header). */
  retryAfterSeconds: number | undefined;
  /** Credit balance of the (single, shared) wallet; `configure({credits})` resets it. Default 100000. */
  credits: number;
  /** Reject `resolution: '1k'` with 400, as the provider's current docs only list 2k/4k. Default false. */
  reject1k: boolean;
  /** Name of the id field in the createTask answer. Default `taskId`. */
  taskIdField: 'taskId' | 'task_id';
  /** Wrap every JSON answer as `{code, message, data}` (like the provider's webhooks). Default false. */
  envelope: boolean;
  /** Name of the status field in recordInfo answers. Default `status`. */
  stateField: 'status' | 'state';
  /** Shape of a failed task's `error`: `{code, message}` (default) or a plain string (older pages). */
  errorShape: 'object' | 'string';
  /** Media type outputs are encoded as; the URL keeps a `.png` extension regardless. Default `image/png`. */
  mediaType: OutputMediaType;
  /** Seed for every random decision (faults, task fates, jitter), so runs are reproducible. Default 1. */
  seed: number;
  /** Probability a createTask answers 429 although the account is under its limit. */
  rate429: number;
  /** Probability a createTask or recordInfo answers 500 (a create that got 500 created nothing). */
  rate500: number;
  /** Probability an accepted task ends in `fail` (and is refunded). */
  failRate: number;
  /** Probability a download answers 404. */
  download404Rate: number;
  /** Probability a download sends the full Content-Length, part of the body, then drops the socket. */
  downloadTruncateRate: number;
  /** Probability a download answers 200 with `content-type: text/html` and an error page. */
  downloadHtmlRate: number;
  /** Probability a download answers 500. */
  download500Rate: number;
  /** Probability a download's connection is reset before any answer. */
  downloadResetRate: number;
  /** Probability a download fails, the kind drawn evenly from 500, reset, truncate and HTML page. */
  downloadFaultRate: number;
  /** Probability a recordInfo answers 500 (on top of `rate500`). */
  poll500Rate: number;
  /** Probability a recordInfo's connection is reset before any answer. */
  pollResetRate: number;
  /** Probability a recordInfo answers 200 with truncated, unparsable JSON. */
  pollMalformedRate: number;
  /** Probability a recordInfo answers a 502 HTML page instead of JSON. */
  pollHtmlRate: number;
  /** Probability a recordInfo answers 429 (with `Retry-After` when `retryAfterSeconds` is set). */
  poll429Rate: number;
  /** Probability a recordInfo fails, the kind drawn evenly from 500, reset, malformed JSON, HTML and 429. */
  pollFaultRate: number;
  /**
   * Probability a recordInfo answers about another task of the account (its real answer, or a
   * made-up `generating` one when there is none): a mixed-up cache or gateway.
   */
  pollForeignTaskRate: number;
  /** Probability a recordInfo of a succeeded task lists `output: []` (done, nothing to fetch yet). */
  emptyOutputRate: number;
  /** After the headers, send JSON answers (create, poll, uploads) at this many bytes/s; 0 = at once. */
  jsonTrickleBytesPerSecond: number;
  /** After the headers, send downloads at this many bytes/s; 0 = at once. */
  downloadTrickleBytesPerSecond: number;
  /** Error answers (status >= 400) quote the caller's key in this form. Default `none`. */
  echoKey: EchoKeyForm;
  /** Charge this many credits per task (instead of the list price) and report it as `creditsUsed`. */
  chargePerTask: number | undefined;
  /** Report this `creditsUsed` for finished tasks whatever was charged: a lying server (e.g. -1000, 1e300). */
  creditsUsedReport: number | undefined;
  /** Task ids are integers above 2^53, sent as bare JSON numbers (JSON.parse rounds them). */
  numericTaskIds: boolean;
  /** Error messages and fail reasons carry ANSI escapes, CR/LF, BEL and a bidi override. */
  hostileText: boolean;
}

/** The values used for every option not given. */
export const DEFAULT_OPTIONS: Readonly<FakeKinoviOptions> = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  apiKeys: ['test-key'],
  inactiveKeys: [],
  expiredKeys: [],
  accessEnabled: true,
  queueMs: 20,
  latencyMs: 50,
  jitterMs: 0,
  concurrencyLimit: 5,
  retryAfterSeconds: undefined,
  credits: 100_000,
  reject1k: false,
  taskIdField: 'taskId',
  envelope: false,
  stateField: 'status',
  errorShape: 'object',
  mediaType: 'image/png',
  seed: 1,
  rate429: 0,
  rate500: 0,
  failRate: 0,
  download404Rate: 0,
  downloadTruncateRate: 0,
  downloadHtmlRate: 0,
  download500Rate: 0,
  downloadResetRate: 0,
  downloadFaultRate: 0,
  poll500Rate: 0,
  pollResetRate: 0,
  pollMalformedRate: 0,
  pollHtmlRate: 0,
  poll429Rate: 0,
  pollFaultRate: 0,
  pollForeignTaskRate: 0,
  emptyOutputRate: 0,
  jsonTrickleBytesPerSecond: 0,
  downloadTrickleBytesPerSecond: 0,
  echoKey: 'none',
  chargePerTask: undefined,
  creditsUsedReport: undefined,
  numericTaskIds: false,
  hostileText: false,
});

const CHECKS: Record<keyof FakeKinoviOptions, Check> = {
  port,
  host: text,
  apiKeys: stringList,
  inactiveKeys: stringList,
  expiredKeys: stringList,
  accessEnabled: bool,
  queueMs: nonNegative,
  latencyMs: nonNegative,
  jitterMs: nonNegative,
  concurrencyLimit: limit,
  retryAfterSeconds: (v) =>
    v === undefined || (Number.isInteger(v) && (v as number) >= 0)
      ? undefined
      : 'an integer >= 0 or undefined',
  credits: nonNegative,
  reject1k: bool,
  taskIdField: oneOf('taskId', 'task_id'),
  envelope: bool,
  stateField: oneOf('status', 'state'),
  errorShape: oneOf('object', 'string'),
  mediaType: oneOf('image/png', 'image/jpeg'),
  seed: integer,
  rate429: probability,
  rate500: probability,
  failRate: probability,
  download404Rate: probability,
  downloadTruncateRate: probability,
  downloadHtmlRate: probability,
  download500Rate: probability,
  downloadResetRate: probability,
  downloadFaultRate: probability,
  poll500Rate: probability,
  pollResetRate: probability,
  pollMalformedRate: probability,
  pollHtmlRate: probability,
  poll429Rate: probability,
  pollFaultRate: probability,
  pollForeignTaskRate: probability,
  emptyOutputRate: probability,
  jsonTrickleBytesPerSecond: nonNegative,
  downloadTrickleBytesPerSecond: nonNegative,
  echoKey: oneOf(...ECHO_KEY_FORMS),
  chargePerTask: (v) => (v === undefined ? undefined : nonNegative(v)),
  creditsUsedReport: (v) =>
    v === undefined || (typeof v === 'number' && Number.isFinite(v))
      ? undefined
      : 'a finite number',
  numericTaskIds: bool,
  hostileText: bool,
};

// Checked against CHECKS, errors named after this fake; configure goes through changeOptions.
export const { resolveOptions, changeOptions } = optionsResolver<FakeKinoviOptions>({
  name: 'fake-kinovi',
  defaults: DEFAULT_OPTIONS,
  checks: CHECKS,
});
