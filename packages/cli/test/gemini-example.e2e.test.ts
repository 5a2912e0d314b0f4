import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('../../../examples/gemini/', import.meta.url));

describe('examples/gemini', () => {
  it('runs against fake-gemini as its README says: batch submitted then collected, interactive, each image paid once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-gemini-example-'));
    try {
      // A copy, so the run's lock and images do not land in the repository.
      await cp(EXAMPLE, dir, {
        recursive: true,
        filter: (src) =>
          !/node_modules|\.pixlock|generated|pixlock\.lock/.test(src.slice(EXAMPLE.length)),
      });
      const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) =>
        execFile(
          process.execPath,
          [path.join(EXAMPLE, 'demo.mjs'), dir],
          { env: { ...process.env, CI: '1', NO_COLOR: '1' } },
          (error, out) => resolve({ code: error ? Number(error.code) : 0, stdout: out }),
        ),
      );
      expect(code).toBe(0);
      expect(stdout).toContain('2 submitted');
      expect(stdout).toMatch(/Done: 1 created, 2 resumed, .* Spent: \$0\.152\./);
      expect(stdout).toMatch(/batches 2 \(4 requests charged.*images paid 5, USD 0\.2180/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
