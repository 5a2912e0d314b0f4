import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenLoopback } from './listen-loopback.js';
import type { LoopbackServer } from './listen-loopback.js';
import { encodeBody, htmlPage, jsonReply } from './reply.js';
import type { Reply } from './reply.js';
import { rawGet } from './test-utils/raw-get.js';
import { writeReply } from './write-reply.js';
import type { WriteOptions } from './write-reply.js';

let server: LoopbackServer | undefined;
afterEach(async () => server?.close());

/** A server that answers every request with `reply`, written with `options`. */
async function serving(reply: Reply, options?: WriteOptions): Promise<string> {
  server = await listenLoopback({
    port: 0,
    host: '127.0.0.1',
    handle: async (req, res: ServerResponse) =>
      writeReply(res, reply, { ...options, head: req.method === 'HEAD' }),
    answerCrash: () => undefined,
  });
  return server.origin;
}

describe('writeReply', () => {
  it('sends JSON with its length, headers and content type', async () => {
    const url = await serving(jsonReply(201, { a: 1 }, { 'retry-after': '3' }));
    const answer = await rawGet(url);
    expect(answer).toMatchObject({ status: 201, ending: 'end' });
    expect(Buffer.concat(answer.chunks).toString()).toBe('{"a":1}');
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'content-length': '7',
      'retry-after': '3',
    });
  });

  it('wraps, rewrites and types JSON as a fake asks; bytes go as they are', async () => {
    const url = await serving(jsonReply(200, { id: 'x' }), {
      wrapJson: (status, json) => ({ code: status, data: json }),
      rewriteJson: (text) => text.replace('"x"', '"y"'),
      jsonContentType: 'application/json; charset=UTF-8',
    });
    const answer = await rawGet(url);
    expect(Buffer.concat(answer.chunks).toString()).toBe('{"code":200,"data":{"id":"y"}}');
    expect(answer.headers['content-type']).toBe('application/json; charset=UTF-8');
    await server?.close();
    const page = await serving({ status: 502, bytes: htmlPage(502), contentType: 'text/html' });
    const html = await rawGet(page);
    expect(Buffer.concat(html.chunks).toString()).toContain('<title>502 Bad Gateway</title>');
  });

  it('answers HEAD with the headers of the full answer and no body', async () => {
    const url = await serving(jsonReply(200, { a: 1 }));
    const answer = await rawGet(url, 'HEAD');
    expect(answer).toMatchObject({ status: 200, chunks: [], ending: 'end' });
    expect(answer.headers['content-length']).toBe('7');
  });

  it('truncate announces the whole length, sends half, then drops the socket', async () => {
    const body = Buffer.alloc(1000, 7);
    const url = await serving({ status: 200, bytes: body, kind: 'truncate' });
    const answer = await rawGet(url);
    expect(answer.headers['content-length']).toBe('1000');
    expect(answer.ending).toBe('aborted');
    expect(Buffer.concat(answer.chunks)).toEqual(body.subarray(0, 500));
  });

  it('drop destroys the socket without an answer', async () => {
    const url = await serving({ status: 0, kind: 'drop' });
    await expect(rawGet(url)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('trickles: the headers at once, then the body in many small pieces', async () => {
    const json = { text: 'x'.repeat(200) };
    const url = await serving({ ...jsonReply(200, json), trickleBytesPerSecond: 1000 });
    const answer = await rawGet(url);
    const body = Buffer.concat(answer.chunks);
    expect(JSON.parse(body.toString())).toEqual(json);
    // 10 bytes every 10 ms: many separate pieces, never one.
    expect(answer.chunks.length).toBeGreaterThan(body.length / 40);
  });
});

describe('encodeBody', () => {
  it('keeps a Buffer, sends a string as text and anything else as JSON of the fake’s type', () => {
    const bytes = Buffer.from([1, 2]);
    expect(encodeBody(bytes, 'j')).toEqual({ bytes, contentType: 'application/octet-stream' });
    expect(encodeBody('hi', 'j')).toEqual({ bytes: Buffer.from('hi'), contentType: 'text/plain' });
    expect(encodeBody({ a: 1 }, 'j')).toEqual({ bytes: Buffer.from('{"a":1}'), contentType: 'j' });
  });
});
