import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import type {
  FinalStatus,
  GenerationRequest,
  ImageProvider,
  ProviderCallContext,
  TaskOutput,
} from '../providers/image-provider.js';
import type { ProviderCapabilities } from '../providers/provider-capabilities.js';

/** One provider as the contract suite drives it, with a window on its remote side. */
export interface ContractSubject {
  /** Built the way a run builds it: through its descriptor, when it has one. */
  provider: ImageProvider;
  /** What its descriptor declares. */
  declared: ProviderCapabilities;
  /** Its list price for a request (the price table's). */
  listPrice(request: GenerationRequest): number;
  /** A new client of the same provider, as the next run (after a kill -9) builds it. */
  again(): Promise<ImageProvider>;
  /** Creates that reached the provider's side (each may be paid for). */
  creates(): number;
  /** What the provider's side received as references for a task: URLs, or bytes' sha256. */
  received(taskId: string, request: GenerationRequest, output: TaskOutput): Promise<string[]>;
  /** Kinds of reference it does not use (the placeholder draws from manifest images only). */
  ignores?: readonly ('url' | 'file')[];
  /** The model its requests name, when its API knows no other (default the engine's default). */
  model?: string;
  /** A project whose manifest names the provider: its `provider:` block and environment. */
  project: {
    settings: string;
    env: Record<string, string>;
    /** Passed to generate() instead of building one from the manifest. */
    provider?: ImageProvider;
  };
  /** How to make it misbehave; absent for a provider that meets no network (the placeholder). */
  faults?: {
    /** The secret it sends, which nothing may show. */
    key: string;
    /** The next create is done (and charged) and its answer lost. */
    loseNextCreateAnswer(): void;
    /** The next call of this kind is refused before anything happens (a 503). */
    failNext(on: 'create' | 'poll'): void;
    /** The next create is refused with these words from the server. */
    rejectNextCreate(text: string): void;
    /** A client whose key the provider refuses. */
    withRefusedKey(): Promise<ImageProvider>;
  };
}

/** Sets up one subject per test, and takes it down. */
export interface ContractHarness {
  /** Meets no network and holds no key (the placeholder): no faults to script. */
  offline?: boolean;
  /** Its tasks are named before they are sent (`taskNames: 'client'`): nothing is held. */
  namesTasks?: boolean;
  setup(): Promise<ContractSubject>;
  teardown(): Promise<void>;
}

/** Names a provider that names its tasks recorded through {@link ctx}, newest last. */
export const recordedNames: string[] = [];

/** The call context the suite passes, recording names as the engine's `pending` would. */
export const ctx: ProviderCallContext = {
  signal: new AbortController().signal,
  recordTask: (taskId) => {
    recordedNames.push(taskId);
    return Promise.resolve();
  },
};

/** A request as the engine forms it, with fields to override. */
export const contractRequest = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  id: 'hero',
  model: 'nanobanana2',
  prompt: 'a lighthouse at dawn',
  seed: 7,
  aspectRatio: '1:1',
  resolution: '2k',
  references: [],
  ...over,
});

/** How a task ends: the create's own result for a synchronous call, else polled to its end. */
export async function ended(
  provider: ImageProvider,
  request: GenerationRequest,
): Promise<{ taskId: string; status: FinalStatus }> {
  const { taskId, status } = await provider.createTask(request, ctx);
  if (status) return { taskId, status };
  return { taskId, status: await polledToEnd(provider, taskId, request) };
}

/** Polls a task until it ends; waits on real events (the server's answers), asserts no time. */
export async function polledToEnd(
  provider: ImageProvider,
  taskId: string,
  request: GenerationRequest,
): Promise<FinalStatus> {
  for (let i = 0; i < 2000; i++) {
    const status = await provider.pollTask(taskId, request, ctx);
    if (status.state !== 'pending') return status;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`task ${taskId} never ended`);
}

/** A result's bytes: as they came, or downloaded the way the engine downloads them. */
export async function resultBytes(provider: ImageProvider, output: TaskOutput): Promise<Buffer> {
  if ('bytes' in output) return output.bytes;
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-contract-'));
  try {
    await provider.download(output, path.join(dir, 'result'), ctx);
    return await readFile(path.join(dir, 'result'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Everything a caller could print or store from a value, hidden fields and causes included. */
export function everything(value: unknown): string {
  return inspect(value, { depth: Infinity, showHidden: true });
}
