import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { presentedKey } from './auth.js';
import { runBatch } from './batch-run.js';
import { BatchStore } from './batch-store.js';
import type { BatchFate } from './batch-store.js';
import { dispatch } from './dispatch.js';
import { FaultDecider } from './fault-decider.js';
import { FileStore } from './file-store.js';
import type { StoredFile } from './file-store.js';
import { googleError } from './google-error.js';
import { hostileReply, keyEchoRewriter } from './hostile-answers.js';
import { resolveOptions } from './options.js';
import type { FakeGeminiOptions } from './options.js';
import { readBody, writeReply } from './reply.js';
import type { Reply } from './reply.js';
import { routeOf } from './route-of.js';
import type { Route } from './route-of.js';
import { FAULT_ROUTES, replacesAnswer } from './scripted-fault.js';
import type { FaultRoute, ScriptedFault } from './scripted-fault.js';
import { scriptedReply } from './scripted-reply.js';
import type { FakeGeneration, ServerContext } from './server-context.js';
import { createStats } from './stats.js';
import type { FakeGeminiStats } from './stats.js';

/** A running fake; see {@link startFakeGemini}. */
export interface FakeGemini {
  /** `http://127.0.0.1:<port>`: the root pixlock takes as GOOGLE_GEMINI_BASE_URL (`/v1beta` is appended). */
  readonly baseUrl: string;
  /** Live counters (updated in place). */
  readonly stats: FakeGeminiStats;
  /** Changes options and fault rates at run time; `seed` reseeds. */
  configure(patch: Partial<FakeGeminiOptions>): void;
  /** Queues a one-shot fault for the next request on `fault.route`. */
  injectOnce(fault: ScriptedFault): void;
  /** Queues how the next batch created behaves (failed requests, its end, a shuffle, its timing). */
  injectBatchFate(fate: BatchFate): void;
  /** Copies of every request the model processed, in processing order. */
  generations(): readonly FakeGeneration[];
  /** Ends every pending or running batch now, as its fate says; resolves once they have. */
  finishBatches(): Promise<void>;
  /** Every batch created so far: name, state, request count, display name. */
  batches(): readonly { name: string; state: string; requests: number; displayName: string }[];
  /** Copies of every stored file (uploads and generated responses files). */
  files(): readonly StoredFile[];
  /** Closes the server, its sockets and every timer. Safe to call twice. */
  close(): Promise<void>;
}

const isFaultRoute = (name: string): name is FaultRoute =>
  (FAULT_ROUTES as readonly string[]).includes(name);

