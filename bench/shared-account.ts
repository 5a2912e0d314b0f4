// Benchmark: n CI shards on one provider account. Four runners (processes, each in its own
// copy of the project, as CI runners are) share the fake kinovi server's account limit of 8,
// each asking for 8 at once: `pixlock generate --shard i/4` (the built CLI) against four
// plain pools (p-limit + fetch, no pixlock code: bench/plain-pool-process.ts), an even share
// each. Measured the same way, alternated, on a fresh server each time: server-side makespan
// (first accepted create to last task completed) over the one-runner ideal
// ceil(N / 8) × latency, the 429s the server sent, and whether each image was created once.
// One pixlock runner alone with the account is measured beside them: what the ideal assumes,
// in the same conditions (the machine's load slows every runner's polls alike).
//
// Run: pnpm bench:shared-account [--n 192,480] [--repeats 3] [--shards 4]
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FakeKinoviStats } from '../packages/fake-kinovi/src/index.js';
import { kinoviManifest } from '../packages/core/src/test-utils/kinovi-project.js';

const LIMIT = 8;
const LATENCY = 400;
const POLL = 100;
const argv = process.argv.slice(2);
const flag = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const repeats = Number(flag('--repeats') ?? 3);
const SIZES = (flag('--n') ?? '192,480').split(',').map(Number);
const SHARDS = Number(flag('--shards') ?? 4);
const BIN = path.resolve('packages/cli/dist/bin.js');

interface Measure {
  makespan: number;
  rejected: number;
  createdOnce: boolean;
}

const server: ChildProcess = fork(path.resolve('bench/fake-server-process.ts'), {
  execArgv: ['--import', 'tsx'],
});
const ask = <T>(message: object) =>
  new Promise<T>((resolve) => {
    server.once('message', (answer) => resolve(answer as T));
    server.send(message);
  });

function exited(child: ChildProcess, what: string): Promise<void> {
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${what} exited ${code}: ${err.slice(-500)}`)),
    ),
  );
}

async function withServer(n: number, run: (baseUrl: string) => Promise<void>): Promise<Measure> {
  const { baseUrl } = await ask<{ baseUrl: string }>({
    start: { concurrencyLimit: LIMIT, queueMs: 0, latencyMs: LATENCY, retryAfterSeconds: 1 },
  });
  await run(baseUrl);
  const { stats } = await ask<{ stats: FakeKinoviStats }>({ stop: true });
  const counts = Object.values(stats.createsByPrompt);
  return {
    makespan: stats.lastCompletionAt! - stats.firstCreateAt!,
    rejected: stats.creates429,
    createdOnce: stats.creates === n && counts.length === n && counts.every((c) => c === 1),
  };
}

async function pixlockShards(n: number): Promise<Measure> {
  const dirs = await Promise.all(
    Array.from({ length: SHARDS }, () => mkdtemp(path.join(tmpdir(), 'pixlock-shard-bench-'))),
  );
  try {
    const manifest = kinoviManifest(n)
      .replace('pollInterval: 10', `pollInterval: ${POLL}`)
      .replace('concurrency: 4', `concurrency: ${LIMIT}`);
    for (const dir of dirs) await writeFile(path.join(dir, 'pixlock.yaml'), manifest);
    return await withServer(n, async (baseUrl) => {
      const env = { ...process.env, CI: '1', KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: baseUrl };
      await Promise.all(
        dirs.map((dir, i) =>
          exited(
            spawn(process.execPath, [BIN, 'generate', '--shard', `${i + 1}/${SHARDS}`], {
              cwd: dir,
              env,
              stdio: ['ignore', 'ignore', 'pipe'],
            }),
            `shard ${i + 1}`,
          ),
        ),
      );
    });
  } finally {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  }
}

/** The reference: one runner alone with the whole account (what the ideal assumes). */
async function oneRunner(n: number): Promise<Measure> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-one-bench-'));
  try {
    const manifest = kinoviManifest(n)
      .replace('pollInterval: 10', `pollInterval: ${POLL}`)
      .replace('concurrency: 4', `concurrency: ${LIMIT}`);
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest);
    return await withServer(n, async (baseUrl) => {
      const env = { ...process.env, CI: '1', KINOVI_API_KEY: 'test-key', KINOVI_BASE_URL: baseUrl };
      await exited(
        spawn(process.execPath, [BIN, 'generate'], {
          cwd: dir,
          env,
          stdio: ['ignore', 'ignore', 'pipe'],
        }),
        'one runner',
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function plainPools(n: number): Promise<Measure> {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-plain-bench-'));
  try {
    return await withServer(n, async (baseUrl) => {
      await Promise.all(
        Array.from({ length: SHARDS }, (_, i) =>
          exited(
            spawn(
              process.execPath,
              [
                '--import',
                'tsx',
                'bench/plain-pool-process.ts',
                baseUrl,
                String(i + 1),
                String(SHARDS),
                String(n),
                String(LIMIT),
                dir,
                String(POLL),
              ],
              { stdio: ['ignore', 'ignore', 'pipe'] },
            ),
            `pool ${i + 1}`,
          ),
        ),
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const min = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

console.log(
  `${SHARDS} runners on one account: limit ${LIMIT}, each asking for ${LIMIT}; latency ${LATENCY} ms, poll ${POLL} ms, Retry-After 1 s; ${repeats} repeats, alternated; min / median`,
);
const rows = [
  '| N | runners | makespan / one-runner ideal | 429s | each image created once |',
  '| ---: | --- | --- | --- | --- |',
];
const verdicts: string[] = [];
for (const n of SIZES) {
  const ideal = Math.ceil(n / LIMIT) * LATENCY;
  const ours: Measure[] = [];
  const theirs: Measure[] = [];
  const alone: Measure[] = [];
  for (let r = 0; r < repeats; r++) {
    if (r % 2 === 0) {
      ours.push(await pixlockShards(n));
      theirs.push(await plainPools(n));
      alone.push(await oneRunner(n));
    } else {
      alone.push(await oneRunner(n));
      theirs.push(await plainPools(n));
      ours.push(await pixlockShards(n));
    }
  }
  for (const [who, ms] of [
    [`pixlock --shard i/${SHARDS}`, ours],
    [`${SHARDS} plain pools`, theirs],
    ['pixlock, one runner (reference)', alone],
  ] as const) {
    const ratio = ms.map((m) => m.makespan / ideal);
    const rej = ms.map((m) => m.rejected);
    rows.push(
      `| ${n} | ${who} | ${min(ratio).toFixed(3)} / ${median(ratio).toFixed(3)} | ${min(rej)} / ${median(rej)} | ${ms.filter((m) => m.createdOnce).length} of ${ms.length} |`,
    );
  }
  const ratio = median(ours.map((m) => m.makespan / ideal));
  const our429 = median(ours.map((m) => m.rejected));
  const their429 = median(theirs.map((m) => m.rejected));
  const once = ours.every((m) => m.createdOnce);
  const ok = once && ratio <= 1.15 && our429 <= their429 / 4;
  verdicts.push(
    `N=${n}: ${ok ? 'target met' : 'target NOT met'} (makespan ${ratio.toFixed(3)}× ideal, 429s ${our429} vs ${their429}, created once: ${once})`,
  );
  console.error(verdicts.at(-1));
}
console.log(rows.join('\n'));
console.log(verdicts.join('\n'));
server.disconnect();
