import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  jsonReply,
  listenLoopback,
  readBody,
  replacesAnswer,
  sendReply,
  writeReply,
} from '@pixlock/fake-http-kit';
import type { Reply } from '@pixlock/fake-http-kit';
import { createTask, createUpload, recordInfo } from './api-routes.js';
import type { ServerContext } from './api-routes.js';
import { FaultDecider } from './faults.js';
import type { FaultRoute, ScriptedFault } from './faults.js';
import { FILES_PREFIX, FileStore, UPLOADS_PREFIX } from './file-store.js';
import { changeOptions, resolveOptions } from './options.js';
import type { FakeKinoviOptions } from './options.js';
import { bearerKey, hostileReply, rewriteJson } from './hostile-answers.js';
import { wrapEnvelope } from './reply.js';
import { scriptedReply } from './scripted-reply.js';
import { createStats } from './stats.js';
import type { FakeKinoviStats } from './stats.js';
import { TaskStore } from './task-store.js';
import type { FakeTask } from './task-store.js';

/** Path of the API under the origin; `baseUrl` ends with it. */
export const API_PREFIX = '/api/v1';
const JSON_LIMIT = 1024 * 1024;
const UPLOAD_LIMIT = 50 * 1024 * 1024;

/** A running fake; see {@link startFakeKinovi}. */
export interface FakeKinovi {
  /** e.g. `http://127.0.0.1:43123/api/v1`: what pixlock uses as KINOVI_BASE_URL. */
  readonly baseUrl: string;
  /** Live counters (updated in place). */
  readonly stats: FakeKinoviStats;
  /** Changes options and fault rates at run time; `credits` resets the balance, `seed` reseeds. */
  configure(patch: Partial<FakeKinoviOptions>): void;
  /** Queues a one-shot fault for the next request on `fault.route`. */
  injectOnce(fault: ScriptedFault): void;
  /** Copies of every task accepted so far, with the inputs it received, in creation order. */
  tasks(): readonly FakeTask[];
  /** Closes the server and every socket and stops every timer. Safe to call twice. */
  close(): Promise<void>;
}

/** Starts a kinovi jobs API on loopback; resolves once it is listening. */
export async function startFakeKinovi(
  options: Partial<FakeKinoviOptions> = {},
): Promise<FakeKinovi> {
  let current = resolveOptions(options);
  const opts = () => current;
  const stats = createStats(current.credits);
  const decider = new FaultDecider(current.seed);
  let origin = '';
  const store = new TaskStore(opts, decider, stats, (id) => origin + FileStore.outputPath(id));
  const files = new FileStore(opts, store, decider);
  const ctx: ServerContext = { options: opts, stats, store, decider, files };

  const server = await listenLoopback({
    port: current.port,
    host: current.host,
    handle: (req, res) => handle(ctx, req, res, origin),
    answerCrash: (res, error) => writeReply(res, jsonReply(500, { message: String(error) })),
    beforeClose: () => store.close(),
  });
  origin = server.origin;

  return {
    baseUrl: origin + API_PREFIX,
    stats,
    configure(patch) {
      const next = changeOptions(patch, current);
      current = next;
      if (patch.credits !== undefined) stats.creditsAvailable = next.credits;
      if (patch.seed !== undefined) decider.reseed(next.seed);
    },
    injectOnce(fault) {
      if (!['createTask', 'recordInfo', 'download'].includes(fault?.route)) {
        throw new TypeError(
          'fake-kinovi: injectOnce needs route createTask, recordInfo or download',
        );
      }
      decider.inject(fault);
    },
    tasks: () => store.list(),
    close: () => server.close(),
  };
}

function routeOf(method: string, pathname: string): FaultRoute | undefined {
  if (method === 'POST' && pathname === `${API_PREFIX}/jobs/createTask`) return 'createTask';
  if (method === 'GET' && pathname === `${API_PREFIX}/jobs/recordInfo`) return 'recordInfo';
  if (
    method === 'GET' &&
    pathname.startsWith(FILES_PREFIX) &&
    !pathname.startsWith(`${FILES_PREFIX}u/`)
  ) {
    return 'download';
  }
  return undefined;
}

async function handle(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  origin: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', origin);
  const { pathname } = url;
  const route = routeOf(method, pathname);
  const isUpload = method === 'PUT' && pathname.startsWith(UPLOADS_PREFIX);
  const raw =
    method === 'POST' || method === 'PUT'
      ? await readBody(req, isUpload ? UPLOAD_LIMIT : JSON_LIMIT)
      : undefined;
  const { stats } = ctx;
  if (route === 'createTask') stats.createCalls += 1;
  if (route === 'recordInfo') stats.polls += 1;
  if (route === 'download') stats.downloads += 1;

  const scripted = route ? ctx.decider.takeScripted(route) : undefined;
  const replaces = scripted !== undefined && replacesAnswer(scripted);
  let reply: Reply;
  if (replaces && route && !scripted.afterProcessing) {
    reply = scriptedReply(scripted, route);
  } else {
    const auth = req.headers.authorization;
    if (route === 'createTask') reply = createTask(ctx, auth, raw);
    else if (route === 'recordInfo') reply = recordInfo(ctx, auth, url);
    else if ((method === 'GET' || method === 'HEAD') && pathname.startsWith(FILES_PREFIX)) {
      reply = await ctx.files.get(pathname, route === 'download');
    } else if (method === 'POST' && pathname === `${API_PREFIX}/uploads`) {
      reply = createUpload(ctx, auth, raw, origin);
    } else if (isUpload) {
      reply = ctx.files.putUpload(pathname, raw);
      if (reply.status === 200) stats.uploads += 1;
    } else {
      reply = jsonReply(404, { message: 'Not found' });
    }
    if (replaces && route) reply = scriptedReply(scripted, route, reply);
  }
  const o = ctx.options();
  const key = bearerKey(req.headers.authorization);
  reply = hostileReply(reply, o, key);
  count(stats, route, reply);
  await sendReply(res, reply, {
    scripted,
    isDownload: route === 'download',
    options: o,
    // Scripted bodies are sent verbatim; only the fake's own JSON answers get the envelope.
    write: {
      wrapJson: o.envelope ? wrapEnvelope : undefined,
      head: method === 'HEAD',
      rewriteJson: rewriteJson(o, key),
    },
  });
}

function count(stats: FakeKinoviStats, route: FaultRoute | undefined, reply: Reply): void {
  if (route === 'recordInfo' && (reply.fault || reply.status >= 500)) stats.pollFaults += 1;
  if (route === 'download' && reply.fault) stats.downloadFaults += 1;
  if (route !== 'createTask') return;
  if (reply.kind) stats.createsDropped += 1;
  else if (reply.status === 400) stats.creates400 += 1;
  else if (reply.status === 401) stats.creates401 += 1;
  else if (reply.status === 402) stats.creates402 += 1;
  else if (reply.status === 403) stats.creates403 += 1;
  else if (reply.status === 429) stats.creates429 += 1;
  else if (reply.status >= 500) stats.creates5xx += 1;
}
