import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { ImageProvider } from './image-provider.js';
import { resolveKinoviConfig } from './kinovi/kinovi-config.js';
import { kinoviProvider } from './kinovi/kinovi-provider.js';
import { placeholderProvider } from './placeholder/placeholder-provider.js';
import { readDotenv, type ProviderEnvironment } from './provider-environment.js';

/**
 * Builds the provider a manifest names. For kinovi, settings come from `env` (default
 * `process.env`) and the `.env` file beside the manifest, if there is one.
 * @throws PixlockError PROVIDER_AUTH when kinovi has no API key, saying how to set one.
 */
export async function createProvider(
  manifest: ResolvedManifest,
  env: ProviderEnvironment = process.env,
  clock: Clock = systemClock,
): Promise<ImageProvider> {
  switch (manifest.provider.name) {
    case 'placeholder':
      return placeholderProvider();
    case 'kinovi': {
      const dotenv = await readDotenv(manifest.file);
      const config = resolveKinoviConfig({
        settings: manifest.provider,
        manifestFile: manifest.file,
        env,
        dotenv,
      });
      return kinoviProvider(config, { clock });
    }
  }
}
