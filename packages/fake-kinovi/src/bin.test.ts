import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url));

/** Starts the bin with `args`; resolves with its first stdout line (or its exit), then stops it. */
function firstLine(args: string[]): Promise<{ line: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, '--port', '0', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ line: (out.split('\n')[0] ?? '') || err, code }));
  });
}

describe('fake-kinovi bin', () => {
  it('takes every fault flag', async () => {
    const { line } = await firstLine([
      ...['--poll-fault-rate', '0.4', '--download-fault-rate', '0.2', '--poll-429-rate', '0.1'],
      ...['--poll-500-rate', '0', '--poll-reset-rate', '0', '--poll-malformed-rate', '0'],
      ...['--poll-html-rate', '0', '--download-500-rate', '0', '--download-reset-rate', '0'],
      ...['--json-trickle', '50', '--download-trickle', '100', '--echo-key', 'json-escaped'],
      ...['--charge-per-task', '100', '--report-credits=-1000', '--numeric-task-ids'],
      '--hostile-text',
    ]);
    expect(line).toMatch(/^fake kinovi listening: KINOVI_BASE_URL=http:\/\/127\.0\.0\.1:\d+/);
  });

  it('refuses a bad value with exit 2 and names the option', async () => {
    const { line, code } = await firstLine(['--echo-key', 'rot13']);
    expect(code).toBe(2);
    expect(line).toContain('echoKey must be one of none, raw, json-escaped');
  });
});