/** Starts a fake Gemini API on loopback; resolves once it is listening. */
export async function startFakeGemini(
  options: Partial<FakeGeminiOptions> = {},
): Promise<FakeGemini> {
  let current = resolveOptions(options);
  const stats = createStats();
  const decider = new FaultDecider(current.seed);
  const closing = new AbortController();
  const fates: BatchFate[] = [];
  const generations: FakeGeneration[] = [];
  let origin = '';
  let calls = 0;
  const files = new FileStore();
  const ctx: ServerContext = {
    options: () => current,
    stats,
    decider,
    files,
    generations,
    batches: new BatchStore((record) => runBatch(ctx, record)),
    inFlight: new Map(),
    origin: () => origin,
    nextCall: () => (calls += 1),
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        // No timer for 0 ms: a latency of 0 must not wait on a (possibly faked) clock.
        if (closing.signal.aborted || ms <= 0) return resolve();
        const timer = setTimeout(resolve, ms);
        closing.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {
          once: true,
        });
      }),
  };
  const server = createServer((req, res) => {
    handle(ctx, req, res, fates).catch((error: unknown) => {
      // A bug or a client gone mid-answer: answer 500 if we still can, never crash the process.
      if (!res.headersSent) writeReply(res, googleError(500, String(error)));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(current.port, current.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    baseUrl: origin,
    stats,
    configure(patch) {
      const next = resolveOptions(patch, current);
      if (next.port !== current.port || next.host !== current.host) {
        throw new TypeError('fake-gemini: port and host cannot change while running');
      }
      current = next;
      if (patch.seed !== undefined) decider.reseed(next.seed);
    },
    injectOnce(fault) {
      if (!isFaultRoute(fault?.route)) {
        throw new TypeError(
          `fake-gemini: injectOnce needs a route among ${FAULT_ROUTES.join(', ')}`,
        );
      }
      decider.inject(fault);
    },
    injectBatchFate: (fate) => void fates.push({ ...fate }),
    finishBatches: () => ctx.batches.finishAll(),
    generations: () => structuredClone(generations),
    batches: () =>
      ctx.batches.all().map((b) => ({
        name: b.name,
        state: b.state,
        requests: b.input.entries.length,
        displayName: b.input.displayName,
      })),
    files: () => files.list().map((f) => ({ ...f, bytes: Buffer.from(f.bytes) })),
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        ctx.batches.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function handle(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  fates: BatchFate[],
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', ctx.origin());
  const route = routeOf(method, url);
  const o = ctx.options();
  const { key, inQuery } = presentedKey(req.headers, url);
  if (inQuery) ctx.stats.keysInQuery += 1;
  const limit = route?.name === 'uploadChunk' ? o.maxFileBytes : o.maxRequestBytes;
  const raw = await readBody(req, limit);
  if (route?.name === 'generateContent') ctx.stats.generateCalls += 1;
  if (route?.name === 'batchGet') ctx.stats.batchPolls += 1;
  if (route?.name === 'upload') ctx.stats.uploadsStarted += 1;

  const scripted =
    route && isFaultRoute(route.name) ? ctx.decider.takeScripted(route.name) : undefined;
  const replaces = scripted !== undefined && replacesAnswer(scripted);
  let reply: Reply;
  if (replaces && !scripted.afterProcessing) {
    reply = scriptedReply(scripted, o.retryDelaySeconds);
  } else {
    const batchFate = route?.name === 'batchCreate' ? (fates[0] ?? {}) : {};
    reply = route
      ? await dispatch(ctx, route, {
          key,
          headers: req.headers,
          url,
          raw,
          lie: scripted?.lie,
          batchFate,
        })
      : googleError(404, 'Not found.');
    // A queued fate belongs to the next batch actually created, not to a refused create.
    if (route?.name === 'batchCreate' && reply.status === 200 && fates.length > 0) fates.shift();
    if (replaces) reply = scriptedReply(scripted, o.retryDelaySeconds, reply);
  }
  reply = hostileReply(reply, o);
  const trickle =
    scripted?.trickleBytesPerSecond ??
    (route?.name === 'download'
      ? o.downloadTrickleBytesPerSecond
      : reply.json !== undefined
        ? o.jsonTrickleBytesPerSecond
        : 0);
  if (trickle > 0) reply = { ...reply, trickleBytesPerSecond: trickle };
  count(ctx.stats, route, reply);
  if (scripted?.delayMs) {
    await waitOrGone(res, scripted.delayMs);
    if (res.destroyed) return; // The client gave up waiting.
  }
  writeReply(res, reply, keyEchoRewriter(o, key));
}

/** Waits `ms`, or less when the client goes away or the server closes its socket. */
function waitOrGone(res: ServerResponse, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function count(stats: FakeGeminiStats, route: Route | undefined, reply: Reply): void {
  if (route?.name === 'batchGet' && reply.fault) stats.pollFaults += 1;
  if (route?.name === 'download') {
    stats.downloads += 1;
    if (reply.fault) stats.downloadFaults += 1;
  }
  if (route?.name !== 'generateContent') return;
  if (reply.kind) stats.generatesDropped += 1;
  else if (reply.status === 400) stats.generates400 += 1;
  else if (reply.status === 403) stats.generates403 += 1;
  else if (reply.status === 404) stats.generates404 += 1;
  else if (reply.status === 429) stats.generates429 += 1;
  else if (reply.status >= 500) stats.generates5xx += 1;
}
