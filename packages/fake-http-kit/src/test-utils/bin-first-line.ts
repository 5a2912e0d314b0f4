import { spawn } from 'node:child_process';

/** What a fake's bin printed first, and how it exited. */
export interface FirstLine {
  /** The first stdout line, or everything on stderr when it printed nothing. */
  line: string;
  code: number | null;
}

/**
 * Starts a fake's bin (its TypeScript source, through tsx) on a free port with `args`;
 * resolves with its first stdout line once it printed one and was stopped (SIGTERM), or with
 * what it wrote to stderr when it exited on its own.
 */
export function binFirstLine(bin: string, args: string[]): Promise<FirstLine> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bin, '--port', '0', ...args], {
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
