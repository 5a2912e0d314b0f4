import { describe, expect, it } from 'vitest';
import { FaultQueue, operationOf } from './s3-faults.js';

describe('operationOf', () => {
  it.each([
    ['HEAD', '/bucket/team/originals/a.png', 'head'],
    ['GET', '/bucket/team/originals/a.png?x-id=GetObject', 'get'],
    ['GET', '/bucket?list-type=2&prefix=team%2F', 'list'],
    ['GET', '/bucket/?list-type=2', 'list'],
    ['PUT', '/bucket/team/originals/a.png?x-id=PutObject', 'put'],
    ['DELETE', '/bucket/k', 'delete'],
    ['PUT', '/bucket', 'other'],
    ['GET', '/', 'other'],
  ])('%s %s is %s', (method, url, op) => {
    expect(operationOf({ method, url })).toBe(op);
  });
});

describe('FaultQueue', () => {
  it('hands a fault to the requests it matches, `times` times, in order', () => {
    const q = new FaultQueue();
    q.add({ op: 'put', status: 500, times: 2 });
    q.add({ op: 'get', keyIncludes: 'b.png', kind: 'corrupt' });
    q.add({ kind: 'reset' });
    expect(q.take('get', '/bucket/a.png')?.kind).toBe('reset');
    expect(q.take('get', '/bucket/a.png')).toBeUndefined();
    expect(q.take('put', '/bucket/a.png')?.status).toBe(500);
    expect(q.take('get', '/bucket/b.png')?.kind).toBe('corrupt');
    expect(q.take('put', '/bucket/a.png')?.status).toBe(500);
    expect(q.pending).toBe(0);
  });

  it('refuses a times that is not a positive integer', () => {
    expect(() => new FaultQueue().add({ times: 0 })).toThrow(TypeError);
  });
});
