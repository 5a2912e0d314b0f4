// Benchmark: asking an S3 store which of 10,000 objects it holds (issue 22: "on the order of
// 10 listing requests, not 10,000 HEADs"). A real S3 protocol server (s3rver) on loopback.
// pixlock's hasMany against what a user would write with the SDK alone: a HEAD per object at
// concurrency 16, or a listing of the whole prefix page by page. Two cases: every stored
// object asked (10,000 of 10,000), and a few asked of many (100 of 10,000). Rounds alternate
// the three; times are min / median of the rounds, requests as the server counted them, and
// their cost in HEADs (AWS, R2 and GCS bill a LIST as 12.5 HEADs). Times on s3rver say little
// about S3 (it reads three files per listed object); the request counts are the figures.
// Run: pnpm bench:store [objects] [rounds]
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import * as sdk from '../packages/core/src/remote-store/test-utils/aws-sdk.js';
import {
  FAKE_S3_ACCESS_KEY_ID,
  startFakeS3,
  totalRequests,
} from '../packages/fake-s3/src/index.js';
import { LIST_COST_IN_HEADS } from '../packages/core/src/remote-store/has-many.js';
import { openRemoteStore } from '../packages/core/src/remote-store/remote-store.js';
import { storeKeyPath, type StoreKey } from '../packages/core/src/remote-store/store-key.js';
import { resolveStoreSettings } from '../packages/core/src/remote-store/store-settings.js';

const N = Number(process.argv[2] ?? 10_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const FEW = 100;
process.env.AWS_ACCESS_KEY_ID = FAKE_S3_ACCESS_KEY_ID;
process.env.AWS_SECRET_ACCESS_KEY = 'bench-secret';
const s3 = await startFakeS3();
const prefix = 'bench/';
const keys: StoreKey[] = Array.from({ length: N }, (_, i) => ({
  kind: 'outputs',
  sha256: createHash('sha256').update(`object ${i}`).digest('hex'),
  mediaType: 'image/webp',
}));
let t = performance.now();
await s3.seedMany(
  keys.map((k, i) => ({ key: prefix + storeKeyPath(k), body: Buffer.from(`object ${i}`) })),
);
console.log(`fixture: ${N} objects seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);

const resolved = resolveStoreSettings(
  { url: `s3://${s3.bucket}/bench` },
  { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1' },
);
if (!resolved.ok) throw new Error(resolved.problem.message);
const store = await openRemoteStore(resolved.settings);
const client = new sdk.S3Client({
  region: 'us-east-1',
  endpoint: s3.endpoint,
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

type Way = (asked: StoreKey[]) => Promise<number>;
const ways: Record<string, Way> = {
  'pixlock hasMany': async (asked) => (await store.hasMany(asked)).size,
  'SDK: HEAD each (16 at once)': async (asked) => {
    const limit = pLimit(16);
    const found = await Promise.all(
      asked.map((k) =>
        limit(() =>
          client
            .send(new sdk.HeadObjectCommand({ Bucket: s3.bucket, Key: prefix + storeKeyPath(k) }))
            .then(
              () => true,
              (e: { name?: string }) => (e.name === 'NotFound' ? false : Promise.reject(e)),
            ),
        ),
      ),
    );
    return found.filter(Boolean).length;
  },
  'SDK: list the whole prefix': async (asked) => {
    const listed = new Set<string>();
    for await (const page of sdk.paginateListObjectsV2(
      { client },
      { Bucket: s3.bucket, Prefix: `${prefix}outputs/` },
    )) {
      for (const o of page.Contents ?? []) listed.add(o.Key!);
    }
    return asked.filter((k) => listed.has(prefix + storeKeyPath(k))).length;
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cases: [string, StoreKey[]][] = [
  [`${N} of ${N} asked`, keys],
  [`${FEW} of ${N} asked`, keys.filter((_, i) => i % Math.floor(N / FEW) === 0).slice(0, FEW)],
];
for (const [label, asked] of cases) {
  const times = new Map<string, number[]>();
  const requests = new Map<string, { list: number; head: number; total: number }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, way] of Object.entries(ways)) {
      const before = { ...s3.stats.requests, total: totalRequests(s3.stats) };
      t = performance.now();
      const found = await way(asked);
      times.set(name, [...(times.get(name) ?? []), performance.now() - t]);
      requests.set(name, {
        list: s3.stats.requests.list - before.list,
        head: s3.stats.requests.head - before.head,
        total: totalRequests(s3.stats) - before.total,
      });
      if (found !== asked.length) throw new Error(`${name} found ${found} of ${asked.length}`);
    }
  }
  console.log(`\n${label} (${ROUNDS} rounds, alternated):`);
  for (const [name, ts] of times) {
    const r = requests.get(name)!;
    const cost = r.list * LIST_COST_IN_HEADS + r.head;
    console.log(
      `  ${name.padEnd(30)} ${String(r.total).padStart(6)} requests ` +
        `(${r.list} LIST, ${r.head} HEAD; cost ${cost.toFixed(0).padStart(5)} HEADs)   ` +
        `min ${Math.min(...ts)
          .toFixed(0)
          .padStart(6)} ms   median ${median(ts).toFixed(0).padStart(6)} ms`,
    );
  }
}
store.close();
client.destroy();
await s3.close();
