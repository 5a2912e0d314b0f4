import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { SafeFolders } from '../disk/safe-folders.js';
import { PixlockError } from '../errors.js';
import type { Clock } from '../engine/ports.js';
import type { RemoteStore } from '../remote-store/remote-store.js';
import { formatShardSpec, type ShardSpec } from '../shard/shard-spec.js';

/**
 * How long a runner waits between writing its claim and reading it back (default 5 s), and the
 * longest it may take from asking for the claim to its write being taken. Any runner that
 * found the shard unclaimed has written its own claim by then, so the claim read back is the
 * last one, the same for every runner (Fischer's mutual exclusion, over the store). A runner
 * whose own ask-to-write took longer cannot know that, and stops (see {@link claimShard}).
 */
export const CLAIM_SETTLE_MS = 5000;

/** A claim record as the store holds it (`shards/<run>/shard-<i>-of-<n>.claim`). */
interface ClaimRecord {
  runner: string;
  host?: string;
  since?: string;
  /** Its runner published the shard's lock: whoever comes next may take the shard. */
  released?: boolean;
}

/** What {@link claimShard} needs. */
export interface ClaimOptions {
  remote: RemoteStore;
  /** The claim's path below the store's prefix, and its `s3://` URL for messages. */
  path: string;
  url: string;
  spec: ShardSpec;
  /** The project folder and the file below it keeping this runner's id for the shard. */
  dir: string;
  runnerFile: string;
  clock: Pick<Clock, 'now' | 'sleep'>;
  settleMs: number;
}

/**
 * Takes shard `spec` for this runner before it pays for anything. The claim is written with
 * `If-None-Match: *` (exact on a store that honours it: AWS S3, R2, MinIO), then read back
 * after {@link ClaimOptions.settleMs}: on a store that ignores the header (s3rver, some
 * S3-compatible services) the last writer wins and every other runner reads its id and stops.
 * That holds as long as no runner takes longer than the settle delay from asking for the claim
 * to its write being taken; a runner that did (a slow or retrying store) may have written over
 * a claim whose runner already went on, so it stops too, giving its claim up. A claim of this
 * runner (its id is kept in the project folder, so a rerun here after kill -9 keeps it) passes
 * at once; a released one (its runner published) is taken over.
 * @returns a function that releases the claim once the shard's lock is published.
 * @throws PixlockError SHARD_CLAIMED naming the runner that holds it; nothing was paid.
 */
export async function claimShard(options: ClaimOptions): Promise<() => Promise<void>> {
  const { remote, path: at } = options;
  const runner = runnerId(options.dir, options.runnerFile);
  // Released only while this runner still holds it: never writes over another runner's claim.
  const release = () =>
    releaseOwnClaim({ remote, path: at, dir: options.dir, runnerFile: options.runnerFile });
  const asked = performance.now();
  const held = parseClaim(await remote.records.read(at));
  if (held && held.runner === runner.id && !held.released) return release;
  if (held && !held.released) throw claimed(options, held);
  await runner.keep();
  const record: ClaimRecord = {
    runner: runner.id,
    host: hostname(),
    since: options.clock.now().toISOString(),
  };
  const wrote = await remote.records.write(at, `${JSON.stringify(record)}\n`, {
    ifAbsent: !held,
  });
  if (wrote === 'exists') throw claimed(options, parseClaim(await remote.records.read(at)));
  const took = Math.round(performance.now() - asked);
  if (took > options.settleMs) {
    // Another runner may have read its own claim back before this one landed, and gone on.
    await options.clock.sleep(options.settleMs);
    const last = parseClaim(await remote.records.read(at));
    if (last?.runner === runner.id) await release();
    throw tooSlow(options, took);
  }
  await options.clock.sleep(options.settleMs);
  const last = parseClaim(await remote.records.read(at));
  if (last?.runner !== runner.id) throw claimed(options, last);
  return release;
}

/**
 * Releases the shard's claim if this runner holds it (a run of it here claimed the shard, then
 * failed before publishing; this run had nothing left to pay for, so did not claim again).
 */
export async function releaseOwnClaim(
  options: Pick<ClaimOptions, 'remote' | 'path' | 'dir' | 'runnerFile'>,
): Promise<void> {
  const runner = runnerId(options.dir, options.runnerFile);
  if (!runner.kept) return;
  const held = parseClaim(await options.remote.records.read(options.path));
  if (held?.runner !== runner.id || held.released) return;
  const record: ClaimRecord = { runner: runner.id, released: true };
  await options.remote.records.write(options.path, `${JSON.stringify(record)}\n`);
}

/** This runner's id for the shard: the one kept in the project folder, else a new one. */
function runnerId(dir: string, file: string) {
  let id: string | undefined;
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{32}$/.test(text)) id = text;
  } catch {
    // None yet: a new runner.
  }
  const kept = id !== undefined;
  id ??= randomBytes(16).toString('hex');
  return {
    id,
    kept,
    /** Kept before the claim is written: a run killed after it finds the claim its own. */
    async keep() {
      if (kept) return;
      const target = new SafeFolders(dir).resolve(
        path.relative(dir, file).split(path.sep).join('/'),
        true,
      )!;
      await writeFile(target, `${id}\n`);
    },
  };
}

/**
 * A claim as read from the store, which is not trusted: only fields of the shapes pixlock
 * writes are kept (they go into messages), anything else is a claim held by no one we can name.
 */
function parseClaim(text: string | undefined): ClaimRecord | undefined {
  if (text === undefined) return undefined;
  let parsed: Record<string, unknown> | undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
  } catch {
    // Not a claim pixlock wrote.
  }
  const field = (name: string, shape: RegExp) => {
    const v = parsed?.[name];
    return typeof v === 'string' && shape.test(v) ? v : undefined;
  };
  const host = field('host', /^[A-Za-z0-9._-]{1,253}$/);
  const since = field('since', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  return {
    runner: field('runner', /^[0-9a-f]{32}$/) ?? 'unknown',
    ...(host && { host }),
    ...(since && { since }),
    ...(parsed?.released === true && { released: true }),
  };
}

function tooSlow(options: ClaimOptions, took: number): PixlockError {
  const shard = formatShardSpec(options.spec);
  return new PixlockError(
    'SHARD_CLAIMED',
    `could not claim shard ${shard} in the store: its claim (${options.url}) took ${took} ms to be taken, ` +
      `longer than the ${options.settleMs} ms other runners wait before reading theirs back, so another runner may already be running the shard. ` +
      'Nothing was paid and the claim was given up: run this again',
    { details: { shard, claim: options.url, tookMs: took } },
  );
}

function claimed(options: ClaimOptions, held: ClaimRecord | undefined): PixlockError {
  const shard = formatShardSpec(options.spec);
  const who = held
    ? `runner ${held.runner}${held.host ? ` on ${held.host}` : ''}${held.since ? ` since ${held.since}` : ''}`
    : 'another runner';
  return new PixlockError(
    'SHARD_CLAIMED',
    `shard ${shard} of this manifest and lock is claimed in the store by ${who} (${options.url}), ` +
      'which has not published its shard lock: it is still running, or it died. Nothing was paid. ' +
      'Run this again once it has finished: what it recorded is picked up, not paid for again. ' +
      `If it is gone for good, delete ${options.url} and run again (tasks it paid for and never published are paid again)`,
    { details: { shard, claim: options.url, ...(held && { runner: held.runner }) } },
  );
}
