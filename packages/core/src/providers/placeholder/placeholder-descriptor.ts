import {
  PLACEHOLDER_DEFAULT_MODEL,
  placeholderSettingsSchema,
  type ResolvedPlaceholderSettings,
} from '../../manifest/providers/placeholder-settings.js';
import { priceListOf } from '../../pricing/price-table.js';
import type { ProviderDescriptor } from '../provider-descriptor.js';
import { PLACEHOLDER_CAPABILITIES, placeholderProvider } from './placeholder-provider.js';

/** The offline placeholder: no key, no network, no cost. */
export const placeholderDescriptor: ProviderDescriptor<ResolvedPlaceholderSettings> = {
  name: 'placeholder',
  settingsSchema: placeholderSettingsSchema,
  defaultModel: PLACEHOLDER_DEFAULT_MODEL,
  prices: priceListOf('placeholder'),
  capabilities: () => PLACEHOLDER_CAPABILITIES,
  create: () => Promise.resolve(placeholderProvider()),
};
