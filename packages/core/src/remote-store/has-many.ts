import { errorContext, objectKey, type StoreContext } from './store-context.js';
import { withDeadline } from './with-deadline.js';
import { withRetries } from './with-retries.js';

/**
 * What one LIST costs in HEADs: AWS S3, Cloudflare R2 and Google Cloud Storage all price a
 * listing (class A) at 12.5 times a HEAD or GET (class B).
 */
export const LIST_COST_IN_HEADS = 12.5;

/**
 * Which of `paths` (object paths below the prefix, from store-key.ts) the store holds, at
 * about the least cost in requests.
 *
 * Up to `headThreshold` paths of one kind are asked by HEAD, in parallel: fewer than one
 * listing costs. More are asked by listing: the paths are sorted, and each ListObjectsV2
 * starts just before the first path not yet settled (`StartAfter`), so one request settles
 * every asked path up to the last key of its page and a range of the bucket holding none of
 * them is skipped rather than read: never more requests than HEADs, and 10,000 paths in a
 * store of about as many objects take about 10. After each page the walk estimates what the
 * rest would cost (sha256 keys are spread evenly, so a page's span tells how many objects the
 * store holds) and asks the remaining paths by HEAD when that is cheaper: a few paths
 * scattered over a large store.
 */
export async function hasMany(
  ctx: StoreContext,
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<Set<string>> {
  const byKind = new Map<string, string[]>();
  for (const path of new Set(paths)) {
    const kind = path.slice(0, path.indexOf('/') + 1);
    let asked = byKind.get(kind);
    if (!asked) byKind.set(kind, (asked = []));
    asked.push(path);
  }
  const present = new Set<string>();
  await Promise.all(
    [...byKind].map(async ([kind, asked]) => {
      const found =
        asked.length <= ctx.headThreshold
          ? await headEach(ctx, asked, signal)
          : await listRanges(ctx, kind, asked.sort(), signal);
      for (const path of found) present.add(path);
    }),
  );
  return present;
}

/** True when the object at `path` exists (one HEAD, retried). */
export function headOne(ctx: StoreContext, path: string, signal?: AbortSignal): Promise<boolean> {
  return withRetries(
    () =>
      withDeadline(ctx.requestTimeoutMs, signal, (s) => ctx.calls.head(objectKey(ctx, path), s)),
    errorContext(ctx, 'HEAD', path),
    { ...ctx.retry, ...(signal && { signal }) },
  );
}

async function headEach(ctx: StoreContext, paths: string[], signal?: AbortSignal) {
  const answers = await Promise.all(paths.map((p) => ctx.limit(() => headOne(ctx, p, signal))));
  return paths.filter((_, i) => answers[i]);
}

async function listRanges(
  ctx: StoreContext,
  kind: string,
  sorted: string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const folder = objectKey(ctx, kind);
  const found: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const cursor = sorted[i]!;
    // Just before every key of the cursor's sha256, whatever its extension.
    const startAfter = objectKey(ctx, cursor.slice(0, cursor.lastIndexOf('.')));
    const page = await withRetries(
      () =>
        withDeadline(ctx.requestTimeoutMs, signal, (s) => ctx.calls.list(folder, startAfter, s)),
      errorContext(ctx, 'LIST', kind),
      { ...ctx.retry, ...(signal && { signal }) },
    );
    const listed = new Set(page.keys);
    const last = page.keys.at(-1);
    const before = i;
    for (; i < sorted.length; i++) {
      const key = objectKey(ctx, sorted[i]!);
      // Past the page's last key: unsettled unless the listing said nothing follows.
      if (page.truncated && (last === undefined || key > last)) break;
      if (listed.has(key)) found.push(sorted[i]!);
    }
    // A page that stopped before the cursor (a store that lists out of order, or a full page
    // of other extensions of one sha256): settle the cursor by HEAD so the walk always moves.
    if (i === before) {
      if (await headOne(ctx, cursor, signal)) found.push(cursor);
      i += 1;
    }
    if (i < sorted.length && headsAreCheaper(page.keys, cursor, sorted[i]!, sorted.length - i)) {
      found.push(...(await headEach(ctx, sorted.slice(i), signal)));
      break;
    }
  }
  return found;
}

/** Position of a key's sha256 in [0, 1), from its first 13 hex digits; undefined if none. */
function shaPosition(key: string | undefined): number | undefined {
  const sha = key === undefined ? undefined : /([0-9a-f]{64})\.[a-z0-9]+$/.exec(key)?.[1];
  return sha === undefined ? undefined : parseInt(sha.slice(0, 13), 16) / 16 ** 13;
}

/**
 * True when HEADs for the `left` paths from `next` on cost less than the listings that would
 * settle them, estimated from the page just read: it held `page.length` objects between the
 * cursor and its last key.
 */
function headsAreCheaper(page: readonly string[], cursor: string, next: string, left: number) {
  const from = shaPosition(cursor);
  const to = shaPosition(page.at(-1));
  const at = shaPosition(next);
  if (from === undefined || to === undefined || at === undefined || to <= from) return false;
  const objectsLeft = (page.length / (to - from)) * (1 - at);
  const pagesLeft = Math.min(left, Math.ceil(objectsLeft / page.length));
  return left <= LIST_COST_IN_HEADS * pagesLeft;
}
