import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { startFakeKinovi, type EchoKeyForm, type FakeKinovi } from '@pixlock/fake-kinovi';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedManifest } from '../../manifest/resolved-manifest.js';
import { ctx, kinoviClientHarness, request } from '../../test-utils/kinovi-client.js';
import { createProvider } from '../create-provider.js';
import { kinoviProvider } from './kinovi-provider.js';

// `/`, `+`, `-` and `_` make every encoding of the key differ from the raw key.
const KEY = 'sk-live/HOSTILE+key_7f3a';
const kinovi = kinoviClientHarness(KEY);
const { setup, failure } = kinovi;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/;

/** Everything a caller could print or store from a settled call, as one string. */
const everything = (value: unknown) => inspect(value, { depth: Infinity, showHidden: true });

describe('a server that echoes the key', () => {
  it.each<EchoKeyForm>(['raw', 'json-escaped', 'url-encoded', 'partial', 'base64'])(
    'never shows it, echoed %s, in a create error, a poll error or their details',
    async (echoKey) => {
      const p = await setup({ echoKey, reject1k: true });
      const rejected = await failure(p.createTask(request({ resolution: '1k' }), ctx));
      expect(rejected.code).toBe('PROVIDER_BAD_REQUEST');
      expect(rejected.message).toContain('[redacted]');
      expect(everything(rejected.extra.details)).toContain('[redacted]');

      const { taskId } = await p.createTask(request(), ctx);
      kinovi.fake!.configure({ rate500: 1 });
      const unavailable = await failure(p.pollTask(taskId, request(), ctx));
      expect(unavailable.code).toBe('PROVIDER_UNAVAILABLE');
      expect(unavailable.message).toContain('[redacted]');
    },
  );

  it('redacts after parsing too: an echo escaped twice is plain only once decoded', async () => {
    const p = await setup();
    // The JSON text holds `sk-live\\/HOSTILE…`, which no pattern over the raw text matches;
    // parsed, it is `sk-live\/HOSTILE…`, the JSON-escaped key.
    const text = `{"message":"bad key ${KEY.replace('/', '\\\\/')}"}`;
    expect(text).toContain('live\\\\/');
    kinovi.fake!.injectOnce({ route: 'createTask', status: 400, body: text });
    const error = await failure(p.createTask(request(), ctx));
    expect(error.message).toBe('hero: kinovi rejected createTask (400 bad key [redacted])');
  });

  it('redacts the key inside a successful answer too (a task id, a URL, a field)', async () => {
    const p = await setup();
    kinovi.fake!.injectOnce({
      route: 'recordInfo',
      status: 200,
      body: {
        status: 'generating',
        note: `Bearer ${KEY.replace('/', '\\/')}`,
        url: `https://x/?k=${encodeURIComponent(KEY)}`,
      },
    });
    const { taskId } = await p.createTask(request(), ctx);
    expect(everything(await p.pollTask(taskId, request(), ctx))).not.toContain(KEY);
  });
});

describe('a key that cannot be a header', () => {
  it.each([
    ['a non-Latin-1 character', 'sk-live-€-secret'],
    ['CR/LF (header injection)', 'sk-live\r\nX-Injected: yes'],
  ])('with %s is a configuration error before any request', async (_what, key) => {
    const fake = await startFakeKinovi({ apiKeys: ['test-key'] });
    try {
      const p = kinoviProvider({
        apiKey: key,
        baseUrl: fake.baseUrl,
        pollIntervalMs: 5,
        timeoutMs: 1000,
      });
      const error = await p.createTask(request(), ctx).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'USAGE',
        message: expect.stringContaining('cannot be sent as an HTTP header'),
      });
      expect(everything(error)).not.toContain(key);
      expect(everything(error)).not.toContain('may have created and charged');
      expect(fake.stats.createCalls).toBe(0);
    } finally {
      await fake.close();
    }
  });
});

