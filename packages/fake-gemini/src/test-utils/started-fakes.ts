import { afterEach } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fake-gemini-server.js';
import type { FakeGeminiOptions } from '../options.js';

/**
 * A `start(options)` for a test file: fast timings by default (`defaults`), and every server
 * it started closed after each test.
 */
export function startedFakes(defaults: Partial<FakeGeminiOptions>) {
  const running: FakeGemini[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((g) => g.close()));
  });
  return async (options: Partial<FakeGeminiOptions> = {}): Promise<FakeGemini> => {
    const gemini = await startFakeGemini({ ...defaults, ...options });
    running.push(gemini);
    return gemini;
  };
}
