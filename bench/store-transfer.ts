// Benchmark: memory of one large transfer to and from an S3 store (issue 22: "a bounded memory
// per transfer"). A real S3 protocol server (s3rver) on loopback; each transfer runs in its own
// child process, which reports its peak RSS. pixlock's putFile / getToFile (streamed, sha256
// verified) beside what a user would write with the SDK alone: the file read into a Buffer and
// sent, the body collected with transformToByteArray() and written. A child that only loads
// the SDK gives the floor. Rounds alternate; min / median of each.
// Run: pnpm bench:store-transfer [megabytes] [rounds]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const MODES = [
  'sdk: load only',
  'pixlock putFile',
  'sdk: PutObject(Buffer)',
  'pixlock getToFile',
  'sdk: GetObject → bytes',
] as const;
type Mode = (typeof MODES)[number];

if (process.argv[2] === '--child')
  await child(process.argv[3] as Mode, JSON.parse(process.argv[4]!));
else await parent();

interface Job {
  endpoint: string;
  bucket: string;
  prefix: string;
  file: string;
  sha256: string;
  dest: string;
}

async function parent() {
  const MB = Number(process.argv[2] ?? 128);
  const ROUNDS = Number(process.argv[3] ?? 3);
  const { FAKE_S3_ACCESS_KEY_ID, startFakeS3 } = await import('../packages/fake-s3/src/index.js');
  const s3 = await startFakeS3();
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-store-transfer-'));
  const file = path.join(dir, 'original.png');
  await writeFile(file, randomBytes(MB * 1024 * 1024));
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  // The object every GET reads: put by pixlock once, before the rounds.
  const base = { endpoint: s3.endpoint, bucket: s3.bucket, file, sha256 };
  await run('pixlock putFile', { ...base, prefix: 'get', dest: '' });
  console.log(
    `object: ${MB} MB; peak RSS of each transfer's process (${ROUNDS} rounds, alternated)`,
  );
  const results = new Map<Mode, { rss: number[]; wall: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of MODES) {
      const put = mode.includes('Put') || mode.includes('put');
      const job = {
        ...base,
        prefix: put ? `put-${round}-${MODES.indexOf(mode)}` : 'get',
        dest: path.join(dir, `dest-${round}-${MODES.indexOf(mode)}.png`),
      };
      const { rssMb, wallS } = await run(mode, job);
      const r = results.get(mode) ?? { rss: [], wall: [] };
      r.rss.push(rssMb);
      r.wall.push(wallS);
      results.set(mode, r);
      await rm(job.dest, { force: true });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [mode, r] of results) {
    console.log(
      `  ${mode.padEnd(24)} peak RSS min ${Math.min(...r.rss)
        .toFixed(0)
        .padStart(5)} MB  median ${median(r.rss).toFixed(0).padStart(5)} MB` +
        `   wall min ${Math.min(...r.wall).toFixed(2)} s  median ${median(r.wall).toFixed(2)} s`,
    );
  }
  await rm(dir, { recursive: true, force: true });
  await s3.close();

  // Not execFileSync: the server runs in this process and must answer while a child runs.
  async function run(mode: Mode, job: Job): Promise<{ rssMb: number; wallS: number }> {
    const { stdout: out } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', here, '--child', mode, JSON.stringify(job)],
      {
        encoding: 'utf8',
        maxBuffer: 1024 * 1024,
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: FAKE_S3_ACCESS_KEY_ID,
          AWS_SECRET_ACCESS_KEY: 'bench-secret',
          AWS_REGION: 'us-east-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        },
      },
    );
    return JSON.parse(out.trim().split('\n').at(-1)!) as { rssMb: number; wallS: number };
  }
}

async function child(mode: Mode, job: Job) {
  const sdk = await import('../packages/core/src/remote-store/test-utils/aws-sdk.js');
  const key = { kind: 'originals' as const, sha256: job.sha256, mediaType: 'image/png' };
  const objectKey = `${job.prefix}/originals/${job.sha256}.png`;
  const client = new sdk.S3Client({
    endpoint: job.endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const start = performance.now();
  if (mode.startsWith('pixlock')) {
    const { openRemoteStore } = await import('../packages/core/src/remote-store/remote-store.js');
    const { resolveStoreSettings } =
      await import('../packages/core/src/remote-store/store-settings.js');
    const resolved = resolveStoreSettings(
      { url: `s3://${job.bucket}/${job.prefix}` },
      { AWS_ENDPOINT_URL_S3: job.endpoint, AWS_REGION: 'us-east-1' },
    );
    if (!resolved.ok) throw new Error(resolved.problem.message);
    const store = await openRemoteStore(resolved.settings);
    if (mode === 'pixlock putFile') await store.putFile(key, job.file);
    else await store.getToFile(key, job.dest);
    store.close();
  } else if (mode === 'sdk: PutObject(Buffer)') {
    const body = await readFile(job.file);
    await client.send(new sdk.PutObjectCommand({ Bucket: job.bucket, Key: objectKey, Body: body }));
  } else if (mode === 'sdk: GetObject → bytes') {
    const answer = await client.send(
      new sdk.GetObjectCommand({ Bucket: job.bucket, Key: objectKey }),
    );
    await writeFile(job.dest, await answer.Body!.transformToByteArray());
  }
  client.destroy();
  const wallS = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ rssMb: process.resourceUsage().maxRSS / 1024, wallS }));
}
