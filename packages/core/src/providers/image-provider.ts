import type { AspectRatio, Resolution } from '../manifest/schema.js';
import type { ProviderCapabilities } from './provider-capabilities.js';

export type { ProviderCapabilities } from './provider-capabilities.js';

/** What the provider is asked to draw. */
export interface GenerationRequest {
  /** The image id, for messages only (never sent). */
  id: string;
  model: string;
  prompt: string;
  negativePrompt?: string;
  seed: number;
  aspectRatio: AspectRatio;
  resolution: Resolution;
  /**
   * Reference image URLs: the manifest's public URLs as written, and, for a provider that
   * takes `uploads`, the URLs of what was uploaded (the images this one is drawn from first).
   */
  references: string[];
  /**
   * For a provider that takes references `inline`: the bytes of the manifest images this one
   * is drawn from (their kept originals), then of its local reference files, in the order
   * written. Each was read by the engine, checked against the hash the plan used and decoded
   * as the image its bytes say.
   */
  inlineReferences?: InlineReference[];
}

/** A reference image whose bytes go in the request. */
export type InlineReference = { sha256: string; mediaType: string; bytes: Buffer } & (
  | {
      /** The original of another manifest image, by its id. */
      image: string;
    }
  | {
      /** A local reference file, by its absolute path. */
      file: string;
    }
);

/** Shared by every provider call. */
export interface ProviderCallContext {
  signal: AbortSignal;
  /**
   * `createTask` of a provider whose tasks are named by it (`taskNames: 'client'`): records
   * the name in the lock's `pending`, durably, and resolves once it is. The provider calls it
   * before it sends anything that may create (and charge) the task; a create it never
   * recorded must not be sent. When `createTask` then rejects, the engine keeps that record
   * for PROVIDER_CREATE_UNCONFIRMED (the next run polls it) and drops it otherwise (the
   * create was not taken).
   */
  recordTask?: (taskId: string) => Promise<void>;
}

/**
 * A task the provider accepted. From this moment it may be charged. A provider whose calls
 * are `sync` gives its finished `status` here (never `pending`): there is nothing to poll.
 */
export interface CreatedTask {
  taskId: string;
  status?: FinalStatus;
}

/** The finished image: where to fetch it, or its bytes. */
export type TaskOutput = UrlOutput | BytesOutput;

/** A result to download (`ImageProvider.download`). */
export interface UrlOutput extends OutputInfo {
  url: string;
}

/** A result that came in the answer itself. */
export interface BytesOutput extends OutputInfo {
  bytes: Buffer;
}

/** What the provider announced about a result; the engine decodes the bytes anyway. */
interface OutputInfo {
  mediaType?: string;
  width?: number;
  height?: number;
}

/** How a task ended. */
export type FinalStatus =
  | {
      state: 'success';
      output: TaskOutput;
      /** What the provider charged, in its unit (pricing/price-table.ts). */
      creditsUsed: number;
      /** How long the task ran, as the provider reports it (its completeTime - createTime). */
      durationMs?: number;
    }
  | { state: 'failed'; message: string; code?: string };

/** The state of a task at one poll. */
export type TaskStatus = { state: 'pending' } | FinalStatus;

/**
 * An image API as the engine drives it: create a task, poll it until it ends (or get the
 * result from the create itself, for `sync` calls), download the result unless it came as
 * bytes. `capabilities` says which of these apply. Errors are PixlockErrors with PROVIDER_*
 * codes so the engine can tell "stop the run" (PROVIDER_AUTH), "stop creating"
 * (PROVIDER_CREDITS), "try later" (PROVIDER_RATE_LIMITED, with retryAfterMs), "it may have
 * been charged, do not send it again" (PROVIDER_CREATE_UNCONFIRMED) and "this image failed"
 * (the rest) apart.
 */
export interface ImageProvider {
  /** Name recorded in the lock (`placeholder`, `kinovi`). */
  readonly name: string;
  /** How it takes references, gives results and is driven (its descriptor's). */
  readonly capabilities: ProviderCapabilities;
  /** How long to wait between polls, in ms. */
  readonly pollIntervalMs: number;
  /** How long one image may take from create to downloaded, in ms. */
  readonly timeoutMs: number;
  /**
   * Tasks it may have in flight at once, when that is the provider's to say rather than the
   * manifest's `concurrency` (how many images an account draws at once): a batch API queues
   * every request it is given, so every ready image may join the next batch. `--concurrency`
   * still overrides it.
   */
  readonly maxInFlight?: number;
  /**
   * True when the API reports no cost of its own and each image is counted at its list price
   * (pricing/price-table.ts): the budget then trusts that price from the first create instead
   * of waiting for a first task to report what it cost (see engine/budget.ts).
   */
  readonly chargesListPrice?: boolean;
  /**
   * Starts a task (`sync`: makes the whole call). Must not retry by itself after the provider
   * may have accepted it: an outcome it cannot know is PROVIDER_CREATE_UNCONFIRMED.
   */
  createTask(request: GenerationRequest, ctx: ProviderCallContext): Promise<CreatedTask>;
  /** Asks once how a task is doing (`task` calls; a `sync` provider answers TASK_LOST). */
  pollTask(
    taskId: string,
    request: GenerationRequest,
    ctx: ProviderCallContext,
  ): Promise<TaskStatus>;
  /**
   * Streams a URL result into `destination` (a temporary file the engine owns). Resolves
   * with the media type the server declared. Not called for a result that came as bytes.
   */
  download(
    output: UrlOutput,
    destination: string,
    ctx: ProviderCallContext,
  ): Promise<{ mediaType?: string }>;
  /**
   * `uploads`: makes a local reference image reachable by the provider and returns its
   * public URL.
   */
  uploadReference?(
    file: string,
    request: GenerationRequest,
    ctx: ProviderCallContext,
  ): Promise<string>;
  /**
   * `uploads`: makes the kept original of a manifest image (bytes already checked against
   * their hash) reachable by the provider and returns its public URL.
   */
  uploadOriginal?(
    bytes: Buffer,
    mediaType: string,
    request: GenerationRequest,
    ctx: ProviderCallContext,
  ): Promise<string>;
}
