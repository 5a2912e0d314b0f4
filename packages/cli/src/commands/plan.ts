import path from 'node:path';
import { loadProject, planProject } from '@pixlock/core';
import { EXIT_OK } from '../exit-codes.js';
import { formatPlan } from '../output/format-plan.js';
import type { Terminal } from '../output/terminal.js';

/** `pixlock plan`: what `generate` would do and what it would cost. Changes nothing. */
export async function planCommand(
  term: Terminal,
  opts: { config: string; json: boolean; only?: string[]; force?: string[]; all?: boolean },
): Promise<number> {
  const project = await loadProject(path.resolve(term.cwd, opts.config));
  const { plan } = await planProject(project, {
    ...(opts.only && { only: opts.only }),
    ...(opts.force && { force: opts.force }),
  });
  if (opts.json) term.out(JSON.stringify(plan, null, 2));
  else for (const line of formatPlan(plan, { showUnchanged: opts.all ?? false })) term.out(line);
  return EXIT_OK;
}
