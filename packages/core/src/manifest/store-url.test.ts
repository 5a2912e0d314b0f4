import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from './store-url.js';

describe('parseStoreUrl', () => {
  it.each([
    ['s3://bucket', { bucket: 'bucket', prefix: '', url: 's3://bucket' }],
    ['s3://bucket/', { bucket: 'bucket', prefix: '', url: 's3://bucket' }],
    [
      's3://my.bucket-1/a/b_c/',
      { bucket: 'my.bucket-1', prefix: 'a/b_c/', url: 's3://my.bucket-1/a/b_c' },
    ],
    [
      's3://gcs_bucket/Team.Images',
      { bucket: 'gcs_bucket', prefix: 'Team.Images/', url: 's3://gcs_bucket/Team.Images' },
    ],
  ])('%s', (text, expected) => {
    expect(parseStoreUrl(text)).toEqual(expected);
  });

  it.each([
    ['another scheme', 'https://bucket/prefix'],
    ['credentials', 's3://AKIA:secret@bucket/prefix'],
    ['a port', 's3://bucket:9000/prefix'],
    ['a query', 's3://bucket/prefix?x=1'],
    ['a fragment', 's3://bucket/prefix#x'],
    ['an upper-case bucket', 's3://Bucket/prefix'],
    ['a short bucket', 's3://ab'],
    ['an IP address', 's3://192.168.1.1/x'],
    ['a .. in the bucket', 's3://my..bucket'],
    ['a .. folder', 's3://bucket/a/../b'],
    ['a . folder', 's3://bucket/./b'],
    ['an empty folder', 's3://bucket/a//b'],
    ['a space', 's3://bucket/a b'],
    ['a percent escape', 's3://bucket/a%2Fb'],
    ['no bucket', 's3:///prefix'],
  ])('refuses %s', (_, text) => {
    const parsed = parseStoreUrl(text);
    expect(parsed).toHaveProperty('problem');
    expect((parsed as { problem: string }).problem).toContain('expected s3://<bucket>/<prefix>');
  });

  it('refuses a prefix longer than 512 characters', () => {
    expect(parseStoreUrl(`s3://bucket/${'a/'.repeat(300)}`)).toHaveProperty('problem');
  });
});
