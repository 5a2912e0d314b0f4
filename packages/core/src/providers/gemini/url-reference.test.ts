import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError } from '../../errors.js';
import { httpDeps } from '../../http/http-deps.js';
import { urlReferences } from './url-reference.js';

// URL references are fetched by pixlock (Gemini takes them inline): over real HTTP on loopback.

let server: Server | undefined;
afterEach(
  () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
);

async function serve(
  routes: Record<string, (hits: number) => { status: number; body: Buffer; type?: string }>,
) {
  const hits = new Map<string, number>();
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    const route = routes[path];
    if (!route) return void res.writeHead(404).end();
    const { status, body, type } = route(n);
    res.writeHead(status, { 'content-type': type ?? 'image/png', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  return { base, hits };
}

const image = (format: 'png' | 'gif', size = 8) => {
  const canvas = sharp({ create: { width: size, height: size, channels: 3, background: '#3a7' } });
  return (format === 'png' ? canvas.png() : canvas.gif()).toBuffer();
};
const fetcher = () =>
  urlReferences({
    deps: httpDeps(),
    retry: { attempts: 3, baseMs: 1, capMs: 1 },
    maxBytes: 4096,
    timeoutMs: 10_000,
  });
const signal = new AbortController().signal;

describe('URL references, fetched for inline sending', () => {
  it('fetches each URL once per run, retrying a 5xx, and gives every image the same bytes', async () => {
    const png = await image('png');
    const { base, hits } = await serve({
      '/a.png': (n) =>
        n === 1 ? { status: 503, body: Buffer.from('busy') } : { status: 200, body: png },
    });
    const fetchUrl = fetcher();
    const [one, two] = await Promise.all([
      fetchUrl(`${base}/a.png`, 'x', signal),
      fetchUrl(`${base}/a.png`, 'y', signal),
    ]);
    expect(one).toEqual({ from: `${base}/a.png`, mediaType: 'image/png', bytes: png });
    expect(two!.bytes).toBe(one!.bytes);
    expect(hits.get('/a.png')).toBe(2);
  });

  it('refuses what is too large, not an image, a GIF or missing, naming the image and the URL', async () => {
    const { base } = await serve({
      '/big.png': () => ({ status: 200, body: Buffer.alloc(5000) }),
      '/page.png': () => ({
        status: 200,
        body: Buffer.from('<html>nope</html>'),
        type: 'text/html',
      }),
      '/anim.gif': () => ({ status: 200, body: gif }),
    });
    const gif = await image('gif');
    const fetchUrl = fetcher();
    const why = async (path: string) => {
      const error = await fetchUrl(`${base}${path}`, 'hero', signal).catch((e: unknown) => e);
      expect(isPixlockError(error, 'PROVIDER_BAD_REQUEST')).toBe(true);
      return (error as Error).message.replace(base, '');
    };
    expect(await why('/big.png')).toBe(
      'hero: reference /big.png is 5000 bytes, over the 4096 byte limit',
    );
    expect(await why('/page.png')).toBe(
      'hero: reference /page.png is not an image: its bytes are no PNG, JPEG, WebP or HEIF',
    );
    expect(await why('/anim.gif')).toBe(
      'hero: reference /anim.gif is image/gif; the Gemini API takes PNG, JPEG, WebP, HEIC or HEIF',
    );
    expect(await why('/gone.png')).toBe('hero: reference /gone.png answered 404');
  });
});
