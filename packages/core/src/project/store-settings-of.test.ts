import { afterEach, describe, expect, it } from 'vitest';
import { isPixlockError, type PixlockError } from '../errors.js';
import { SMALL_MANIFEST, tempProject, type TempProject } from '../test-utils/temp-project.js';
import { loadProject } from './load-project.js';
import { storeSettingsOf } from './store-settings-of.js';

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** SMALL_MANIFEST with a `store:` block (given as YAML lines) after `outDir`. */
async function withStore(block: string) {
  const text = SMALL_MANIFEST.replace('outDir: generated\n', `outDir: generated\n${block}`);
  project = await tempProject({ 'pixlock.yaml': text });
  return loadProject(project.config);
}

async function failure(promise: Promise<unknown>): Promise<PixlockError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isPixlockError(error)) throw new Error(`expected a PixlockError, got ${String(error)}`);
  return error;
}

describe('the manifest store block', () => {
  it('is read with its defaults, and reached where the environment says', async () => {
    const { manifest } = await withStore('store:\n  url: s3://my-bucket/site/images\n');
    expect(manifest.store).toEqual({ url: 's3://my-bucket/site/images', outputs: false });
    const settings = storeSettingsOf(manifest, {
      AWS_ENDPOINT_URL_S3: 'https://abc.r2.cloudflarestorage.com/',
      AWS_REGION: 'auto',
    });
    expect(settings).toMatchObject({
      bucket: 'my-bucket',
      prefix: 'site/images/',
      endpoint: 'https://abc.r2.cloudflarestorage.com',
      endpointFrom: 'AWS_ENDPOINT_URL_S3',
      region: 'auto',
      forcePathStyle: true,
    });
  });

  it('is no store at all without the block', async () => {
    const { manifest } = await withStore('');
    expect(storeSettingsOf(manifest, {})).toBeUndefined();
  });

  it("refuses an endpoint that is not AWS's own unless the environment names one, at its line", async () => {
    const block = 'store:\n  url: s3://my-bucket\n  endpoint: https://collector.example.net\n';
    // Refused as the project is read, before anything could be sent.
    const error = await failure(withStore(block));
    expect(error.code).toBe('MANIFEST_INVALID');
    const diagnostic = error.extra.diagnostics![0]!;
    expect(diagnostic).toMatchObject({ path: ['store', 'endpoint'], line: 7 });
    expect(diagnostic.message).toMatch(/collector\.example\.net.*AWS_ENDPOINT_URL_S3/);
    // The environment's endpoint is the one used, whatever the manifest names.
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9000' };
    const { stores } = await loadProject(project!.config, { storeEnv: env });
    expect(stores?.settings).toMatchObject({
      endpoint: 'http://127.0.0.1:9000',
      endpointFrom: 'AWS_ENDPOINT_URL',
    });
  });

  it("takes AWS's own endpoint from the manifest", async () => {
    const { manifest } = await withStore(
      'store:\n  url: s3://my-bucket\n  endpoint: https://s3.eu-west-1.amazonaws.com\n  region: eu-west-1\n',
    );
    expect(storeSettingsOf(manifest, {})).toMatchObject({
      endpointFrom: 'manifest',
      region: 'eu-west-1',
      forcePathStyle: false,
    });
  });

  it('refuses a url that carries credentials or is no s3 URL, at its line, naming no secret', async () => {
    const error = await failure(withStore('store:\n  url: s3://AKIAX:hunter2@bucket/p\n'));
    expect(error.code).toBe('MANIFEST_INVALID');
    expect(error.extra.diagnostics![0]).toMatchObject({ path: ['store', 'url'], line: 6 });
    expect(JSON.stringify(error.extra.diagnostics)).not.toMatch(/hunter2/);
    const other = await failure(withStore('store:\n  url: https://bucket.example/p\n  keys: 1\n'));
    expect(other.extra.diagnostics!.map((d) => d.path.join('.')).sort()).toEqual([
      'store.keys',
      'store.url',
    ]);
  });
});
