import { startFakeKinovi, type FakeKinovi } from '@pixlock/fake-kinovi';
import { imagePrice } from '../../pricing/price-table.js';
import { providerContract } from '../../test-utils/provider-contract.js';
import { kinoviDescriptor } from './kinovi-descriptor.js';
import { kinoviProvider } from './kinovi-provider.js';

// `/` and `+` make the key's encodings (JSON-escaped, URL-encoded) differ from it.
const KEY = 'sk-live/contract+key_51c2';
let fake: FakeKinovi | undefined;

providerContract('kinovi over its fake server', {
  async setup() {
    const server = await startFakeKinovi({ apiKeys: [KEY], queueMs: 5, latencyMs: 5 });
    fake = server;
    // One try per call, so a fault comes back as the code the engine acts on rather than
    // being retried away inside the call (the retries have tests of their own).
    const client = (apiKey = KEY) =>
      kinoviProvider({
        apiKey,
        baseUrl: server.baseUrl,
        pollIntervalMs: 5,
        timeoutMs: 10_000,
        retry: { attempts: 1, baseMs: 1, capMs: 1 },
      });
    return {
      provider: client(),
      declared: kinoviDescriptor.capabilities({ name: 'kinovi', model: 'nanobanana2' }),
      listPrice: (r) => imagePrice({ name: 'kinovi', model: r.model }, r.resolution),
      again: async () => client(),
      creates: () => server.stats.creates,
      received: async (taskId) => server.stats.referencesByTask[taskId] ?? [],
      project: {
        settings: 'name: kinovi, pollInterval: 10',
        env: { KINOVI_API_KEY: KEY, KINOVI_BASE_URL: server.baseUrl },
      },
      faults: {
        key: KEY,
        loseNextCreateAnswer: () =>
          server.injectOnce({ route: 'createTask', afterProcessing: true, kind: 'drop' }),
        failNext: (on) =>
          server.injectOnce({ route: on === 'create' ? 'createTask' : 'recordInfo', status: 503 }),
        rejectNextCreate: (text) =>
          server.injectOnce({ route: 'createTask', status: 400, body: { message: text } }),
        async withRefusedKey() {
          server.configure({ apiKeys: ['sk-someone-else'] });
          return client();
        },
      },
    };
  },
  async teardown() {
    await fake?.close();
    fake = undefined;
  },
});
