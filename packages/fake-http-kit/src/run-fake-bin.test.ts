import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binFirstLine } from './test-utils/bin-first-line.js';

const BIN = fileURLToPath(new URL('./__fixtures__/fake-bin.ts', import.meta.url));
const firstLine = (args: string[]) => binFirstLine(BIN, args);

describe('runFakeBin', () => {
  it('starts the fake with only the flags given, as numbers where asked', async () => {
    const { line } = await firstLine(['--rate', '0.5', '--name', 'a', '--name', 'b']);
    expect(line).toBe('fake-test listening: {"port":0,"rate":0.5,"names":["a","b"]}');
    expect((await firstLine([])).line).toBe('fake-test listening: {"port":0}');
  });

  it('exits 2 naming the flag, the option or the unknown flag; --help prints the usage', async () => {
    expect(await firstLine(['--rate', 'soon'])).toEqual({
      line: 'fake-test: --rate needs a number, got "soon"\n',
      code: 2,
    });
    expect(await firstLine(['--rate', '2'])).toEqual({
      line: 'fake-test: option rate must be <= 1\n',
      code: 2,
    });
    const unknown = await firstLine(['--rat', '1']);
    expect(unknown.code).toBe(2);
    expect(unknown.line).toMatch(/^fake-test: Unknown option '--rat'[^]*usage: fake-test/);
    // The helper stops a bin once it printed a line, so only the line tells --help apart.
    expect((await firstLine(['--help'])).line).toBe('usage: fake-test [--rate <p>] [--name <n>]');
  });
});
