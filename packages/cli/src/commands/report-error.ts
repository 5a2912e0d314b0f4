import { formatDiagnostic, isPixlockError, type ErrorCode } from '@pixlock/core';
import { EXIT_FAILED, EXIT_USAGE } from '../exit-codes.js';
import {
  JSON_VERSION,
  jsonText,
  type ErrorDocument,
  type JsonDocumentBase,
} from '../output/json-documents.js';
import type { Terminal } from '../output/terminal.js';

const USAGE_CODES: ErrorCode[] = [
  'MANIFEST_NOT_FOUND',
  'MANIFEST_INVALID',
  'LOCK_INVALID',
  'LOCK_VERSION_UNSUPPORTED',
  'USAGE',
];

/**
 * Prints an error the way a user can act on it (every diagnostic with file:line:column, no
 * stack trace) and chooses the exit code. The only place that maps errors to exit codes.
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
  if (json) {
    const doc: ErrorDocument = {
      version: JSON_VERSION,
      ...(command && { command }),
      ok: false,
      error: { code, message, diagnostics },
    };
    term.out(jsonText(doc));
  } else {
    term.err(`error ${code}: ${message}`);
    for (const d of diagnostics) term.err(`  ${formatDiagnostic(d, term.cwd)}`);
    if (!isPixlockError(error) && process.env.PIXLOCK_DEBUG && error instanceof Error)
      term.err(error.stack ?? '');
  }
  return isPixlockError(error, ...USAGE_CODES) ? EXIT_USAGE : EXIT_FAILED;
}
