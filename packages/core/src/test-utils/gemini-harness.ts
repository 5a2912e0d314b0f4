import { createHash } from 'node:crypto';
import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '@pixlock/fake-gemini';
import sharp from 'sharp';
import type { GeminiMode } from '../manifest/providers/gemini-settings.js';
import { imagePrice } from '../pricing/price-table.js';
import type { GeminiConfig } from '../providers/gemini/gemini-config.js';
import { geminiDescriptor } from '../providers/gemini/gemini-descriptor.js';
import { geminiProvider } from '../providers/gemini/gemini-provider.js';
import type { HttpDeps } from '../http/http-deps.js';
import type { ImageProvider } from '../providers/image-provider.js';
import type { ContractHarness } from './contract-subject.js';

/** `/` and `+` make the key's encodings (JSON-escaped, URL-encoded) differ from it. */
export const GEMINI_TEST_KEY = 'AIza-test/contract+key_51c2';
/** The model the fake serves whose batch price is exactly half its interactive one. */
export const GEMINI_TEST_MODEL = 'gemini-3-pro-image';
/** A public URL reference the harness serves itself (nothing here reaches the internet). */
export const EXAMPLE_URL_PREFIX = 'https://example.test/';

/** Fast timings for tests: batches end within a few ms, creates are gathered for 5 ms. */
export const FAST_FAKE: Partial<FakeGeminiOptions> = {
  generateLatencyMs: 2,
  batchQueueMs: 5,
  batchRunMs: 5,
};

/**
 * A fetch that serves `https://example.test/<name>.png` as a small PNG (its colour from the
 * name) and passes everything else to the real fetch: URL references without the internet.
 */
export function exampleFetch(): { fetch: typeof fetch; served: Map<string, Buffer> } {
  const served = new Map<string, Buffer>();
  const fetchFn: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(EXAMPLE_URL_PREFIX)) return fetch(input, init);
    const shade = createHash('sha256').update(url).digest()[0]!;
    const bytes = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: shade, g: 80, b: 20 } },
    })
      .png()
      .toBuffer();
    served.set(url, bytes);
    return new Response(new Uint8Array(bytes), {
      status: 200,
      headers: { 'content-type': 'image/png', 'content-length': String(bytes.length) },
    });
  };
  return { fetch: fetchFn, served };
}

/** A gemini client config against `fake`, with fast gathering and one try per call. */
export function testGeminiConfig(
  fake: FakeGemini,
  mode: GeminiMode,
  over: Partial<GeminiConfig> = {},
): GeminiConfig {
  return {
    apiKey: GEMINI_TEST_KEY,
    root: fake.baseUrl,
    apiVersion: 'v1beta',
    mode,
    pollIntervalMs: 5,
    timeoutMs: 20_000,
    gatherMs: 5,
    maxGatherMs: 50,
    retry: { attempts: 1, baseMs: 1, capMs: 1 },
    ...over,
  };
}

/** The contract harness of the gemini provider in one mode, over fake-gemini on loopback. */
export function geminiContractHarness(mode: GeminiMode): ContractHarness {
  let fake: FakeGemini | undefined;
  return {
    namesTasks: mode === 'batch',
    async setup() {
      const server = await startFakeGemini({ ...FAST_FAKE, apiKeys: [GEMINI_TEST_KEY] });
      fake = server;
      const urls = exampleFetch();
      const deps: Partial<HttpDeps> = { fetch: urls.fetch };
      const client = (apiKey = GEMINI_TEST_KEY): ImageProvider =>
        geminiProvider({ ...testGeminiConfig(server, mode), apiKey }, deps);
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      return {
        provider: client(),
        declared: geminiDescriptor.capabilities({ name: 'gemini', model: GEMINI_TEST_MODEL, mode }),
        model: GEMINI_TEST_MODEL,
        listPrice: (r) => imagePrice({ name: 'gemini', model: r.model, mode }, r.resolution),
        again: async () => client(),
        // Each create that may be paid: a processed call, or a batch job.
        creates: () =>
          mode === 'batch' ? server.stats.batchesCreated : server.stats.generatesProcessed,
        async received() {
          const last = server.generations().at(-1);
          const byHash = new Map([...urls.served].map(([url, bytes]) => [sha(bytes), url]));
          return (last?.references ?? []).map((r) => byHash.get(r.sha256) ?? r.sha256);
        },
        project: {
          settings: `name: gemini, model: ${GEMINI_TEST_MODEL}, mode: ${mode}, pollInterval: 10`,
          env: { GEMINI_API_KEY: GEMINI_TEST_KEY, GOOGLE_GEMINI_BASE_URL: server.baseUrl },
        },
        faults: {
          key: GEMINI_TEST_KEY,
          loseNextCreateAnswer: () =>
            server.injectOnce({
              route: mode === 'batch' ? 'batchCreate' : 'generateContent',
              afterProcessing: true,
              kind: 'drop',
            }),
          failNext: (on) =>
            server.injectOnce({
              route:
                on === 'poll' ? 'batchGet' : mode === 'batch' ? 'batchCreate' : 'generateContent',
              status: 503,
            }),
          rejectNextCreate: (text) =>
            server.injectOnce({
              route: mode === 'batch' ? 'batchCreate' : 'generateContent',
              status: 400,
              body: { error: { code: 400, message: text, status: 'INVALID_ARGUMENT' } },
            }),
          async withRefusedKey() {
            server.configure({ apiKeys: ['AIza-someone-else'] });
            return client();
          },
        },
      };
    },
    async teardown() {
      await fake?.close();
      fake = undefined;
    },
  };
}
