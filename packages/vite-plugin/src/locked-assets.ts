import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ImageAssetFile } from '@pixlock/core';

// Vite's placeholder for an emitted file's URL in JS (what its own `?url` imports and
// vite-imagetools use): replaced after chunking with the final URL, under `base` and through
// `experimental.renderBuiltUrl`.
const assetUrl = (referenceId: string) => JSON.stringify(`__VITE_ASSET__${referenceId}__`);

/** The part of Rollup's plugin context this needs (a build's `load` and `generateBundle`). */
export interface EmitContext {
  emitFile(file: {
    type: 'asset';
    name: string;
    originalFileName: string;
    source: Uint8Array;
  }): string;
  getFileName(referenceId: string): string;
}

/** One output chunk or asset of the bundle, as `generateBundle` sees it. */
type BundleItem = { type: 'asset'; source: string | Uint8Array } | { type: 'chunk' };

/**
 * The output files of one build, emitted by pixlock itself rather than imported: a module
 * that imported `hero.avif?url` handed the file to every plugin that transforms image imports
 * (vite-imagetools re-encoded it as a smaller `.heif`), so what shipped was not what the lock
 * records. Each file is read and checked against the lock's sha256 when emitted; after every
 * other plugin's `generateBundle` (vite-plugin-image-optimizer re-encodes every image in the
 * bundle there), {@link restore} puts back any bytes another plugin changed.
 */
export function lockedAssets(root: string) {
  const emitted = new Map<string, { file: string; sha256: string }>();
  return {
    /** Emits one output file; the JS expression that gives its URL. */
    async emit(context: EmitContext, file: ImageAssetFile): Promise<string> {
      const source = await readFile(file.file);
      if (sha256(source) !== file.sha256) throw changedOnDisk(root, file.file);
      const referenceId = context.emitFile({
        type: 'asset',
        name: path.basename(file.file),
        originalFileName: path.relative(root, file.file).split(path.sep).join('/'),
        source,
      });
      emitted.set(referenceId, { file: file.file, sha256: file.sha256 });
      return assetUrl(referenceId);
    },

    /**
     * Puts the locked bytes back into every asset pixlock emitted that another plugin changed;
     * the bundle file names of those it restored.
     */
    async restore(context: EmitContext, bundle: Record<string, BundleItem>): Promise<string[]> {
      const restored: string[] = [];
      for (const [referenceId, { file, sha256: locked }] of emitted) {
        const name = context.getFileName(referenceId);
        const item = bundle[name];
        if (item?.type !== 'asset' || sha256(item.source) === locked) continue;
        // Read again rather than held since emit: a big site's outputs need not sit in memory
        // twice. Checked again, so a file changed meanwhile fails the build instead of shipping.
        const source = await readFile(file);
        if (sha256(source) !== locked) throw changedOnDisk(root, file);
        item.source = source;
        restored.push(name);
      }
      return restored;
    },
  };
}

/** What {@link lockedAssets} returns. */
export type LockedAssets = ReturnType<typeof lockedAssets>;

function changedOnDisk(root: string, file: string): Error {
  return new Error(
    `${path.relative(root, file)} does not hold the bytes pixlock.lock records (it changed after the build brought it up to date); run pixlock generate`,
  );
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
