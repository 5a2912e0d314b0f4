import path from 'node:path';
import { upToDate, type Plan } from '@pixlock/core/light';
import { declarationsMatch } from './declarations.js';

/**
 * The plan of a project nothing changed in since a run found nothing to do, from core's
 * up-to-date record, without loading the manifest, the lock or the engine; undefined when a
 * full read is needed: `--only` or `--force` given, any input changed, or a type declaration
 * file that is missing or stale (the full path rewrites or reports it).
 */
export async function upToDatePlan(
  config: string,
  opts: { only?: readonly string[]; force?: readonly string[] },
): Promise<Plan | undefined> {
  if (opts.only?.length || opts.force?.length) return undefined;
  const found = await upToDate(config);
  if (!found) return undefined;
  return (await declarationsMatch(path.dirname(config), found.declarations))
    ? found.plan
    : undefined;
}
