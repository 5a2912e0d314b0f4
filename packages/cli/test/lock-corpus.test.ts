import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, lstat, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runPixlockInProcess } from '../src/test-utils/run-pixlock-in-process.js';

// Every bad lock in corpus/locks/<case>/ (a valid manifest, a hostile or damaged pixlock.lock,
// expected.json with the line the error must name) goes through the CLI (in this process, the
// bin's own entry) for each command: exit 2, the lock's file:line and the expected words, no
// stack trace, and the project folder byte for byte as it was.
const CORPUS = fileURLToPath(new URL('./corpus/locks/', import.meta.url));
const COMMANDS = ['validate', 'plan', 'generate', 'check', 'prune'];

interface Expected {
  description: string;
  line: number;
  message: string;
}

/** Every file and folder below `dir` with its type and, for files, its sha256. */
async function listing(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(path.join(dir, rel))).sort()) {
    const p = path.posix.join(rel, name);
    const stat = await lstat(path.join(dir, p));
    if (stat.isDirectory()) out.push(`${p}/`, ...(await listing(dir, p)));
    else {
      const hash = createHash('sha256').update(await readFile(path.join(dir, p)));
      out.push(`${p} ${stat.isFile() ? 'file' : 'other'} ${hash.digest('hex')}`);
    }
  }
  return out;
}

async function run(cwd: string, command: string): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await runPixlockInProcess(cwd, [command], { PIXLOCK_DEBUG: '' });
  return { code, output: stdout + stderr };
}

const cases = (await readdir(CORPUS)).sort();

describe('the bad-lock corpus, through the CLI', () => {
  it('holds at least ten cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.concurrent.for(cases)(
    '%s: exit 2 at its line for every command, nothing written',
    // Side by side in one process, a case waits for the others.
    { timeout: 60_000 },
    async (name, { expect }) => {
      const source = path.join(CORPUS, name);
      const expected = JSON.parse(
        await readFile(path.join(source, 'expected.json'), 'utf8'),
      ) as Expected;
      const dir = await mkdtemp(path.join(tmpdir(), `pixlock-lock-corpus-${name}-`));
      try {
        await cp(path.join(source, 'pixlock.yaml'), path.join(dir, 'pixlock.yaml'));
        await cp(path.join(source, 'pixlock.lock'), path.join(dir, 'pixlock.lock'));
        const before = await listing(dir);
        for (const command of COMMANDS) {
          const { code, output } = await run(dir, command);
          const where = `${name} / ${command}:\n${output}`;
          expect(code, where).toBe(2);
          expect(output, where).toMatch(new RegExp(`pixlock\\.lock:${expected.line}:\\d+`));
          expect(output, where).toContain(expected.message);
          expect(output, where).toContain('LOCK_INVALID');
          expect(output, where).not.toMatch(/^\s+at /m);
          expect(await listing(dir), where).toEqual(before);
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
