import { afterEach } from 'vitest';

/**
 * A `start(options)` for a test file: `defaults` under every call's options (fast timers), and
 * every server it started closed after each test.
 */
export function startedFakes<Options, Fake extends { close(): Promise<void> }>(
  startFake: (options: Partial<Options>) => Promise<Fake>,
  defaults: Partial<Options>,
): (options?: Partial<Options>) => Promise<Fake> {
  const running: Fake[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((f) => f.close()));
  });
  return async (options: Partial<Options> = {}): Promise<Fake> => {
    const fake = await startFake({ ...defaults, ...options });
    running.push(fake);
    return fake;
  };
}
