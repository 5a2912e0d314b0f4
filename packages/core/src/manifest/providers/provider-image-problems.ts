import type { Diagnostic } from '../../errors.js';
import { geminiImageProblems } from './gemini-image-problems.js';
import type { Locate, ProviderCheckInput } from './provider-check-input.js';

export type { Locate, ProviderCheckInput } from './provider-check-input.js';

/**
 * What the manifest's provider cannot draw as written (a size its model lacks, more
 * references than it takes, a reference format it refuses), each at the line that asks for it.
 * Pure. A provider plugs its own check in here; one without any has nothing to say.
 */
export function providerImageProblems(input: ProviderCheckInput, locate: Locate): Diagnostic[] {
  switch (input.main.provider.name) {
    case 'gemini':
      return geminiImageProblems(input, locate);
    default:
      return [];
  }
}
