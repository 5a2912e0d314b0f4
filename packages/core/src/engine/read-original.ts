import { PixlockError } from '../errors.js';
import type { LockedOriginal } from '../lock/lockfile.js';
import type { OriginalsStore } from './ports.js';

/**
 * Reads a kept original back for reprocessing, restoring or a reference, verified against its
 * hash by the store. A missing or damaged one is ORIGINAL_MISSING, named as the store names it
 * and with what brings it back.
 */
export async function readOriginal(
  originals: OriginalsStore,
  id: string,
  original: LockedOriginal,
): Promise<Buffer> {
  const read = await originals.get(original);
  if (read.status === 'found') return read.bytes;
  const what =
    read.status === 'missing' ? 'is missing' : 'is damaged (its bytes do not match its hash)';
  throw new PixlockError(
    'ORIGINAL_MISSING',
    `${originals.locate(original)} ${what}: ${originals.recovery(original)} or generate the image again (pixlock generate --force ${id}, which spends credits)`,
  );
}
