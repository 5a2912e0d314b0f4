import type { z } from 'zod';
import type { ResolvedProvider } from '../manifest/providers/provider-settings.js';
import type { PriceList } from '../pricing/price-list.js';
import type { Clock } from '../util/clock.js';
import type { ImageProvider } from './image-provider.js';
import type { ProviderCapabilities } from './provider-capabilities.js';
import type { ProviderEnvironment } from './provider-environment.js';

/** What a provider's factory is given to build the client. */
export interface ProviderSetup<S extends ResolvedProvider = ResolvedProvider> {
  /** The manifest's `provider:`, this provider's defaults applied. */
  settings: S;
  /** The main manifest file: messages name it, and its `.env` is the one beside it. */
  manifestFile: string;
  /** The process environment (secrets come from here or the `.env`, never the manifest). */
  env: ProviderEnvironment;
  /** Reads the `.env` beside the manifest, when the provider needs it: undefined if none. */
  dotenv(): Promise<ProviderEnvironment | undefined>;
  /** The run's clock: every request, download and backoff deadline runs on it. */
  clock: Clock;
}

/**
 * Everything pixlock knows about one provider, in one place. The engine never reads a
 * provider's name: it drives the {@link ImageProvider} this builds by its capabilities, and
 * plan and engine price images from the price table. Each part lives in the layer that needs
 * it (the settings in manifest/providers/, the prices in pricing/), and the descriptor names
 * them, so adding a provider touches no engine, plan or manifest code outside those lists.
 */
export interface ProviderDescriptor<S extends ResolvedProvider = ResolvedProvider> {
  /** Its name in the manifest (`provider: { name }`) and in the lock. */
  name: S['name'];
  /** Its `provider:` block: one option of the manifest's discriminated union. */
  settingsSchema: z.ZodType;
  /** The model recorded when the manifest names none. */
  defaultModel: string;
  /** Its published prices and their currency. */
  prices: PriceList;
  /**
   * How it takes references, gives results and is driven, with these settings (a provider
   * with modes, like gemini's interactive and batch, is driven differently in each).
   */
  capabilities(settings: S): ProviderCapabilities;
  /**
   * Builds the client from the manifest's settings and the environment.
   * @throws PixlockError PROVIDER_AUTH (no key) or USAGE (a key or endpoint it may not use).
   */
  create(setup: ProviderSetup<S>): Promise<ImageProvider>;
}
