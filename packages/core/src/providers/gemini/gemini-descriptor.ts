import { GEMINI_DEFAULT_MODEL } from '../../manifest/providers/gemini-models.js';
import {
  geminiSettingsSchema,
  type ResolvedGeminiSettings,
} from '../../manifest/providers/gemini-settings.js';
import { priceListOf } from '../../pricing/price-table.js';
import type { ProviderDescriptor } from '../provider-descriptor.js';
import { GEMINI_BATCH_CAPABILITIES } from './gemini-batch.js';
import { resolveGeminiConfig } from './gemini-config.js';
import { GEMINI_INTERACTIVE_CAPABILITIES } from './gemini-interactive.js';
import { geminiProvider } from './gemini-provider.js';

/** Google's Gemini API: key from the environment or `.env`, billed in US dollars. */
export const geminiDescriptor: ProviderDescriptor<ResolvedGeminiSettings> = {
  name: 'gemini',
  settingsSchema: geminiSettingsSchema,
  defaultModel: GEMINI_DEFAULT_MODEL,
  prices: priceListOf('gemini'),
  capabilities: (settings) =>
    settings.mode === 'batch' ? GEMINI_BATCH_CAPABILITIES : GEMINI_INTERACTIVE_CAPABILITIES,
  async create(setup) {
    const config = resolveGeminiConfig({
      settings: setup.settings,
      manifestFile: setup.manifestFile,
      env: setup.env,
      dotenv: await setup.dotenv(),
    });
    return geminiProvider(config, { clock: setup.clock });
  },
};
