import path from 'node:path';
import { pick } from '@pixlock/core';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { JSON_VERSION, type JsonDocumentBase } from '../output/json-documents.js';
import type { Terminal } from '../output/terminal.js';
import { plural } from '@pixlock/core/light';

/** `pixlock pick --json`. */
export interface PickDocument extends JsonDocumentBase {
  command: 'pick';
  counts: { candidates: number; outputs: number };
  id: string;
  /** The candidate now chosen (from 1), and the one chosen before. */
  chosen: number;
  previous: number;
  /** Output files written, relative to the manifest's folder. */
  files: string[];
  /** Outputs the store (`store.outputs`) could not take, as it names them. */
  unpushed?: string[];
}

/**
 * `pixlock pick <id> <n>`: makes candidate n (from 1, as `review` numbers them) the chosen one
 * of an image with `variants`. Outputs are remade from its kept original; no provider call.
 */
export async function pickCommand(
  term: Terminal,
  id: string,
  n: number,
  opts: { config: string; json: boolean },
): Promise<number> {
  const result = await pick(path.resolve(term.cwd, opts.config), id, n, { env: term.env });
  const ok = !result.unpushed;
  if (opts.json) {
    const doc: PickDocument = {
      version: JSON_VERSION,
      command: 'pick',
      ok,
      counts: { candidates: result.candidates, outputs: result.files.length },
      id: result.id,
      chosen: result.chosen,
      previous: result.previous,
      files: result.files,
      ...(result.unpushed && { unpushed: result.unpushed }),
    };
    term.out(JSON.stringify(doc, null, 2));
    return ok ? EXIT_OK : EXIT_FAILED;
  }
  for (const f of result.files) term.out(`    ${f}`);
  term.out(
    `${result.id}: candidate ${result.chosen} of ${result.candidates} chosen (was ${result.previous}); ${plural(result.files.length, 'output')} made from its kept original, no provider call`,
  );
  if (result.unpushed) {
    term.err(
      `error STORE_UNPUSHED: not pushed to the store (kept locally; the next generate, or pixlock store push, pushes them):`,
    );
    for (const u of result.unpushed) term.err(`  ${u}`);
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}
