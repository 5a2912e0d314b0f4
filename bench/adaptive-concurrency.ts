// Benchmark: N images against the fake kinovi server with an account limit of 8 tasks and a
// fixed task latency. Compares pixlock's engine (adaptive concurrency) with the plain pool a
// user would write: a fixed number of workers that wait 1 s after each 429.
// Prints makespan / ideal, where ideal = ceil(N / limit) x latency, and the 429s received.
// Targets: <= 1.1 at concurrency 8, <= 1.15 at 16, and fewer 429s than the plain pool.
// Run: pnpm bench:concurrency [N]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { startFakeKinovi } from '../packages/fake-kinovi/src/index.js';
import {
  generate,
  isPixlockError,
  kinoviProvider,
  type GenerationRequest,
} from '../packages/core/src/index.js';
import { kinoviManifest } from '../packages/core/src/test-utils/kinovi-project.js';

const N = Number(process.argv[2] ?? 200);
const LIMIT = 8;
const LATENCY = 300;
const POLL = 10;
const ideal = Math.ceil(N / LIMIT) * LATENCY;

async function pixlockRun(concurrency: number) {
  const fake = await startFakeKinovi({ concurrencyLimit: LIMIT, queueMs: 0, latencyMs: LATENCY });
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-bench-'));
  try {
    await writeFile(
      path.join(dir, 'pixlock.yaml'),
      kinoviManifest(N).replace('pollInterval: 10', `pollInterval: ${POLL}`),
    );
    const start = performance.now();
    const result = await generate({
      config: path.join(dir, 'pixlock.yaml'),
      concurrency,
      env: { KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: fake.baseUrl },
    });
    const makespan = performance.now() - start;
    if (result.run?.counts.created !== N)
      throw new Error(`pixlock made ${result.run?.counts.created} of ${N}`);
    return { makespan, rejected: fake.stats.creates429, peak: fake.stats.maxInFlight };
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function plainPool(concurrency: number) {
  const fake = await startFakeKinovi({ concurrencyLimit: LIMIT, queueMs: 0, latencyMs: LATENCY });
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-bench-'));
  const provider = kinoviProvider({
    apiKey: 'test-key',
    baseUrl: fake.baseUrl,
    pollIntervalMs: POLL,
    timeoutMs: 60_000,
  });
  const signal = new AbortController().signal;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    const limit = pLimit(concurrency);
    const start = performance.now();
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        limit(async () => {
          const request: GenerationRequest = {
            id: `img-${i}`,
            model: 'nanobanana2',
            prompt: `picture number ${i}`,
            seed: i,
            aspectRatio: '1:1',
            resolution: '1k',
            references: [],
          };
          let taskId: string;
          for (;;) {
            try {
              taskId = (await provider.createTask(request, { signal })).taskId;
              break;
            } catch (error) {
              if (!isPixlockError(error, 'PROVIDER_RATE_LIMITED')) throw error;
              await sleep(1000);
            }
          }
          for (;;) {
            const status = await provider.pollTask(taskId, request, { signal });
            if (status.state === 'success') {
              await provider.download(status.output, path.join(dir, `${i}.png`), { signal });
              return;
            }
            if (status.state === 'failed') throw new Error(status.message);
            await sleep(POLL);
          }
        }),
      ),
    );
    return {
      makespan: performance.now() - start,
      rejected: fake.stats.creates429,
      peak: fake.stats.maxInFlight,
    };
  } finally {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  }
}

console.log(
  `N=${N}, account limit ${LIMIT}, latency ${LATENCY} ms, polling every ${POLL} ms; ideal makespan ${(ideal / 1000).toFixed(2)} s`,
);
console.log('runner              concurrency  makespan  /ideal  429s  peak in flight');
const rows: { who: string; c: number; ratio: number; rejected: number }[] = [];
for (const c of [8, 16]) {
  for (const [who, run] of [
    ['pixlock (adaptive)', pixlockRun],
    ['plain pool, 1 s wait', plainPool],
  ] as const) {
    const r = await run(c);
    const ratio = r.makespan / ideal;
    rows.push({ who, c, ratio, rejected: r.rejected });
    console.log(
      `${who.padEnd(20)}${String(c).padStart(11)}  ${(r.makespan / 1000).toFixed(2).padStart(7)} s  ${ratio.toFixed(3).padStart(6)}  ${String(r.rejected).padStart(4)}  ${String(r.peak).padStart(14)}`,
    );
  }
}
const ours = (c: number) => rows.find((r) => r.c === c && r.who.startsWith('pixlock'))!;
const plain = (c: number) => rows.find((r) => r.c === c && r.who.startsWith('plain'))!;
console.log(
  `target at 8:  ratio <= 1.10 -> ${ours(8).ratio <= 1.1 ? 'met' : 'NOT met'} (${ours(8).ratio.toFixed(3)})`,
);
console.log(
  `target at 16: ratio <= 1.15 -> ${ours(16).ratio <= 1.15 ? 'met' : 'NOT met'} (${ours(16).ratio.toFixed(3)})`,
);
console.log(
  `fewer 429s than the plain pool: ${[8, 16].every((c) => ours(c).rejected <= plain(c).rejected && (c === 8 || ours(c).rejected < plain(c).rejected)) ? 'yes' : 'NO'} (8: ${ours(8).rejected} vs ${plain(8).rejected}; 16: ${ours(16).rejected} vs ${plain(16).rejected})`,
);
