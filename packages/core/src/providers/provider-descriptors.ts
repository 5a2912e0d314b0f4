import type { ProviderName, ResolvedProvider } from '../manifest/providers/provider-settings.js';
import { geminiDescriptor } from './gemini/gemini-descriptor.js';
import { kinoviDescriptor } from './kinovi/kinovi-descriptor.js';
import { placeholderDescriptor } from './placeholder/placeholder-descriptor.js';
import type { ProviderDescriptor } from './provider-descriptor.js';

/**
 * Every provider's descriptor, by its manifest name. The type makes a provider named in the
 * manifest's union (manifest/providers/provider-settings.ts) without a descriptor here, or
 * with one for other settings, a compile error.
 */
export const PROVIDER_DESCRIPTORS: {
  readonly [N in ProviderName]: ProviderDescriptor<Extract<ResolvedProvider, { name: N }>>;
} = {
  placeholder: placeholderDescriptor,
  kinovi: kinoviDescriptor,
  gemini: geminiDescriptor,
};

/** The descriptor of the provider that `settings` names. */
export function descriptorOf<S extends ResolvedProvider>(settings: S): ProviderDescriptor<S> {
  return PROVIDER_DESCRIPTORS[settings.name] as unknown as ProviderDescriptor<S>;
}
