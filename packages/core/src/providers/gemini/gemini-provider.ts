import { httpDeps, type HttpDeps } from '../../http/http-deps.js';
import type { ImageProvider } from '../image-provider.js';
import { geminiBatch } from './gemini-batch.js';
import { geminiClient } from './gemini-client.js';
import type { GeminiConfig } from './gemini-config.js';
import { geminiInteractive } from './gemini-interactive.js';

/**
 * Google's Gemini API as an {@link ImageProvider}, in the config's mode: interactive (one
 * generateContent per image) or batch (batch jobs at half the price).
 * @throws TypeError when the config is malformed.
 */
export function geminiProvider(config: GeminiConfig, deps: Partial<HttpDeps> = {}): ImageProvider {
  if (typeof config?.apiKey !== 'string' || config.apiKey.trim() === '')
    throw new TypeError('geminiProvider: apiKey must be a non-empty string');
  if (typeof config.root !== 'string' || !URL.canParse(config.root))
    throw new TypeError('geminiProvider: root must be a URL');
  for (const [name, value] of Object.entries({
    pollIntervalMs: config.pollIntervalMs,
    timeoutMs: config.timeoutMs,
  })) {
    if (!(Number.isFinite(value) && value >= 0))
      throw new TypeError(`geminiProvider: ${name} must be a finite number >= 0, got ${value}`);
  }
  const client = geminiClient(config, httpDeps(deps));
  return config.mode === 'batch' ? geminiBatch(client) : geminiInteractive(client);
}
