// One runner of the baseline of bench/shared-account.ts, in its own process as a CI runner is:
// what a user writes with p-limit and fetch, no pixlock code. Its share is every `total`-th
// image from `index` (an even split), `concurrency` tasks at once against the account.
// Run: tsx bench/plain-pool-process.ts <baseUrl> <index> <total> <n> <concurrency> <dir> <pollMs>
import path from 'node:path';
import pLimit from 'p-limit';
import { plainKinoviTask } from './plain-kinovi-task.js';

const [baseUrl, index, total, n, concurrency, dir, pollMs] = process.argv.slice(2);
const limit = pLimit(Number(concurrency));
const mine = Array.from({ length: Number(n) }, (_, i) => i).filter(
  (i) => i % Number(total) === Number(index) - 1,
);
await Promise.all(
  mine.map((i) =>
    limit(() =>
      plainKinoviTask(
        baseUrl!,
        { prompt: `picture number ${i}`, aspectRatio: '1:1', resolution: '1k', seed: i },
        path.join(dir!, `${i}.png`),
        Number(pollMs),
      ),
    ),
  ),
);
