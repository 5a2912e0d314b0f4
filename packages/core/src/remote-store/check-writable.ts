import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { PixlockError } from '../errors.js';
import { getWhole } from './small-objects.js';
import { errorContext, objectKey, type StoreContext } from './store-context.js';
import { withDeadline } from './with-deadline.js';
import { withRetries } from './with-retries.js';

/** The marker object at the top of the prefix; says which key layout the store uses. */
export const STORE_MARKER = 'pixlock-store.json';
/** The key layout of store-key.ts; a newer pixlock that changes it writes a higher number. */
export const STORE_LAYOUT = 1;
const MARKER_BODY = Buffer.from(
  `${JSON.stringify({ pixlock: 'content-addressed store', layout: STORE_LAYOUT })}\n`,
);
const MARKER_MAX_BYTES = 4096;

/**
 * Checks the store is reachable and writable before anything is paid for: reads the marker
 * object (refusing a store written in a newer key layout), then writes it again, the same
 * bytes every time. Writing a marker rather than putting and deleting a probe object: it needs
 * no delete permission (a content-addressed store is best kept append-only) and leaves no
 * litter when a run dies between the two.
 * @throws PixlockError STORE_DENIED, STORE_UNREACHABLE, STORE_MISSING (no such bucket),
 * STORE_REFUSED (a newer layout).
 */
export async function checkWritable(ctx: StoreContext, signal?: AbortSignal): Promise<void> {
  const retry = { ...ctx.retry, ...(signal && { signal }) };
  const key = objectKey(ctx, STORE_MARKER);
  const existing = await withRetries(
    () => withDeadline(ctx.requestTimeoutMs, signal, (s) => readMarker(ctx, key, s)),
    errorContext(ctx, 'GET', STORE_MARKER),
    retry,
    0,
  );
  if (existing !== undefined && existing.layout !== STORE_LAYOUT) {
    throw new PixlockError(
      'STORE_REFUSED',
      `${ctx.settings.url} is laid out for another pixlock (${STORE_MARKER} says layout ` +
        `${JSON.stringify(existing.layout)}, this pixlock writes layout ${STORE_LAYOUT}); ` +
        'upgrade pixlock, or use another prefix',
      { details: { store: ctx.settings.url, layout: existing.layout } },
    );
  }
  const md5 = createHash('md5').update(MARKER_BODY).digest('base64');
  await withRetries(
    () =>
      withDeadline(ctx.requestTimeoutMs, signal, (s) =>
        ctx.calls.put(
          {
            key,
            body: Readable.from([MARKER_BODY]),
            size: MARKER_BODY.length,
            md5,
            contentType: 'application/json',
            ifNoneMatch: false,
          },
          s,
        ),
      ),
    errorContext(ctx, 'PUT', STORE_MARKER),
    retry,
    0,
  );
}

async function readMarker(
  ctx: StoreContext,
  key: string,
  signal: AbortSignal,
): Promise<{ layout: unknown } | undefined> {
  // Absent (NoSuchKey) is a fresh store; NoSuchBucket is not, and is reported as missing.
  const whole = await getWhole(ctx, key, MARKER_MAX_BYTES, signal);
  if (whole === undefined) return undefined;
  if (whole === 'too-large') return { layout: 'unreadable' };
  try {
    const parsed: unknown = JSON.parse(whole.toString('utf8'));
    const layout = (parsed as { layout?: unknown } | null)?.layout;
    return { layout: typeof layout === 'number' ? layout : 'unreadable' };
  } catch {
    return { layout: 'unreadable' };
  }
}
