import type { ScriptedFault } from '@pixlock/fake-kinovi';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../engine/test-utils/fake-clock.js';
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

  it.each<[string, Omit<ScriptedFault, 'route' | 'afterProcessing'>, RegExp]>([
    ['the connection drops', { kind: 'drop' }, /answer to createTask was lost/],
    ['a gateway times out', { status: 504 }, /answered 504 \(gateway timeout\)/],
    ['a proxy answers a 200 page', { kind: 'html', status: 200 }, /answered 200 without JSON/],
    ['the answer names no task', { status: 200, body: { code: 200 } }, /named no usable taskId/],
  ])(
    'does not resend a create the server took when %s: PROVIDER_CREATE_UNCONFIRMED',
    async (_what, fault, message) => {
      const p = await setup();
      kinovi.fake!.injectOnce({ route: 'createTask', afterProcessing: true, ...fault });
      const e = await failure(p.createTask(request(), ctx));
      expect(e.code).toBe('PROVIDER_CREATE_UNCONFIRMED');
      expect(e.message).toMatch(message);
      expect(e.message).toContain('may have created and charged the task');
      expect(kinovi.fake!.stats).toMatchObject({ createCalls: 1, creates: 1 });
    },
  );

  it('gives up on an answer slower than requestTimeoutMs: a poll asks again, a create does not', async () => {
    const p = await setup({}, { requestTimeoutMs: 100 });
    kinovi.fake!.injectOnce({ route: 'createTask', delayMs: 1000 });
    const e = await failure(p.createTask(request(), ctx));
    expect(e.code).toBe('PROVIDER_CREATE_UNCONFIRMED');
    expect(e.message).toMatch(/answer to createTask was lost \(no answer within 100 ms\)/);
    expect(kinovi.fake!.stats).toMatchObject({ createCalls: 1, creates: 1 });

    const taskId = kinovi.fake!.tasks()[0]!.taskId;
    kinovi.fake!.injectOnce({ route: 'recordInfo', delayMs: 1000 });
    const status = await p.pollTask(taskId, request(), ctx);
    expect(status.state).toMatch(/pending|success/);
    expect(kinovi.fake!.stats.polls).toBe(2);
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
    // Backoffs of a minute, on a clock that never moves: only the abort can end the wait.
    const clock = fakeClock();
    const p = await setup(
      { rate500: 1 },
      { retry: { attempts: 5, baseMs: 60_000, capMs: 60_000 } },
      { clock, random: () => 0.5 },
    );
    const controller = new AbortController();
    const reason = new Error('user pressed ctrl-c');
    const error = p.createTask(request(), { signal: controller.signal }).catch((e) => e);
    // The first try was answered 500: the client is reading that answer or backing off.
    while (kinovi.fake!.stats.createCalls < 1) await new Promise((r) => setTimeout(r, 2));
    controller.abort(reason);
    expect(await error).toBe(reason);
    expect(kinovi.fake!.stats.createCalls).toBe(1);
    expect(clock.pending).toBe(0);
    const again = await p.pollTask('t', request(), { signal: controller.signal }).catch((e) => e);
    expect(again).toBe(reason);
    expect(kinovi.fake!.stats.polls).toBe(0);
  });
});