describe('a server that lies about money, ids and text', () => {
  it.each([[-1000], [1e300], [5000]])(
    'refuses creditsUsed %s (PROVIDER_PROTOCOL), so it never reaches a lock',
    async (creditsUsedReport) => {
      const p = await setup({ creditsUsedReport });
      const { taskId } = await p.createTask(request(), ctx);
      let error: unknown;
      for (let i = 0; i < 200 && error === undefined; i++) {
        error = await p.pollTask(taskId, request(), ctx).then(
          () => new Promise((resolve) => setTimeout(() => resolve(undefined), 5)),
          (e: unknown) => e,
        );
      }
      expect(error).toMatchObject({
        code: 'PROVIDER_PROTOCOL',
        message: expect.stringContaining(`task ${taskId}: kinovi reported creditsUsed`),
      });
    },
  );

  it('reports an overcharge as charged, for the budget to count', async () => {
    const p = await setup({ chargePerTask: 100 });
    const { taskId } = await p.createTask(request(), ctx);
    let status = await p.pollTask(taskId, request(), ctx);
    while (status.state === 'pending') status = await p.pollTask(taskId, request(), ctx);
    expect(status).toMatchObject({ state: 'success', creditsUsed: 100 });
  });

  it('keeps a numeric task id above 2^53 digit for digit, and polls it to the end', async () => {
    const p = await setup({ numericTaskIds: true });
    const { taskId } = await p.createTask(request(), ctx);
    const sent = kinovi.fake!.tasks()[0]!.taskId;
    expect(BigInt(sent)).toBeGreaterThan(2n ** 53n);
    expect(taskId).toBe(sent);
    expect(String(Number(sent))).not.toBe(sent); // what JSON.parse would have stored
    let status = await p.pollTask(taskId, request(), ctx);
    while (status.state === 'pending') status = await p.pollTask(taskId, request(), ctx);
    expect(status.state).toBe('success');
  });

  it('strips terminal escapes and CR/LF from error messages and fail reasons', async () => {
    const p = await setup({ hostileText: true, failRate: 1, reject1k: true });
    const rejected = await failure(p.createTask(request({ resolution: '1k' }), ctx));
    expect(rejected.message).toContain('forged log line');
    expect(rejected.message).not.toMatch(UNSAFE);
    expect(everything(rejected.extra.details)).not.toMatch(/\\u001b|\\r\\n|\\x1B/i);

    const { taskId } = await p.createTask(request(), ctx);
    let status = await p.pollTask(taskId, request(), ctx);
    while (status.state === 'pending') status = await p.pollTask(taskId, request(), ctx);
    expect(status).toMatchObject({ state: 'failed', message: expect.stringContaining('OK: all') });
    expect(status.state === 'failed' && status.message).not.toMatch(UNSAFE);
  });

  it('stops reading an answer past 1 MB', async () => {
    const p = await setup();
    const { taskId } = await p.createTask(request(), ctx);
    const huge = Buffer.from(`{"status":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    for (let i = 0; i < 3; i++)
      kinovi.fake!.injectOnce({ route: 'recordInfo', status: 200, body: huge });
    const error = await failure(p.pollTask(taskId, request(), ctx));
    expect(error).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(error.message).toContain('larger than 1048576 bytes');
  });

  it('does not follow a redirect: the key stays with baseUrl', async () => {
    const p = await setup();
    const other: FakeKinovi = await startFakeKinovi({ apiKeys: [KEY] });
    try {
      kinovi.fake!.injectOnce({
        route: 'createTask',
        status: 307,
        body: {},
        headers: { location: `${other.baseUrl}/jobs/createTask` },
      });
      const error = await failure(p.createTask(request(), ctx));
      expect(error.message).toMatch(/redirect .* not followed/);
      expect(other.stats.createCalls).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('a committed manifest naming the server', () => {
  const manifest = (baseUrl: string): ResolvedManifest => ({
    file: '/nowhere/pixlock.yaml',
    dir: '/nowhere',
    outDir: 'generated',
    provider: { name: 'kinovi', model: 'nanobanana2', baseUrl },
    concurrency: 1,
    images: [],
    files: ['/nowhere/pixlock.yaml'],
  });

  it('gets no key: refused before any request unless KINOVI_BASE_URL names it', async () => {
    const fake = await startFakeKinovi({ apiKeys: [KEY] });
    try {
      const m = manifest(fake.baseUrl);
      const refused = await createProvider(m, { KINOVI_API_KEY: KEY }).catch((e: unknown) => e);
      expect(refused).toMatchObject({
        code: 'USAGE',
        message: expect.stringContaining('not kinovi'),
      });
      expect(everything(refused)).not.toContain(KEY);
      const plain = manifest('http://collector.example/api/v1');
      const insecure = await createProvider(plain, { KINOVI_API_KEY: KEY }).catch(
        (e: unknown) => e,
      );
      expect(insecure).toMatchObject({
        code: 'USAGE',
        message: expect.stringContaining('unencrypted'),
      });
      expect(fake.stats.createCalls + fake.stats.polls).toBe(0);

      const allowed = await createProvider(m, {
        KINOVI_API_KEY: KEY,
        KINOVI_BASE_URL: fake.baseUrl,
      });
      await allowed.createTask(request(), ctx);
      expect(fake.stats.creates).toBe(1);
    } finally {
      await fake.close();
    }
  });
});

describe('reference uploads', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('uploads only bytes that decode as the image their name says', async () => {
    const p = await setup();
    dir = await mkdtemp(path.join(tmpdir(), 'pixlock-ref-'));
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
      .png()
      .toBuffer();
    const files = {
      'passwd.png': Buffer.from('root:x:0:0:root:/root:/bin/bash\n'),
      'glued.png': Buffer.concat([png.subarray(0, 16), Buffer.alloc(64, 7)]),
      'liar.jpg': png,
      'ok.png': png,
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(path.join(dir, name), bytes);
    for (const name of ['passwd.png', 'glued.png', 'liar.jpg']) {
      const error = await failure(p.uploadReference!(path.join(dir, name), request(), ctx));
      expect(error.code).toBe('PROVIDER_BAD_REQUEST');
    }
    expect(kinovi.fake!.stats.uploads).toBe(0);
    const url = await p.uploadReference!(path.join(dir, 'ok.png'), request(), ctx);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(
      await readFile(path.join(dir, 'ok.png')),
    );
    await p.createTask(request({ references: [url] }), ctx);
    expect(Object.values(kinovi.fake!.stats.referencesByTask)).toEqual([[url]]);
  });
});
