import { fileURLToPath } from 'node:url';
import { binFirstLine } from '@pixlock/fake-http-kit/test-utils';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('./bin.ts', import.meta.url));

const firstLine = (args: string[]) => binFirstLine(BIN, args);

describe('fake-gemini bin', () => {
  it('takes every fault flag and prints the base URL to use', async () => {
    const { line } = await firstLine([
      ...['--rate-429', '0.1', '--rate-500', '0.1', '--rate-503', '0.1', '--reset-rate', '0'],
      ...['--reset-after-rate', '0', '--truncate-after-rate', '0', '--lie-rate', '0.1'],
      ...['--no-image-rate', '0', '--block-rate', '0', '--image-safety-rate', '0'],
      ...['--batch-request-fail-rate', '0.1', '--batch-fail-rate', '0', '--batch-expire-rate', '0'],
      ...['--poll-fault-rate', '0.1', '--download-fault-rate', '0.1', '--json-trickle', '500'],
      ...['--download-trickle', '500', '--retry-delay=-1', '--echo-key', 'raw', '--seed', '3'],
      ...[
        '--shuffle-responses',
        '--echo-metadata',
        '--text-part',
        '--thought-part',
        '--hostile-text',
      ],
      ...['--key', 'k1', '--denied-key', 'k2', '--model', 'gemini-3-pro-image'],
    ]);
    expect(line).toMatch(
      /^fake gemini listening: GOOGLE_GEMINI_BASE_URL=http:\/\/127\.0\.0\.1:\d+ \(key: k1\)$/,
    );
  });

  it('refuses a bad value with exit 2 and names the option', async () => {
    const { line, code } = await firstLine(['--echo-key', 'rot13']);
    expect(code).toBe(2);
    expect(line).toContain('echoKey must be one of none, debug-info, raw, url-encoded');
    const flag = await firstLine(['--latency', 'soon']);
    expect([flag.code, flag.line]).toEqual([
      2,
      'fake-gemini: --latency needs a number, got "soon"\n',
    ]);
  });
});
