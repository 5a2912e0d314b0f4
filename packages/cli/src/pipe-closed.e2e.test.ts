import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

it('exits 141 without a stack trace when its reader goes away (`pixlock plan --json | head`)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'pixlock-pipe-'));
  try {
    const images = Array.from({ length: 3000 }, (_, i) => `  img-${i}: { prompt: "Image ${i}" }`);
    const manifest = ['version: 1', 'provider: { name: placeholder }', 'images:', ...images];
    await writeFile(path.join(dir, 'pixlock.yaml'), manifest.join('\n') + '\n');
    const child = spawn(process.execPath, [BIN, 'plan', '--json'], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close the pipe, as `head -c` does: the rest (over a pipe
    // buffer's worth) has nowhere to go.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(141);
    expect(stderr).not.toMatch(/EPIPE|at .*\(node:/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
