import { PixlockError } from '../../errors.js';
import type {
  CreatedTask,
  FinalStatus,
  GenerationRequest,
  ImageProvider,
} from '../../providers/image-provider.js';
import { scrub } from '../../http/server-text.js';
import sharp from 'sharp';
import { sha256 } from '../../util/sha256.js';

/** A fault the in-memory server suffers on the next call of its kind. */
export type MemoryFault =
  /** The create is done and charged, and its answer lost (a reset after the body was sent). */
  | { on: 'create'; kind: 'answer-lost' }
  /** Refused before anything happened (a 503): nothing done, nothing charged. */
  | { on: 'create' | 'poll'; kind: 'unavailable' }
  /** Refused with the server's own words (a 400), which may quote what it was sent. */
  | { on: 'create'; kind: 'rejected'; text: string };

/** The remote side of {@link memoryProvider}: outlives a provider, as a real API outlives a run. */
export interface MemoryServer {
  /** Creates that reached it and were done (each one paid). */
  creates: number;
  /** Tasks by id: polls so far, what it received as references, its image. */
  tasks: Map<string, { polls: number; received: string[]; image: Buffer }>;
  /** The API keys it accepts. */
  keys: Set<string>;
  injectOnce(fault: MemoryFault): void;
  /** The next fault for a call of this kind, taken off the queue. */
  take(on: 'create' | 'poll'): MemoryFault | undefined;
}

/** An empty in-memory server accepting `keys`. */
export function memoryServer(keys: string[]): MemoryServer {
  const faults: MemoryFault[] = [];
  return {
    creates: 0,
    tasks: new Map(),
    keys: new Set(keys),
    injectOnce: (fault) => void faults.push(fault),
    take(on) {
      const i = faults.findIndex((f) => f.on === on);
      return i < 0 ? undefined : faults.splice(i, 1)[0];
    },
  };
}

/** Options of {@link memoryProvider}. */
export interface MemoryProviderOptions {
  /** The key it sends; errors must never show it. */
  key: string;
  /** `task`: polled (pending for `pendingPolls`); `sync`: the create returns the image. */
  calls: 'task' | 'sync';
  pendingPolls?: number;
  /** What it reports charging per image (default 15: the engine tests price as kinovi). */
  price?: number;
  /** Its name in the lock (default `memory`); a test may stand it in for the manifest's provider. */
  name?: string;
}

/**
 * A provider of another shape than kinovi's, in memory: references as inline bytes, results
 * as bytes (a real PNG drawn from the request and what it was sent), driven as tasks or as
 * synchronous calls. Its errors pass the server's words through the HTTP kit's redaction,
 * as a real client must.
 */
export function memoryProvider(
  server: MemoryServer,
  options: MemoryProviderOptions,
): ImageProvider {
  const price = options.price ?? 15;
  const done = (taskId: string): FinalStatus => ({
    state: 'success',
    output: { bytes: server.tasks.get(taskId)!.image, mediaType: 'image/png' },
    creditsUsed: price,
  });
  const refuse = (request: GenerationRequest, fault: MemoryFault | undefined) => {
    if (!server.keys.has(options.key)) {
      throw new PixlockError('PROVIDER_AUTH', `${request.id}: the memory API refused the key`);
    }
    if (fault?.kind === 'unavailable') {
      throw new PixlockError('PROVIDER_UNAVAILABLE', `${request.id}: the memory API is busy (503)`);
    }
    if (fault?.kind === 'rejected') {
      const text = scrub(fault.text, options.key);
      throw new PixlockError('PROVIDER_BAD_REQUEST', `${request.id}: rejected (400 ${text})`, {
        details: { answer: text },
      });
    }
  };
  return {
    name: options.name ?? 'memory',
    capabilities: { references: 'inline', results: 'bytes', calls: options.calls },
    pollIntervalMs: 10,
    timeoutMs: 60_000,
    async createTask(request): Promise<CreatedTask> {
      const fault = server.take('create');
      refuse(request, fault);
      server.creates++;
      const taskId = `mem-${server.creates}`;
      const received = [
        ...request.references,
        ...(request.inlineReferences ?? []).map((r) => r.sha256),
      ];
      server.tasks.set(taskId, { polls: 0, received, image: await draw(request, received) });
      if (fault?.kind === 'answer-lost') {
        throw new PixlockError(
          'PROVIDER_CREATE_UNCONFIRMED',
          `${request.id}: the answer was lost after the request was sent; it may have been charged`,
        );
      }
      return options.calls === 'sync' ? { taskId, status: done(taskId) } : { taskId };
    },
    async pollTask(taskId, request) {
      refuse(request, server.take('poll'));
      const task = server.tasks.get(taskId);
      // A synchronous call leaves nothing to ask about.
      if (!task || options.calls === 'sync') {
        throw new PixlockError('PROVIDER_TASK_LOST', `${request.id}: no task ${taskId}`);
      }
      return ++task.polls > (options.pendingPolls ?? 1) ? done(taskId) : { state: 'pending' };
    },
    download() {
      return Promise.reject(new PixlockError('INTERNAL', 'the memory API gives bytes, not URLs'));
    },
  };
}

/** A small PNG whose colour comes from the request and everything it was sent. */
async function draw(request: GenerationRequest, received: string[]): Promise<Buffer> {
  const hash = sha256(JSON.stringify([request.prompt, request.seed, request.model, received]));
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hash.slice(i, i + 2), 16));
  return sharp({
    create: { width: 8, height: 8, channels: 3, background: { r: r!, g: g!, b: b! } },
  })
    .png()
    .toBuffer();
}
