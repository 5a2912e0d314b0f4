import { describe, expect, it } from 'vitest';
import { envelopeStatus, parseTaskId, parseTaskStatus, unwrapEnvelope } from './parse-task.js';

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
  });

  it('counts unknown non-terminal states as pending, and no state as malformed', () => {
    for (const status of ['waiting', 'generating', 'queued', 'processing', 'PENDING']) {
      expect(parseTaskStatus({ status })).toEqual({ state: 'pending' });
    }
    expect(parseTaskStatus({ state: 'generating' })).toEqual({ state: 'pending' });
    expect(parseTaskStatus({ output: [] })).toBeUndefined();
  });

  it('reads numeric-string credits, bare outputs and sizes', () => {
    expect(
      parseTaskStatus({ status: 'success', creditsUsed: '25', output: { url: 'u', width: '4' } }),
    ).toEqual({ state: 'success', creditsUsed: 25, output: { url: 'u', width: 4 } });
    expect(parseTaskStatus({ status: 'success', output: ['u'] })).toEqual({
      state: 'success',
      creditsUsed: 0,
      output: { url: 'u' },
    });
  });

  it('turns a success without output into a failure rather than a crash', () => {
    expect(parseTaskStatus({ status: 'success', output: null })).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('no output'),
    });
  });

  it('reads error as null, string or {code, message}', () => {
    expect(parseTaskStatus({ status: 'fail', error: null })).toEqual({
      state: 'failed',
      message: 'no reason given',
    });
    expect(parseTaskStatus({ status: 'failed', error: 'boom' })).toEqual({
      state: 'failed',
      message: 'boom',
    });
    expect(parseTaskStatus({ status: 'error', error: { code: 4011 } })).toEqual({
      state: 'failed',
      message: 'error 4011',
      code: '4011',
    });
  });
});
