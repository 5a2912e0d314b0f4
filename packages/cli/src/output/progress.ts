import cliProgress from 'cli-progress';
import type { EngineEvent } from '@pixlock/core';
import type { Terminal } from './terminal.js';

/**
 * Turns engine events into a progress bar on a terminal, or into plain lines (one per
 * finished image) in logs and CI.
 */
export function progressReporter(term: Terminal): {
  onEvent: (e: EngineEvent) => void;
  stop: () => void;
} {
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  let failed = 0;
  let total = 0;
  const line = (text: string) => {
    if (bar) bar.stop();
    term.err(text);
    if (bar) bar.start(total, done, { failed });
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'run-start':
          total = e.total;
          if (term.isTTY && total > 0) {
            bar = new cliProgress.SingleBar(
              {
                format:
                  'generating [{bar}] {value}/{total} images | {failed} failed | {duration_formatted}',
                hideCursor: true,
                stream: process.stderr,
              },
              cliProgress.Presets.shades_classic,
            );
            bar.start(total, 0, { failed: 0 });
          }
          break;
        case 'rate-limited':
          if (!bar)
            term.err(
              `  ${e.id}: provider busy (429); retrying in ${(e.retryInMs / 1000).toFixed(1)} s, ${e.target} in flight`,
            );
          break;
        case 'retry':
          if (!bar) term.err(`  ${e.id}: ${e.what} failed (${e.message}); retry ${e.attempt}`);
          break;
        case 'image-end': {
          done++;
          const r = e.result;
          if (r.outcome === 'failed') {
            failed++;
            line(`✗ ${r.error?.message ?? r.id}`);
          } else if (!bar) {
            const extra = r.skipReason
              ? ` (${r.skipReason})`
              : r.credits
                ? ` (${r.credits} credits)`
                : '';
            term.err(
              `${r.outcome === 'skipped' || r.outcome === 'interrupted' ? '·' : '✓'} ${r.id}: ${r.outcome}${extra}`,
            );
          }
          bar?.update(done, { failed });
          break;
        }
        default:
          break;
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
