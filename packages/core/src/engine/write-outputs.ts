import { encoderSettings } from './encoder-settings.js';
import type { LockEntry } from '../lock/lockfile.js';

type LockedFile = LockEntry['output']['files'][number];
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { outputHash } from '../plan/hashes.js';
import { outputFiles } from '../manifest/output-files.js';
import { sha256 } from '../util/sha256.js';
import type { DecodedImage, ImageCodec, OutputFiles } from './ports.js';
import { removeOldFolders } from './remove-old-folders.js';

/**
 * Encodes and writes every output of an image (each format, each width) from its decoded
 * pixels, removes outputs the new options (or a new outDir) no longer produce, and returns the lock entry's
 * output section. An encoded file is dropped as soon as it is written; only its hash and size
 * are kept. With `only`, just those paths are encoded: the others the previous entry records
 * are in place already (restored from the store).
 */
export async function writeOutputs(
  codec: ImageCodec,
  store: OutputFiles,
  outDir: string,
  image: ResolvedImage,
  decoded: DecodedImage,
  previous: LockEntry | undefined,
  only?: ReadonlySet<string>,
): Promise<LockEntry['output']> {
  const { output } = image;
  // Sizes are clamped to the pixels really decoded, not to what the resolution promised.
  const specs = outputFiles(outDir, image.id, output, decoded);
  const kept = new Map(previous?.output.files.map((f) => [f.path, f]));
  // Settled, not Promise.all: when one file fails, none of the others may still be writing
  // after this returns (a caller would otherwise see files appear after the failure).
  const settled = await Promise.allSettled(
    specs.map(async (spec) => {
      // Restored already (from the store): the lock's record of it stands.
      const restored = only && !only.has(spec.path) ? kept.get(spec.path) : undefined;
      if (restored) return restored;
      const encoded = await codec.encode(decoded, {
        ...(spec.width !== undefined && { width: spec.width }),
        ...(spec.height !== undefined && { height: spec.height }),
        fit: output.fit,
        format: spec.format,
        ...encoderSettings(output, spec.format),
        ...(output.position !== undefined && { position: output.position }),
        ...(output.background !== undefined && { background: output.background }),
      });
      await store.writeOutput(spec.path, encoded.data);
      return {
        path: spec.path,
        sha256: sha256(encoded.data),
        width: encoded.width,
        height: encoded.height,
        bytes: encoded.data.length,
      };
    }),
  );
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  const files = settled.map((r) => (r as PromiseFulfilledResult<LockedFile>).value);
  const made = new Set(specs.map((s) => s.path));
  // Only the bytes the lock says it wrote (the store checks): a file edited since, or named
  // by a lock in a folder an earlier outDir held, is not pixlock's to delete.
  const removed: string[] = [];
  for (const old of previous?.output.files ?? []) {
    if (!made.has(old.path) && (await store.removeOutput(old.path, old.sha256)))
      removed.push(old.path);
  }
  await removeOldFolders(store, removed, image.id, outDir);
  return { hash: outputHash(output, decoded), files };
}
