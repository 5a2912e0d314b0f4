import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The example app the tests build: examples/vite-app. */
export const EXAMPLE_DIR = fileURLToPath(new URL('../../../../examples/vite-app', import.meta.url));

/** A throwaway copy of the example, to edit and build without touching the original. */
export interface ExampleCopy {
  dir: string;
  /** Absolute path of its pixlock.yaml. */
  config: string;
  read(rel: string): Promise<string>;
  write(rel: string, text: string): Promise<void>;
  /** Replaces text in a file; fails when `from` is not there, so a stale test is loud. */
  edit(rel: string, from: string, to: string): Promise<void>;
  cleanup(): Promise<void>;
}

/** Copies the example (lock, originals and outputs included; no node_modules or caches). */
export async function copyExample(): Promise<ExampleCopy> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-vite-'));
  await cp(EXAMPLE_DIR, dir, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist|cache|tmp)$/.test(src),
  });
  const read = (rel: string) => readFile(path.join(dir, rel), 'utf8');
  const write = (rel: string, text: string) => writeFile(path.join(dir, rel), text);
  return {
    dir,
    config: path.join(dir, 'pixlock.yaml'),
    read,
    write,
    async edit(rel, from, to) {
      const text = await read(rel);
      if (!text.includes(from)) throw new Error(`${rel} does not contain ${JSON.stringify(from)}`);
      await write(rel, text.replace(from, to));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A temp folder for build output. */
export async function tempOutDir(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-vite-out-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
