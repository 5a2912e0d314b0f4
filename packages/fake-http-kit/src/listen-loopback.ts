import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What {@link listenLoopback} serves and where. */
export interface ListenOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Answers one request. */
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** Answers a request whose handling threw before any header went out: a 500 in the API's shape. */
  answerCrash: (res: ServerResponse, error: unknown) => void;
  /** Stops what outlives a request (timers of tasks or batches) when the server closes. */
  beforeClose?: () => void;
}

/** A listening server; see {@link listenLoopback}. */
export interface LoopbackServer {
  /** `http://<host>:<port>` as bound (an IPv6 host in brackets). */
  readonly origin: string;
  /** Closes the server and every socket (after `beforeClose`). Safe to call twice. */
  close(): Promise<void>;
}

/** Starts an HTTP server; resolves once it is listening (rejects when it cannot bind). */
export async function listenLoopback(options: ListenOptions): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    options.handle(req, res).catch((error: unknown) => {
      // A bug or a client gone mid-answer: answer 500 if we still can, never crash the process.
      if (!res.headersSent) options.answerCrash(res, error);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    origin: `http://${host}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        options.beforeClose?.();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
