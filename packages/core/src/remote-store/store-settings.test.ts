import { describe, expect, it } from 'vitest';
import { resolveStoreSettings, type StoreSettingsResult } from './store-settings.js';

const URL = 's3://team-images/site/pixlock';
const settingsOf = (r: StoreSettingsResult) => {
  if (!r.ok) throw new Error(r.problem.message);
  return r.settings;
};
const problemOf = (r: StoreSettingsResult) => {
  if (r.ok) throw new Error('expected a problem');
  return r.problem;
};

describe('resolveStoreSettings', () => {
  it('AWS by region when nothing names an endpoint', () => {
    expect(settingsOf(resolveStoreSettings({ url: URL }, {}))).toEqual({
      url: URL,
      bucket: 'team-images',
      prefix: 'site/pixlock/',
      endpointFrom: 'aws',
      region: 'us-east-1',
      forcePathStyle: false,
    });
  });

  it('takes the endpoint from AWS_ENDPOINT_URL_S3 before AWS_ENDPOINT_URL, path-style', () => {
    const env = {
      AWS_ENDPOINT_URL_S3: 'https://acct.r2.cloudflarestorage.com/',
      AWS_ENDPOINT_URL: 'https://other.example',
      AWS_REGION: 'auto',
    };
    expect(settingsOf(resolveStoreSettings({ url: URL }, env))).toMatchObject({
      endpoint: 'https://acct.r2.cloudflarestorage.com',
      endpointFrom: 'AWS_ENDPOINT_URL_S3',
      region: 'auto',
      forcePathStyle: true,
    });
    const { AWS_ENDPOINT_URL } = env;
    expect(settingsOf(resolveStoreSettings({ url: URL }, { AWS_ENDPOINT_URL }))).toMatchObject({
      endpoint: 'https://other.example',
      endpointFrom: 'AWS_ENDPOINT_URL',
    });
  });

  it('refuses an endpoint named by the manifest alone, saying how to allow it', () => {
    const problem = problemOf(
      resolveStoreSettings({ url: URL, endpoint: 'https://collector.attacker.example' }, {}),
    );
    expect(problem).toMatchObject({ source: 'manifest', path: ['endpoint'] });
    expect(problem.message).toContain('https://collector.attacker.example');
    expect(problem.message).toContain('AWS_ENDPOINT_URL_S3=https://collector.attacker.example');
  });

  it("uses the manifest's endpoint when the environment names it, or it is AWS's own", () => {
    const endpoint = 'https://minio.internal.example:9000';
    const agreed = resolveStoreSettings({ url: URL, endpoint }, { AWS_ENDPOINT_URL_S3: endpoint });
    expect(settingsOf(agreed)).toMatchObject({ endpoint, endpointFrom: 'AWS_ENDPOINT_URL_S3' });
    const aws = resolveStoreSettings(
      { url: URL, endpoint: 'https://s3.eu-west-1.amazonaws.com' },
      {},
    );
    expect(settingsOf(aws)).toMatchObject({ endpointFrom: 'manifest', forcePathStyle: false });
  });

  it('the environment wins over the manifest whatever the manifest names', () => {
    const r = resolveStoreSettings(
      { url: URL, endpoint: 'https://collector.attacker.example' },
      { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' },
    );
    expect(settingsOf(r).endpoint).toBe('http://127.0.0.1:9000');
  });

  it.each([
    ['plain http off loopback', 'http://s3.amazonaws.com.attacker.example'],
    ['a lookalike of AWS', 'https://s3.amazonaws.com.attacker.example'],
    ['http to an AWS host', 'http://s3.us-east-1.amazonaws.com'],
    ['a user name in the URL', 'https://user:pw@s3.us-east-1.amazonaws.com'],
    ['not a URL', 'not a url'],
    ['another scheme', 'ftp://s3.us-east-1.amazonaws.com'],
  ])('refuses a manifest endpoint with %s', (_, endpoint) => {
    const problem = problemOf(resolveStoreSettings({ url: URL, endpoint }, {}));
    expect(problem.path).toEqual(['endpoint']);
    expect(problem.message).not.toContain('pw@');
  });

  it('blames the environment for a bad AWS_ENDPOINT_URL_S3, without repeating it', () => {
    const problem = problemOf(
      resolveStoreSettings({ url: URL }, { AWS_ENDPOINT_URL_S3: 'https://k:secret@host' }),
    );
    expect(problem).toMatchObject({ source: 'environment', variable: 'AWS_ENDPOINT_URL_S3' });
    expect(problem.message).not.toContain('secret');
  });

  it('ignores the environment endpoints when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true', () => {
    const r = resolveStoreSettings(
      { url: URL },
      { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
    );
    expect(settingsOf(r).endpointFrom).toBe('aws');
  });

  it('region: AWS_REGION, then AWS_DEFAULT_REGION, then the manifest, then us-east-1', () => {
    const region = (env: Record<string, string>, manifest?: string) =>
      settingsOf(resolveStoreSettings({ url: URL, ...(manifest && { region: manifest }) }, env))
        .region;
    expect(region({ AWS_REGION: 'eu-west-3', AWS_DEFAULT_REGION: 'ap-south-1' }, 'x')).toBe(
      'eu-west-3',
    );
    expect(region({ AWS_DEFAULT_REGION: 'ap-south-1' }, 'eu-north-1')).toBe('ap-south-1');
    expect(region({}, 'eu-north-1')).toBe('eu-north-1');
    expect(region({})).toBe('us-east-1');
    expect(problemOf(resolveStoreSettings({ url: URL, region: '../etc' }, {})).path).toEqual([
      'region',
    ]);
  });

  it('reports a bad URL at store.url', () => {
    expect(problemOf(resolveStoreSettings({ url: 'https://bucket/x' }, {})).path).toEqual(['url']);
  });
});
