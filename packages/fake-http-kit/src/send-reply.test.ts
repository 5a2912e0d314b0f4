import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenLoopback } from './listen-loopback.js';
import type { LoopbackServer } from './listen-loopback.js';
import { jsonReply } from './reply.js';
import { sendReply, waitOrGone, withTrickle } from './send-reply.js';
import { rawGet } from './test-utils/raw-get.js';

const NO_TRICKLE = { jsonTrickleBytesPerSecond: 0, downloadTrickleBytesPerSecond: 0 };

let server: LoopbackServer | undefined;
afterEach(async () => server?.close());

/** The origin of a server answering with `handle`. */
async function serving(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<string> {
  server = await listenLoopback({ port: 0, host: '127.0.0.1', handle, answerCrash: () => {} });
  return server.origin;
}

/** Resolves with what `handle` reports once the client has gone away mid-request. */
async function afterClientLeft<T>(
  handle: (res: ServerResponse, leave: () => void) => Promise<T>,
): Promise<T> {
  let report!: (value: T) => void;
  const reported = new Promise<T>((resolve) => (report = resolve));
  const url = await serving(async (req, res) =>
    report(await handle(res, () => req.socket.destroy())),
  );
  await rawGet(url).catch(() => undefined);
  return reported;
}

describe('withTrickle', () => {
  it('a scripted rate first, then the download or JSON rate; other bytes at once', () => {
    const rates = { jsonTrickleBytesPerSecond: 10, downloadTrickleBytesPerSecond: 20 };
    const json = jsonReply(200, {});
    const bytes = { status: 200, bytes: Buffer.from('x') };
    expect(withTrickle(json, undefined, false, rates).trickleBytesPerSecond).toBe(10);
    expect(withTrickle(bytes, undefined, true, rates).trickleBytesPerSecond).toBe(20);
    expect(withTrickle(bytes, undefined, false, rates).trickleBytesPerSecond).toBeUndefined();
    const scripted = { route: 'r', trickleBytesPerSecond: 5 };
    expect(withTrickle(bytes, scripted, false, rates).trickleBytesPerSecond).toBe(5);
    expect(withTrickle(json, undefined, false, NO_TRICKLE)).toBe(json);
  });
});

describe('waitOrGone', () => {
  it('ends as soon as the client goes away', async () => {
    const destroyed = await afterClientLeft(async (res, leave) => {
      // An hour: only the client's leaving can end it within the test's time.
      const wait = waitOrGone(res, 3_600_000);
      leave();
      await wait;
      return res.destroyed;
    });
    expect(destroyed).toBe(true);
  });
});

describe('sendReply', () => {
  it('writes the answer after a scripted delay, with the scripted trickle', async () => {
    const url = await serving((_req, res) =>
      sendReply(res, jsonReply(200, { ok: true }), {
        scripted: { route: 'r', delayMs: 1, trickleBytesPerSecond: 1000 },
        isDownload: false,
        options: NO_TRICKLE,
        write: {},
      }),
    );
    const answer = await rawGet(url);
    expect(JSON.parse(Buffer.concat(answer.chunks).toString())).toEqual({ ok: true });
    expect(answer.chunks.length).toBeGreaterThan(1);
  });

  it('writes nothing once the client gave up during the delay', async () => {
    const headersSent = await afterClientLeft(async (res, leave) => {
      const sending = sendReply(res, jsonReply(200, {}), {
        scripted: { route: 'r', delayMs: 3_600_000 },
        isDownload: false,
        options: NO_TRICKLE,
        write: {},
      });
      leave();
      await sending;
      return res.headersSent;
    });
    expect(headersSent).toBe(false);
  });
});
