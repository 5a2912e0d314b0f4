import { fileURLToPath } from 'node:url';
import { binFirstLine } from '@pixlock/fake-http-kit/test-utils';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url));

const firstLine = (args: string[]) => binFirstLine(BIN, args);

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
