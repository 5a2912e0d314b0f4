import { formatDiagnostic, isPixlockError } from '@pixlock/core/light';
import { exitCodeFor } from '../exit-codes.js';
import {
  JSON_VERSION,
  jsonText,
  type ErrorDocument,
  type JsonDocumentBase,
} from './json-documents.js';
import type { Terminal } from './terminal.js';

/** Said after an `INTERNAL` error, which is pixlock's fault, not the user's. */
export const BUG_NOTICE =
  'this is a bug in pixlock, please report it at https://github.com/pixlock/pixlock/issues ' +
  '(with the command and PIXLOCK_DEBUG=1 output)';

/**
 * Prints an error the way a user can act on it (every diagnostic with file:line:column, no
 * stack trace) and returns its exit code from {@link exitCodeFor}. An `INTERNAL` error is
 * a bug: it says so, asks for a report and shows the stack under PIXLOCK_DEBUG.
 * Under `--json` the error is an {@link ErrorDocument} on stdout, so a script parsing
 * stdout always gets JSON.
 */
export function reportError(
  term: Terminal,
  error: unknown,
  json: boolean,
  command?: JsonDocumentBase['command'],
): number {
  const code = isPixlockError(error) ? error.code : 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  const diagnostics = isPixlockError(error) ? error.diagnostics : [];
  const internal = isPixlockError(error, 'INTERNAL');
  if (json) {
    const doc: ErrorDocument = {
      version: JSON_VERSION,
      ...(command && { command }),
      ok: false,
      error: { code, message: internal ? `${message} (${BUG_NOTICE})` : message, diagnostics },
    };
    term.out(jsonText(doc));
  } else {
    term.err(`error ${code}: ${message}`);
    for (const d of diagnostics) term.err(`  ${formatDiagnostic(d, term.cwd)}`);
    if (internal) term.err(BUG_NOTICE);
    if ((internal || !isPixlockError(error)) && term.env.PIXLOCK_DEBUG && error instanceof Error)
      term.err(error.stack ?? '');
  }
  return exitCodeFor(error);
}
