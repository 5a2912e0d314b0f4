import {
  KINOVI_DEFAULT_MODEL,
  kinoviSettingsSchema,
  type ResolvedKinoviSettings,
} from '../../manifest/providers/kinovi-settings.js';
import { priceListOf } from '../../pricing/price-table.js';
import type { ProviderDescriptor } from '../provider-descriptor.js';
import { resolveKinoviConfig } from './kinovi-config.js';
import { KINOVI_CAPABILITIES, kinoviProvider } from './kinovi-provider.js';

/** The kinovi jobs API: key from the environment or `.env`, billed in credits. */
export const kinoviDescriptor: ProviderDescriptor<ResolvedKinoviSettings> = {
  name: 'kinovi',
  settingsSchema: kinoviSettingsSchema,
  defaultModel: KINOVI_DEFAULT_MODEL,
  prices: priceListOf('kinovi'),
  capabilities: () => KINOVI_CAPABILITIES,
  async create(setup) {
    const config = resolveKinoviConfig({
      settings: setup.settings,
      manifestFile: setup.manifestFile,
      env: setup.env,
      dotenv: await setup.dotenv(),
    });
    return kinoviProvider(config, { clock: setup.clock });
  },
};
