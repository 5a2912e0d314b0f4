import { readRegularFile } from '../disk/read-regular-file.js';
import { errorMessage, PixlockError } from '../errors.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { ImageProvider } from './image-provider.js';
import { dotenvPathFor, resolveKinoviConfig } from './kinovi/kinovi-config.js';
import { kinoviProvider } from './kinovi/kinovi-provider.js';
import { placeholderProvider } from './placeholder/placeholder-provider.js';

/** Environment variables a provider may read (secrets live here, never in the manifest). */
export type ProviderEnvironment = Readonly<Record<string, string | undefined>>;

/**
 * Builds the provider a manifest names. For kinovi, settings come from `env` (default
 * `process.env`) and the `.env` file beside the manifest, if there is one.
 * @throws PixlockError PROVIDER_AUTH when kinovi has no API key, saying how to set one.
 */
export async function createProvider(
  manifest: ResolvedManifest,
  env: ProviderEnvironment = process.env,
): Promise<ImageProvider> {
  switch (manifest.provider.name) {
    case 'placeholder':
      return placeholderProvider();
    case 'kinovi': {
      const dotenv = await readDotenv(dotenvPathFor(manifest.file));
      return kinoviProvider(resolveKinoviConfig(manifest, env, dotenv));
    }
  }
}

const DOTENV_MAX_BYTES = 1 << 20;

async function readDotenv(path: string): Promise<string | undefined> {
  try {
    // May be a link (a shared .env), but never a FIFO or device that hangs or floods the read.
    return (await readRegularFile(path, { maxBytes: DOTENV_MAX_BYTES, follow: true })).toString(
      'utf8',
    );
  } catch (error) {
    // No .env is the common case (the key is in the environment); anything else is worth seeing.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PixlockError('USAGE', `cannot read ${path}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}
