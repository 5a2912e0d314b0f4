import { PixlockError } from '../errors.js';
import type { ResolvedManifest } from '../manifest/resolved-manifest.js';
import type { ImageProvider } from './image-provider.js';
import { placeholderProvider } from './placeholder/placeholder-provider.js';

/** Environment variables a provider may read (secrets live here, never in the manifest). */
export type ProviderEnvironment = Readonly<Record<string, string | undefined>>;

/** Builds the provider a manifest names. */
export async function createProvider(
  manifest: ResolvedManifest,
  _env?: ProviderEnvironment,
): Promise<ImageProvider> {
  switch (manifest.provider.name) {
    case 'placeholder':
      return placeholderProvider();
    case 'kinovi':
      throw new PixlockError('USAGE', 'the kinovi provider is not available yet');
  }
}
