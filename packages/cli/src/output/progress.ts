import cliProgress from 'cli-progress';
import type { Currency, EngineEvent } from '@pixlock/core';
import { formatAmount } from '@pixlock/core/light';
import { ImageStages } from './image-stages.js';
import type { Terminal } from './terminal.js';

/**
 * Turns engine events into a progress bar on a terminal (with the stage of the images in
 * flight), or into plain lines in logs and CI; both print one line per finished image.
 * Everything goes to stderr: stdout is for results.
 */
export function progressReporter(term: Terminal): {
  onEvent: (e: EngineEvent) => void;
  stop: () => void;
} {
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  let failed = 0;
  let total = 0;
  let currency: Currency | undefined;
  const stages = new ImageStages();
  // Our own clock: the bar's restarts (to print a line above it) would reset its own.
  const started = Date.now();
  const payload = () => ({
    failed,
    stages: stages.summary() || (done === total ? 'finishing' : 'starting'),
    elapsed: `${Math.round((Date.now() - started) / 1000)}s`,
  });
  // Above the bar: stop it, print, start it again where it was.
  const line = (text: string) => {
    if (bar) bar.stop();
    term.err(text);
    if (bar) bar.start(total, done, payload());
  };
  return {
    onEvent(e) {
      const moved = stages.apply(e);
      switch (e.type) {
        case 'run-start':
          total = e.total;
          currency = e.currency;
          if (term.isTTY && total > 0) {
            bar = new cliProgress.SingleBar(
              {
                format:
                  'generating [{bar}] {value}/{total} | {stages} | {failed} failed | {elapsed}',
                hideCursor: true,
                stream: process.stderr,
              },
              cliProgress.Presets.shades_classic,
            );
            bar.start(total, 0, payload());
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
          } else {
            const extra = r.skipReason
              ? ` (${r.skipReason})`
              : r.outcome === 'submitted'
                ? ' (still at the provider)'
                : r.credits
                  ? ` (${formatAmount(r.credits, currency)})`
                  : '';
            const mark =
              r.outcome === 'skipped' || r.outcome === 'interrupted' || r.outcome === 'submitted'
                ? '·'
                : '✓';
            line(`${mark} ${r.id}: ${r.outcome}${extra}`);
          }
          bar?.update(done, payload());
          break;
        }
        default:
          if (moved) bar?.update(done, payload());
          break;
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
