import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKinovi } from './fake-kinovi-server.js';
import type { FakeKinovi } from './fake-kinovi-server.js';
import type { FakeKinoviOptions } from './options.js';
import { kinoviHttp, taskIdOf } from './test-utils/kinovi-http.js';

const running: FakeKinovi[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((k) => k.close()));
});

/** A server with one finished task; returns the output URL. */
async function withImage(options: Partial<FakeKinoviOptions> = {}) {
  const kinovi = await startFakeKinovi({ queueMs: 0, latencyMs: 0, ...options });
  running.push(kinovi);
  const http = kinoviHttp(kinovi);
  const taskId = taskIdOf(await http.create({ prompt: 'p', aspectRatio: '1:1', resolution: '1k' }));
  const [output] = (await http.settle(taskId)).body.output as { url: string }[];
  return { kinovi, url: output?.url ?? '' };
}

/** Reads a body chunk by chunk, returning how many bytes arrived before it ended or broke. */
async function readCounting(res: Response): Promise<{ received: number; error?: unknown }> {
  let received = 0;
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { received };
      received += value.length;
    }
  } catch (error) {
    return { received, error };
  }
}

async function decodes(url: string): Promise<boolean> {
  const res = await fetch(url);
  const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
  return res.status === 200 && meta.width === 1024;
}

describe('downloads', () => {
  it('needs no auth and answers 404 for unknown files', async () => {
    const { kinovi, url } = await withImage();
    expect(await decodes(url)).toBe(true);
    expect((await fetch(url.replace('task_', 'task_0'))).status).toBe(404);
    const head = await fetch(url, { method: 'HEAD' });
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(kinovi.stats.downloads).toBe(2);
  });

  it('truncates: fewer bytes than Content-Length, then a body error; a retry succeeds', async () => {
    const { kinovi, url } = await withImage({ downloadTruncateRate: 1 });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const announced = Number(res.headers.get('content-length'));
    const { received, error } = await readCounting(res);
    expect(received).toBeLessThan(announced);
    expect(error).toBeDefined();
    await expect(fetch(url).then((r) => r.arrayBuffer())).rejects.toThrow();

    kinovi.configure({ downloadTruncateRate: 0 });
    expect(await decodes(url)).toBe(true);
    expect(kinovi.stats).toMatchObject({ downloads: 3, downloadFaults: 2 });
  });

  it('answers an HTML page with status 200, or a 404, per request', async () => {
    const { kinovi, url } = await withImage({ downloadHtmlRate: 1 });
    const html = await fetch(url);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toContain('<html>');

    kinovi.configure({ downloadHtmlRate: 0, download404Rate: 1 });
    expect((await fetch(url)).status).toBe(404);
    kinovi.configure({ download404Rate: 0 });
    expect(await decodes(url)).toBe(true);
    expect(kinovi.stats.downloadFaults).toBe(2);
  });

  it('gives two tasks for one prompt different bytes, and caches each task’s bytes', async () => {
    const { kinovi, url } = await withImage();
    const http = kinoviHttp(kinovi);
    const other = taskIdOf(
      await http.create({ prompt: 'p', aspectRatio: '1:1', resolution: '1k' }),
    );
    const [output] = (await http.settle(other)).body.output as { url: string }[];
    const bytes = async (u: string) => Buffer.from(await (await fetch(u)).arrayBuffer());
    const [a1, a2, b] = [await bytes(url), await bytes(url), await bytes(output?.url ?? '')];
    expect(a1.equals(a2)).toBe(true);
    expect(a1.equals(b)).toBe(false);
  });
});

describe('uploads', () => {
  it('POST /uploads → PUT the bytes → GET the public url', async () => {
    const { kinovi } = await withImage();
    const slot = await fetch(`${kinovi.baseUrl}/uploads`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
      body: JSON.stringify({ fileName: 'ref.jpg', contentType: 'image/jpeg' }),
    });
    const { uploadUrl, url } = (await slot.json()) as { uploadUrl: string; url: string };
    expect((await fetch(url)).status).toBe(404);
    const put = await fetch(uploadUrl, { method: 'PUT', body: Buffer.from('jpeg bytes') });
    expect(put.status).toBe(200);
    const got = await fetch(url);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(await got.text()).toBe('jpeg bytes');
    expect(kinovi.stats.uploads).toBe(1);

    const anonymous = await fetch(`${kinovi.baseUrl}/uploads`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(401);
  });
});
