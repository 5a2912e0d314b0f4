import { startFakeGemini, type FakeGemini, type FakeGeminiOptions } from '@pixlock/fake-gemini';
import type { GeminiMode } from '../manifest/providers/gemini-settings.js';
import type { GeminiConfig } from '../providers/gemini/gemini-config.js';
import { geminiProvider } from '../providers/gemini/gemini-provider.js';
import type { HttpDeps } from '../http/http-deps.js';
import type {
  GenerationRequest,
  ImageProvider,
  ProviderCallContext,
} from '../providers/image-provider.js';
import {
  FAST_FAKE,
  GEMINI_TEST_KEY,
  GEMINI_TEST_MODEL,
  testGeminiConfig,
} from './gemini-harness.js';

/** What the gemini client tests share: one fake at a time, a call context and a request. */
export interface GeminiClients {
  /** Starts a fake (closing none: call `close` after each test) and a client against it. */
  client(
    mode: GeminiMode,
    options?: Partial<FakeGeminiOptions>,
    config?: Partial<GeminiConfig>,
    deps?: Partial<HttpDeps>,
  ): Promise<{ fake: FakeGemini; provider: ImageProvider }>;
  /** The fake the last `client` started, if still open. */
  current(): FakeGemini | undefined;
  /** Closes the fake the last `client` started. */
  close(): Promise<void>;
  /** A call context that records each task name it is told. */
  ctx: ProviderCallContext;
  /** A 1k square request on the test model, with `over` laid on top. */
  request(over?: Partial<GenerationRequest>): GenerationRequest;
}

/** The shared setup of the gemini client tests (interactive and batch). */
export function geminiClients(): GeminiClients {
  let fake: FakeGemini | undefined;
  const names: string[] = [];
  return {
    async client(mode, options = {}, config = {}, deps = {}) {
      fake = await startFakeGemini({ ...FAST_FAKE, apiKeys: [GEMINI_TEST_KEY], ...options });
      return { fake, provider: geminiProvider(testGeminiConfig(fake, mode, config), deps) };
    },
    current: () => fake,
    async close() {
      await fake?.close();
      fake = undefined;
    },
    ctx: {
      signal: new AbortController().signal,
      recordTask: (id) => (names.push(id), Promise.resolve()),
    },
    request: (over = {}) => ({
      id: 'hero',
      model: GEMINI_TEST_MODEL,
      prompt: 'a lighthouse at dawn',
      seed: 7,
      aspectRatio: '1:1',
      resolution: '1k',
      references: [],
      ...over,
    }),
  };
}
