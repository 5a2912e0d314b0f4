import { Agent, createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, FaultQueue, operationOf, type S3Fault } from './s3-faults.js';
import { createProxyStats, type ProxyStats } from './proxy-stats.js';

/** A running proxy; see {@link startFaultProxy}. */
export interface FaultProxy {
  /** e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly stats: ProxyStats;
  readonly faults: FaultQueue;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An HTTP proxy on loopback in front of an S3 server, forwarding every request unchanged (Host
 * included, so signatures still hold) unless a scripted fault says otherwise.
 */
export async function startFaultProxy(upstream: {
  host: string;
  port: number;
}): Promise<FaultProxy> {
  const stats = createProxyStats();
  const faults = new FaultQueue();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const server: Server = createServer((req, res) => {
    const op = operationOf(req);
    stats.requests[op] += 1;
    stats.inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    res.on('close', () => (stats.inFlight -= 1));
    const fault = faults.take(op, req.url ?? '');
    if (fault) stats.faults += 1;
    handle(req, res, fault).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse, fault?: S3Fault) {
    if (fault?.delayMs) await sleep(fault.delayMs);
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'echo-auth') return answerError(req, res, 403, echoAuth(req));
    if (fault?.status !== undefined) {
      return answerError(
        req,
        res,
        fault.status,
        errorBody(fault.status, fault.code, fault.message),
      );
    }
    const upstreamReq = httpRequest({
      host: upstream.host,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
      agent,
    });
    upstreamReq.on('error', () => res.destroy());
    req.pipe(upstreamReq);
    const answer = await new Promise<IncomingMessage>((resolve, reject) => {
      upstreamReq.on('response', resolve);
      upstreamReq.on('error', reject);
    });
    if (fault?.kind === 'reset-after') {
      answer.resume();
      answer.on('end', () => req.socket.destroy());
      return;
    }
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    if (req.method === 'HEAD') {
      answer.resume();
      res.end();
      return;
    }
    if (fault?.kind === 'cut-body' || fault?.kind === 'corrupt') {
      const body = await readAll(answer);
      if (fault.kind === 'corrupt') {
        if (body.length > 0) body[body.length >> 1]! ^= 0xff;
        res.end(body);
      } else {
        res.write(body.subarray(0, body.length >> 1), () => req.socket.destroy());
      }
      return;
    }
    if (fault?.kind === 'trickle') return trickle(answer, res, fault.bytesPerSecond ?? 2000);
    answer.pipe(res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    faults,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function answerError(req: IncomingMessage, res: ServerResponse, status: number, body: string) {
  // Read the request to its end first, as a server does, so the client sees the answer and not
  // a reset while it is still sending.
  req.resume();
  req.on('end', () => {
    res.writeHead(status, {
      'content-type': 'application/xml',
      'content-length': req.method === 'HEAD' ? 0 : Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}

/** An error body repeating what the request was signed with, raw and base64-encoded. */
function echoAuth(req: IncomingMessage): string {
  const signing = ['authorization', 'x-amz-security-token', 'x-amz-content-sha256', 'x-amz-date']
    .map((name) => `${name}: ${String(req.headers[name] ?? '')}`)
    .join('\n');
  const message = `${signing}\n${Buffer.from(signing).toString('base64')}\n${encodeURIComponent(signing)}`;
  return errorBody(403, 'SignatureDoesNotMatch', message);
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function trickle(answer: IncomingMessage, res: ServerResponse, bytesPerSecond: number) {
  const body = await readAll(answer);
  const step = Math.max(1, Math.floor(bytesPerSecond / 20));
  for (let offset = 0; offset < body.length && !res.destroyed; offset += step) {
    res.write(body.subarray(offset, offset + step));
    await sleep(50);
  }
  res.end();
}
