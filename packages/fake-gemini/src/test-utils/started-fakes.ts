import { startedFakes as started } from '@pixlock/fake-http-kit/test-utils';
import { startFakeGemini } from '../fake-gemini-server.js';
import type { FakeGeminiOptions } from '../options.js';

/**
 * A `start(options)` for a test file: fast timings by default (`defaults`), and every server
 * it started closed after each test.
 */
export const startedFakes = (defaults: Partial<FakeGeminiOptions>) =>
  started(startFakeGemini, defaults);
