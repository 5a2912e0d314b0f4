import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { readRegularFile } from '../disk/read-regular-file.js';
import { errorMessage, PixlockError } from '../errors.js';

/** Environment variables a provider may read (secrets live here, never in the manifest). */
export type ProviderEnvironment = Readonly<Record<string, string | undefined>>;

/** Path of the `.env` file read for a manifest: the one beside it. */
export function dotenvPathFor(manifestFile: string): string {
  return join(dirname(manifestFile), '.env');
}

const DOTENV_MAX_BYTES = 1 << 20;

/**
 * The variables of the `.env` file beside the manifest, or undefined when there is none.
 * @throws PixlockError USAGE when it exists but cannot be read.
 */
export async function readDotenv(manifestFile: string): Promise<ProviderEnvironment | undefined> {
  const path = dotenvPathFor(manifestFile);
  try {
    // May be a link (a shared .env), but never a FIFO or device that hangs or floods the read.
    const bytes = await readRegularFile(path, { maxBytes: DOTENV_MAX_BYTES, follow: true });
    return parseEnv(bytes.toString('utf8'));
  } catch (error) {
    // No .env is the common case (the key is in the environment); anything else is worth seeing.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PixlockError('USAGE', `cannot read ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
