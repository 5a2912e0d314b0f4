import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { ImageProvider } from './image-provider.js';
import { descriptorOf } from './provider-descriptors.js';
import { readDotenv, type ProviderEnvironment } from './provider-environment.js';

/**
 * Builds the provider a manifest names, through its descriptor. Settings come from the
 * manifest, secrets from `env` (default `process.env`) and the `.env` file beside the
 * manifest, read only by a provider that asks for it.
 * @throws PixlockError PROVIDER_AUTH when a provider that needs a key has none, saying how
 * to set one; USAGE for a key or endpoint it may not use.
 */
export async function createProvider(
  manifest: ResolvedManifest,
  env: ProviderEnvironment = process.env,
  clock: Clock = systemClock,
): Promise<ImageProvider> {
  return descriptorOf(manifest.provider).create({
    settings: manifest.provider,
    manifestFile: manifest.file,
    env,
    dotenv: () => readDotenv(manifest.file),
    clock,
  });
}
