import { formatDiagnostic, isPixlockError } from '@pixlock/core';

/** The subset of Rollup's error object Vite prints and shows in its overlay. */
export interface ViteErrorPayload {
  message: string;
  /** The file at fault, so Vite and editors link to it. */
  id?: string;
  /** 1-based line and column, as in the printed `file:line:column`. */
  loc?: { file: string; line: number; column: number };
  /** pixlock's stable error code (`MANIFEST_INVALID`, ...). */
  pluginCode?: string;
  stack?: string;
}

/**
 * Turns a thrown value into what `this.error()` and the dev overlay take. A manifest error
 * points at its first problem's file and line, and lists all of them in the message, so the
 * user sees where to look rather than a stack trace. Errors that are not pixlock's keep
 * their stack: those are bugs.
 */
export function toViteError(error: unknown, cwd?: string): ViteErrorPayload {
  if (!isPixlockError(error)) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { message: e.message, ...(e.stack !== undefined && { stack: e.stack }) };
  }
  const [first] = error.diagnostics;
  // INTERNAL is a bug: its stack is what the report needs.
  if (error.code === 'INTERNAL')
    return { message: error.message, pluginCode: error.code, stack: error.stack ?? '' };
  if (!first) return { message: error.message, pluginCode: error.code, stack: '' };
  const lines = error.diagnostics.map((d) => `  ${formatDiagnostic(d, cwd)}`);
  return {
    message: `${error.message}\n${lines.join('\n')}`,
    id: first.file,
    loc: { file: first.file, line: first.line, column: first.column },
    pluginCode: error.code,
    // An empty stack keeps Vite from printing ours: the location is the useful part.
    stack: '',
  };
}
