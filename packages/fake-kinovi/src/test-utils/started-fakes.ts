import { startedFakes as started } from '@pixlock/fake-http-kit/test-utils';
import { startFakeKinovi } from '../fake-kinovi-server.js';
import type { FakeKinoviOptions } from '../options.js';

/**
 * A `start(options)` for a test file: fast timers by default (`defaults`), and every server
 * it started closed after each test.
 */
export const startedFakes = (defaults: Partial<FakeKinoviOptions>) =>
  started(startFakeKinovi, defaults);
