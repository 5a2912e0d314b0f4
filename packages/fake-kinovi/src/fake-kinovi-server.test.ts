import sharp from 'sharp';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { startedFakes } from './test-utils/started-fakes.js';
import { kinoviHttp, taskIdOf } from './test-utils/kinovi-http.js';

const start = startedFakes({ queueMs: 5, latencyMs: 10 });

describe('startFakeKinovi: the happy path', () => {
  it('creates, runs through waiting → generating → success, and serves a real image', async () => {
    const kinovi = await start({ queueMs: 30, latencyMs: 30 });
    expect(kinovi.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    const http = kinoviHttp(kinovi);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const created = await http.create({
      prompt: 'a red fox',
      aspectRatio: '3:4',
      resolution: '1k',
    });
    expect(created.status).toBe(200);
    expect(Object.keys(created.body)).toEqual(['taskId']);
    const taskId = taskIdOf(created);

    // The lifecycle runs on fake timers: each phase is seen, whatever the machine's load.
    const first = await http.poll(taskId);
    expect(first.body).toMatchObject({ taskId, model: 'nanobanana2', status: 'waiting' });
    expect(first.body).toMatchObject({
      creditsUsed: 0,
      output: null,
      error: null,
      completeTime: null,
    });
    await vi.advanceTimersByTimeAsync(30);
    expect((await http.poll(taskId)).body.status).toBe('generating');
    await vi.advanceTimersByTimeAsync(30);
    vi.useRealTimers();
    const done = await http.settle(taskId);
    expect(done.body).toMatchObject({ status: 'success', creditsUsed: 15, error: null });
    expect(done.body.completeTime).toBeGreaterThanOrEqual(done.body.createTime as number);
    const [output] = done.body.output as { url: string; width: number; height: number }[];
    expect(output).toMatchObject({ width: 768, height: 1024, mediaType: 'image/png' });

    const download = await fetch(output?.url ?? '');
    expect(download.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(Buffer.from(await download.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'png', width: 768, height: 1024 });

    expect(kinovi.stats).toMatchObject({
      createCalls: 1,
      creates: 1,
      downloads: 1,
      succeeded: 1,
      creditsCharged: 15,
      creditsAvailable: 100_000 - 15,
      maxInFlight: 1,
      inFlight: 0,
    });
    expect(kinovi.stats.polls).toBeGreaterThanOrEqual(2);
    expect({ ...kinovi.stats.createsByPrompt }).toEqual({ 'a red fox': 1 });
  });

  it('records inputs as received, defaults 3:4 at 2k, ignores unknown input keys', async () => {
    const kinovi = await start();
    const http = kinoviHttp(kinovi);
    const answer = await http.create({
      prompt: 'p',
      imageUrls: ['https://x/a.png'],
      uploadedUrls: ['https://x/b.png'],
      negativePrompt: 'blur',
      seed: 7,
      referenceImages: ['ignored'],
    });
    expect(answer.status).toBe(200);
    const [task] = kinovi.tasks();
    expect(task).toMatchObject({
      prompt: 'p',
      aspectRatio: '3:4',
      resolution: '2k',
      imageUrls: ['https://x/a.png'],
      uploadedUrls: ['https://x/b.png'],
      negativePrompt: 'blur',
      seed: 7,
      account: 0,
      creditsReserved: 15,
    });
    expect(task?.rawInputs).toHaveProperty('referenceImages');
    expect(JSON.stringify(kinovi.tasks())).not.toContain('test-key');
  });
});

describe('auth and access', () => {
  it.each([
    [null, 'Missing Authorization header'],
    ['nope', 'Invalid API Key'],
    ['old', 'API Key is inactive'],
    ['gone', 'API Key has expired'],
  ])('key %s → 401 %s', async (key, message) => {
    const kinovi = await start({ inactiveKeys: ['old'], expiredKeys: ['gone'] });
    const answer = await kinoviHttp(kinovi, key).create({ prompt: 'p' });
    expect(answer).toMatchObject({ status: 401, body: { message } });
    const poll = await kinoviHttp(kinovi, key).poll('task_x');
    expect(poll).toMatchObject({ status: 401, body: { message } });
    expect(kinovi.stats).toMatchObject({ createCalls: 1, creates: 0, creates401: 1 });
  });

  it('answers 403 everywhere when API access is not enabled', async () => {
    const kinovi = await start({ accessEnabled: false });
    const http = kinoviHttp(kinovi);
    const body = { message: 'API access not enabled' };
    expect(await http.create({ prompt: 'p' })).toMatchObject({ status: 403, body });
    expect(await http.poll('task_x')).toMatchObject({ status: 403, body });
    expect(kinovi.stats.creates403).toBe(1);
  });

  it('404 for an unknown task, 403 for another account’s task, 400 without taskId', async () => {
    const kinovi = await start({ apiKeys: ['alice', 'bob'] });
    const alice = kinoviHttp(kinovi, 'alice');
    const taskId = taskIdOf(await alice.create({ prompt: 'p' }));
    expect(await alice.poll('task_nope')).toMatchObject({
      status: 404,
      body: { message: 'Task not found' },
    });
    expect((await kinoviHttp(kinovi, 'bob').poll(taskId)).status).toBe(403);
    expect((await alice.poll('')).status).toBe(400);
    const unknownRoute = await fetch(`${kinovi.baseUrl}/jobs/nothing`);
    expect(unknownRoute.status).toBe(404);
  });
});

describe('validation → 400 {message, errors}', () => {
  it.each([
    ['no prompt', { aspectRatio: '1:1' }, 'inputs.prompt'],
    ['blank prompt', { prompt: '  ' }, 'inputs.prompt'],
    ['bad ratio', { prompt: 'p', aspectRatio: '2:1' }, 'inputs.aspectRatio'],
    ['bad resolution', { prompt: 'p', resolution: '8k' }, 'inputs.resolution'],
    ['imageUrls not a list', { prompt: 'p', imageUrls: 'https://x' }, 'inputs.imageUrls'],
  ])('%s', async (_name, inputs, field) => {
    const kinovi = await start();
    const answer = await kinoviHttp(kinovi).create(inputs);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toContainEqual(expect.objectContaining({ field }));
    expect(kinovi.stats).toMatchObject({ creates400: 1, creates: 0, creditsCharged: 0 });
  });

  it('rejects a wrong model, invalid JSON, and 1k when reject1k is on', async () => {
    const kinovi = await start({ reject1k: true });
    const http = kinoviHttp(kinovi);
    expect((await http.create({ prompt: 'p' }, 'nanobanana')).status).toBe(400);
    expect((await http.create({ prompt: 'p', resolution: '1k' })).status).toBe(400);
    const broken = await fetch(`${kinovi.baseUrl}/jobs/createTask`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-key' },
      body: '{"model":',
    });
    expect(broken.status).toBe(400);
    expect(kinovi.stats.creates400).toBe(3);
  });
});

describe('answer variants', () => {
  it('envelope + task_id + state + string errors', async () => {
    const kinovi = await start({
      envelope: true,
      taskIdField: 'task_id',
      stateField: 'state',
      errorShape: 'string',
      failRate: 1,
    });
    const http = kinoviHttp(kinovi);
    const created = await http.create({ prompt: 'p' });
    expect(created.body).toEqual({
      code: 200,
      message: 'success',
      data: { task_id: expect.any(String) },
    });
    const done = await http.settle(taskIdOf(created), (b) => b.data as Record<string, unknown>);
    const data = done.body.data as Record<string, unknown>;
    expect(data).toMatchObject({ state: 'fail', error: expect.any(String) });
    expect(data).not.toHaveProperty('status');

    expect((await kinoviHttp(kinovi, 'bad').create({ prompt: 'p' })).body).toEqual({
      code: 401,
      message: 'Invalid API Key',
      data: null,
    });
  });

  it('JPEG outputs: mediaType says so, the URL still ends in .png', async () => {
    const kinovi = await start({ mediaType: 'image/jpeg' });
    const http = kinoviHttp(kinovi);
    const taskId = taskIdOf(await http.create({ prompt: 'p', aspectRatio: '16:9' }));
    const [output] = (await http.settle(taskId)).body.output as { url: string }[];
    expect(output).toMatchObject({ width: 2048, height: 1152, mediaType: 'image/jpeg' });
    expect(output?.url).toMatch(/\.png$/);
    const res = await fetch(output?.url ?? '');
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 2048, height: 1152 });
  });
});
