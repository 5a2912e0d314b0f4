import { afterEach } from 'vitest';
import { startFakeKinovi, type FakeKinovi } from '../fake-kinovi-server.js';
import type { FakeKinoviOptions } from '../options.js';

/**
 * A `start(options)` for a test file: fast timers by default (`defaults`), and every server
 * it started closed after each test.
 */
export function startedFakes(defaults: Partial<FakeKinoviOptions>) {
  const running: FakeKinovi[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((k) => k.close()));
  });
  return async (options: Partial<FakeKinoviOptions> = {}): Promise<FakeKinovi> => {
    const kinovi = await startFakeKinovi({ ...defaults, ...options });
    running.push(kinovi);
    return kinovi;
  };
}
