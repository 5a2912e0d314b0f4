import type { AspectRatio, Resolution } from '../manifest/schema.js';

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
  /** Reference image URLs, publicly reachable. */
  references: string[];
  /**
   * Originals of the manifest images this one is drawn from, for a provider without
   * {@link ImageProvider.uploadOriginal} (the placeholder draws from their pixels).
   */
  referenceImages?: ReferenceImage[];
}

/** The original of a manifest image another image is drawn from. */
export interface ReferenceImage {
  id: string;
  sha256: string;
  bytes: Buffer;
}

/** Shared by every provider call. */
export interface ProviderCallContext {
  signal: AbortSignal;
}

/** A task the provider accepted. From this moment it may be charged. */
export interface CreatedTask {
  taskId: string;
}

/** The finished image, where to fetch it. */
export interface TaskOutput {
  url: string;
  /** As the provider announced it; the engine verifies the bytes anyway. */
  mediaType?: string;
  width?: number;
  height?: number;
}

/** The state of a task at one poll. */
export type TaskStatus =
  | { state: 'pending' }
  | {
      state: 'success';
      output: TaskOutput;
      creditsUsed: number;
      /** How long the task ran, as the provider reports it (its completeTime - createTime). */
      durationMs?: number;
    }
  | { state: 'failed'; message: string; code?: string };

/**
 * An image API as the engine drives it: create a task, poll it until it ends, download the
 * result. Errors are PixlockErrors with PROVIDER_* codes so the engine can tell "stop the run"
 * (PROVIDER_AUTH), "stop creating" (PROVIDER_CREDITS), "try later" (PROVIDER_RATE_LIMITED, with
 * retryAfterMs) and "this image failed" (the rest) apart.
 */
export interface ImageProvider {
  /** Name recorded in the lock (`placeholder`, `kinovi`). */
  readonly name: string;
  /** How long to wait between polls, in ms. */
  readonly pollIntervalMs: number;
  /** How long one image may take from create to downloaded, in ms. */
  readonly timeoutMs: number;
  /** Starts a task. Must not retry by itself after the provider may have accepted it. */
  createTask(request: GenerationRequest, ctx: ProviderCallContext): Promise<CreatedTask>;
  /** Asks once how a task is doing. */
  pollTask(
    taskId: string,
    request: GenerationRequest,
    ctx: ProviderCallContext,
  ): Promise<TaskStatus>;
  /**
   * Streams the output into `destination` (a temporary file the engine owns). Resolves with
   * the media type the server declared.
   */
  download(
    output: TaskOutput,
    destination: string,
    ctx: ProviderCallContext,
  ): Promise<{ mediaType?: string }>;
  /**
   * Makes a local reference image reachable by the provider and returns its public URL.
   * Providers that draw without references (placeholder) leave it out.
   */
  uploadReference?(
    file: string,
    request: GenerationRequest,
    ctx: ProviderCallContext,
  ): Promise<string>;
  /**
   * Makes the kept original of a manifest image (bytes already checked against their hash)
   * reachable by the provider and returns its public URL.
   */
  uploadOriginal?(
    bytes: Buffer,
    mediaType: string,
    request: GenerationRequest,
    ctx: ProviderCallContext,
  ): Promise<string>;
}
