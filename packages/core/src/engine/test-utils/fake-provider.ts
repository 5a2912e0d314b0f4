import type {
  GenerationRequest,
  ImageProvider,
  ProviderCapabilities,
  TaskOutput,
  TaskStatus,
} from '../../providers/image-provider.js';
import type { MemoryStore } from './memory-store.js';

/** What one provider call does: answer, fail with this error, or hang until aborted. */
export type Scripted<T> = T | Error | 'hang';

/** Options of {@link fakeProvider}. */
export interface FakeProviderOptions {
  /** Where downloads land (the engine reads them back through it). */
  store: MemoryStore;
  pollIntervalMs?: number;
  timeoutMs?: number;
  /** The create of the `n`th call (0-based); default: a new task. */
  create?: (request: GenerationRequest, n: number) => Scripted<undefined>;
  /** The `n`th poll of a task (0-based); default: success with `creditsUsed`. */
  poll?: (taskId: string, n: number) => Scripted<TaskStatus>;
  /** The `n`th download (0-based); default: a valid fake image. */
  download?: (n: number) => Scripted<Buffer>;
  /** Reported on success by the default poll. Default 15. */
  creditsUsed?: number;
  /** Default: references inline, results as URLs, tasks polled. */
  capabilities?: Partial<ProviderCapabilities>;
}

/** A scriptable in-memory provider, and what was asked of it. */
export function fakeProvider(options: FakeProviderOptions) {
  const calls = { create: 0, poll: 0, download: 0, inFlight: 0, maxInFlight: 0 };
  const pollsOf = new Map<string, number>();
  const output: TaskOutput = { url: 'fake:image', mediaType: 'image/png' };
  const success: TaskStatus = {
    state: 'success',
    output,
    creditsUsed: options.creditsUsed ?? 15,
  };
  const run = <T>(answer: Scripted<T>, signal: AbortSignal): Promise<T> => {
    if (answer === 'hang') {
      return new Promise((_, reject) => {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  const provider: ImageProvider = {
    name: 'fake',
    capabilities: {
      references: 'inline',
      results: 'url',
      calls: 'task',
      ...options.capabilities,
    },
    pollIntervalMs: options.pollIntervalMs ?? 100,
    timeoutMs: options.timeoutMs ?? 10_000,
    async createTask(request, ctx) {
      const n = calls.create++;
      await run(options.create?.(request, n), ctx.signal);
      return { taskId: `task-${n}` };
    },
    async pollTask(taskId, _request, ctx) {
      calls.poll++;
      const n = pollsOf.get(taskId) ?? 0;
      pollsOf.set(taskId, n + 1);
      return run(options.poll?.(taskId, n) ?? success, ctx.signal);
    },
    async download(_output, destination, ctx) {
      const n = calls.download++;
      const data = await run(options.download?.(n) ?? Buffer.from('IMG:64x64'), ctx.signal);
      options.store.temps.set(destination, data);
      return { mediaType: 'image/png' };
    },
  };
  return { provider, calls };
}
