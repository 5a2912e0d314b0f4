import path from 'node:path';
import { checkResult, plural, PROVIDER_ACTIONS, type CheckResult } from '@pixlock/core/light';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { JSON_VERSION, jsonText, type CheckDocument } from '../output/json-documents.js';
import { relative, type Terminal } from '../output/terminal.js';
import { staleDeclarations } from '../project/declarations.js';
import { upToDatePlan } from '../project/up-to-date-plan.js';

/**
 * `pixlock check`: exit 0 when every image is generated, locked and unmodified on disk, and
 * pixlock-env.d.ts (when the Vite plugin is installed) matches the manifest.
 */
export async function checkCommand(
  term: Terminal,
  opts: { config: string; json: boolean },
): Promise<number> {
  const config = path.resolve(term.cwd, opts.config);
  // Nothing changed since a run found nothing to do: the record's plan is the check's answer.
  const upToDate = await upToDatePlan(config, {});
  let result: CheckResult;
  let staleTypes: string | undefined;
  if (upToDate) {
    result = checkResult(upToDate);
  } else {
    const { checkProject } = await import('@pixlock/core');
    const checked = await checkProject(config);
    result = checked.result;
    staleTypes = await staleDeclarations(checked.manifest);
  }
  const ok = result.ok && !staleTypes;
  if (opts.json) {
    const doc: CheckDocument = {
      version: JSON_VERSION,
      command: 'check',
      ok,
      counts: {
        problems: result.problems.length,
        orphans: result.orphans.length,
        total: result.total,
      },
      total: result.total,
      problems: result.problems,
      orphans: result.orphans,
      ...(staleTypes && { staleTypes }),
    };
    term.out(jsonText(doc));
    return ok ? EXIT_OK : EXIT_FAILED;
  }
  if (result.ok) {
    term.out(
      `ok: ${result.total === 1 ? 'the 1 image is' : `all ${result.total} images are`} generated, locked and unmodified`,
    );
  } else {
    const n = result.problems.length;
    term.out(`drift: ${n} of ${plural(result.total, 'image')} ${n === 1 ? 'needs' : 'need'} work:`);
    for (const p of result.problems) term.out(`  ${p.id}: ${p.action} (${p.reason})`);
  }
  if (staleTypes) term.out(`stale: ${relative(term, staleTypes)} does not match the manifest`);
  if (!ok) {
    const local = result.problems.every((p) => !PROVIDER_ACTIONS.has(p.action));
    term.err(
      local ? 'fix: pixlock generate --frozen (no provider calls needed)' : 'fix: pixlock generate',
    );
  }
  if (result.orphans.length > 0) {
    term.err(
      `note: ${plural(result.orphans.length, 'lock entry is', 'lock entries are')} no longer in the manifest (pixlock prune removes them)`,
    );
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}
