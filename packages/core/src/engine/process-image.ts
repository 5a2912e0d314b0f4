import { originalRelPath } from '../disk/project-paths.js';
import { PixlockError } from '../errors.js';
import type { LockEntry, LockedOriginal } from '../lock/lockfile.js';
import type { ResolvedImage } from '../manifest/resolved-manifest.js';
import { outputHash } from '../plan/hashes.js';
import { outputFiles } from '../plan/output-files.js';
import type { DecodedOriginal } from './decode-original.js';
import { makeOutputs } from './make-outputs.js';
import { sha256 } from '../util/sha256.js';
import type { RunContext } from './run-context.js';

/**
 * Makes and writes every output of an image from its decoded original, removes outputs the
 * new options no longer produce, and returns the lock entry's output section.
 */
export async function writeOutputs(
  ctx: RunContext,
  image: ResolvedImage,
  decoded: DecodedOriginal,
  previous: LockEntry | undefined,
): Promise<LockEntry['output']> {
  const specs = outputFiles(ctx.manifest.outDir, image.id, image.output);
  const encoded = await ctx.cpuLimit(() => makeOutputs(decoded, image.output, specs));
  for (const file of encoded) await ctx.store.writeOutput(file.path, file.data);
  const kept = new Set(specs.map((s) => s.path));
  for (const old of previous?.output.files ?? []) {
    if (!kept.has(old.path)) await ctx.store.removeOutput(old.path);
  }
  return {
    hash: outputHash(image.output),
    files: encoded.map(({ path, sha256, width, height, bytes }) => ({
      path,
      sha256,
      width,
      height,
      bytes,
    })),
  };
}

/** Reads a kept original back for reprocessing or restoring, checked against its hash. */
export async function readOriginal(
  ctx: RunContext,
  id: string,
  original: LockedOriginal,
): Promise<Buffer> {
  const file = originalRelPath(original.sha256, original.mediaType);
  const restore = `restore it from git (git checkout -- ${file}) or generate the image again (pixlock generate --force ${id}, which spends credits)`;
  let bytes: Buffer;
  try {
    bytes = await ctx.store.readOriginal(original.sha256, original.mediaType);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new PixlockError('ORIGINAL_MISSING', `${file} is missing: ${restore}`);
  }
  // The name says what the bytes must be: a damaged original never makes outputs.
  if (sha256(bytes) !== original.sha256) {
    throw new PixlockError(
      'ORIGINAL_MISSING',
      `${file} is damaged (its bytes do not match its hash): ${restore}`,
    );
  }
  return bytes;
}
