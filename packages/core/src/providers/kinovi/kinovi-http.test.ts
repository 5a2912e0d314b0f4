import { describe, expect, it } from 'vitest';
import { ctx, kinoviClientHarness, request } from '../../test-utils/kinovi-client.js';

const KEY = 'sk-live-http-test-9d2e7a';
const kinovi = kinoviClientHarness(KEY);
const { setup, failure } = kinovi;

describe('kinovi retries', () => {
  it('retries 5xx on create and succeeds', async () => {
    const p = await setup();
    kinovi.fake!.injectOnce({ route: 'createTask', status: 500 });
    kinovi.fake!.injectOnce({ route: 'createTask', status: 503 });
    const { taskId } = await p.createTask(request(), ctx);
    expect(taskId).toMatch(/^task_/);
    expect(kinovi.fake!.stats).toMatchObject({ createCalls: 3, creates5xx: 2, creates: 1 });
  });

  it('gives up on a 500 that does not go away: PROVIDER_UNAVAILABLE', async () => {
    const p = await setup({ rate500: 1 });
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_UNAVAILABLE');
    expect(e.message).toBe('hero: kinovi createTask: 500 Internal error (after 3 attempts)');
    expect(kinovi.fake!.stats).toMatchObject({ createCalls: 3, creates: 0 });
  });

  it('retries polls through 500, 429 and a dropped socket', async () => {
    const p = await setup({}, { retry: { attempts: 4, baseMs: 1, capMs: 4 } });
    const { taskId } = await p.createTask(request(), ctx);
    kinovi.fake!.injectOnce({ route: 'recordInfo', status: 500 });
    kinovi.fake!.injectOnce({ route: 'recordInfo', status: 429, headers: { 'Retry-After': '0' } });
    kinovi.fake!.injectOnce({ route: 'recordInfo', kind: 'drop' });
    expect((await p.pollTask(taskId, request(), ctx)).state).toMatch(/pending|success/);
    expect(kinovi.fake!.stats.polls).toBe(4);
  });

  it('does not resend a create whose answer was lost after the server took it', async () => {
    const p = await setup();
    kinovi.fake!.injectOnce({ route: 'createTask', kind: 'drop', afterProcessing: true });
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_UNAVAILABLE');
    expect(e.message).toContain('may have created and charged the task');
    expect(kinovi.fake!.stats).toMatchObject({ createCalls: 1, creates: 1 });
  });

  it('retries a create the network never delivered, then PROVIDER_UNAVAILABLE', async () => {
    const p = await setup();
    await kinovi.fake!.close();
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_UNAVAILABLE');
    expect(e.message).toMatch(
      /^hero: cannot reach kinovi createTask \(ECONNREFUSED.*after 3 attempts/,
    );
  });

  it('stops retrying at once when aborted, rejecting with the abort reason', async () => {
    const p = await setup(
      { rate500: 1 },
      { retry: { attempts: 5, baseMs: 60_000, capMs: 60_000 } },
    );
    const controller = new AbortController();
    const reason = new Error('user pressed ctrl-c');
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 50);
    const error = await p.createTask(request(), { signal: controller.signal }).catch((e) => e);
    expect(error).toBe(reason);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(kinovi.fake!.stats.createCalls).toBe(1);
    const again = await p.pollTask('t', request(), { signal: controller.signal }).catch((e) => e);
    expect(again).toBe(reason);
    expect(kinovi.fake!.stats.polls).toBe(0);
  });
});
