import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { ImageCodec } from '../engine/ports.js';
import { sharpCodec } from '../codec/sharp-codec.js';
import { startStoreHarness, type StoreHarness } from '../remote-store/test-utils/store-harness.js';
import { storeKeyPath, type StoreKey } from '../remote-store/store-key.js';
import { SMALL_MANIFEST, tempProject, type TempProject } from './temp-project.js';
import type { GenerateOptions } from '../project/generate.js';

/** A temp project whose manifest names a store on a fake S3 (s3rver behind its fault proxy). */
export interface StoreProject {
  h: StoreHarness;
  p: TempProject;
  /** The environment a run is given: the fake's endpoint (credentials are in process.env). */
  env: Record<string, string>;
  /** Options every generate of the project takes: env, and retries that do not sleep. */
  options: Pick<GenerateOptions, 'env' | 'storeOptions' | 'codec'>;
  /** Encodes and decodes done by the codec so far. */
  codecCalls: { encode: number; decode: number };
  /** Whether the store holds the object (asked straight, on a store of its own). */
  holds(key: StoreKey): Promise<boolean>;
  /** A new folder holding only the manifest and the lock (a fresh clone of a repository). */
  freshClone(): Promise<TempProject>;
  /** Files below `rel` of a project, sorted. */
  files(project: TempProject, rel: string): Promise<string[]>;
  close(): Promise<void>;
}

/** SMALL_MANIFEST (or `manifest`, with `outDir: generated`) with `store:` (`outputs: true` unless told) at `s3://<bucket>/team/site`. */
export async function storeProject(
  opts: { outputs?: boolean; manifest?: string } = {},
): Promise<StoreProject> {
  const h = await startStoreHarness();
  const block = `store:\n  url: s3://${h.s3.bucket}/team/site\n  outputs: ${opts.outputs ?? true}\n`;
  const p = await tempProject({
    'pixlock.yaml': (opts.manifest ?? SMALL_MANIFEST).replace(
      'outDir: generated\n',
      `outDir: generated\n${block}`,
    ),
  });
  const env = { AWS_ENDPOINT_URL_S3: h.s3.endpoint, AWS_REGION: 'us-east-1' };
  const codecCalls = { encode: 0, decode: 0 };
  const sharp = sharpCodec();
  const codec: ImageCodec = {
    decode: (bytes) => (codecCalls.decode++, sharp.decode(bytes)),
    encode: (image, spec) => (codecCalls.encode++, sharp.encode(image, spec)),
  };
  const clones: TempProject[] = [];
  return {
    h,
    p,
    env,
    codecCalls,
    options: {
      env,
      codec,
      storeOptions: { clock: { sleep: async () => {} }, requestTimeoutMs: 2000 },
    },
    async holds(key) {
      return (await h.store.hasMany([key])).has(storeKeyPath(key));
    },
    async freshClone() {
      const clone = await tempProject({
        'pixlock.yaml': await p.read('pixlock.yaml'),
        'pixlock.lock': await p.read('pixlock.lock'),
      });
      clones.push(clone);
      return clone;
    },
    async files(project, rel) {
      const found = await readdir(path.join(project.dir, rel), { recursive: true }).catch(
        () => [] as string[],
      );
      return found.map((f) => f.split(path.sep).join('/')).sort();
    },
    async close() {
      for (const c of clones) await c.cleanup();
      await p.cleanup();
      await h.close();
    },
  };
}
