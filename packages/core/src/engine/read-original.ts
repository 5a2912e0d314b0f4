import { originalRelPath } from '../disk/project-paths.js';
import { PixlockError } from '../errors.js';
import type { LockedOriginal } from '../lock/lockfile.js';
import { sha256 } from '../util/sha256.js';
import type { ProjectStore } from './ports.js';

/** Reads a kept original back for reprocessing or restoring, checked against its hash. */
export async function readOriginal(
  store: ProjectStore,
  id: string,
  original: LockedOriginal,
): Promise<Buffer> {
  const file = originalRelPath(original.sha256, original.mediaType);
  const restore = `restore it from git (git checkout -- ${file}) or generate the image again (pixlock generate --force ${id}, which spends credits)`;
  let bytes: Buffer;
  try {
    bytes = await store.readOriginal(original.sha256, original.mediaType);
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
