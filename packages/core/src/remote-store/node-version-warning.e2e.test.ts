import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

// In a process of its own: the SDK warns once per process, so a test sharing a worker with
// another store test would see nothing whatever pixlock does.
const SCRIPT = `
const { connectS3 } = await import(${JSON.stringify(path.join(dist, 'remote-store/s3-calls.js'))});
const warnings = [];
process.on('warning', (w) => warnings.push(w.message));
const calls = await connectS3(
  { url: 's3://b/', bucket: 'b', prefix: '', endpoint: 'http://127.0.0.1:9', endpointFrom: 'AWS_ENDPOINT_URL_S3', region: 'us-east-1', forcePathStyle: true },
  { maxSockets: 1 },
);
await new Promise((r) => setImmediate(r));
console.log(JSON.stringify({ warnings, switch: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? null }));
calls.close();
`;

describe("the AWS SDK's Node version notice", () => {
  it('is not written into pixlock output, and the environment is left as it was', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's' },
    });
    expect(JSON.parse(stdout)).toEqual({ warnings: [], switch: null });
    expect(stderr).not.toMatch(/NodeVersionSupportWarning/);
  });
});
