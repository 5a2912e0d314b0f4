// Benchmark: pixlock's scheduler against the pool a user writes by hand, side by side on the
// fake kinovi server (account limit 8, task latency 400 ms, polling every 100 ms, Retry-After 1 s).
//
// The baseline uses no pixlock code: p-limit of the configured concurrency; each worker creates
// its task with fetch (on 429 it waits Retry-After and tries again), polls recordInfo every
// 100 ms, downloads and writes the file, holding its slot from create to file written.
// Both runners are measured the same way, in the same run, in alternating order, each on a
// fresh server: server-side makespan (first accepted create to last task completed, from the
// fake's counters) over the ideal ceil(N / 8) x 400 ms, client wall time, and the 429s sent.
// The server runs in a child process, as a remote one would: its timers are not delayed by
// the client's own work.
//
// Run: pnpm bench:concurrency [--repeats 3] [--n 96[,500]] [--c 8,16,32] [--quick (N=96 only)]
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import { plainKinoviTask } from './plain-kinovi-task.js';
import type { FakeKinoviStats } from '../packages/fake-kinovi/src/index.js';
import { generate } from '../packages/core/src/index.js';
import { kinoviManifest } from '../packages/core/src/test-utils/kinovi-project.js';

const LIMIT = 8;
const LATENCY = 400;
const POLL = 100;
const argv = process.argv.slice(2);
const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const repeats = Number(flag('--repeats') ?? 0) || 3;
const SIZES = flag('--n')?.split(',').map(Number) ?? (argv.includes('--quick') ? [96] : [96, 500]);
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new TypeError('--n: whole numbers');
const CONCURRENCIES = flag('--c')?.split(',').map(Number) ?? [8, 16, 32];

interface Measure {
  makespan: number;
  wall: number;
  rejected: number;
}

const server: ChildProcess = fork(path.resolve('bench/fake-server-process.ts'), {
  execArgv: ['--import', 'tsx'],
});
const ask = <T>(message: object) =>
  new Promise<T>((resolve) => {
    server.once('message', (answer) => resolve(answer as T));
    server.send(message);
  });

async function withServer(run: (baseUrl: string, dir: string) => Promise<void>): Promise<Measure> {
  const { baseUrl } = await ask<{ baseUrl: string }>({
    start: { concurrencyLimit: LIMIT, queueMs: 0, latencyMs: LATENCY, retryAfterSeconds: 1 },
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-bench-'));
  try {
    const start = performance.now();
    await run(baseUrl, dir);
    const wall = performance.now() - start;
    const { stats } = await ask<{ stats: FakeKinoviStats }>({ stop: true });
    const { firstCreateAt, lastCompletionAt, creates429 } = stats;
    return { makespan: lastCompletionAt! - firstCreateAt!, wall, rejected: creates429 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function pixlock(n: number, concurrency: number): Promise<Measure> {
  return withServer(async (baseUrl, dir) => {
    await writeFile(
      path.join(dir, 'pixlock.yaml'),
      kinoviManifest(n).replace('pollInterval: 10', `pollInterval: ${POLL}`),
    );
    const result = await generate({
      config: path.join(dir, 'pixlock.yaml'),
      concurrency,
      env: { KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: baseUrl },
    });
    if (result.run?.counts.created !== n)
      throw new Error(`pixlock made ${result.run?.counts.created} of ${n}`);
  });
}

// What a user writes: no pixlock code below (the worker is in plain-kinovi-task.ts).
function plainPool(n: number, concurrency: number): Promise<Measure> {
  return withServer(async (baseUrl, dir) => {
    const limit = pLimit(concurrency);
    const inputs = (i: number) => ({
      prompt: `picture number ${i}`,
      aspectRatio: '1:1',
      resolution: '1k',
      seed: i,
    });
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        limit(() => plainKinoviTask(baseUrl, inputs(i), path.join(dir, `${i}.png`), POLL)),
      ),
    );
  });
}

const min = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

console.log(
  `account limit ${LIMIT}, latency ${LATENCY} ms, poll ${POLL} ms, Retry-After 1 s; ${repeats} repeats, alternating order; min / median`,
);
const rows: string[] = [];
rows.push(
  '| N | concurrency | runner | makespan / ideal | client wall (s) | 429s |',
  '| ---: | ---: | --- | --- | --- | --- |',
);
const verdicts: string[] = [];
for (const n of SIZES) {
  const ideal = Math.ceil(n / LIMIT) * LATENCY;
  for (const c of CONCURRENCIES) {
    const ours: Measure[] = [];
    const theirs: Measure[] = [];
    for (let r = 0; r < repeats; r++) {
      if (r % 2 === 0) {
        ours.push(await pixlock(n, c));
        theirs.push(await plainPool(n, c));
      } else {
        theirs.push(await plainPool(n, c));
        ours.push(await pixlock(n, c));
      }
    }
    for (const [who, ms] of [
      ['pixlock', ours],
      ['plain pool', theirs],
    ] as const) {
      const ratio = ms.map((m) => m.makespan / ideal);
      const wall = ms.map((m) => m.wall / 1000);
      const rej = ms.map((m) => m.rejected);
      rows.push(
        `| ${n} | ${c} | ${who} | ${min(ratio).toFixed(3)} / ${median(ratio).toFixed(3)} | ${min(wall).toFixed(2)} / ${median(wall).toFixed(2)} | ${min(rej)} / ${median(rej)} |`,
      );
    }
    const ourRatio = median(ours.map((m) => m.makespan / ideal));
    const theirRatio = median(theirs.map((m) => m.makespan / ideal));
    const our429 = median(ours.map((m) => m.rejected));
    const their429 = median(theirs.map((m) => m.rejected));
    const ok =
      c === 8
        ? ourRatio <= 1.05 && ourRatio <= theirRatio
        : ourRatio <= 1.08 && ourRatio < theirRatio && our429 <= their429 / 4;
    verdicts.push(
      `N=${n} c=${c}: ${ok ? 'target met' : 'target NOT met'} (median ${ourRatio.toFixed(3)} vs ${theirRatio.toFixed(3)}, 429s ${our429} vs ${their429})`,
    );
    console.error(verdicts.at(-1));
  }
}
console.log(rows.join('\n'));
console.log(verdicts.join('\n'));
server.disconnect();
