import { describe, expect, it } from 'vitest';
import { waitOrGone, withTrickle } from './answer-timing.js';
import { listenLoopback } from './listen-loopback.js';
import { jsonReply } from './reply.js';
import { rawGet } from './test-utils/raw-get.js';

const quiet = { port: 0, host: '127.0.0.1', answerCrash: () => undefined };

describe('answer timing', () => {
  const rates = { jsonTrickleBytesPerSecond: 10, downloadTrickleBytesPerSecond: 20 };

  it('withTrickle: a scripted rate first, then the download or JSON rate; other bytes at once', () => {
    const json = jsonReply(200, {});
    const bytes = { status: 200, bytes: Buffer.from('x') };
    expect(withTrickle(json, undefined, false, rates).trickleBytesPerSecond).toBe(10);
    expect(withTrickle(bytes, undefined, true, rates).trickleBytesPerSecond).toBe(20);
    expect(withTrickle(bytes, undefined, false, rates).trickleBytesPerSecond).toBeUndefined();
    const scripted = { route: 'r', trickleBytesPerSecond: 5 };
    expect(withTrickle(bytes, scripted, false, rates).trickleBytesPerSecond).toBe(5);
    const none = { jsonTrickleBytesPerSecond: 0, downloadTrickleBytesPerSecond: 0 };
    expect(withTrickle(json, undefined, false, none)).toBe(json);
  });

  it('waitOrGone ends as soon as the client goes away', async () => {
    let gone!: (destroyed: boolean) => void;
    const waited = new Promise<boolean>((resolve) => (gone = resolve));
    const server = await listenLoopback({
      ...quiet,
      handle: async (req, res) => {
        // An hour: only the client's leaving can end it within the test's time.
        const wait = waitOrGone(res, 3_600_000);
        req.socket.destroy();
        await wait;
        gone(res.destroyed);
      },
    });
    try {
      await rawGet(server.origin).catch(() => undefined);
      expect(await waited).toBe(true);
    } finally {
      await server.close();
    }
  });
});
