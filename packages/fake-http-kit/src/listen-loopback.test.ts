import { describe, expect, it } from 'vitest';
import { listenLoopback } from './listen-loopback.js';
import { rawGet } from './test-utils/raw-get.js';

const quiet = { port: 0, host: '127.0.0.1', answerCrash: () => undefined };

describe('listenLoopback', () => {
  it('serves on the origin it reports and answers a crash through the fake', async () => {
    const crashes: unknown[] = [];
    const server = await listenLoopback({
      ...quiet,
      handle: async () => {
        throw new Error('bug');
      },
      answerCrash: (res, error) => {
        crashes.push(error);
        res.writeHead(500).end('crashed');
      },
    });
    try {
      expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const answer = await rawGet(server.origin);
      expect([answer.status, Buffer.concat(answer.chunks).toString()]).toEqual([500, 'crashed']);
      expect(String(crashes[0])).toBe('Error: bug');
    } finally {
      await server.close();
    }
  });

  it('a crash after the headers went out cuts the answer instead', async () => {
    const server = await listenLoopback({
      ...quiet,
      handle: async (_req, res) => {
        res.writeHead(200, { 'content-length': '10' });
        res.write('half');
        throw new Error('bug');
      },
    });
    try {
      expect((await rawGet(server.origin)).ending).toBe('aborted');
    } finally {
      await server.close();
    }
  });

  it('close runs beforeClose once, closes open sockets and is safe to call twice', async () => {
    let stops = 0;
    let reached!: () => void;
    const inside = new Promise<void>((resolve) => (reached = resolve));
    const server = await listenLoopback({
      ...quiet,
      // Never answers: only close can end this request.
      handle: () => (reached(), new Promise<void>(() => undefined)),
      beforeClose: () => (stops += 1),
    });
    const pending = rawGet(server.origin);
    await inside;
    const first = server.close();
    expect(server.close()).toBe(first);
    await first;
    expect(stops).toBe(1);
    await expect(pending).rejects.toThrow();
  });

  it('rejects when it cannot bind', async () => {
    const taken = await listenLoopback({ ...quiet, handle: async () => undefined });
    try {
      const port = Number(new URL(taken.origin).port);
      await expect(
        listenLoopback({ ...quiet, port, handle: async () => undefined }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await taken.close();
    }
  });
});
