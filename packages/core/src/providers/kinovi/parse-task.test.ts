import { describe, expect, it } from 'vitest';
import {
  envelopeStatus,
  MAX_CREDITS_PER_TASK,
  parseTaskId,
  parseTaskStatus,
  taskDuration,
  unwrapEnvelope,
} from './parse-task.js';

describe('parse-task (answer shapes the fake does not produce)', () => {
  it('unwraps envelopes, keeping the top message beside the data of an error', () => {
    expect(unwrapEnvelope({ code: 200, message: 'success', data: { taskId: 't' } })).toEqual({
      taskId: 't',
      message: 'success',
    });
    expect(unwrapEnvelope({ code: 402, message: 'Insufficient', data: null })).toEqual({
      message: 'Insufficient',
    });
    expect(unwrapEnvelope({ taskId: 't', data: 'x' })).toEqual({ taskId: 't', data: 'x' });
    expect(unwrapEnvelope('nope')).toEqual({});
  });

  it('treats an HTTP 200 whose envelope says 4xx/5xx as that status', () => {
    expect(envelopeStatus({ code: 401, message: 'no', data: null }, 200)).toBe(401);
    expect(envelopeStatus({ code: 0, message: 'ok', data: {} }, 200)).toBe(200);
  });

  it('reads taskId, task_id and numeric ids', () => {
    expect(parseTaskId({ taskId: 'a', task_id: 'b' })).toBe('a');
    expect(parseTaskId({ task_id: 'b' })).toBe('b');
    expect(parseTaskId({ taskId: 12 })).toBe('12');
    expect(parseTaskId({})).toBeUndefined();
    expect(parseTaskId({ taskId: '12345678901234567890123' })).toBe('12345678901234567890123');
    for (const taskId of [1.5, -3, 'a b', 'x\u001b[2J', 'é', '', 'x'.repeat(257)]) {
      expect(parseTaskId({ taskId })).toBeUndefined();
    }
  });

  it('counts unknown non-terminal states as pending, and no state as malformed', () => {
    for (const status of ['waiting', 'generating', 'queued', 'processing', 'PENDING']) {
      expect(parseTaskStatus({ status }, 15)).toEqual({ state: 'pending' });
    }
    expect(parseTaskStatus({ state: 'generating' }, 15)).toEqual({ state: 'pending' });
    expect(parseTaskStatus({ output: [] }, 15)).toBeUndefined();
  });

  it('reads numeric-string credits, bare outputs and sizes', () => {
    expect(
      parseTaskStatus(
        { status: 'success', creditsUsed: '25', output: { url: 'https://c/u', width: '4' } },
        15,
      ),
    ).toEqual({ state: 'success', creditsUsed: 25, output: { url: 'https://c/u', width: 4 } });
    // No creditsUsed at all: the list price, so silence cannot make a run look free.
    expect(parseTaskStatus({ status: 'success', output: ['http://c/u'] }, 15)).toEqual({
      state: 'success',
      creditsUsed: 15,
      output: { url: 'http://c/u' },
    });
  });

  it('reads a success without an output URL as malformed (polled through), not as a failure', () => {
    for (const output of [null, [], [{}], [{ url: '' }], {}])
      expect(parseTaskStatus({ status: 'success', output }, 15)).toBeUndefined();
  });

  it("reads the task's duration from the server's timestamps only when they are plausible", () => {
    const ok = { status: 'success', output: ['http://c/u'], createTime: 1709900000000 };
    expect(parseTaskStatus({ ...ok, completeTime: 1709900010000 }, 15)).toMatchObject({
      durationMs: 10_000,
    });
    expect(parseTaskStatus({ ...ok, completeTime: '1709900000400' }, 15)).toMatchObject({
      durationMs: 400,
    });
    for (const completeTime of [
      null,
      1709899999999,
      1709900000000 + 25 * 3600_000,
      'soon',
      Number.POSITIVE_INFINITY,
    ])
      expect(parseTaskStatus({ ...ok, completeTime }, 15)).not.toHaveProperty('durationMs');
    expect(taskDuration(undefined, 5)).toBeUndefined();
  });

  it('reads error as null, string or {code, message}', () => {
    expect(parseTaskStatus({ status: 'fail', error: null }, 15)).toEqual({
      state: 'failed',
      message: 'no reason given',
    });
    expect(parseTaskStatus({ status: 'failed', error: 'boom' }, 15)).toEqual({
      state: 'failed',
      message: 'boom',
    });
    expect(parseTaskStatus({ status: 'error', error: { code: 4011 } }, 15)).toEqual({
      state: 'failed',
      message: 'error 4011',
      code: '4011',
    });
  });
});

describe('answers that break the protocol', () => {
  const success = (over: Record<string, unknown>) =>
    parseTaskStatus({ status: 'success', output: [{ url: 'https://c/u' }], ...over }, 15);

  it.each([[-1000], [-0.5], [1001], [1e300], ['NaN'], ['12345678901234567890123'], [true]])(
    'refuses creditsUsed %s: PROVIDER_PROTOCOL',
    (creditsUsed) => {
      expect(() => success({ creditsUsed })).toThrow(
        expect.objectContaining({ code: 'PROVIDER_PROTOCOL' }),
      );
    },
  );

  it('keeps an over-list-price charge within bounds, for the budget to see', () => {
    expect(success({ creditsUsed: 100 })).toMatchObject({ creditsUsed: 100 });
    expect(success({ creditsUsed: MAX_CREDITS_PER_TASK })).toMatchObject({ creditsUsed: 1000 });
  });

  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'data:image/png;base64,AA', 'not a url'])(
    'refuses output URL %s',
    (url) => {
      expect(() => parseTaskStatus({ status: 'success', output: [url] }, 15)).toThrow(
        expect.objectContaining({ code: 'PROVIDER_PROTOCOL' }),
      );
    },
  );
});
