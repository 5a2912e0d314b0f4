import { errorContext, objectKey, type StoreContext } from './store-context.js';
import { withDeadline } from './with-deadline.js';
import { withRetries } from './with-retries.js';

/**
 * Which of `paths` (object paths below the prefix, from store-key.ts) the store holds.
 *
 * Few paths of one kind are asked by HEAD, in parallel: on AWS a LIST costs as much as about
 * twelve GETs or HEADs. More are asked by listing: the paths are sorted, and each
 * ListObjectsV2 starts just before the first path not yet settled (`StartAfter`), so one
 * request settles every asked path up to the last key of its page, and a range of the bucket
 * holding none of them is skipped rather than read. Every request settles at least one path,
 * so a check never takes more requests than HEADs would; 10,000 paths in a store of about as
 * many objects take about 10.
 */
export async function hasMany(
  ctx: StoreContext,
  paths: readonly string[],
  signal?: AbortSignal,
): Promise<Set<string>> {
  const byKind = new Map<string, string[]>();
  for (const path of new Set(paths)) {
    const kind = path.slice(0, path.indexOf('/') + 1);
    byKind.set(kind, [...(byKind.get(kind) ?? []), path]);
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
  }
  return found;
}
