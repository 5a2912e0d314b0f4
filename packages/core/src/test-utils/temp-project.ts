import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImageProvider } from '../providers/image-provider.js';
import { placeholderProvider } from '../providers/placeholder/placeholder-provider.js';

/** A throwaway project folder built from an inline file tree. */
export interface TempProject {
  dir: string;
  config: string;
  write(rel: string, text: string): Promise<void>;
  read(rel: string): Promise<string>;
  readBytes(rel: string): Promise<Buffer>;
  remove(rel: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** Creates a temp folder holding `files` (path → text); `pixlock.yaml` is the config. */
export async function tempProject(files: Record<string, string>): Promise<TempProject> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-test-'));
  const write = async (rel: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  };
  for (const [rel, text] of Object.entries(files)) await write(rel, text);
  return {
    dir,
    config: path.join(dir, 'pixlock.yaml'),
    write,
    read: (rel) => readFile(path.join(dir, rel), 'utf8'),
    readBytes: (rel) => readFile(path.join(dir, rel)),
    remove: (rel) => rm(path.join(dir, rel), { force: true }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The placeholder provider, counting its calls and optionally failing some images. */
export function countingProvider(options: { failIds?: string[]; delayMs?: number } = {}) {
  const inner = placeholderProvider();
  const calls = { create: 0, poll: 0, download: 0, createdIds: [] as string[], maxInFlight: 0 };
  let inFlight = 0;
  const provider: ImageProvider = {
    ...inner,
    name: 'placeholder',
    async createTask(request, ctx) {
      calls.create++;
      calls.createdIds.push(request.id);
      inFlight++;
      calls.maxInFlight = Math.max(calls.maxInFlight, inFlight);
      return inner.createTask(request, ctx);
    },
    async pollTask(taskId, request, ctx) {
      calls.poll++;
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      inFlight--;
      if (options.failIds?.includes(request.id))
        return { state: 'failed', message: 'the model refused', code: '2038' };
      return inner.pollTask(taskId, request, ctx);
    },
    async download(output, destination, ctx) {
      calls.download++;
      return inner.download(output, destination, ctx);
    },
  };
  return { provider, calls };
}

/** A small manifest on the placeholder provider with cheap 1k images. */
export const SMALL_MANIFEST = `version: 1
provider:
  name: placeholder
outDir: generated
defaults:
  resolution: 1k
  output: { format: webp, quality: 70 }
images:
  hero:
    prompt: A city at sunset
    seed: 1
    aspectRatio: "16:9"
    output: { format: webp, widths: [320, 640] }
  icons/star:
    prompt: A star icon
    seed: 2
    aspectRatio: "1:1"
    output: { format: png, width: 128 }
  card:
    prompt: A card
    output: { format: jpeg, width: 300 }
`;
