import { describe } from 'vitest';
import { providerContract } from '../../test-utils/provider-contract.js';
import { memoryProvider, memoryServer, type MemoryProviderOptions } from './memory-provider.js';

const KEY = 'mem-key/contract+9a41';

// A provider of another shape than kinovi's (references inline, results as bytes), driven
// both ways the engine knows: tasks polled to their end, and synchronous calls.
describe.each<MemoryProviderOptions['calls']>(['task', 'sync'])('%s calls', (calls) => {
  providerContract(`the in-memory provider (${calls})`, {
    async setup() {
      const server = memoryServer([KEY]);
      const client = (name?: string) =>
        memoryProvider(server, { key: KEY, calls, ...(name && { name }) });
      return {
        provider: client(),
        declared: { references: 'inline', results: 'bytes', calls },
        listPrice: () => 15,
        again: async () => client(),
        creates: () => server.creates,
        received: async (taskId) => server.tasks.get(taskId)?.received ?? [],
        // It stands in for the provider the manifest names, as the engine's fakes do, so the
        // lock and the plan agree on its name.
        project: { settings: 'name: kinovi', env: {}, provider: client('kinovi') },
        faults: {
          key: KEY,
          loseNextCreateAnswer: () => server.injectOnce({ on: 'create', kind: 'answer-lost' }),
          failNext: (on) => server.injectOnce({ on, kind: 'unavailable' }),
          rejectNextCreate: (text) => server.injectOnce({ on: 'create', kind: 'rejected', text }),
          async withRefusedKey() {
            server.keys.clear();
            return client();
          },
        },
      };
    },
    async teardown() {},
  });
});
