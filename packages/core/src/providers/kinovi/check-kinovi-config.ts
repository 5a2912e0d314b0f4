import type { KinoviConfig } from './kinovi-config.js';

/**
 * Refuses a malformed config loudly (a programming error, not a user's: resolveKinoviConfig
 * builds a valid one from the manifest and the environment).
 * @throws TypeError naming the field.
 */
export function checkKinoviConfig(config: KinoviConfig): void {
  if (typeof config?.apiKey !== 'string' || config.apiKey.trim() === '') {
    throw new TypeError('kinoviProvider: apiKey must be a non-empty string');
  }
  if (typeof config.baseUrl !== 'string' || !URL.canParse(config.baseUrl)) {
    throw new TypeError('kinoviProvider: baseUrl must be a URL');
  }
  const counts: [string, number | undefined][] = [
    ['pollIntervalMs', config.pollIntervalMs],
    ['timeoutMs', config.timeoutMs],
    ['requestTimeoutMs', config.requestTimeoutMs],
    ['downloadTimeoutMs', config.downloadTimeoutMs],
    ['maxDownloadBytes', config.maxDownloadBytes],
    ['retry.attempts', config.retry?.attempts],
    ['retry.baseMs', config.retry?.baseMs],
    ['retry.capMs', config.retry?.capMs],
  ];
  for (const [name, value] of counts) {
    const required = name === 'pollIntervalMs' || name === 'timeoutMs';
    if ((required || value !== undefined) && !(Number.isFinite(value) && value! >= 0)) {
      throw new TypeError(`kinoviProvider: ${name} must be a finite number >= 0, got ${value}`);
    }
  }
  if (config.retry?.attempts !== undefined && config.retry.attempts < 1) {
    throw new TypeError('kinoviProvider: retry.attempts must be at least 1');
  }
}
