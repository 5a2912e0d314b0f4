import path from 'node:path';
import type { SingleBar } from 'cli-progress';
import { plural } from '@pixlock/core/light';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import {
  JSON_VERSION,
  jsonText,
  type StoreCheckDocument,
  type StorePushDocument,
} from '../output/json-documents.js';
import type { Terminal } from '../output/terminal.js';

/**
 * `pixlock store push`: uploads every original (and with `store.outputs` every output) the
 * lock names that the store lacks. Idempotent and resumable; progress on stderr. Exit 1 when
 * something could not be pushed (each named).
 */
export async function storePushCommand(
  term: Terminal,
  opts: { config: string; json: boolean; signal?: AbortSignal },
): Promise<number> {
  const { pushToStore } = await import('@pixlock/core');
  const progress = opts.json ? undefined : await pushProgress(term);
  const result = await pushToStore(path.resolve(term.cwd, opts.config), {
    env: term.env,
    ...(opts.signal && { signal: opts.signal }),
    ...(progress && { onStart: progress.start, onObject: progress.tick }),
  }).finally(() => progress?.stop());
  const ok = result.failed.length === 0;
  if (opts.json) {
    const doc: StorePushDocument = {
      version: JSON_VERSION,
      command: 'store',
      ok,
      store: result.store,
      counts: {
        objects: result.total,
        present: result.present,
        pushed: result.pushed,
        failed: result.failed.length,
      },
      failed: result.failed.map((f) => ({
        object: `${f.object.kind}/${f.object.sha256}`,
        file: f.object.file,
        code: f.code,
        message: f.message,
      })),
    };
    term.out(jsonText(doc));
  } else {
    term.out(
      `${result.store}: ${plural(result.pushed, 'object')} pushed, ${result.present} already there, ${result.failed.length} failed (of ${result.total} the lock names)`,
    );
    for (const f of result.failed) term.err(`  ${f.object.file}: ${f.code}: ${f.message}`);
    if (!ok) term.err('run pixlock store push again to push what is left');
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

/** `pixlock check --store`: exit 1 unless the store holds everything the lock names. */
export async function storeCheckCommand(
  term: Terminal,
  opts: { config: string; json: boolean },
): Promise<number> {
  const { storeLacks } = await import('@pixlock/core');
  const result = await storeLacks(path.resolve(term.cwd, opts.config), { env: term.env });
  const ok = result.missing.length === 0;
  if (opts.json) {
    const doc: StoreCheckDocument = {
      version: JSON_VERSION,
      command: 'check',
      ok,
      store: result.store,
      counts: { objects: result.total, missing: result.missing.length },
      missing: result.missing.map((m) => ({ kind: m.kind, sha256: m.sha256, file: m.file })),
    };
    term.out(jsonText(doc));
  } else if (ok) {
    term.out(`ok: ${result.store} holds all ${plural(result.total, 'object')} the lock names`);
  } else {
    term.out(
      `missing: ${result.store} lacks ${result.missing.length} of ${plural(result.total, 'object')} the lock names:`,
    );
    for (const m of result.missing) term.out(`  ${m.kind}/${m.sha256} (${m.file})`);
    term.err('fix: pixlock store push, from a clone that has these files');
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

/** A progress bar on a terminal, a line every 10% in logs. */
async function pushProgress(term: Terminal) {
  let total = 0;
  let done = 0;
  let failed = 0;
  let bar: SingleBar | undefined;
  let said = 0;
  // Loaded only for a terminal: logs get plain lines.
  const cliProgress = term.isTTY ? (await import('cli-progress')).default : undefined;
  return {
    start: (n: number) => {
      total = n;
      if (cliProgress && n > 0) {
        bar = new cliProgress.SingleBar(
          { format: 'pushing [{bar}] {value}/{total} | {failed} failed', stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        bar.start(n, 0, { failed });
      } else if (n > 0) term.err(`pushing ${plural(n, 'object')}...`);
    },
    tick: (_object: unknown, error?: unknown) => {
      done++;
      if (error) failed++;
      bar?.update(done, { failed });
      if (!bar && total >= 20 && Math.floor((done * 10) / total) > said) {
        said = Math.floor((done * 10) / total);
        term.err(`  ${done}/${total} (${failed} failed)`);
      }
    },
    stop: () => bar?.stop(),
  };
}
